"""Turn a dropped file into a table of text cells, or say plainly why it cannot be read.

Every cell comes back as text so that nothing is guessed here: codes keep their leading zeros and
trailing zeros (`62.10`), and numbers are parsed later by the declared rules. Excel numeric cells
are the one exception the spec allows: they are numbers already, so the reader says which
columns held them (`native_numeric`) and the parser reads those without the locale rules.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

LINE = "_baris"  # the source line (CSV) or row (Excel) number of each data row, for reports


class UnreadableFile(Exception):
    """The file cannot be read as a table. The message is Bahasa Indonesia, for the report."""


@dataclass
class RawTable:
    frame: pl.DataFrame  # all String columns plus LINE (Int64)
    source_columns: list[str]  # header as written in the file
    native_numeric: set[str] = field(default_factory=set)  # normalised names of numeric columns
    details: list[str] = field(default_factory=list)  # what the reader detected, for the report
    from_excel: bool = False
    sheet_name: str | None = None  # the workbook sheet read (the first)
    # Every other sheet of a workbook, cell for cell as text with no header row, only for the
    # privacy check (docs/contracts.md: every sheet is judged): (sheet name, Excel column letters of
    # the frame's columns, frame).
    other_sheets: list[tuple[str, list[str], pl.DataFrame]] = field(default_factory=list)


def normalise_header(name: str) -> str:
    """`Kode Desa` = `kode_desa`: case, surrounding spaces, spaces and hyphens are ignored."""
    cleaned = name.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-\u00a0_]+", "_", cleaned).strip("_")


def _prepare(data: bytes) -> tuple[bytes, str, str]:
    """Return (the bytes for the parser, the header line, the encoding's name, when it is
    certain). Whether the whole file is valid UTF-8 is left to the parser, which checks it as it
    reads (decoding 70 MB in Python first cost a tenth of a second); see `_from_windows_1252`."""
    if b"\x00" in data[:65536]:
        raise UnreadableFile("berkas berisi data biner, bukan teks CSV")
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "UTF-8 dengan BOM"
    else:
        encoding = "UTF-8"
    start = len(data) - len(data.lstrip(b"\r\n \t"))
    if start == len(data):
        raise UnreadableFile("berkas kosong")
    head = data[start : start + 65536].decode("utf-8", "ignore")
    return data, re.split(r"[\r\n]", head, maxsplit=1)[0], encoding


def _from_windows_1252(data: bytes) -> bytes | None:
    """UTF-8 bytes of a file written in Windows-1252; None when the file is UTF-8 already (so
    the parser failed for another reason)."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "pengodean huruf tidak dikenali; simpan ulang sebagai CSV UTF-8 atau Windows-1252"
        ) from exc


def _detect_delimiter(header_line: str) -> str:
    """Comma or semicolon, by which splits the header into more fields outside quotes."""
    counts = {}
    for delimiter in (";", ","):
        row = next(csv.reader([header_line], delimiter=delimiter), [])
        counts[delimiter] = len(row)
    return ";" if counts[";"] > counts[","] else ","


def _describe_malformed_csv(utf8: bytes, delimiter: str, limit: int = 5) -> str:
    """Which lines break the table shape, by line number only (never their content)."""
    lines = io.StringIO(utf8.decode("utf-8", "replace"), newline="")
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=True)
    try:
        width = len(next(reader))
        bad = []
        for row in reader:
            if row and len(row) != width and len(bad) < limit:
                bad.append(f"baris {reader.line_num} berisi {len(row)} kolom")
    except csv.Error:
        return (
            'isi CSV tidak dapat dibaca: ada tanda kutip (") yang tidak berpasangan di sekitar '
            f"baris {reader.line_num}"
        )
    if bad:
        return (
            f"isi CSV tidak dapat dibaca: judul berisi {width} kolom, tetapi "
            + "; ".join(bad)
            + ". Periksa pemisah kolom dan tanda kutip pada baris tersebut"
        )
    return "isi CSV tidak dapat dibaca: susunan baris dan kolom tidak beraturan"


def _parse_csv(data: bytes, delimiter: str) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(data),
        separator=delimiter,
        infer_schema=False,
        has_header=True,
        quote_char='"',
    )


def read_csv(data: bytes) -> RawTable:
    data, header, encoding = _prepare(data)
    delimiter = _detect_delimiter(header)
    try:
        try:
            frame = _parse_csv(data, delimiter)
        except pl.exceptions.ComputeError:  # the parser's "invalid utf-8 sequence", among others
            converted = _from_windows_1252(data)
            if converted is None:
                raise
            data, encoding = converted, "Windows-1252"
            frame = _parse_csv(data, delimiter)
    except pl.exceptions.PolarsError as exc:
        # The library's message is English and may quote cells: say it in our words instead.
        raise UnreadableFile(_describe_malformed_csv(data, delimiter)) from exc
    source_columns = list(frame.columns)
    frame = frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    frame = _without_blank_lines(frame)
    name = {";": "titik koma", ",": "koma"}[delimiter]
    return RawTable(frame, source_columns, details=[f"CSV {encoding}, pemisah {name}"])


