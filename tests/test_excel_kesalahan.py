"""Error workbooks (issue 15): every rejected file gets `<stored>.kesalahan.xlsx` beside its
report, marking exactly the cells the report names, and never holding personal data."""

import io
import zipfile

import openpyxl
import polars as pl
import pytest

from laporan import kesalahan
from laporan.kesalahan import (
    DATA_SHEET,
    ERROR_FILL,
    LINE_HEADER,
    REASON_HEADER,
    STATUS_ERROR,
    STATUS_HEADER,
    STATUS_OK,
    SUMMARY_SHEET,
    RejectedFile,
    build_error_workbook,
)
from pipelines.contracts.datasets import DATASETS
from pipelines.ingest import inbox
from pipelines.ingest.inbox import ERRORS_XLSX, REPORT_SUFFIXES, process_file
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import ERROR, validate
from pipelines.settings import Settings
from pipelines.warehouse.db import Warehouse

MB = 1024 * 1024
RED = "FF" + ERROR_FILL.lstrip("#").upper()


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def reject(data_dir, reference, dataset: str, name: str, content: bytes):
    s = Settings.from_env()
    path = s.inbox(dataset) / name
    path.write_bytes(content)
    with Warehouse(s.warehouse_path).connect() as con:
        outcome = process_file(path, DATASETS[dataset], reference, con, s)
        logged = con.sql("select status, report from ingest_log").fetchall()
    assert outcome.status == "rejected"
    return outcome, logged


def workbook_of(outcome) -> openpyxl.Workbook:
    path = outcome.stored_as.with_name(outcome.stored_as.name + ERRORS_XLSX)
    assert path.is_file()
    return openpyxl.load_workbook(path)


def marked_cells(sheet) -> dict[tuple[int, str], str]:
    """{(line in the file, header): comment} of every red cell outside the flag columns."""
    header = [c.value for c in sheet[1]]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        line = row[0].value
        for cell in row[2:]:
            if cell.fill.fill_type and cell.fill.fgColor.rgb == RED:
                found[(line, header[cell.column - 1])] = cell.comment.text if cell.comment else ""
    return found


# Three bad cells in three columns, on lines 3, 4 and 6; lines 2 and 5 are fine. The header is
# written as an officer would (`Kode Desa`), so marks must follow the header, not the name.
KEM = (
    "Kode Desa;Tahun;Jumlah Penduduk;Jumlah KK;KK Miskin;KK Miskin Ekstrem\n"
    "62.01.01.2001;2024;1000;300;45;10\n"
    "62.01.01.2002;2024;900;200;250;10\n"
    "62.01.01.2003;2024;800;200;50;abc\n"
    "62.01.01.2004;2024;700;150;40;5\n"
    "62.99.01.2001;2024;600;100;20;2\n"
)
HEADERS = dict(
    zip(
        ["kode_desa", "tahun", "jumlah_penduduk", "jumlah_kk", "kk_miskin", "kk_miskin_ekstrem"],
        KEM.splitlines()[0].split(";"),
        strict=True,
    )
)


