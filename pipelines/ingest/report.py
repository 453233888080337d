"""The reports a data officer reads: plain Bahasa Indonesia, one line per bad row.

A rejected file gets three files beside it in rejected/: `<name>.laporan.txt`, which says what
is wrong row by row; `<name>.kesalahan.csv`, the same errors one per line for a spreadsheet; and
`<name>.kesalahan.xlsx`, the file's own rows with each bad cell marked (built in the documents
room, `laporan.kesalahan`, from the plain data gathered here).
"""

from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from laporan.formatting import datetime_text
from laporan.kesalahan import RejectedFile, build_error_workbook
from pipelines.contracts.datasets import Dataset
from pipelines.ingest.reading import LINE, RawTable
from pipelines.ingest.validation import ERROR, WARNING, canonical_names, find_personal_data

STATUS_TEXT = {
    "accepted": "DITERIMA",
    "rejected": "DITOLAK",
    "duplicate": "DUPLIKAT",
}


@dataclass
class ReportInput:
    file_name: str
    dataset: Dataset
    sha256: str
    received_at: datetime
    status: str
    details: list[str] = field(default_factory=list)  # what the reader detected
    file_errors: list[str] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)
    issues: pl.DataFrame | None = None
    matches: list[str] = field(default_factory=list)
    rows: int | None = None
    duplicate_of: str | None = None
    table: RawTable | None = None  # the cells as read, for the error workbook
    personal_columns: list[str] = field(default_factory=list)  # headers as written
    pengunggah: str | None = None  # the account that uploaded it; None for a folder drop


def _row_lines(issues: pl.DataFrame, severity: str) -> list[str]:
    """One line per row: 'Baris 7: kolom pagu = "12a": bukan angka yang sah; ...'."""
    selected = issues.filter(pl.col("tingkat") == severity).sort("baris", "kolom")
    lines = []
    for (baris,), group in selected.group_by("baris", maintain_order=True):
        parts = []
        for kolom, nilai, alasan in group.select("kolom", "nilai", "alasan").iter_rows():
            shown = "(kosong)" if nilai is None else f'"{nilai}"'
            parts.append(f"kolom {kolom} = {shown}: {alasan}")
        lines.append(f"  Baris {baris}: " + "; ".join(parts))
    return lines


def render(report: ReportInput) -> str:
    status = STATUS_TEXT[report.status]
    lines = [
        "LAPORAN PEMERIKSAAN BERKAS",
        f"Berkas   : {report.file_name}",
        f"Dataset  : {report.dataset.name} ({report.dataset.title})",
        f"Diterima : {datetime_text(report.received_at)}",  # WIB, as every page speaks
        f"SHA-256  : {report.sha256}",
    ]
    if report.pengunggah:
        lines.append(f"Pengirim : {report.pengunggah} (unggah lewat dasbor)")
    if report.details:
        lines.append(f"Format   : {'; '.join(report.details)}")
    lines.append(f"Hasil    : {status}")
    lines.append("")
    issues = report.issues if report.issues is not None else pl.DataFrame()
    if report.status == "rejected":
        n_errors = issues.filter(pl.col("tingkat") == ERROR).height if issues.height else 0
        n_rows = issues.filter(pl.col("tingkat") == ERROR)["baris"].n_unique() if n_errors else 0
        lines.append(
            "Tidak ada data dari berkas ini yang dimasukkan. Perbaiki semua kesalahan di bawah, "
            # an officer who uploaded has no folder: they send it again on the page
            + (
                "lalu kirim ulang seluruh berkas lewat halaman Unggah Data. "
                if report.pengunggah
                else "lalu kirim ulang seluruh berkas ke folder yang sama. "
            )
            + "Data yang sudah terbit sebelumnya tetap dipakai."
        )
        lines.append("")
        if report.file_errors:
            lines.append("Kesalahan pada berkas:")
            lines += [f"  - {e}" for e in report.file_errors]
            lines.append("")
        if n_errors:
            lines.append(f"Kesalahan per baris ({n_rows} baris, {n_errors} kesalahan):")
            lines += _row_lines(issues, ERROR)
            lines.append("")
    elif report.status == "accepted":
        lines.append(
            f"{report.rows} baris dimuat; baris lama untuk kabupaten dan tahun yang "
            "sama di dataset ini diganti."
        )
        lines.append("")
    else:
        lines.append(
            "Berkas dengan isi yang persis sama sudah pernah diterima"
            + (f" (tersimpan sebagai {report.duplicate_of})" if report.duplicate_of else "")
            + "; tidak dimuat ulang."
        )
        lines.append("")
    warnings = _row_lines(issues, WARNING) if issues.height else []
    if report.file_warnings or warnings:
        lines.append("Peringatan (tidak menghalangi penerimaan):")
        lines += [f"  - {w}" for w in report.file_warnings]
        lines += warnings
        lines.append("")
    if report.matches:
        lines.append("Pencocokan nama (periksa bahwa cocok):")
        lines += [f"  - {m}" for m in report.matches]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def issues_csv(report: ReportInput) -> str:
    """The same errors and warnings, one per line, for a spreadsheet (UTF-8 with BOM for Excel)."""
    frames = []
    if report.file_errors:
        frames.append(
            pl.DataFrame(
                {
                    "baris": [None] * len(report.file_errors),
                    "kolom": [None] * len(report.file_errors),
                    "nilai": [None] * len(report.file_errors),
                    "alasan": report.file_errors,
                    "tingkat": [ERROR] * len(report.file_errors),
                },
                schema={
                    "baris": pl.Int64,
                    "kolom": pl.String,
                    "nilai": pl.String,
                    "alasan": pl.String,
                    "tingkat": pl.String,
                },
            )
        )
    if report.issues is not None and report.issues.height:
        frames.append(report.issues)
    table = (
        pl.concat(frames)
        if frames
        else pl.DataFrame(
            schema={
                "baris": pl.Int64,
                "kolom": pl.String,
                "nilai": pl.String,
                "alasan": pl.String,
                "tingkat": pl.String,
            }
        )
    )
    # Cells typed by an officer are opened in Excel: neutralise formula injection (=, +, -, @).
    table = table.with_columns(
        pl.when(pl.col("nilai").str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col("nilai"))
        .otherwise(pl.col("nilai"))
        .alias("nilai")
    )
    return "\ufeff" + table.write_csv()


def personal_headers(table: RawTable, dataset: Dataset) -> list[str]:
    """Headers (as written) of the read sheet's columns that look personal, by the validator's
    own rule. The workbook asks again rather than trust the validator's verdict: a file
    rejected before the privacy check (an upload refused) was never judged."""
    return find_personal_data(table, dataset).columns


def error_workbook(report: ReportInput) -> bytes:
    """The `.kesalahan.xlsx` of a rejected file: its rows with the bad cells marked."""
    table = report.table
    header = rows = lines = None
    removed: list[str] = []
    if table is not None:
        header = list(table.source_columns)
        values = table.frame.select(c for c in table.frame.columns if c != LINE)
        rows = values.iter_rows()
        lines = table.frame[LINE].to_list()
        removed = sorted({*report.personal_columns, *personal_headers(table, report.dataset)})
    return build_error_workbook(
        RejectedFile(
            file_name=report.file_name,
            dataset=report.dataset.name,
            dataset_title=report.dataset.title,
            header=header,
            columns=canonical_names(header, report.dataset) if header else (),
            rows=rows or (),
            lines=lines or (),
            issues=report.issues,
            file_errors=report.file_errors,
            file_warnings=report.file_warnings,
            personal_data=bool(report.personal_columns),
            removed_columns=removed,
        )
    )
