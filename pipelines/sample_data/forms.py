"""How a data officer's file looks on disk: encodings, delimiters, number styles, Excel.

A `Form` is everything about a file except its rows: CSV or Excel, delimiter, encoding, how
numbers are written (plain `1234567.5` or Indonesian `Rp 1.234.567,50`), how headers are written
(`kode_desa`, `Kode Desa`, `KODE DESA`), how codes are written (dotted, plain digits, or Excel
numbers) and which words mean yes/no. Rendering follows the number rules of docs/contracts.md so
that every value written here parses back to exactly the value generated; the comments say which
rule each choice relies on.

Values handed to the writers are canonical Python values: `int` for integers, `int` *sen* for
Rupiah (so money never passes through a float), `float` for decimals, `bool` for yes/no, `str`
for text, codes and categories, and `None` for a blank cell.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from pipelines.contracts.datasets import DATASETS, INDEKS_DESA_DIMENSIONS

# Column kinds, as in docs/contracts.md. Only what the writers need to know.
CODE = "code"  # Kemendagri village code, dotted
INT = "int"
RUPIAH = "rupiah"  # canonical value: int sen
DEC = "dec"  # float; `DECIMALS` gives the rounding
YESNO = "yesno"
TEXT = "text"
CAT = "cat"  # category: canonical value is snake case (sangat_tertinggal), styled per form

# Canonical column order and kind of each dataset (provenance columns come last).
COLUMNS: dict[str, dict[str, str]] = {
    "dana_desa": {
        "kode_desa": CODE,
        "nama_desa": TEXT,
        "tahun": INT,
        "pagu": RUPIAH,
        "salur": RUPIAH,
        "realisasi": RUPIAH,
        "blt_kpm": INT,
        "blt_rp": RUPIAH,
        "padat_karya_tk": INT,
        "belanja_pemberdayaan": RUPIAH,
    },
    "bumdes": {
        "kode_desa": CODE,
        "tahun": INT,
        "nama_bumdes": TEXT,
        "status_aktif": YESNO,
        "badan_hukum": YESNO,
        "klasifikasi": CAT,
        "unit_usaha": INT,
        "modal": RUPIAH,
        "omzet": RUPIAH,
        "laba": RUPIAH,
        "kontribusi_pades": RUPIAH,
        "tenaga_kerja": INT,
    },
    "umkm": {
        "kode_desa": CODE,
        "tahun": INT,
        "nama_usaha": TEXT,
        "sektor": CAT,
        "skala": CAT,
        "tenaga_kerja": INT,
        "omzet_tahunan": RUPIAH,
        "nib": TEXT,  # 13 digits, always written as text (never an Excel number)
    },
    "kemiskinan_desa": {
        "kode_desa": CODE,
        "nama_desa": TEXT,
        "tahun": INT,
        "jumlah_penduduk": INT,
        "jumlah_kk": INT,
        "kk_miskin": INT,
        "kk_miskin_ekstrem": INT,
    },
    "kemiskinan_kab": {
        "kode_wilayah": TEXT,
        "kode_bps": TEXT,
        "nama_wilayah": TEXT,
        "tahun": INT,
        "persentase_miskin": DEC,
        "jumlah_miskin_ribu": DEC,
        "garis_kemiskinan": RUPIAH,
        "p1": DEC,
        "p2": DEC,
    },
    "idm": {
        "kode_desa": CODE,
        "tahun": INT,
        "iks": DEC,
        "ike": DEC,
        "ikl": DEC,
        "nilai_idm": DEC,
        "status_idm": CAT,
    },
    "indeks_desa": {
        "kode_desa": CODE,
        "tahun": INT,
        "skor_indeks_desa": DEC,
        "status_indeks_desa": CAT,
        "skor_layanan_dasar": DEC,
        "skor_sosial": DEC,
        "skor_ekonomi": DEC,
        "skor_lingkungan": DEC,
        "skor_aksesibilitas": DEC,
        "skor_tata_kelola": DEC,
    },
    "profil_desa": {
        "kode_desa": CODE,
        "nama_desa": TEXT,
        "tahun": INT,
        "aparatur_total": INT,
        "aparatur_terlatih": INT,
        "aparatur_pendidikan_sma": INT,
        "apbdes_tepat_waktu": YESNO,
        "musdes_jumlah": INT,
        "musdes_peserta": INT,
        "musdes_peserta_perempuan": INT,
        "swadaya_rp": RUPIAH,
        "produk_unggulan": TEXT,
        "desa_wisata": CAT,
        "lahan_potensial_ha": DEC,
        "lahan_dimanfaatkan_ha": DEC,
    },
    "program_kegiatan": {
        "kode_wilayah": TEXT,
        "tahun": INT,
        "kode_kegiatan": TEXT,
        "nama_kegiatan": TEXT,
        "isu": TEXT,  # 1-4 or tujuan, as written (a digit is not a styled category)
        "indikator_keluaran": TEXT,
        "satuan_keluaran": TEXT,
        "target_keluaran": INT,
        "realisasi_keluaran": INT,
        "pagu": RUPIAH,
        "realisasi_anggaran": RUPIAH,
        "desa_sasaran": INT,
    },
}
PROVENANCE = {"sumber": TEXT, "sintetis": YESNO}
# Names-only files name the village instead of coding it.
NAME_COLUMNS = {"nama_kabupaten": TEXT, "nama_kecamatan": TEXT, "nama_desa": TEXT}

# Decimal places kept for decimal columns (the IDM source has 4).
DECIMALS = {
    "persentase_miskin": 2,
    "jumlah_miskin_ribu": 3,
    "p1": 3,
    "p2": 3,
    "iks": 4,
    "ike": 4,
    "ikl": 4,
    "nilai_idm": 4,
    "skor_indeks_desa": 2,
    **{f"skor_{d}": 2 for d, _, _ in INDEKS_DESA_DIMENSIONS},
    "lahan_potensial_ha": 1,
    "lahan_dimanfaatkan_ha": 1,
}

# Yes/no spellings seen in real files (spec: ya/tidak, y/t, 1/0, true/false, ada/tidak ada).
YESNO_STYLES: dict[str, tuple[str, str]] = {
    "ya_tidak": ("ya", "tidak"),
    "Ya_Tidak": ("Ya", "Tidak"),
    "Y_T": ("Y", "T"),
    "1_0": ("1", "0"),
    "true_false": ("true", "false"),
    "TRUE_FALSE": ("TRUE", "FALSE"),
    "ada_tidak_ada": ("Ada", "Tidak Ada"),
}
# BUMDes status_aktif is also written aktif / tidak aktif (spec, bumdes).
AKTIF_STYLE = ("Aktif", "Tidak Aktif")

# The workbook creation time xlsxwriter would otherwise take from the clock: fixed, so the same
# seed gives the same bytes. (Zip member times are fixed by xlsxwriter itself, to 1980-01-01.)
XLSX_CREATED = dt.datetime(2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Form:
    """How one file is written."""

    name: str  # short label for describe()
    excel: bool = False
    delimiter: str = ","
    encoding: str = "utf-8"  # utf-8, utf-8-sig (BOM) or cp1252
    indonesian_numbers: bool = False  # 1.234.567,50 and 12,5
    rupiah_prefix: bool = False  # "Rp " before Rupiah amounts (Indonesian numbers only)
    header: str = "snake"  # snake | title | upper
    codes: str = "dotted"  # dotted | digits | number (Excel numeric cell)
    yesno: str = "ya_tidak"  # key of YESNO_STYLES
    status_aktif_words: bool = False  # bumdes status_aktif as Aktif / Tidak Aktif
    categories: str = "snake"  # snake (sangat_tertinggal) | words | title | upper | asis
    newline: str = "\n"

    def label(self, kinds: dict[str, str] | None = None) -> str:
        """Describe the form in a few words; with `kinds`, only what matters for those columns."""
        kinds = kinds or {}
        has = set(kinds.values()) if kinds else {CODE, YESNO, CAT}
        if self.excel:
            parts = ["xlsx"]
            if CODE in has:
                parts.append("kode desa sebagai ANGKA" if self.codes == "number" else "kode teks")
        else:
            enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8+BOM", "cp1252": "Windows-1252"}
            parts = [f"CSV {enc[self.encoding]}", "titik koma" if self.delimiter == ";" else "koma"]
            if self.indonesian_numbers:
                parts.append("angka Indonesia" + (" + 'Rp'" if self.rupiah_prefix else ""))
            if self.codes == "digits" and CODE in has:
                parts.append("kode tanpa titik")
        parts.append(f"judul {self.header}")
        if any(k == YESNO for c, k in kinds.items() if c != "sintetis") or not kinds:
            yes, no = YESNO_STYLES[self.yesno]
            parts.append(f"ya/tidak '{yes}/{no}'")
        if self.status_aktif_words and (not kinds or "status_aktif" in kinds):
            parts.append("status_aktif '{}/{}'".format(*AKTIF_STYLE))
        if self.categories != "snake" and CAT in has:
            parts.append(f"kategori {self.categories}")
        return ", ".join(parts)


# The forms used by the Kalimantan Tengah sample, named for describe().
PLAIN = Form("plain")
PLAIN_BOM = Form("bom", encoding="utf-8-sig", codes="digits", yesno="true_false")
ID_RP = Form(
    "id_rp",
    delimiter=";",
    encoding="cp1252",
    indonesian_numbers=True,
    rupiah_prefix=True,
    header="title",
    yesno="Y_T",
    status_aktif_words=True,
    categories="title",
    newline="\r\n",
)
ID_PLAIN = Form(
    "id_plain",
    delimiter=";",
    encoding="cp1252",
    indonesian_numbers=True,
    header="upper",
    codes="digits",
    yesno="ada_tidak_ada",
    categories="words",
    newline="\r\n",
)
XLSX_TEXT = Form(
    "xlsx",
    excel=True,
    header="title",
    yesno="Ya_Tidak",
    status_aktif_words=True,
    categories="upper",
)
XLSX_NUMBER = Form("xlsx_num", excel=True, header="upper", codes="number", yesno="TRUE_FALSE")
PLAIN_10 = Form("plain_10", yesno="1_0")
# An official-style Indeks Desa recap: abbreviated dimension headers, statuses in capitals.
XLSX_RECAP = Form("xlsx_rekap", excel=True, header="rekap", categories="upper")
# The official IDM Excel: codes as numbers, status words as published ("SANGAT TERTINGGAL").
XLSX_REAL_IDM = Form("xlsx_idm", excel=True, header="upper", codes="number", categories="asis")


# Official recap files head a column with its first declared alias (`DLD`, `SKOR`, `STATUS`).
RECAP_HEADERS = {
    c.name: c.aliases[0].upper() for d in DATASETS.values() for c in d.columns if c.aliases
}


def header_text(column: str, style: str) -> str:
    """`kode_desa` -> `Kode Desa` / `KODE DESA`. The reader maps spaces back to underscores.
    `rekap`: the abbreviation official recap files use, where the declaration has one."""
    if style == "snake":
        return column
    if style == "rekap":
        return RECAP_HEADERS.get(column, header_text(column, "upper"))
    words = column.split("_")
    if style == "upper":
        return " ".join(w.upper() for w in words)
    # Title case, but keep the acronyms officers write in capitals.
    acronyms = {"kk", "blt", "kpm", "tk", "idm", "iks", "ike", "ikl", "sma", "apbdes", "nib"}
    acronyms |= {"bps", "rp", "p1", "p2", "ha", "umkm", "pades"}
    return " ".join(w.upper() if w in acronyms else w.capitalize() for w in words)


# --- numbers ----------------------------------------------------------------------------------


def group_thousands(digits: str, separator: str) -> str:
    """'1234567' -> '1.234.567'."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def rupiah_text(sen: int, indonesian: bool, prefix: bool) -> str:
    """Write an amount in sen as Rupiah.

    Plain: `1234567` or `1234567.50` (always two decimals when there are sen, so a single '.' is
    never followed by exactly three digits, which the spec would read as a thousands dot).
    Indonesian: `1.234.567` or `1.234.567,50`, optionally with an `Rp ` prefix. Negative amounts
    (only BUMDes laba) are written `-1.234.567`, without the prefix.
    """
    negative = sen < 0
    whole, cents = divmod(abs(sen), 100)
    if indonesian:
        text = group_thousands(str(whole), ".")
        if cents:
            text += f",{cents:02d}"
        if prefix and not negative:
            text = "Rp " + text
    else:
        text = str(whole) + (f".{cents:02d}" if cents else "")
    return "-" + text if negative else text