def test_bad_cells_are_marked_with_the_reports_reasons(data_dir, reference, tmp_path):
    outcome, _ = reject(data_dir, reference, "kemiskinan_desa", "kapuas.csv", KEM.encode())
    source = tmp_path / "kapuas.csv"
    source.write_text(KEM)
    issues = validate(read_table(source, MB, MB), DATASETS["kemiskinan_desa"], reference).issues
    errors = issues.filter(pl.col("tingkat") == ERROR)
    assert errors["kolom"].n_unique() == 3  # the fixture does what it says

    workbook = workbook_of(outcome)
    assert workbook.sheetnames == [SUMMARY_SHEET, DATA_SHEET]
    data = workbook[DATA_SHEET]
    marked = marked_cells(data)
    expected = {(b, HEADERS[k]): a for b, k, a in errors.select("baris", "kolom", "alasan").rows()}
    assert set(marked) == set(expected)
    for cell, reason in expected.items():
        assert reason in marked[cell]
        assert reason in outcome.report  # the same words as the text report

    header = [c.value for c in data[1]]
    assert header[:2] == [LINE_HEADER, STATUS_HEADER]
    assert header[2:-1] == list(HEADERS.values())
    assert header[-1] == REASON_HEADER
    status = {row[0]: row[1] for row in data.iter_rows(min_row=2, values_only=True)}
    assert status == {2: STATUS_OK, 3: STATUS_ERROR, 4: STATUS_ERROR, 5: STATUS_OK, 6: STATUS_ERROR}
    # The rows as the officer sent them, as text: "abc" and the unknown code are kept.
    rows = {row[0]: row[2:-1] for row in data.iter_rows(min_row=2, values_only=True)}
    assert rows[4] == ("62.01.01.2003", "2024", "800", "200", "50", "abc")
    assert rows[6][0] == "62.99.01.2001"
    assert data.auto_filter.ref is not None

    summary = [r for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True) if r[0]]
    per_column = {r[0]: r[2] for r in summary if r[1] == ERROR}
    assert per_column == dict(errors.group_by("kolom").len().iter_rows())


def test_personal_data_is_never_copied_into_the_workbook(data_dir, reference):
    nik, owner = "6203014501900002", "Siti Aminah"
    content = (
        "kode_desa,tahun,nama_usaha,sektor,skala,NIK Pemilik,Nama Pemilik\n"
        f"62.03.01.2011,2024,Kedai Maju,kuliner,mikro,{nik},{owner}\n"
        f"62.03.01.2020,2024,Toko Baru,perdagangan,kecil,{nik[:-1]}7,Budi Santoso\n"
    ).encode()
    outcome, logged = reject(data_dir, reference, "umkm", "umkm.csv", content)
    path = outcome.stored_as.with_name(outcome.stored_as.name + ERRORS_XLSX)
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist())
    for secret in (nik, nik[:-1] + "7", owner, "Budi Santoso"):
        assert secret.encode() not in xml
    workbook = workbook_of(outcome)
    data = workbook[DATA_SHEET]
    assert [c.value for c in data[1]][2:-1] == [
        "kode_desa",
        "tahun",
        "nama_usaha",
        "sektor",
        "skala",
    ]
    assert data.cell(2, 5).value == "Kedai Maju"  # the aggregate columns are still there
    summary = "\n".join(
        str(c) for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True) for c in r if c
    )
    assert "NIK Pemilik" in summary
    assert "Nama Pemilik" in summary
    assert "dihapus" in summary
    assert logged[0][0] == "rejected"


def test_two_columns_with_one_name_still_hide_personal_values(data_dir, reference):
    """A file with a header written twice and personal values: the workbook, built from the
    raw rows, leaves both personal columns out too."""
    nik = "6203014501900002"
    content = (f"kode_desa,tahun,NIK,nik\n62.03.01.2011,2024,{nik},{nik}\n").encode()
    outcome, _ = reject(data_dir, reference, "umkm", "dobel.csv", content)
    path = outcome.stored_as.with_name(outcome.stored_as.name + ERRORS_XLSX)
    with zipfile.ZipFile(path) as archive:
        assert not any(nik.encode() in archive.read(n) for n in archive.namelist())


def test_unreadable_file_gets_only_the_summary(data_dir, reference):
    outcome, _ = reject(data_dir, reference, "idm", "foto.csv", b"\x89PNG\x00\x00\x01binary")
    workbook = workbook_of(outcome)
    assert workbook.sheetnames == [SUMMARY_SHEET]
    text = "\n".join(str(r[0]) for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True))
    assert "data biner" in text


def test_missing_column_is_on_the_summary_and_rows_are_unmarked(data_dir, reference):
    content = b"kode_desa,tahun,iks\n62.03.01.2011,2024,0.5\n"
    outcome, _ = reject(data_dir, reference, "idm", "kurang.csv", content)
    workbook = workbook_of(outcome)
    text = "\n".join(str(r[0]) for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True))
    assert "kolom wajib tidak ada: ike, ikl" in text
    assert marked_cells(workbook[DATA_SHEET]) == {}
    assert workbook[DATA_SHEET].cell(2, 5).value == "0.5"


