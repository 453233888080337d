"""Indeks Desa (Kemendesa, from 2024): the official recap layout and canonical headers, the
stated status as the authority, and its nine KPIs against a hand-worked fixture."""

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import INDEKS_DESA, idm_status, load_thresholds
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import ERROR, WARNING, validate
from pipelines.settings import Settings
from tests.conftest import drop, kpi_value, run_pipeline

MB = 1024 * 1024
A, B, C = "62.01.01.2001", "62.01.01.2002", "62.02.01.2003"


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def check(tmp_path: Path, reference: Reference, path: Path):
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS["indeks_desa"], reference)


def test_official_recap_xlsx_with_abbreviated_headers(tmp_path, reference):
    path = tmp_path / "rekap_indeks_desa.xlsx"
    with xlsxwriter.Workbook(path) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Kode Desa", "Tahun", "Skor", "Status", "DLD", "DS", "DE", "DL",
                               "DA", "DTKPD"])  # fmt: skip
        sheet.write_row(1, 0, [A, 2025, 80.0, "Mandiri", 90, 70, 60, 50, 40, 85])
        sheet.write_row(2, 0, [B, 2025, 55.5, "TERTINGGAL", 60, 50, None, 40, 30, 45])
    v = check(tmp_path, reference, path)
    assert v.accepted, (v.file_errors, v.issues)
    rows = v.rows.sort("kode_desa")
    assert rows["skor_indeks_desa"].to_list() == [80.0, 55.5]
    assert rows["status_indeks_desa"].to_list() == ["mandiri", "tertinggal"]
    assert rows["skor_layanan_dasar"].to_list() == [90.0, 60.0]
    assert rows["skor_ekonomi"].to_list() == [60.0, None]
    assert rows["skor_tata_kelola"].to_list() == [85.0, 45.0]


def test_semicolon_csv_with_decimal_commas_and_canonical_headers(tmp_path, reference):
    path = tmp_path / "indeks_desa.csv"
    path.write_text(
        "kode_desa;tahun;skor_indeks_desa;status_indeks_desa;skor_layanan_dasar;DTPD\n"
        f"{A};2025;79,63;mandiri;90,5;80,25\n",
        encoding="cp1252",
    )
    v = check(tmp_path, reference, path)
    assert v.accepted, (v.file_errors, v.issues)
    assert v.rows.row(0, named=True)["skor_indeks_desa"] == 79.63
    assert v.rows.row(0, named=True)["skor_layanan_dasar"] == 90.5
    assert v.rows.row(0, named=True)["skor_tata_kelola"] == 80.25  # the DTPD alias


def test_stated_status_disagreeing_with_the_cutoffs_is_accepted_with_a_warning(tmp_path, reference):
    path = tmp_path / "indeks_desa.csv"
    path.write_text(
        f"kode_desa,tahun,skor_indeks_desa,status_indeks_desa\n{C},2025,70.00,berkembang\n"
    )
    v = check(tmp_path, reference, path)
    assert v.accepted
    [warning] = v.issues.filter(pl.col("tingkat") == WARNING).rows(named=True)
    assert warning["kolom"] == "status_indeks_desa"
    assert "maju" in warning["alasan"]
    assert "belum diverifikasi" in warning["alasan"]
    assert v.rows["status_indeks_desa"].to_list() == ["berkembang"]  # the stated one is kept


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (f"{A},2023,70,maju", "tahun"),  # Indeks Desa starts in 2024
        (f"{A},2025,100.5,mandiri", "skor_indeks_desa"),
        (f"{A},2025,70,hebat", "status_indeks_desa"),
        ("62.01.01.1011,2025,70,maju", "kode_desa"),  # a kelurahan is not scored
    ],
)
def test_rule_breaches_are_row_errors(tmp_path, reference, row, column):
    path = tmp_path / "indeks_desa.csv"
    path.write_text(f"kode_desa,tahun,skor_indeks_desa,status_indeks_desa\n{row}\n")
    v = check(tmp_path, reference, path)
    assert not v.accepted
    errors = v.issues.filter(pl.col("tingkat") == ERROR)
    assert errors["kolom"].to_list() == [column]
    assert errors["baris"].to_list() == [2]


