"""views.kabupaten on small frames worked out by hand (no Streamlit, no snapshot)."""

import math

import pandas as pd

from dashboards.views import kabupaten as view

NAN = float("nan")

KAB = pd.DataFrame({"kode": ["62.01", "62.02", "62.71"], "nama": ["Kab A", "Kab B", "Kota C"]})

DEFINITIONS = pd.DataFrame(
    {
        "kpi_id": ["serapan", "miskin", "bumdes"],
        "nama": ["Serapan Dana Desa", "KK miskin", "BUMDes aktif"],
        "satuan": ["%", "%", "unit"],
        "isu": ["dana", "miskin", "dana"],
        "utama": [True, False, False],
    }
)


def test_headline_kpis_are_the_marked_ones() -> None:
    assert list(view.headline_kpis(DEFINITIONS)["kpi_id"]) == ["serapan"]


def test_headline_kpis_without_a_mark_take_the_first_of_each_isu() -> None:
    unmarked = DEFINITIONS.assign(utama=False)
    # isu dana: serapan (first), isu miskin: miskin; bumdes is dana's second
    assert list(view.headline_kpis(unmarked)["kpi_id"]) == ["serapan", "miskin"]


def test_province_table_counts_desa_and_leaves_missing_values_empty() -> None:
    rows = pd.DataFrame(
        {
            "kode_wilayah": ["62.01", "62.02", "62.01"],
            "kpi_id": ["serapan", "serapan", "miskin"],
            "nilai": [92.34, NAN, 12.0],
        }
    )
    villages = pd.DataFrame(
        {
            "kode_kab": ["62.01", "62.01", "62.01", "62.02", "62.71"],
            "jenis": ["desa", "desa", "kelurahan", "desa", "kelurahan"],
        }
    )
    headline = DEFINITIONS.iloc[[0, 2]]  # serapan (has rows), bumdes (none at all)
    table, formats = view.province_table(
        KAB, rows, villages, headline, lambda d: f"{d['nama']} ({d['satuan']})"
    )
    assert list(table.columns) == [
        "Kabupaten/kota",
        "Desa",
        "Serapan Dana Desa (%)",
        "BUMDes aktif (unit)",
    ]
    # kelurahan are not counted; Kota C has none of its own desa: 0, not empty
    assert list(table["Desa"]) == [2, 1, 0]
    serapan = list(table["Serapan Dana Desa (%)"])
    assert serapan[0] == 92.34
    assert math.isnan(serapan[1])
    assert math.isnan(serapan[2])
    assert table["BUMDes aktif (unit)"].isna().all()
    assert formats["Serapan Dana Desa (%)"](92.34) == "92,3%"
    assert formats["BUMDes aktif (unit)"](3) == "3,0"


def test_kpi_map_frame_says_why_a_kabupaten_has_no_value() -> None:
    rows = pd.DataFrame(
        {
            "kode_wilayah": ["62.01", "62.02", "62.01"],
            "kpi_id": ["serapan", "serapan", "miskin"],
            "nilai": [92.3, NAN, 5.0],
            "keterangan": [None, "Belum melapor", None],
        }
    )
    per_kab = view.kpi_map_frame(KAB, rows, "serapan", no_value="Tidak ada data").set_index("kode")
    assert per_kab.at["62.01", "nilai"] == 92.3
    assert pd.isna(per_kab.at["62.01", "keterangan"])  # a value needs no reason
    assert per_kab.at["62.02", "keterangan"] == "Belum melapor"  # its own reason kept
    assert per_kab.at["62.71", "keterangan"] == "Tidak ada data"  # no row at all
    assert list(per_kab["nama"]) == ["Kab A", "Kab B", "Kota C"]


def test_area_counts_text() -> None:
    villages = pd.DataFrame({"jenis": ["desa"] * 1200 + ["kelurahan"] * 2})
    assert view.area_counts_text(3, villages) == (
        "**3** kecamatan · **1.200** desa · **2** kelurahan"
    )


TREND = pd.DataFrame(
    {
        "kode_wilayah": ["62.01", "62.01", "62.01", "62", "62.01"],
        "kpi_id": ["serapan", "serapan", "serapan", "serapan", "miskin"],
        "tahun": [2022, 2023, 2024, 2024, 2024],
        "nilai": [80.0, NAN, 90.0, 85.0, NAN],
        "keterangan": [None, "Belum melapor", None, None, "Tidak diminta"],
    }
)


def test_kpi_series_and_its_missing_years() -> None:
    series = view.kpi_series(TREND, "62.01", "serapan")
    assert list(series["tahun"]) == [2022, 2023, 2024]
    assert view.missing_years(series) == [("2023", "Belum melapor")]


def test_trend_target_is_labelled_by_its_level() -> None:
    target = {"target_tingkat": "provinsi", "target_nilai": 95.0, "target_tahun": 2029}

    def level_text(row: object) -> str:
        return f"target {row['target_tingkat']}"  # type: ignore[index]

    marked = view.trend_target(target, level_text)
    assert marked == {**target, "label": "Target provinsi"}
    assert "label" not in target  # the row itself is left as it was
    assert view.trend_target(None, level_text) is None