def int_text(value: int, indonesian: bool) -> str:
    # In integer columns a '.' followed by exactly three digits is a thousands separator, so
    # Indonesian files may group thousands: 12.345 = 12345.
    if indonesian and abs(value) >= 1000:
        return ("-" if value < 0 else "") + group_thousands(str(abs(value)), ".")
    return str(value)


def dec_text(value: float, places: int, indonesian: bool) -> str:
    """A decimal without thousands separators: `1234.5` / `1234,5`, `0.7429` / `0,7429`.

    In a decimal column `1.234` would mean 1.234, so thousands are never grouped here.
    """
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if indonesian else text


def code_text(code: str, style: str) -> str:
    return code.replace(".", "") if style in ("digits", "number") else code


def cell_text(column: str, kind: str, value: object, form: Form) -> str:
    """Render one canonical value as CSV text."""
    if value is None:
        return ""
    if kind == CODE:
        return code_text(str(value), form.codes)
    if kind == INT:
        # Years are never grouped (2.024 would be a row error for tahun).
        return str(value) if column == "tahun" else int_text(int(value), form.indonesian_numbers)
    if kind == RUPIAH:
        return rupiah_text(int(value), form.indonesian_numbers, form.rupiah_prefix)
    if kind == DEC:
        return dec_text(float(value), DECIMALS.get(column, 4), form.indonesian_numbers)
    if column == "sintetis":
        return "ya" if value else "tidak"  # provenance: always ya/tidak, for readers
    if kind == YESNO:
        words = AKTIF_STYLE if column == "status_aktif" and form.status_aktif_words else None
        yes, no = words or YESNO_STYLES[form.yesno]
        return yes if value else no
    if kind == CAT:
        return category_text(str(value), form.categories)
    return str(value)


