"""Excel templates for data officers, generated from a dataset's declaration.

The template is built from one `dataset_definisi` row (the published catalogue, or the same
structure built from the contracts), so nothing about a column is written here a second time:
names, order, meaning, unit, rule and choices all come from the declaration. What this module
adds is only how each *kind* of column looks in Excel (number format, drop-down, text typing).

Sheet order matters: the pipeline reads the first sheet, so the data sheet comes first, the list
of areas (codes to copy) second, the instructions third.
"""

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from laporan.tabel import cell_text, columns, comment_size, definition_columns, records

if TYPE_CHECKING:
    import xlsxwriter

DATA_SHEET = "Data"
AREA_SHEET = "Daftar Wilayah"
GUIDE_SHEET = "Petunjuk"
CHOICES_SHEET = "_pilihan"  # hidden; only for drop-down lists too long to write inline
# Drop-downs and number checks cover this many data rows (row 2 to TEMPLATE_ROWS + 1).
TEMPLATE_ROWS = 5000
YES_NO = ("ya", "tidak")
KPI_COLUMN = "kpi_id"  # target_kpi: a KPI of the catalogue, offered as a drop-down
AUTHOR = "Dasbor Desa Kalteng"

# How each kind of column looks in Excel. Codes and digit strings are typed as text ('@'), or
# Excel turns 62.10 into 62.1 and 13-digit NIBs into 1.23457E+12.
TEXT = "@"
NUMBER_FORMATS = {
    "kode_desa": TEXT,
    "kode_wilayah": TEXT,
    "kode_bps": TEXT,
    "digits": TEXT,
    "nama_wilayah": TEXT,
    "text": TEXT,
    "category": TEXT,
    "boolean": TEXT,
    "tahun": "0",
    "tanggal": "dd/mm/yyyy",  # an Excel date cell reads back as 2026-03-31 00:00:00
    "integer": "#,##0",
    "rupiah": '"Rp" #,##0.00',
    "decimal": "General",
}
# Numeric kinds get an Excel number check (a warning only: the pipeline has the last word).
NUMBER_CHECKS = {"tahun": "whole", "integer": "whole", "rupiah": "decimal", "decimal": "decimal"}
# kemiskinan_kab names its area in exactly one column; the template offers the Kemendagri code
# (the dataset's key column) and mentions the alternatives in its comment.
ALTERNATIVE_AREA_KINDS = ("kode_bps", "nama_wilayah")


def template_columns(definition: Mapping) -> list[dict]:
    """The declared columns the template offers, in order.

    A dataset whose area may be given by one of several columns (`kemiskinan_kab`) keeps only
    the one in its key: a file holding two of them is rejected, so a template must not.
    """
    columns = definition_columns(definition)
    key = set(definition.get("kunci") or [])
    has_key_area = any(c["jenis"] == "kode_wilayah" and c["nama"] in key for c in columns)
    return [c for c in columns if not (has_key_area and c["jenis"] in ALTERNATIVE_AREA_KINDS)]


def choices(column: Mapping, kpi_ids: Sequence[str] = ()) -> list[str]:
    """The drop-down list of a column: its declared choices, ya/tidak for yes/no, or for a
    `kpi_id` column (target_kpi) the KPI catalogue's ids, sorted to be found by name."""
    if column["jenis"] == "boolean":
        return list(YES_NO)
    if column["nama"] == KPI_COLUMN:
        return sorted(set(kpi_ids))
    return list(column.get("pilihan") or []) if column["jenis"] == "category" else []


def header_comment(column: Mapping, alternatives: list[dict], kpi_ids: Sequence[str] = ()) -> str:
    """Meaning, unit and rule of one column, in Bahasa Indonesia, for its header comment."""
    lines = [
        f"{column['nama']} ({'WAJIB diisi' if column['wajib'] else 'boleh kosong'})",
        f"Arti: {column['arti']}",
        f"Jenis/satuan: {column['jenis_keterangan']}",
    ]
    if column.get("aturan"):
        lines.append(f"Aturan: {column['aturan']}")
    if column["jenis"] == "boolean":
        lines.append("Pilih ya atau tidak dari daftar di sel.")
    elif choices(column, kpi_ids):
        lines.append("Pilih dari daftar di sel.")
    if column.get("alias"):
        lines.append("Nama kolom lain yang diterima: " + ", ".join(column["alias"]))
    if column["jenis"] == "kode_wilayah" and alternatives:
        names = " atau ".join(c["nama"] for c in alternatives)
        lines.append(f"Sebagai ganti kolom ini boleh dipakai {names} (tepat satu kolom wilayah).")
    if column["jenis"] in ("kode_desa", "kode_wilayah"):
        lines.append(f"Salin kode dari lembar '{AREA_SHEET}'.")
    return "\n".join(lines)