def test_village_values_keep_every_village() -> None:
    villages = pd.DataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"]})
    kpi_rows = pd.DataFrame(
        {"kode_wilayah": ["a", "c"], "nilai": [1.5, NAN], "keterangan": [None, "Kelurahan"]}
    )
    status = pd.DataFrame({"kode_desa": ["b"], "status": ["maju"], "skema": ["idm"]})
    merged = view.village_values(villages, kpi_rows, status).set_index("kode")
    assert list(merged.index) == ["a", "b", "c"]
    assert merged.at["a", "nilai"] == 1.5
    assert pd.isna(merged.at["a", "status"])
    assert pd.isna(merged.at["b", "nilai"])
    assert merged.at["b", "status"] == "maju"
    assert merged.at["c", "keterangan"] == "Kelurahan"


def test_other_kpis_are_named_columns_without_the_chosen_one() -> None:
    rows = pd.DataFrame(
        {
            "kode_wilayah": ["a", "a", "b", "b"],
            "kpi_id": ["serapan", "miskin", "serapan", "miskin"],
            "nilai": [90.0, 10.0, 80.0, NAN],
        }
    )
    wide = view.other_kpis(rows, DEFINITIONS, "serapan")
    # bumdes has no rows: no column; serapan is the chosen KPI: left out
    assert list(wide.columns) == ["KK miskin"]
    assert wide.at["a", "KK miskin"] == 10.0
    assert math.isnan(wide.at["b", "KK miskin"])


def test_kpi_column_formats_only_for_kpi_columns() -> None:
    formats = view.kpi_column_formats(DEFINITIONS, ["Kode", "KK miskin", "BUMDes aktif"])
    assert set(formats) == {"KK miskin", "BUMDes aktif"}
    assert formats["KK miskin"](12.25) == "12,3%"  # half up
    assert formats["BUMDes aktif"](4) == "4,0"


STATUSES = pd.DataFrame(
    {
        "status": ["tertinggal", "berkembang", "maju"],
        "urutan": [1, 2, 3],
        "label": ["Tertinggal", "Berkembang", "Maju"],
    }
)

# five desa: two stay berkembang, one berkembang -> maju, one maju -> berkembang,
# one tertinggal -> maju
TRANSITIONS = pd.DataFrame(
    {
        "kode_desa": ["1", "2", "3", "4", "5"],
        "nama_desa": ["A", "B", "C", "D", "E"],
        "nama_kecamatan": ["K1", "K1", "K2", "K2", "K2"],
        "status_idm": ["berkembang", "berkembang", "berkembang", "maju", "tertinggal"],
        "status_id": ["berkembang", "berkembang", "maju", "berkembang", "maju"],
    }
)


def test_status_lookups() -> None:
    ranks, labels = view.status_lookups(STATUSES)
    assert ranks == {"tertinggal": 1, "berkembang": 2, "maju": 3}
    assert labels["maju"] == "Maju"


def test_transition_cells_in_rank_order_without_empty_ones() -> None:
    ranks, _ = view.status_lookups(STATUSES)
    counts = view.transition_counts(TRANSITIONS)
    assert view.transition_cells(counts, ranks) == [
        ("tertinggal", "maju", 1),
        ("berkembang", "berkembang", 2),
        ("berkembang", "maju", 1),
        ("maju", "berkembang", 1),
    ]


def test_transition_summary_text() -> None:
    ranks, _ = view.status_lookups(STATUSES)
    moved = view.transition_summary(TRANSITIONS, ranks)
    assert moved == {"naik": 2, "sama": 2, "turun": 1}
    assert view.transition_summary_text(len(TRANSITIONS), moved) == (
        "**5** desa memiliki kedua status: **2** naik, **2** status sama (diagonal), **1** turun."
    )


def test_transition_cell_label() -> None:
    _, labels = view.status_lookups(STATUSES)
    assert view.transition_cell_label(("berkembang", "maju", 1), labels) == (
        "Berkembang → Maju: 1 desa"
    )
    assert view.transition_cell_label(("berkembang", "berkembang", 2), labels) == (
        "Berkembang → Berkembang (status sama): 2 desa"
    )
    # a status the table does not know shows its own name
    assert view.transition_cell_label(("x", "maju", 1200), labels) == "x → Maju: 1.200 desa"


def test_transition_villages_of_one_cell() -> None:
    table = view.transition_villages(
        TRANSITIONS,
        ("berkembang", "berkembang", 2),
        tahun_idm=2024,
        tahun_id=2025,
        status_name=str.upper,
    )
    assert list(table.columns) == [
        "Kode",
        "Desa",
        "Kecamatan",
        "Status IDM 2024",
        "Status Indeks Desa 2025",
    ]
    assert list(table["Desa"]) == ["A", "B"]
    assert list(table["Status IDM 2024"]) == ["BERKEMBANG", "BERKEMBANG"]
