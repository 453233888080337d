"""Personal data (UU PDP 27/2022, datasets.md "Privacy"): judged by the words of a header and by
16-digit values, rejected whole, and its content kept nowhere but rejected/."""

from pathlib import Path

import pytest
import xlsxwriter

from pipelines.contracts.datasets import DATASETS, is_personal_header
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import validate
from pipelines.settings import Settings
from tests.conftest import drop, published, run_pipeline

MB = 1024 * 1024
UMKM = "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja"
UMKM_ROW = "62.01.01.2001,2024,Kripik Nanas Sumber Rejeki,kuliner,mikro,3"

PERSONAL_HEADERS = [
    "NIK",
    "nik",
    "NIK/KTP",
    "No KTP",
    "no. kk",
    "No. KK",
    "Nomor KK",
    "nmr_kk",
    "NoKK",
    "nokk",
    "NPWP Pemilik",
    "nomor paspor",
    "nama_kepala_keluarga",
    "Nama Kepala Keluarga",
    "Nama Pemilik Usaha",
    "nama-pemilik",
    "PEMILIK_NAMA",
    "namaPemilik",
    "nama kk",
    "Nama Penerima BLT",
    "nama_ketua_bumdes",
    "Nama Pengurus",
    "nama warga",
    "nama_penduduk",
    "Nama Anggota",
    "Nama Lengkap",
]
AGGREGATE_HEADERS = [
    "nama_usaha",
    "Nama Usaha",
    "nama_bumdes",
    "nama_desa",
    "nama_wilayah",
    "jumlah_kk",
    "kk_miskin",
    "kk_miskin_ekstrem",
    "Jumlah KK",
    "pemilik_perempuan",  # a yes/no about the business, no name
    "kontribusi_pades",
    "nib",
    "nikel_ton",  # a word that merely starts like nik
]


@pytest.mark.parametrize("header", PERSONAL_HEADERS)
def test_personal_headers_are_recognised_by_their_words(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", AGGREGATE_HEADERS)
def test_place_organisation_and_count_headers_pass(header):
    assert not is_personal_header(header)


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def _validate_umkm(tmp_path: Path, reference: Reference, content: str):
    path = tmp_path / "umkm.csv"
    path.write_text(content, encoding="utf-8")
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS["umkm"], reference)


@pytest.mark.parametrize(
    "header", ["NIK/KTP", "No. KK", "nama_kepala_keluarga", "Nama Pemilik Usaha"]
)
def test_file_with_a_personal_column_is_rejected_naming_the_column_only(
    tmp_path, reference, header
):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},{header}\n{UMKM_ROW},Siti Rahmawati\n")
    assert not v.accepted
    assert v.personal_data
    assert header in v.file_errors[0]
    assert "Siti" not in " ".join(v.file_errors + v.file_warnings)


def test_aggregate_columns_are_accepted(tmp_path, reference):
    # nama_usaha is the key itself; an unknown count column is only a warning.
    v = _validate_umkm(tmp_path, reference, f"{UMKM},jumlah_kk\n{UMKM_ROW},12\n")
    assert v.accepted, v.file_errors
    assert not v.personal_data


@pytest.mark.parametrize(
    "value",
    [
        "6201010101900001",
        "6201 0101 0190 0001",
        "6201.0101.0190.0001",
        "6201-0101-0190-0001",
        "6201–0101–0190–0001",  # en dash, as word processors write it
        "'6201010101900001",  # Excel's text marker
        "6201\u00a00101\u00a00190\u00a00001",
    ],
)
def test_sixteen_digit_values_are_personal_whatever_the_separators(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},catatan\n{UMKM_ROW},{value}\n")
    assert v.personal_data
    assert "catatan" in v.file_errors[0]
    digits = "".join(ch for ch in value if ch.isdigit())
    assert digits[:8] not in " ".join(v.file_errors)


@pytest.mark.parametrize("value", ["620101010190000", "62010101019000012", "Rp 1.234.567.890"])
def test_other_long_numbers_are_not_personal(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},catatan\n{UMKM_ROW},{value}\n")
    assert not v.personal_data


def test_sixteen_digit_excel_number_is_personal(tmp_path, reference):
    path = tmp_path / "umkm.xlsx"
    with xlsxwriter.Workbook(path) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, [*UMKM.split(","), "keterangan"])
        sheet.write_row(1, 0, [*UMKM_ROW.split(","), 6201010101900001])
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["umkm"], reference)
    assert v.personal_data
    assert "keterangan" in v.file_errors[0]


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def test_rejected_personal_file_exists_only_under_rejected(data_dir):
    """The owners' names reach no archive, warehouse, snapshot, log or report."""
    marker = "Wahyuningsih Kartikasari"
    content = f"{UMKM},Nama Pemilik Usaha\n{UMKM_ROW},{marker}\n"
    drop(data_dir, "umkm", "umkm_dengan_pemilik.csv", content)
    result = run_pipeline(data_dir)
    assert result.success

    holders = _files_holding(data_dir, marker.encode())
    assert len(holders) == 1, holders
    [original] = holders
    assert original.relative_to(data_dir).parts[:2] == ("rejected", "umkm")
    assert original.read_text(encoding="utf-8") == content  # byte for byte

    reports = list((data_dir / "rejected" / "umkm").glob("*.laporan.txt"))
    assert len(reports) == 1
    report = reports[0].read_text(encoding="utf-8")
    assert "Nama Pemilik Usaha" in report
    assert "data pribadi" in report

    log = published(data_dir, "select status, report from ingest_log")
    assert log["status"].to_list() == ["rejected"]
    assert marker not in log["report"][0]
    assert published(data_dir, "select count(*) as n from umkm")["n"][0] == 0
