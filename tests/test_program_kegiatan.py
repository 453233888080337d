"""program_kegiatan (issue 28): the agency's own activities, their rules, who may send which
rows, and the ten programme KPIs against answers worked out by hand."""

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.kpis import KPI_BY_ID, KPIS
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import Upload
from pipelines.ingest.validation import ERROR, WARNING, validate
from pipelines.settings import Settings
from pipelines.transforms.kpis import NO_ACTIVITY, compute_kpis
from tests.conftest import drop, published, run_pipeline
from tests.test_kpi_transforms import AREAS, table

MB = 1024 * 1024
HEADER = (
    "kode_wilayah,tahun,kode_kegiatan,nama_kegiatan,isu,indikator_keluaran,satuan_keluaran,"
    "target_keluaran,realisasi_keluaran,pagu,realisasi_anggaran,desa_sasaran\n"
)
KAPUAS_ROW = (
    "62.03,2024,2.13.04.2.01.05,Pembinaan Peningkatan Kapasitas Aparatur Pemerintahan Desa,1,"
    "aparatur yang mengikuti pembinaan,orang,40,44,150.000.000,120.000.000,10\n"
)
PROVINSI_ROW = (
    "62,2024,2.13.04.1.01,Pembinaan dan Pengawasan Penyelenggaraan Pemerintahan Desa,tujuan,"
    "dokumen hasil pembinaan,dokumen,4,4,Rp 600.000.000,Rp 540.000.000,\n"
)
PETUGAS_KAPUAS = Upload("budi.kapuas", "petugas", "62.03")
ANALIS = Upload("sari.provinsi", "analis", None)


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def check(tmp_path, reference, text, upload=None):
    path = tmp_path / "program.csv"
    path.write_text(text, encoding="utf-8")
    return validate(
        read_table(path, 50 * MB, 50 * MB), DATASETS["program_kegiatan"], reference, upload
    )


def issues(v, tingkat=ERROR) -> list[tuple]:
    return v.issues.filter(pl.col("tingkat") == tingkat).select("baris", "kolom", "alasan").rows()


# --- the dataset ------------------------------------------------------------------------------


def test_the_province_and_a_kabupaten_are_accepted_with_exact_rupiah(tmp_path, reference):
    v = check(tmp_path, reference, HEADER + KAPUAS_ROW + PROVINSI_ROW, ANALIS)
    assert v.accepted, v.issues
    rows = v.rows.sort("kode_wilayah")
    assert rows["kode_wilayah"].to_list() == ["62", "62.03"]
    # a slice is (kode_wilayah, tahun): the province's rows are their own slice
    assert rows["kode_kab"].to_list() == ["62", "62.03"]
    assert [str(x) for x in rows["pagu"]] == ["600000000.00", "150000000.00"]
    assert rows["isu"].to_list() == ["tujuan", "1"]
    assert rows["kode_kegiatan"].to_list() == ["2.13.04.1.01", "2.13.04.2.01.05"]
    assert issues(v, WARNING) == []


def test_a_code_outside_urusan_2_13_is_only_a_warning(tmp_path, reference):
    other = KAPUAS_ROW.replace("2.13.04.2.01.05", "2.17.07.2.01")
    v = check(tmp_path, reference, HEADER + other)
    assert v.accepted
    [(baris, kolom, alasan)] = issues(v, WARNING)
    assert (baris, kolom) == (2, "kode_kegiatan")
    assert "2.13." in alasan


@pytest.mark.parametrize(
    ("row", "kolom", "reason"),
    [
        # realisation above pagu
        (KAPUAS_ROW.replace("120.000.000", "150.000.001"), "realisasi_anggaran", "pagu"),
        # a target of zero
        (KAPUAS_ROW.replace(",orang,40,", ",orang,0,"), "target_keluaran", "> 0"),
        # an issue that does not exist
        (KAPUAS_ROW.replace("Desa,1,", "Desa,5,"), "isu", "salah satu dari"),
        # a pagu of zero
        (KAPUAS_ROW.replace("150.000.000,120.000.000", "0,0"), "pagu", "> 0"),
    ],
)
def test_bad_rows_reject_the_file_naming_the_row(tmp_path, reference, row, kolom, reason):
    v = check(tmp_path, reference, HEADER + PROVINSI_ROW + row)
    assert not v.accepted
    [(baris, found, alasan)] = issues(v)
    assert (baris, found) == (3, kolom)
    assert reason in alasan