def build_template(
    definition: Mapping,
    areas: Any,
    area_title: str = "",
    kpi_ids: Sequence[str] = (),
) -> bytes:
    """The .xlsx template of one dataset.

    `definition`: one dataset_definisi row as a dict (`kolom` as JSON text or a list).
    `areas`: the areas an officer may name, as a polars/pandas/pyarrow table or dicts with
    `kode`, `kecamatan`, `nama`, `jenis`: the desa and kelurahan of one kabupaten, or for a
    kabupaten-level dataset the kabupaten/kota and the province. For a desa-only dataset the
    kelurahan are left out, since a kelurahan code would be rejected.
    `area_title`: what the list covers, e.g. "Kabupaten Kapuas (62.03)".
    `kpi_ids`: the KPI catalogue's ids (the snapshot's `kpi_definisi`, or the contracts), the
    drop-down of a `kpi_id` column; this room cannot read the catalogue itself.
    """
    columns = template_columns(definition)
    offered = {c["nama"] for c in columns}
    alternatives = [c for c in definition_columns(definition) if c["nama"] not in offered]
    import xlsxwriter  # when a template is built, not on every pipeline run's start

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": f"Templat {definition['dataset']}", "author": AUTHOR})
    data = workbook.add_worksheet(DATA_SHEET)
    area_sheet = workbook.add_worksheet(AREA_SHEET)
    guide = workbook.add_worksheet(GUIDE_SHEET)
    formats = _formats(workbook)
    long_lists: list[tuple[int, list[str]]] = []

    for index, column in enumerate(columns):
        style = formats["required"] if column["wajib"] else formats["optional"]
        data.write_string(0, index, column["nama"], style)
        comment = header_comment(column, alternatives, kpi_ids)
        data.write_comment(0, index, comment, {**comment_size(comment), "author": AUTHOR})
        number_format = formats["kinds"].get(column["jenis"], formats["general"])
        data.set_column(index, index, max(12, len(column["nama"]) + 3), number_format)
        first, last = 1, TEMPLATE_ROWS
        listed = choices(column, kpi_ids)
        if listed:
            source: list[str] | str = listed
            if len(",".join(listed)) > 250:  # Excel's limit for an inline list is 255
                long_lists.append((index, listed))
                source = _choices_range(len(long_lists) - 1, len(listed))
            data.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "list",
                    "source": source,
                    "error_type": "warning",
                    "error_title": column["nama"],
                    "error_message": "Pilih salah satu nilai dari daftar.",
                },
            )
        elif column["jenis"] in NUMBER_CHECKS:
            data.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": NUMBER_CHECKS[column["jenis"]],
                    "criteria": "between",
                    "minimum": -1e15,
                    "maximum": 1e15,
                    "error_type": "warning",
                    "error_title": column["nama"],
                    "error_message": "Isi dengan angka"
                    + (" bulat." if NUMBER_CHECKS[column["jenis"]] == "whole" else "."),
                },
            )
    data.freeze_panes(1, 0)
    data.set_row(0, 30)
    for sheet in (data, area_sheet, guide):
        _print_setup(sheet)

    _write_areas(area_sheet, definition, areas, area_title, formats)
    _write_guide(guide, definition, columns, formats)
    if long_lists:
        hidden = workbook.add_worksheet(CHOICES_SHEET)
        for index, (_, listed) in enumerate(long_lists):
            for row, value in enumerate(listed):
                hidden.write_string(row, index, value)
        hidden.hide()
    data.activate()
    workbook.close()
    return buffer.getvalue()