def category_text(value: str, style: str) -> str:
    """Categories compare without case, spaces = underscores: all of these parse the same."""
    if style in ("snake", "asis"):
        return value
    words = value.replace("_", " ")
    if style == "title":
        return words.title()
    if style == "upper":
        return words.upper()
    return words


# --- writers ----------------------------------------------------------------------------------


def write_table(
    path: Path,
    columns: Sequence[str],
    kinds: dict[str, str],
    rows: Iterable[Sequence[object]],
    form: Form,
) -> int:
    """Write rows (canonical values, in `columns` order) to `path` in `form`; return row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if form.excel:
        return _write_xlsx(path, columns, kinds, rows, form)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=form.delimiter, lineterminator=form.newline, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow([header_text(c, form.header) for c in columns])
    n = 0
    for row in rows:
        writer.writerow(
            [cell_text(c, kinds[c], v, form) for c, v in zip(columns, row, strict=True)]
        )
        n += 1
    # Encoding errors must fail loudly: a name that cannot be written in Windows-1252 is a bug.
    path.write_bytes(buffer.getvalue().encode(form.encoding, errors="strict"))
    return n


def _write_xlsx(
    path: Path,
    columns: Sequence[str],
    kinds: dict[str, str],
    rows: Iterable[Sequence[object]],
    form: Form,
) -> int:
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    workbook.set_properties({"created": XLSX_CREATED, "author": "pipelines.sample_data"})
    sheet = workbook.add_worksheet("Data")
    bold = workbook.add_format({"bold": True})
    for j, column in enumerate(columns):
        sheet.write_string(0, j, header_text(column, form.header), bold)
    n = 0
    for i, row in enumerate(rows, start=1):
        for j, (column, value) in enumerate(zip(columns, row, strict=True)):
            if value is None:
                continue  # blank cell
            kind = kinds[column]
            if kind == CODE:
                if form.codes == "number":
                    # A 10-digit integer is exact in a double; Excel shows it without decimals.
                    sheet.write_number(i, j, int(code_text(str(value), "digits")))
                else:
                    sheet.write_string(i, j, code_text(str(value), form.codes))
            elif kind == INT:
                sheet.write_number(i, j, int(value))
            elif kind == RUPIAH:
                # Amounts carry 0 or 50 sen, so value/100 is exact in binary floating point.
                if int(value) % 50:
                    raise ValueError(f"{column}: {value} sen is not exact in an Excel number")
                sheet.write_number(i, j, int(value) / 100)
            elif kind == DEC:
                sheet.write_number(i, j, round(float(value), DECIMALS.get(column, 4)))
            else:
                sheet.write_string(i, j, cell_text(column, kind, value, form))
        n += 1
    workbook.close()
    return n