@pytest.mark.parametrize(
    ("skor", "expected"),
    [
        (49.49, "tertinggal"),  # the lower bound is inclusive
        (49.485, "tertinggal"),  # rounds half up to 49.49
        (49.484, "sangat_tertinggal"),
        (79.63, "mandiri"),
        (79.624, "maju"),
        (0.0, "sangat_tertinggal"),
        (100.0, "mandiri"),
    ],
)
def test_cutoffs_compare_the_score_rounded_to_two_decimals(skor, expected):
    thresholds = load_thresholds(Settings.from_env().idm_thresholds_csv)
    status = pl.select(idm_status(pl.lit(skor), pl.lit(2025), thresholds, skema=INDEKS_DESA)).item()
    assert status == expected


def test_shipped_cutoffs_are_marked_unverified():
    thresholds = load_thresholds(Settings.from_env().idm_thresholds_csv)
    scheme = thresholds.filter(pl.col("skema") == INDEKS_DESA)
    assert scheme.height == 5
    assert scheme["terverifikasi"].to_list() == [False] * 5


FIXTURE = f"""kode_desa,tahun,skor_indeks_desa,status_indeks_desa,dld,ds,de,dl,da,dtkpd
{A},2025,80.00,mandiri,90,70,60,50,40,85
{B},2025,55.50,tertinggal,60,50,,40,30,45
{C},2025,70.00,berkembang,,,,,,
"""


@pytest.fixture(scope="module")
def published_fixture(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("indeks") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASBOR_DATA_DIR", str(data_dir))
        patch.setenv("DAGSTER_HOME", str(data_dir.parent))
        drop(data_dir, "indeks_desa", "indeks_desa_2025.csv", FIXTURE)
        assert run_pipeline(data_dir).success
    return data_dir


# Hand-worked: kabupaten 62.01 holds A and B, 62.02 holds C; C states berkembang at 70.00
# (maju under the cut-offs: the stated status counts) and gives no dimension.
@pytest.mark.parametrize(
    ("tingkat", "kode", "kpi_id", "expected", "melapor"),
    [
        ("desa", A, "id_rata", 80.0, 1),
        ("desa", B, "id_ekonomi_rata", None, 0),
        ("kecamatan", "62.01.01", "id_rata", (80 + 55.5) / 2, 2),
        ("kabupaten", "62.01", "id_rata", (80 + 55.5) / 2, 2),
        ("kabupaten", "62.01", "id_ekonomi_rata", 60.0, 1),
        ("kabupaten", "62.01", "id_layanan_dasar_rata", (90 + 60) / 2, 2),
        ("kabupaten", "62.01", "id_tata_kelola_rata", (85 + 45) / 2, 2),
        ("kabupaten", "62.01", "id_sosial_rata", (70 + 50) / 2, 2),
        ("kabupaten", "62.01", "id_lingkungan_rata", (50 + 40) / 2, 2),
        ("kabupaten", "62.01", "id_aksesibilitas_rata", (40 + 30) / 2, 2),
        ("kabupaten", "62.01", "id_maju_mandiri_pct", 50.0, 2),
        ("kabupaten", "62.01", "id_tertinggal_pct", 50.0, 2),
        ("kabupaten", "62.02", "id_maju_mandiri_pct", 0.0, 1),
        ("kabupaten", "62.02", "id_layanan_dasar_rata", None, 0),
        ("provinsi", "62", "id_rata", (80 + 55.5 + 70) / 3, 3),
        ("provinsi", "62", "id_layanan_dasar_rata", 75.0, 2),
        ("provinsi", "62", "id_maju_mandiri_pct", 100 / 3, 3),
        ("provinsi", "62", "id_tertinggal_pct", 100 / 3, 3),
    ],
)
def test_indeks_desa_kpis_match_hand_worked_values(
    published_fixture, tingkat, kode, kpi_id, expected, melapor
):
    row = kpi_value(published_fixture, tingkat, kode, 2025, kpi_id)
    if expected is None:
        assert row["nilai"] is None
    else:
        assert row["nilai"] == pytest.approx(expected, rel=1e-12)
    assert row["desa_melapor"] == melapor