def test_formulas_stay_text(data_dir, reference):
    content = (
        b"kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        b'=HYPERLINK("http://x"),2024,@SUM(1),+1,-1,0\n'
    )
    outcome, _ = reject(data_dir, reference, "kemiskinan_desa", "rumus.csv", content)
    data = workbook_of(outcome)[DATA_SHEET]
    cells = next(data.iter_rows(min_row=2, max_row=2))
    assert cells[2].value == '=HYPERLINK("http://x")'
    assert all(c.data_type != "f" for c in cells)


def test_a_failing_workbook_never_stops_the_rejection(data_dir, reference, monkeypatch):
    def broken(report):
        raise RuntimeError("rusak")

    monkeypatch.setattr(inbox, "error_workbook", broken)
    outcome, logged = reject(data_dir, reference, "kemiskinan_desa", "k.csv", KEM.encode())
    assert outcome.stored_as.is_file()
    assert "tidak dapat dibuat (RuntimeError)" in outcome.report
    assert logged == [("rejected", outcome.report)]
    names = {p.name for p in outcome.stored_as.parent.iterdir()}
    assert names == {outcome.stored_as.name + s for s in ("", *REPORT_SUFFIXES[:2])}


def test_long_file_name_leaves_room_for_every_report(data_dir, reference):
    name = "x" * 251 + ".csv"
    outcome, _ = reject(data_dir, reference, "kemiskinan_desa", name, KEM.encode())
    for suffix in REPORT_SUFFIXES:
        report = outcome.stored_as.with_name(outcome.stored_as.name + suffix)
        assert report.is_file()
        assert len(report.name.encode()) <= 255


# --- the builder on its own -----------------------------------------------------------------


def test_issue_on_a_column_not_in_the_file_marks_the_status_cell():
    """A names-only file's duplicate key names kode_desa, which the file does not have."""
    rejected = RejectedFile(
        file_name="nama.csv",
        dataset="kemiskinan_desa",
        header=["nama_kabupaten", "nama_desa", "tahun"],
        columns=["nama_kabupaten", "nama_desa", "tahun"],
        rows=[["Kapuas", "Selat Hilir", "2024"], ["Kapuas", "Selat Hilir", "2024"]],
        lines=[2, 3],
        issues=[
            {"baris": 3, "kolom": "kode_desa", "nilai": None, "alasan": "kunci ganda",
             "tingkat": ERROR},
        ],
    )  # fmt: skip
    workbook = openpyxl.load_workbook(io.BytesIO(build_error_workbook(rejected)))
    data = workbook[DATA_SHEET]
    assert data.cell(3, 2).value == STATUS_ERROR
    assert "kode_desa: kunci ganda" in data.cell(3, 2).comment.text
    assert data.cell(2, 2).value == STATUS_OK
    assert marked_cells(data) == {}


def test_long_file_keeps_only_its_flagged_rows(monkeypatch):
    monkeypatch.setattr(kesalahan, "MAX_DATA_ROWS", 10)
    rejected = RejectedFile(
        file_name="besar.csv",
        dataset="umkm",
        header=["kode_desa", "tahun"],
        columns=["kode_desa", "tahun"],
        rows=[["62.03.01.2011", str(2000 + i)] for i in range(50)],
        lines=list(range(2, 52)),
        issues=[
            {"baris": line, "kolom": "tahun", "nilai": "x", "alasan": "tahun", "tingkat": ERROR}
            for line in (7, 30)
        ],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(build_error_workbook(rejected)))
    lines = [r[0] for r in workbook[DATA_SHEET].iter_rows(min_row=2, values_only=True)]
    assert lines == [7, 30]
    text = "\n".join(str(r[0]) for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True))
    assert "hanya memuat 2 baris" in text
