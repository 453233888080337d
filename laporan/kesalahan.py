"""The error workbook of a rejected file: the officer's own rows, with every bad cell marked.

The text report says "Baris 7, kolom pagu: ..."; this workbook shows the same thing where the
officer works, in a spreadsheet: each bad cell filled red with its reason as a comment, a column
to filter the bad rows, and a first sheet that counts the errors per column and lists the
problems of the file as a whole (a missing column, personal data).

Personal data is never copied: the columns the check flagged are left out whole, and the summary
names them and says so. Every cell is written as text (never a formula), so a value typed as
`=HYPERLINK(...)` stays inert.
"""

import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from laporan.tabel import MAX_SHEET_ROWS, cell_text, comment_size, join_limited, records

if TYPE_CHECKING:
    import xlsxwriter

SUMMARY_SHEET = "Ringkasan"
DATA_SHEET = "Data"
LINE_HEADER = "Baris di berkas"
STATUS_HEADER = "Status baris"
REASON_HEADER = "Alasan"
STATUS_ERROR, STATUS_WARNING, STATUS_OK = "SALAH", "PERINGATAN", "benar"
ERROR, WARNING = "kesalahan", "peringatan"  # the `tingkat` of an issue
# Excel's own "Bad" and "Neutral" cell styles: red for errors, yellow for warnings.
ERROR_FILL, ERROR_FONT = "#FFC7CE", "#9C0006"
WARNING_FILL, WARNING_FONT = "#FFEB9C", "#9C5700"
# Comments are heavy for Excel; past this many, the reasons are still in the Alasan column.
MAX_COMMENTS = 20_000
# Writing a cell costs ~20 µs here: a file longer than this keeps only its rows with an issue
# (at most this many), so a huge rejected file does not hold up the run for minutes.
MAX_DATA_ROWS = 20_000
AUTHOR = "Dasbor Desa Kalteng"
FIRST_DATA_COLUMN = 2  # after LINE_HEADER and STATUS_HEADER


@dataclass
class RejectedFile:
    """What the workbook needs to know about one rejected file; plain data, no pipeline types.

    `header` is the header row as written; `columns` the canonical column name of each header
    cell (None when unknown); `rows` the data rows as text cells in header order, and `lines`
    their line numbers in the file (the header is line 1). `issues` has the columns of the
    report: baris, kolom, nilai, alasan, tingkat. `header` is None when the file could not be
    read as a table: the workbook then holds only the summary.
    """

    file_name: str
    dataset: str
    dataset_title: str = ""
    header: Sequence[str] | None = None
    columns: Sequence[str | None] = ()
    rows: Iterable[Sequence[object]] = ()
    lines: Sequence[int] = ()
    issues: Any = None
    file_errors: Sequence[str] = ()
    file_warnings: Sequence[str] = ()
    personal_data: bool = False
    removed_columns: Sequence[str] = field(default_factory=tuple)  # headers as written


def build_error_workbook(rejected: RejectedFile) -> bytes:
    """The .xlsx bytes: sheet 1 the summary, sheet 2 the rows with the bad cells marked."""
    issues = [i for i in records(rejected.issues) if i.get("baris") is not None]
    keep, removed = _kept_columns(rejected)
    by_cell, by_line = _index_issues(issues, rejected.columns, keep)

    import xlsxwriter  # only for a rejected file: not on every pipeline run's start (0.25 s)

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            # Rows go to temporary files as they are written (not `in_memory`, which would
            # override this), so a rejected file of 500,000 rows does not fill the memory.
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"title": f"Kesalahan {rejected.file_name}", "author": AUTHOR})
    formats = _formats(workbook)
    summary = workbook.add_worksheet(SUMMARY_SHEET)
    data = workbook.add_worksheet(DATA_SHEET) if keep is not None else None

    written, only_issues = 0, False
    if data is not None:
        written, only_issues = _write_data(data, rejected, keep, by_cell, by_line, formats)
    _write_summary(summary, rejected, issues, removed, written, only_issues, formats)
    for sheet in filter(None, (summary, data)):
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
    summary.activate()
    workbook.close()
    return buffer.getvalue()


def _kept_columns(rejected: RejectedFile) -> tuple[list[int] | None, list[str]]:
    """Positions of the header to copy (None: no data sheet), and the headers left out."""
    if rejected.header is None:
        return None, []
    header = list(rejected.header)
    removed = {str(c) for c in rejected.removed_columns}
    if rejected.personal_data and not removed:
        # Flagged as personal without saying which column: copy nothing rather than guess.
        return None, []
    keep = [i for i, name in enumerate(header) if str(name) not in removed]
    return keep, [h for h in header if str(h) in removed]