def _print_setup(sheet) -> None:
    """Landscape, one page wide, header repeated: officers print these."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _choices_range(index: int, length: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    letter = xl_col_to_name(index)
    return f"='{CHOICES_SHEET}'!${letter}$1:${letter}${length}"


def _formats(workbook: "xlsxwriter.Workbook") -> dict:
    header = {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1}
    return {
        "required": workbook.add_format({**header, "bg_color": "#1F6F43", "font_color": "#FFFFFF"}),
        "optional": workbook.add_format({**header, "bg_color": "#D9EAD3"}),
        "kinds": {
            kind: workbook.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
        },
        "text": workbook.add_format({"num_format": TEXT}),
        "general": workbook.add_format({"num_format": "General"}),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "table_header": workbook.add_format({"bold": True, "bg_color": "#D9EAD3", "border": 1}),
    }


def _write_areas(sheet, definition: Mapping, areas: Any, title: str, formats: dict) -> None:
    """Codes an officer copies instead of typing: kode, kecamatan, nama, jenis."""
    rows = records(areas)
    note = ""
    if definition.get("hanya_desa"):
        rows = [r for r in rows if (r.get("jenis") or "") != "kelurahan"]
        note = " Dataset ini hanya untuk desa, jadi kelurahan tidak dicantumkan."
    rows.sort(key=lambda r: str(r.get("kode") or ""))
    sheet.write_string(0, 0, cell_text(f"Daftar wilayah {title}".strip()), formats["title"])
    sheet.write_string(
        1,
        0,
        "Salin kode dari kolom 'kode' ke lembar Data (kolom kode ditulis sebagai teks)." + note,
    )
    headers = ("kode", "kecamatan", "nama", "jenis")
    for index, name in enumerate(headers):
        sheet.write_string(3, index, name, formats["table_header"])
    for offset, row in enumerate(rows, start=4):
        for index, name in enumerate(headers):
            sheet.write_string(offset, index, cell_text(row.get(name)), formats["text"])
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 2, 28)
    sheet.set_column(3, 3, 12)
    if rows:
        sheet.autofilter(3, 0, 3 + len(rows), len(headers) - 1)
    sheet.freeze_panes(4, 0)


def _write_guide(sheet, definition: Mapping, columns: list[dict], formats: dict) -> None:
    """The same declaration, as a table an officer can print."""
    sheet.write_string(
        0, 0, cell_text(f"{definition['dataset']}: {definition.get('nama', '')}"), formats["title"]
    )
    lines = [
        "Isi lembar pertama (Data) mulai baris 2, satu baris per "
        + ", ".join(definition.get("kunci") or [])
        + ". Jangan mengubah judul kolom.",
        "Kolom berwarna hijau tua wajib diisi; kolom lain boleh dikosongkan.",
        "Arahkan kursor ke judul kolom untuk melihat arti dan aturannya.",
    ]
    if definition.get("catatan"):
        lines.append(str(definition["catatan"]))
    for row, line in enumerate(lines, start=1):
        sheet.write_string(row, 0, cell_text(line))
    start = len(lines) + 2
    headers = ("kolom", "wajib", "arti", "jenis/satuan", "aturan")
    for index, name in enumerate(headers):
        sheet.write_string(start, index, name, formats["table_header"])
    widths = (24, 7, 40, 40, 40)
    for offset, column in enumerate(columns, start=start + 1):
        values = (
            column["nama"],
            "ya" if column["wajib"] else "tidak",
            column["arti"],
            column["jenis_keterangan"],
            column.get("aturan") or "",
        )
        for index, value in enumerate(values):
            sheet.write_string(offset, index, cell_text(value), formats["wrap"])
        # Spreadsheets do not all grow a row for wrapped text: give it the lines it needs.
        lines = max(-(-len(str(v)) // int(w * 1.1)) for v, w in zip(values, widths, strict=True))
        sheet.set_row(offset, 15 * max(lines, 1))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)


def template_areas(definition: Mapping, wilayah: Any, kode_kab: str | None) -> tuple[list, str]:
    """The area list and its title for one template, from a region table.

    `wilayah` has the shape of the snapshot's `wilayah` table or the reference CSV (kode,
    tingkat, nama, kode_kab, kode_kec, jenis), so the dashboard and the CLI share this.
    A village dataset lists the desa/kelurahan of `kode_kab`; a kabupaten-level dataset lists
    every kabupaten/kota and the province. Raises KeyError for an unknown `kode_kab`.
    Read by column: a national region list (90,000 rows) as one dict per row took 0.9 s.
    """
    rows = columns(wilayah, ("kode", "tingkat", "nama", "kode_kab", "kode_kec", "jenis"))
    kode, tingkat, nama = rows["kode"], rows["tingkat"], rows["nama"]
    # A dataset that names no area (the reporting calendar) lists the kabupaten for reference.
    if definition.get("wilayah") in ("kabupaten", "wilayah", "tanpa_wilayah"):
        areas = [
            {"kode": k, "kecamatan": "", "nama": n, "jenis": t}
            for k, n, t in zip(kode, nama, tingkat, strict=True)
            if t in ("provinsi", "kabupaten")
        ]
        province = next((n for n, t in zip(nama, tingkat, strict=True) if t == "provinsi"), "")
        return areas, f"kabupaten/kota dan Provinsi {province}".strip()
    names = dict(zip(kode, nama, strict=True))
    if kode_kab not in {k for k, t in zip(kode, tingkat, strict=True) if t == "kabupaten"}:
        raise KeyError(kode_kab)
    areas = [
        {"kode": k, "kecamatan": names.get(kec or "", ""), "nama": n, "jenis": j or ""}
        for k, t, n, kab, kec, j in zip(
            kode, tingkat, nama, rows["kode_kab"], rows["kode_kec"], rows["jenis"], strict=True
        )
        if t == "desa" and kab == kode_kab
    ]
    return areas, f"{names[kode_kab]} ({kode_kab})"
