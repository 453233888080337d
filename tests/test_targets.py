"""The on-track rule of docs/contracts.md (Targets) on hand-made series, and the fallback of targets."""

import polars as pl
import pytest

from pipelines.transforms.targets import BEHIND, MET, ON_TRACK, progress, targets_in_force

ARAH = pl.DataFrame({"kpi_id": ["naik_pct", "turun_pct"], "arah": ["naik", "turun"]})


def kpi_rows(kpi_id: str, kode: str, series: dict[int, float | None]) -> pl.DataFrame:
    tingkat = "provinsi" if len(kode) == 2 else "kabupaten"
    return pl.DataFrame(
        {
            "tingkat": tingkat,
            "kode_wilayah": kode,
            "nama_wilayah": f"Wilayah {kode}",
            "tahun": list(series),
            "kpi_id": kpi_id,
            "nilai": list(series.values()),
        },
        schema_overrides={"tahun": pl.Int32, "nilai": pl.Float64},
    )


def target(kpi_id, kode, tahun, nilai, sumber="uji"):
    return {"kpi_id": kpi_id, "kode_wilayah": kode, "tahun": tahun, "nilai": nilai,
            "sumber": sumber, "catatan": None, "asal": "bawaan"}  # fmt: skip


def judge(kpi: pl.DataFrame, targets: list[dict]) -> dict:
    frame = pl.DataFrame(targets, schema_overrides={"tahun": pl.Int32, "nilai": pl.Float64})
    result = progress(kpi, frame, ARAH)
    return {r["kode_wilayah"]: r for r in result.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("kpi_id", "series", "goal", "status", "expected"),
    [
        # up, 2020: 10 -> target 30 in 2030: by 2024 the line is at 18; 20 is ahead
        ("naik_pct", {2020: 10.0, 2024: 20.0}, (2030, 30.0), ON_TRACK, 18.0),
        # up, the same line; 15 is behind it
        ("naik_pct", {2020: 10.0, 2024: 15.0}, (2030, 30.0), BEHIND, 18.0),
        # up, already at the target
        ("naik_pct", {2020: 10.0, 2024: 31.0}, (2030, 30.0), MET, 18.0),
        # down: 6 -> 4.5 in 2029 over 9 years; by 2025 the line is at 6 - 1.5 * 5/9
        ("turun_pct", {2020: 6.0, 2025: 5.0}, (2029, 4.5), ON_TRACK, 6 - 1.5 * 5 / 9),
        ("turun_pct", {2020: 6.0, 2025: 5.8}, (2029, 4.5), BEHIND, 6 - 1.5 * 5 / 9),
        ("turun_pct", {2020: 6.0, 2025: 4.4}, (2029, 4.5), MET, 6 - 1.5 * 5 / 9),
        # the target year has passed unmet: behind, whatever the line said
        ("turun_pct", {2019: 5.0, 2025: 5.19}, (2025, 4.66), BEHIND, 4.66),
        ("turun_pct", {2019: 5.0, 2026: 4.7}, (2025, 4.66), BEHIND, 4.66),
    ],
)
def test_on_track_rule(kpi_id, series, goal, status, expected):
    [row] = judge(kpi_rows(kpi_id, "62.01", series), [target(kpi_id, "62.01", *goal)]).values()
    assert row["status"] == status
    assert row["nilai_seharusnya"] == pytest.approx(expected)
    assert row["target_dari_atas"] is False


def test_province_and_national_targets_stand_in_for_a_kabupaten_without_its_own():
    kpi = pl.concat(
        [
            kpi_rows("turun_pct", "62.01", {2020: 6.0, 2025: 5.0}),
            kpi_rows("turun_pct", "62.02", {2020: 6.0, 2025: 5.0}),
            kpi_rows("turun_pct", "62", {2020: 6.0, 2025: 5.0}),
            kpi_rows("naik_pct", "62.01", {2020: 1.0}),
        ]
    )
    rows = judge(
        kpi,
        [
            target("turun_pct", "62.02", 2029, 1.0, "RPJMD"),
            target("turun_pct", "62", 2025, 4.66, "RKPD"),
            target("turun_pct", "00", 2029, 4.5, "RPJMN"),
            target("naik_pct", "00", 2030, 2.0, "SDGs"),
        ],
    )
    assert (rows["62.02"]["target_kode_wilayah"], rows["62.02"]["sumber"]) == ("62.02", "RPJMD")
    assert (rows["62.01"]["target_kode_wilayah"], rows["62.01"]["target_tingkat"]) == (
        "62",
        "provinsi",
    )
    assert rows["62.01"]["target_dari_atas"] is True
    assert rows["62"]["sumber"] == "RKPD"  # the province's own before the nation's


def test_the_first_target_not_before_the_latest_value_counts():
    kpi = kpi_rows("turun_pct", "62", {2020: 6.0, 2025: 5.0})
    rows = judge(
        kpi,
        [
            target("turun_pct", "62", 2024, 5.5, "lama"),
            target("turun_pct", "62", 2026, 4.9, "berikut"),
            target("turun_pct", "62", 2029, 4.0, "akhir"),
        ],
    )
    assert (rows["62"]["target_tahun"], rows["62"]["sumber"]) == (2026, "berikut")