def test_a_petugas_sends_only_its_own_kabupaten(tmp_path, reference):
    assert check(tmp_path, reference, HEADER + KAPUAS_ROW, PETUGAS_KAPUAS).accepted
    katingan = KAPUAS_ROW.replace("62.03,", "62.06,", 1)
    v = check(tmp_path, reference, HEADER + KAPUAS_ROW + katingan + PROVINSI_ROW, PETUGAS_KAPUAS)
    assert not v.accepted
    assert issues(v) == [
        (3, "kode_wilayah", "bukan wilayah Kabupaten Kapuas"),
        (4, "kode_wilayah", "bukan wilayah Kabupaten Kapuas"),
    ]


def test_an_analis_sends_the_province_and_any_kabupaten(tmp_path, reference):
    katingan = KAPUAS_ROW.replace("62.03,", "62.06,", 1)
    assert check(tmp_path, reference, HEADER + katingan + PROVINSI_ROW, ANALIS).accepted


def test_the_area_column_is_required(tmp_path, reference):
    v = check(tmp_path, reference, HEADER.replace("kode_wilayah", "nama_wilayah") + KAPUAS_ROW)
    assert not v.accepted
    assert v.file_errors[0].startswith("kolom wilayah kode_wilayah (kode Kemendagri) wajib ada")


# --- the ten KPIs ----------------------------------------------------------------------------

PROGRAM = tuple(k for k in KPIS if k.program)


def activity(kode, isu, target, realisasi, pagu, serapan, tahun=2024, kode_kegiatan=None):
    return {
        "kode_wilayah": kode, "kode_kab": kode, "tahun": tahun, "isu": isu,
        "kode_kegiatan": kode_kegiatan or f"2.13.{isu}.{target}.{pagu}",
        "target_keluaran": target, "realisasi_keluaran": realisasi,
        "pagu": pagu, "realisasi_anggaran": serapan,
    }  # fmt: skip


ACTIVITIES = [
    # Kab A (62.01), isu 1: achievement 15/10 capped at 1, and 5/20 = 0.25
    activity("62.01", "1", 10, 15, 100, 80),
    activity("62.01", "1", 20, 5, 300, 300),
    # Kab C (62.02), isu 3: 3/4 = 0.75, serapan 50/200
    activity("62.02", "3", 4, 3, 200, 50),
    # the province's own Dinas (62), isu 1: 5/5 = 1, serapan 300/600
    activity("62", "1", 5, 5, 600, 300),
]


@pytest.fixture(scope="module")
def kpi() -> pl.DataFrame:
    activities = table("program_kegiatan", ACTIVITIES).lazy()
    empty = table("kemiskinan_kab", []).lazy()
    basis = pl.LazyFrame()  # no additive KPI is asked for
    return compute_kpis(
        basis, PROGRAM, AREAS.lazy(), [2023, 2024], empty, program_kegiatan=activities
    ).collect()


def row(kpi: pl.DataFrame, kode: str, kpi_id: str, tahun: int = 2024) -> dict:
    found = kpi.filter(
        (pl.col("kode_wilayah") == kode) & (pl.col("kpi_id") == kpi_id) & (pl.col("tahun") == tahun)
    )
    assert found.height == 1
    return found.row(0, named=True)


def test_ten_programme_kpis_two_per_issue():
    assert sorted(k.kpi_id for k in PROGRAM) == sorted(
        f"program_{kind}_{isu}_pct"
        for kind in ("serapan", "keluaran")
        for isu in ("isu1", "isu2", "isu3", "isu4", "tujuan")
    )
    assert all(KPI_BY_ID[k.kpi_id].isu in k.kpi_id for k in PROGRAM)