def _index_issues(
    issues: list[dict], columns: Sequence[str | None], keep: list[int] | None
) -> tuple[dict, dict]:
    """Issues by (line, header position), and those naming no column of the file by line."""
    position = {}
    for index, name in enumerate(columns):
        if name is not None and (keep is None or index in keep):
            position.setdefault(name, index)
    by_cell: dict[tuple[int, int], list[dict]] = defaultdict(list)
    by_line: dict[int, list[dict]] = defaultdict(list)
    for issue in issues:
        index = position.get(issue.get("kolom"))
        if index is None:
            by_line[int(issue["baris"])].append(issue)
        else:
            by_cell[(int(issue["baris"]), index)].append(issue)
    return by_cell, by_line


def _formats(workbook: "xlsxwriter.Workbook") -> dict:
    text = {"num_format": "@"}
    return {
        "text": workbook.add_format(text),
        ERROR: workbook.add_format({**text, "bg_color": ERROR_FILL, "font_color": ERROR_FONT}),
        WARNING: workbook.add_format(
            {**text, "bg_color": WARNING_FILL, "font_color": WARNING_FONT}
        ),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "bold": workbook.add_format({"bold": True}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "number": workbook.add_format({"num_format": "0"}),
    }


def _reason(issue: Mapping, with_column: bool = True) -> str:
    prefix = f"{issue.get('kolom')}: " if with_column else ""
    label = "" if issue.get("tingkat") != WARNING else "Peringatan: "
    return f"{label}{prefix}{issue.get('alasan')}"


def _severity(issues: Iterable[Mapping]) -> str:
    return ERROR if any(i.get("tingkat") != WARNING for i in issues) else WARNING


def _write_data(sheet, rejected, keep, by_cell, by_line, formats) -> tuple[int, bool]:
    """The officer's rows; returns (rows written, whether only rows with an issue were kept)."""
    lines = list(rejected.lines)
    only_issues = len(lines) > MAX_DATA_ROWS
    flagged = {line for line, _ in by_cell} | set(by_line)
    header = list(rejected.header or [])
    sheet.write_string(0, 0, LINE_HEADER, formats["header"])
    sheet.write_string(0, 1, STATUS_HEADER, formats["header"])
    for out, index in enumerate(keep, start=FIRST_DATA_COLUMN):
        sheet.write_string(0, out, cell_text(header[index]), formats["header"])
    reason_col = FIRST_DATA_COLUMN + len(keep)
    sheet.write_string(0, reason_col, REASON_HEADER, formats["header"])

    comments, row_number = 0, 0
    # Column widths from the header and the first rows, so names are readable on screen.
    widths = {index: len(str(header[index])) for index in keep}
    for line, cells in zip(lines, rejected.rows, strict=False):
        line = int(line)
        if only_issues and line not in flagged:
            continue
        row_number += 1
        if row_number > min(MAX_DATA_ROWS, MAX_SHEET_ROWS - 1):
            row_number -= 1
            break
        row_issues = [i for index in keep for i in by_cell.get((line, index), ())]
        row_issues += by_line.get(line, [])
        status = STATUS_OK
        if row_issues:
            status = STATUS_ERROR if _severity(row_issues) == ERROR else STATUS_WARNING
        sheet.write_number(row_number, 0, line, formats["number"])
        status_format = {STATUS_ERROR: ERROR, STATUS_WARNING: WARNING}.get(status, "text")
        sheet.write_string(row_number, 1, status, formats[status_format])
        if by_line.get(line) and comments < MAX_COMMENTS:
            text = _comment(by_line[line], True)
            sheet.write_comment(row_number, 1, text, _comment_options(text))
            comments += 1
        for out, index in enumerate(keep, start=FIRST_DATA_COLUMN):
            value = cells[index] if index < len(cells) else None
            if row_number <= 200 and value is not None:
                widths[index] = max(widths[index], len(str(value)))
            found = by_cell.get((line, index))
            if not found:
                sheet.write_string(row_number, out, cell_text(value), formats["text"])
                continue
            sheet.write_string(row_number, out, cell_text(value), formats[_severity(found)])
            if comments < MAX_COMMENTS:
                text = _comment(found, False)
                sheet.write_comment(row_number, out, text, _comment_options(text))
                comments += 1
        if row_issues:
            reasons = "; ".join(_reason(i) for i in row_issues)
            sheet.write_string(row_number, reason_col, cell_text(reasons), formats["text"])
    sheet.freeze_panes(1, FIRST_DATA_COLUMN)
    sheet.autofilter(0, 0, max(row_number, 1), reason_col)
    sheet.set_column(0, 0, 9)
    sheet.set_column(1, 1, 12)
    for out, index in enumerate(keep, start=FIRST_DATA_COLUMN):
        sheet.set_column(out, out, min(max(widths[index] + 2, 8), 40))
    sheet.set_column(reason_col, reason_col, 60)
    return row_number, only_issues


def _comment_options(text: str) -> dict:
    return {"author": AUTHOR, **comment_size(text, width=300, chars_per_line=45)}


def _comment(issues: list[dict], with_column: bool) -> str:
    return join_limited(_reason(i, with_column) for i in issues)


def _write_summary(sheet, rejected, issues, removed, written, only_issues, formats) -> None:
    errors = [i for i in issues if i.get("tingkat") != WARNING]
    warnings = [i for i in issues if i.get("tingkat") == WARNING]
    row = 0

    def line(text: str, style: str | None = None) -> None:
        nonlocal row
        if style:
            sheet.write_string(row, 0, cell_text(text), formats[style])
        else:
            sheet.write_string(row, 0, cell_text(text))
        row += 1

    line("RINGKASAN KESALAHAN BERKAS", "title")
    line(f"Berkas  : {rejected.file_name}")
    title = f" ({rejected.dataset_title})" if rejected.dataset_title else ""
    line(f"Dataset : {rejected.dataset}{title}")
    line("Hasil   : DITOLAK (tidak ada data dari berkas ini yang dimasukkan)")
    bad_lines = len({i["baris"] for i in errors})
    line(f"Kesalahan: {len(errors)} sel di {bad_lines} baris; peringatan: {len(warnings)}")
    row += 1
    if rejected.header is not None and not (rejected.personal_data and not removed):
        line("Cara membaca:", "bold")
        line(
            f"Lembar '{DATA_SHEET}' berisi baris berkas Anda seperti yang dikirim. Sel merah "
            "salah: arahkan kursor ke sel untuk membaca alasannya (juga di kolom "
            f"'{REASON_HEADER}'). Saring kolom '{STATUS_HEADER}' pada {STATUS_ERROR} untuk "
            "melihat baris yang salah saja."
        )
        line(
            "Perbaiki berkas asli Anda, lalu kirim ulang seluruh berkas. Jangan kirim buku "
            "kerja ini: lembar pertamanya adalah ringkasan ini."
        )
        row += 1
    if only_issues:
        line(
            f"Berkas ini panjang ({len(rejected.lines)} baris): lembar '{DATA_SHEET}' hanya "
            f"memuat {written} baris yang salah atau berperingatan. Daftar lengkap ada di "
            "laporan teks.",
            "bold",
        )
        row += 1
    if rejected.file_errors or removed:
        line("Kesalahan pada berkas:", "bold")
        for text in rejected.file_errors:
            line(f"- {text}")
        if removed:
            line(
                "- Kolom data pribadi dihapus dari buku kerja ini: "
                + ", ".join(removed)
                + ". Isinya tidak disalin ke sini."
            )
        if rejected.header is None:
            line("- Berkas tidak dapat dibaca sebagai tabel, jadi tidak ada lembar data.")
        elif rejected.personal_data and not removed:
            line("- Berkas berisi data pribadi, jadi barisnya tidak disalin ke buku kerja ini.")
        row += 1
    if rejected.file_warnings:
        line("Peringatan pada berkas:", "bold")
        for text in rejected.file_warnings:
            line(f"- {text}")
        row += 1
    if issues:
        line("Kesalahan per kolom:", "bold")
        _write_per_column(sheet, row, issues, formats)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 4, 90)


def _write_per_column(sheet, row: int, issues: list[dict], formats: dict) -> None:
    """One line per (column, level): how many cells, which lines first, the commonest reasons."""
    headers = ("kolom", "tingkat", "jumlah sel", "baris pertama", "alasan (terbanyak dulu)")
    for index, name in enumerate(headers):
        sheet.write_string(row, index, name, formats["header"])
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for issue in issues:
        level = WARNING if issue.get("tingkat") == WARNING else ERROR
        groups[(str(issue.get("kolom")), level)].append(issue)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][1] != ERROR, -len(kv[1]), kv[0][0]))
    for (column, level), found in ordered:
        row += 1
        reasons = Counter(str(i.get("alasan")) for i in found).most_common(3)
        lines = sorted({int(i["baris"]) for i in found})
        style = formats[level]
        sheet.write_string(row, 0, cell_text(column), style)
        sheet.write_string(row, 1, level)
        sheet.write_number(row, 2, len(found))
        sheet.write_string(
            row, 3, ", ".join(map(str, lines[:5])) + (" …" if len(lines) > 5 else "")
        )
        sheet.write_string(
            row, 4, cell_text("; ".join(f"{r} ({n}x)" for r, n in reasons)), formats["wrap"]
        )