def test_no_value_yet_has_no_status():
    rows = judge(kpi_rows("naik_pct", "62.01", {2024: None}), [target("naik_pct", "00", 2030, 1)])
    assert rows["62.01"]["status"] is None


def test_a_file_replaces_the_shipped_target_of_its_pair_only():
    shipped = pl.DataFrame(
        [
            {**target("turun_pct", "62", 2025, 4.66, "RKPD"), "asal": None},
            {**target("turun_pct", "00", 2029, 4.5, "RPJMN"), "asal": None},
        ],
        schema_overrides={"tahun": pl.Int32, "nilai": pl.Float64},
    ).drop("asal")
    files = pl.DataFrame(
        {
            "kpi_id": ["turun_pct"],
            "kode_wilayah": ["62"],
            "tahun": [2029],
            "nilai": [4.0],
            "sumber": ["RPJMD Kalimantan Tengah 2025-2029"],
        }
    )
    merged = targets_in_force(shipped, files)
    assert merged.select("kode_wilayah", "tahun", "sumber", "asal").rows() == [
        ("00", 2029, "RPJMN", "bawaan"),
        ("62", 2029, "RPJMD Kalimantan Tengah 2025-2029", "berkas"),
    ]


# --- through the pipeline ------------------------------------------------------------------------

KAB = "kode_wilayah,tahun,persentase_miskin\n"


def test_a_target_file_replaces_the_shipped_target_and_the_view_names_its_source(data_dir):
    from tests.conftest import drop, published, run_pipeline

    # The province: 5.0 in 2019 and 5.19 in 2025 against the shipped RKPD 2025 ceiling 4.66.
    drop(data_dir, "kemiskinan_kab", "p0.csv", KAB + "62,2019,5.0\n62,2025,5.19\n62.02,2025,6\n")
    assert run_pipeline(data_dir).success
    row = published(
        data_dir,
        "select * from capaian_target where kpi_id = 'persentase_miskin_bps' and kode_wilayah = ?",
        ["62"],
    ).row(0, named=True)
    assert (row["target_tahun"], row["target_nilai"], row["asal"]) == (2025, 4.66, "bawaan")
    assert row["sumber"].startswith("RKPD Kalimantan Tengah 2025")
    assert row["status"] == BEHIND
    kotim = published(
        data_dir,
        "select target_kode_wilayah, target_nilai from capaian_target "
        "where kpi_id = 'persentase_miskin_bps' and kode_wilayah = '62.02'",
    )
    assert kotim.rows() == [("62.02", 1.0)]  # its own RPJMD target

    # An analyst's file: the province's target becomes the RPJMD's 2029 figure.
    drop(
        data_dir,
        "target_kpi",
        "target_rpjmd.csv",
        "kpi_id,kode_wilayah,tahun,nilai,sumber\n"
        "persentase_miskin_bps,62,2029,3.5,RPJMD Kalimantan Tengah 2025-2029\n",
    )
    assert run_pipeline(data_dir).success
    targets = published(
        data_dir,
        "select tahun, nilai, sumber, asal from target_kpi "
        "where kpi_id = 'persentase_miskin_bps' and kode_wilayah = '62'",
    )
    assert targets.rows() == [(2029, 3.5, "RPJMD Kalimantan Tengah 2025-2029", "berkas")]
    row = published(
        data_dir,
        "select * from capaian_target where kpi_id = 'persentase_miskin_bps' and kode_wilayah = ?",
        ["62"],
    ).row(0, named=True)
    assert (row["target_tahun"], row["sumber"], row["asal"]) == (
        2029,
        "RPJMD Kalimantan Tengah 2025-2029",
        "berkas",
    )
    # the line from 5.0 (2019) to 3.5 (2029) is at 4.1 by 2025; 5.19 is behind it
    assert row["nilai_seharusnya"] == pytest.approx(5.0 - 1.5 * 6 / 10)
    assert row["status"] == BEHIND
    # a target's year is not a data year: no kpi rows for 2029
    years = published(data_dir, "select distinct tahun from kpi order by 1")["tahun"].to_list()
    assert 2029 not in years


def test_a_target_file_naming_an_unknown_kpi_is_rejected_with_the_row(data_dir):
    from tests.conftest import drop, published, run_pipeline

    drop(
        data_dir,
        "target_kpi",
        "target_salah.csv",
        "kpi_id,kode_wilayah,tahun,nilai,sumber\n"
        "persentase_miskin_bps,00,2029,4.5,RPJMN\n"
        "kemiskinan_total,62,2029,3,RPJMD\n"
        "kk_miskin_pct,99,2030,0,SDGs\n",
    )
    assert run_pipeline(data_dir).success
    [report] = (data_dir / "rejected" / "target_kpi").glob("*.laporan.txt")
    text = report.read_text(encoding="utf-8")
    assert "Baris 3: kolom kpi_id" in text
    assert "tidak ada dalam katalog" in text
    assert "Baris 4: kolom kode_wilayah" in text
    assert (
        published(data_dir, "select count(*) as n from target_kpi where asal = 'berkas'")["n"][0]
        == 0
    )