def _without_blank_lines(frame: pl.DataFrame) -> pl.DataFrame:
    """Fully blank lines (spreadsheet exports leave them at the end) are not rows. Only lines
    whose first cell is blank are looked at whole: stripping every cell costs a tenth of a
    second on a large file. By position: a header may be `*` or `^a$`, which pl.col would read
    as a pattern."""
    if frame.width < 2:
        return frame
    first, values = pl.nth(1), pl.nth(list(range(1, frame.width)))
    maybe = frame.filter(first.is_null() | (first.str.strip_chars() == ""))
    blank = maybe.filter(pl.all_horizontal(values.str.strip_chars().fill_null("") == ""))
    if blank.height == 0:
        return frame
    return frame.filter(~pl.col(LINE).is_in(blank[LINE].implode()))


def _check_xlsx_size(path: Path, max_uncompressed: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("berkas .xlsx rusak atau bukan berkas Excel") from exc
    if total > max_uncompressed:
        raise UnreadableFile(
            f"berkas Excel terlalu besar setelah dibuka ({total / 1024**2:,.0f} MB, batas "
            f"{max_uncompressed / 1024**2:,.0f} MB); kirim sebagai CSV atau bagi per tahun"
        )


def read_xlsx(path: Path, max_uncompressed: int) -> RawTable:
    _check_xlsx_size(path, max_uncompressed)
    try:
        workbook = fastexcel.read_excel(str(path))
        if not workbook.sheet_names:
            raise UnreadableFile("berkas Excel tidak memiliki lembar kerja")
        # Column kinds as Excel stored them, then every cell as text (whole numbers without
        # a trailing .0; codes written as text keep their zeros).
        guessed = workbook.load_sheet(0, n_rows=1000)
        numeric = {c.name for c in guessed.available_columns() if c.dtype in ("float", "int")}
        sheet = workbook.load_sheet(0, dtypes="string")
        frame = sheet.to_polars()
        others = [_whole_sheet(workbook, name) for name in workbook.sheet_names[1:]]
    except UnreadableFile:
        raise
    except Exception as exc:  # fastexcel raises several error types for corrupt files
        raise UnreadableFile(
            "berkas Excel tidak dapat dibaca: rusak, dilindungi kata sandi, atau bukan format "
            ".xlsx; buka di Excel lalu simpan ulang sebagai .xlsx atau CSV"
        ) from exc
    source_columns = [str(c) for c in frame.columns]
    frame = frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    values = pl.nth(list(range(1, frame.width)))  # by position: headers may look like patterns
    if frame.width > 1:
        frame = frame.with_columns(values.cast(pl.String))
        frame = frame.filter(~pl.all_horizontal(values.is_null()))
    # A column counts as numeric only when Excel stored numbers in it from the first rows on;
    # fastexcel guesses from a sample, which is what "numeric cells are numbers" means here.
    native = {normalise_header(c) for c in numeric}
    return RawTable(
        frame,
        source_columns,
        native_numeric=native,
        details=[f"Excel, lembar pertama '{workbook.sheet_names[0]}'"],
        from_excel=True,
        sheet_name=workbook.sheet_names[0],
        other_sheets=others,
    )


def _whole_sheet(workbook: fastexcel.ExcelReader, name: str) -> tuple[str, list[str], pl.DataFrame]:
    """A sheet as text cells, no row taken as header (hidden sheets too), with the Excel letter
    of each column: the reader drops empty leading columns, the report must not."""
    sheet = workbook.load_sheet(name, header_row=None, dtypes="string")
    letters = [_column_letter(c.absolute_index) for c in sheet.available_columns()]
    return name, letters, sheet.to_polars()


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, max_file_bytes: int, max_xlsx_uncompressed: int) -> RawTable:
    """Read a .csv or .xlsx file; raise UnreadableFile with the reason otherwise."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("berkas kosong (0 byte)")
    if size > max_file_bytes:
        raise UnreadableFile(
            f"berkas terlalu besar ({size / 1024**2:,.0f} MB, batas "
            f"{max_file_bytes / 1024**2:,.0f} MB); bagi berkas per kabupaten atau per tahun"
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = read_csv(path.read_bytes())
    elif suffix == ".xlsx":
        table = read_xlsx(path, max_xlsx_uncompressed)
    else:
        raise UnreadableFile(
            f"jenis berkas '{suffix or '(tanpa ekstensi)'}' tidak diterima; kirim .csv atau .xlsx"
        )
    if table.frame.height == 0:
        raise UnreadableFile("berkas hanya berisi judul kolom, tanpa baris data")
    return table