@pytest.mark.parametrize(
    ("kode", "kpi_id", "nilai", "pembilang", "penyebut"),
    [
        # Kab A isu 1: 100 x (80 + 300) / (100 + 300) = 95
        ("62.01", "program_serapan_isu1_pct", 95.0, 380.0, 400.0),
        # Kab A isu 1: 100 x (min(15/10, 1) + 5/20) / 2 = 100 x 1.25 / 2 = 62.5 (capped)
        ("62.01", "program_keluaran_isu1_pct", 62.5, 1.25, 2.0),
        # Kab C isu 3: 100 x 50 / 200 = 25; 100 x 0.75 / 1 = 75
        ("62.02", "program_serapan_isu3_pct", 25.0, 50.0, 200.0),
        ("62.02", "program_keluaran_isu3_pct", 75.0, 0.75, 1.0),
        # Province isu 1, its own activity and all kabupaten's:
        # 100 x (80 + 300 + 300) / (100 + 300 + 600) = 68; 100 x (1 + 0.25 + 1) / 3 = 75
        ("62", "program_serapan_isu1_pct", 68.0, 680.0, 1000.0),
        ("62", "program_keluaran_isu1_pct", 75.0, 2.25, 3.0),
        # Province isu 3: only Kab C's
        ("62", "program_serapan_isu3_pct", 25.0, 50.0, 200.0),
    ],
)
def test_programme_kpis_match_the_hand_worked_values(kpi, kode, kpi_id, nilai, pembilang, penyebut):
    r = row(kpi, kode, kpi_id)
    assert r["nilai"] == pytest.approx(nilai, abs=1e-12)
    assert (r["pembilang"], r["penyebut"]) == pytest.approx((pembilang, penyebut), abs=1e-9)
    assert r["desa_melapor"] is None
    assert r["keterangan"] is None


@pytest.mark.parametrize(
    ("kode", "kpi_id", "tahun"),
    [
        ("62.02", "program_serapan_isu1_pct", 2024),  # Kab C ran nothing for isu 1
        ("62.71", "program_keluaran_isu1_pct", 2024),  # Kota B ran nothing at all
        ("62", "program_serapan_isu2_pct", 2024),  # nobody ran anything for isu 2
        ("62.01", "program_serapan_isu1_pct", 2023),  # a year without activities
    ],
)
def test_an_issue_without_activity_is_null_not_zero(kpi, kode, kpi_id, tahun):
    r = row(kpi, kode, kpi_id, tahun)
    assert r["nilai"] is None
    assert (r["pembilang"], r["penyebut"]) == (None, None)
    assert r["keterangan"] == NO_ACTIVITY


def test_only_kabupaten_and_province_rows_for_every_year(kpi):
    assert set(kpi["tingkat"]) == {"kabupaten", "provinsi"}
    # 3 kabupaten + the province, 2 years, 10 KPIs
    assert kpi.height == 4 * 2 * 10
    assert kpi.select("tingkat", "kode_wilayah", "tahun", "kpi_id").is_unique().all()


# --- through a real run -------------------------------------------------------------------------


def test_a_run_publishes_the_activities_their_kpis_and_the_province_compliance_row(data_dir):
    drop(data_dir, "program_kegiatan", "program_2024.csv", HEADER + KAPUAS_ROW + PROVINSI_ROW)
    result = run_pipeline(data_dir)
    assert result.success
    assert published(
        data_dir, "select kode_wilayah, pagu from program_kegiatan order by 1"
    ).rows() == [("62", 600_000_000), ("62.03", 150_000_000)]
    values = dict(
        published(
            data_dir,
            "select kode_wilayah || ' ' || kpi_id, nilai from kpi "
            "where tahun = 2024 and kpi_id in ('program_serapan_isu1_pct', "
            "'program_keluaran_tujuan_pct') and kode_wilayah in ('62', '62.03', '62.06')",
        ).rows()
    )
    # Kapuas isu 1: 100 x 120 / 150 = 80; the province's isu 1 is Kapuas's alone
    assert values["62.03 program_serapan_isu1_pct"] == pytest.approx(80.0)
    assert values["62 program_serapan_isu1_pct"] == pytest.approx(80.0)
    assert values["62.06 program_serapan_isu1_pct"] is None
    # the province's own tujuan activity: 4 of 4 documents
    assert values["62 program_keluaran_tujuan_pct"] == pytest.approx(100.0)
    assert (
        published(
            data_dir,
            "select count(*) from kpi where kpi_id like 'program_%' and tingkat in ('desa', 'kecamatan')",
        ).item()
        == 0
    )
    compliance = dict(
        published(
            data_dir,
            "select kode_kab, pertama_diterima is not null from kepatuhan_pelaporan "
            "where dataset = 'program_kegiatan' and tahun_data = 2024",
        ).rows()
    )
    assert len(compliance) == 15  # the 14 kabupaten/kota and the province
    assert (compliance["62"], compliance["62.03"], compliance["62.06"]) == (True, True, False)
    completeness = published(
        data_dir,
        "select kode_kab, desa_melapor, desa_total from kelengkapan_data "
        "where dataset = 'program_kegiatan' order by 1",
    ).rows()
    assert completeness == [("62", 1, 1), ("62.03", 1, 1)]
