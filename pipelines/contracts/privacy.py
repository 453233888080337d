"""Personal data (UU PDP 27/2022): the one rule that says whether a header or a cell is personal.

The datasets are aggregates; a file holding personal data is rejected whole (docs/contracts.md,
"Privacy"). Two judges, both declared here once:

- `is_personal_header` reads a header's *words*, never its spelling. The header is normalised
  (Unicode NFKC, so full-width `ＮＩＫ` is `NIK`; camelCase and letter/digit boundaries split;
  letters spelled out one by one, `N.I.K`, joined; words glued together, `NAMAPEMILIK`, found by
  segmenting against the vocabulary below; long forms, `Nomor Induk Kependudukan`, read as their
  abbreviation), then judged by the word classes of `VOCABULARY`. A word only ever matches a
  whole word or a whole glued piece, so `teknik`, `nikel`, `wakil` and `hpp` stay ordinary.
- `personal_value_columns` reads cells by *shape*, after undoing what spreadsheets do to them
  (`="…"` text formulas, a leading apostrophe, a `.0` float tail, thousands separators,
  scientific notation): a 16-digit number (NIK, No. KK) anywhere in a cell, an Indonesian mobile
  number (`08…`, `62 8…`, `+62…`), or an e-mail address.

When in doubt the rule rejects: a wrongly rejected file costs one resend without the column, a
wrongly accepted one stores personal data.
"""

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping

import polars as pl

# The one declared vocabulary. Every header rule reads only these word classes.
VOCABULARY: dict[str, frozenset[str]] = {
    # Identity numbers and documents: personal wherever they appear in a header.
    "identity": frozenset(
        {"nik", "ktp", "nokk", "npwp", "paspor", "passport", "kitas", "kitap", "nip"}
    ),
    # Contact details of a person: personal wherever they appear.
    "contact": frozenset(
        {
            "hp",
            "handphone",
            "ponsel",
            "telepon",
            "telpon",
            "telefon",
            "telp",
            "tlp",
            "phone",
            "telephone",
            "wa",
            "whatsapp",
            "email",
            "surel",
            "kontak",
            "contact",
        }
    ),
    # A role one identifiable person holds: a column named for it lists people (`Pemilik`,
    # `Ketua BUMDes`, `Kepala Keluarga`, `Wakil Ketua`), unless the header counts them (see
    # "aggregate") or the role belongs to a unit that is not a person (see "unit").
    "role": frozenset(
        {
            "pemilik",
            "penerima",
            "ketua",
            "kepala",
            "pengurus",
            "bendahara",
            "sekretaris",
            "direktur",
            "manajer",
            "pendamping",
            "responden",
            "pemohon",
            "pelapor",
            "penanggung",  # penanggung jawab
            "krt",  # kepala rumah tangga
            "owner",
            "recipient",
        }
    ),
    # A person's own particulars (`tanggal_lahir`, `TTL`): like a role, personal unless counted
    # (`jumlah_lahir_hidup`); `kelahiran` (births) is another word.
    "particulars": frozenset({"lahir", "ttl"}),
    "name": frozenset({"nama", "name"}),
    # With `nama`, in any order, a person's name (`Nama Lengkap`, `nama_anggota`); `nama_desa`,
    # `nama_usaha`, `nama_kelompok` name a place or an organisation.
    "name_of": frozenset(
        {
            "warga",
            "penduduk",
            "anggota",
            "peserta",
            "masyarakat",
            "kk",
            "kpm",
            "lengkap",
            "orang",
            "pribadi",
            "perorangan",
            "panggilan",
            "kandung",
            "suami",
            "istri",
            "ayah",
            "anak",
            "petani",
            "nelayan",
            "pekerja",
            "karyawan",
            "pegawai",
            "siswa",
            "pasien",
            "pelaku",  # pelaku usaha
            "operator",
            "petugas",  # alone, the officer who fills the file in (`Catatan Petugas`)
            "pengelola",
            "kader",
            "full",
            "person",
            "member",
        }
    ),
    # Number words: next to a word of "number_of", a personal number (`No. KK`, `Nomor
    # Rekening`). Alone (`No`, `nomor urut`) they are nothing.
    "number": frozenset({"no", "nomor", "nomer", "nmr", "nr"}),
    # `kk` alone is the household count unit (`jumlah_kk`, `kk_miskin`), so only its number is.
    "number_of": frozenset(
        {"kk", "rekening", "rek", "identitas", "kartu", "bpjs", "kis", "kip", "kks", "dtks"}
    ),
    # Words that make a header about people a count, a share, the unit people are counted in,
    # or a trait that splits a count (`jumlah_penerima_blt`, `persentase_penduduk_miskin`,
    # `Penerima BLT (KPM)`, `pemilik_perempuan`): a role word then names no one.
    "aggregate": frozenset(
        {
            "jumlah",
            "jml",
            "total",
            "banyak",
            "banyaknya",
            "persen",
            "persentase",
            "prosentase",
            "rasio",
            "proporsi",
            "rata",
            "rerata",
            "ribu",
            "jiwa",
            "orang",
            "kk",
            "kpm",
            "rtm",
            "perempuan",
            "wanita",
            "laki",
            "pria",
            "miskin",
            "ekstrem",
            "lansia",
            "disabilitas",
        }
    ),
    # Units that are not a person: right before a role word they own it (`keluarga penerima`,
    # `desa_penerima_dd`, `kelompok penerima manfaat` are units that receive, not people).
    "unit": frozenset(
        {
            "keluarga",
            "rumah",
            "tangga",
            "kelompok",
            "lembaga",
            "desa",
            "kelurahan",
            "kecamatan",
            "kabupaten",
            "kota",
            "wilayah",
            "usaha",
            "bumdes",
            "koperasi",
            "unit",
            "organisasi",
            "badan",
            "instansi",
            "sekolah",
        }
    ),
}
# Long forms read as their abbreviation: `Nomor Induk Kependudukan` is `nomor nik`.
LONG_FORMS: dict[tuple[str, ...], str] = {
    ("induk", "kependudukan"): "nik",
    ("kartu", "tanda", "penduduk"): "ktp",
    ("kartu", "keluarga"): "nokk",
    ("pokok", "wajib", "pajak"): "npwp",
    ("wajib", "pajak"): "npwp",
    ("surat", "elektronik"): "surel",
    ("e", "mail"): "email",
    ("whats", "app"): "whatsapp",
    ("hand", "phone"): "handphone",
}
# Glued pieces shorter than this are not words (`wa` in `wanita` would be `wa` + `nita`).
_MIN_PIECE = 2
# Declared column words this short (`da`, `ds`, `rp`) are too short to segment glued words by.
_MIN_DECLARED_WORD = 3


@functools.cache
def _segmentation_words() -> frozenset[str]:
    """Words a glued header may be made of: the vocabulary, the long forms, and the words of
    every declared column and alias (so `NAMAPEMILIKUSAHA` is `nama pemilik usaha`)."""
    from pipelines.contracts.datasets import DATASETS  # the declarations import this module

    words = set().union(*VOCABULARY.values(), *LONG_FORMS)
    for dataset in DATASETS.values():
        for column in dataset.all_columns:
            for name in (column.name, *column.aliases):
                words.update(w for w in name.split("_") if len(w) >= _MIN_DECLARED_WORD)
    return frozenset(w for w in words if len(w) >= _MIN_PIECE and w.isalpha())


def _segment(token: str) -> list[str]:
    """A token that is wholly a run of known words, split into them (fewest pieces); any
    other token as it is: `namapemilik` -> nama, pemilik; `teknik`, `nikel` stay whole."""
    words = _segmentation_words()
    if token in words or not token.isalpha():
        return [token]
    best: list[list[str] | None] = [[]] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 24), end - _MIN_PIECE + 1):
            head = best[start]
            piece = token[start:end]
            if head is not None and piece in words:
                candidate = [*head, piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    found = best[len(token)]
    return found if found and len(found) > 1 else [token]


def _join_spelled_letters(tokens: list[str]) -> list[str]:
    """`n`, `i`, `k` (from `N.I.K` or `N I K`) -> `nik`."""
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if token:
            joined.append(token)
    return joined


def _apply_long_forms(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, short in LONG_FORMS.items():
            if tuple(words[i : i + len(phrase)]) == phrase:
                out.append(short)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out


@functools.lru_cache(maxsize=65536)
def header_words(header: str) -> tuple[str, ...]:
    """The words of a header after normalising its spelling:
    `NAMAPEMILIK` -> nama, pemilik; `NIKKepala` -> nik, kepala; `N.I.K` -> nik;
    `Nomor Kartu Keluarga` -> nomor, nokk; `ＮＩＫ1` -> nik, 1."""
    text = unicodedata.normalize("NFKC", str(header))
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)  # camelCase
    text = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", text)  # NIK1, 2nik
    tokens = re.findall(r"[^\W_]+", text.casefold())
    tokens = _join_spelled_letters(tokens)
    words = [piece for token in tokens for piece in _segment(token)]
    return tuple(_apply_long_forms(words))


def is_personal_header(header: str) -> bool:
    """Whether a header names personal data (docs/contracts.md, "Privacy"); see `VOCABULARY`."""
    words = header_words(header)
    present = set(words)
    v = VOCABULARY
    if present & (v["identity"] | v["contact"]):
        return True
    for pair in itertools.pairwise(words):  # `No. KK`, and `KK No` as forms print it
        if {*pair} & v["number"] and {*pair} & v["number_of"]:
            return True
    if present & v["name"] and present & (v["name_of"] | v["role"]):
        return True
    if present & v["aggregate"]:
        return False
    for i, word in enumerate(words):
        if word in v["role"] | v["particulars"] and not (i > 0 and words[i - 1] in v["unit"]):
            return True
    return False


# --- Values -----------------------------------------------------------------------------------
# Excel's text formula `="3201…"` and its text marker `'3201…`.
_EXCEL_TEXT = r'^=\s*"(.*)"$'
# A float's zero tail (`3201234567890123.0`), removed before counting digits.
_ZERO_TAIL = r"[.,]0{1,2}$"
# Money: a whole number, plain or grouped by thousands, with a non-zero 1-2 digit fraction.
# It is never an identity number, however many digits it has (`1234567890123456,50`).
_MONEY = (
    r"(?i)^[+-]?(?:rp\.?\s?)?"
    r"(?:\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\s\d{3})+)[.,](?:[1-9]\d?|0[1-9])$"
)
# A number Excel wrote in scientific notation with 16 digits before the point (1e15 <= x < 1e16).
_SCIENTIFIC_16 = r"(?i)^[+-]?\d(?:[.,]\d+)?e\+?0*15$"
# Digits joined by single separators (space, dot, comma, slash, apostrophe, any dash): how a NIK
# is grouped (`6201 0101 0190 0001`, `3,201,234,567,890,123`). A run of exactly 16 is personal.
_DIGIT_RUN = r"\d(?:[\s.,'/\-\u2010-\u2015]?\d)*"
# How a phone number is written: `+62 812-3456-7890`, `(0812) 3456 7890`, `0852.1234.5678`.
_PHONE_RUN = r"\+?\(?\d(?:(?:[\s.\-/\u2010-\u2015]|\)\s?)?\d)*"
# Its digits: an Indonesian mobile number, 08xx (10-13 digits) or 62 8xx / 62 0 8xx.
_MOBILE = r"^(?:0|620?)8[1-9]\d{7,10}$"
_INTERNATIONAL = r"^\+62\d{7,13}$"  # written with +62, any Indonesian number
_EMAIL = r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+"
# A cheap test of which cells may be personal at all; only those (few, in most columns) go
# through the costlier checks: 16 digits (a NIK), a phone number's start (+, 0 8, 62 8) with
# digits after it, an @, an E+15 exponent, or full-width characters (normalised later).
_SUSPECT = (
    r"(?:[^0-9]*[0-9]){16}"
    r"|(?:^|[^0-9])(?:\+|\(?0[\s.\-]*\)?[\s.\-]*8|62[\s.\-]*0?[\s.\-()]*8)(?:[^0-9]*[0-9]){6}"
    r"|[@\uff20\ufe6b\uff10-\uff19]|[eE]\+?0*15$"
)


def _cleaned(cell: pl.Expr) -> pl.Expr:
    text = cell.cast(pl.String).str.normalize("NFKC").str.strip_chars()
    text = text.str.replace(_EXCEL_TEXT, "$1").str.strip_chars().str.strip_prefix("'")
    return text.str.strip_chars()


def _has_sixteen_digit_run(text: pl.Expr) -> pl.Expr:
    runs = text.str.extract_all(_DIGIT_RUN)
    return runs.list.eval(pl.element().str.count_matches(r"\d") == 16).list.any()


def _has_mobile_number(text: pl.Expr) -> pl.Expr:
    runs = text.str.extract_all(_PHONE_RUN)
    written = pl.element().str.replace_all(r"[^\d+]", "")
    return runs.list.eval(
        written.str.replace_all(r"\+", "").str.contains(_MOBILE)
        | written.str.contains(_INTERNATIONAL)
    ).list.any()


def personal_value(cell: pl.Expr) -> pl.Expr:
    """True for a cell shaped like personal data: a 16-digit number in any spreadsheet writing
    (`="3201…"`, `3201….0`, `3,201,…`, `3.2012…E+15`, inside text: `NIK 3201…`), a mobile
    number (`0812…`, `62 812…`, `+62…`), or an e-mail address."""
    text = _cleaned(cell)
    number_like = ~text.str.contains(_MONEY) & (
        _has_sixteen_digit_run(text)
        | _has_sixteen_digit_run(text.str.replace(_ZERO_TAIL, ""))
        | text.str.contains(_SCIENTIFIC_16)
        | _has_mobile_number(text.str.replace(_ZERO_TAIL, ""))
    )
    return text.str.contains(_EMAIL) | number_like


def personal_value_columns(
    frame: pl.DataFrame, identifiers: Mapping[str, int] | None = None
) -> list[str]:
    """The columns of `frame` (cells as text) holding at least one personal-looking value.

    `identifiers` maps a column declared as a fixed-length number of an organisation (the NIB
    of a business: 13 digits) to that length. A cell of exactly that many digits is that
    number, not a phone number (a NIB may well begin `0812` or `628`); any other cell of the
    column, a 16-digit one above all, is judged like every cell."""
    # The cheap test first, on every cell of every column in one pass (the columns in
    # parallel), which keeps each distinct suspect; the costlier tests on those only. A column
    # of few distinct values (tahun, a long `sumber` on every row) is tested once per value;
    # the estimate of how many costs a tenth of the test. By position: a header such as
    # `^kode.*$` would be read as a pattern by pl.col.
    if frame.width == 0:
        return []
    few = [n * 2 <= frame.height for n in frame.select(pl.all().approx_n_unique()).row(0)]
    # maintain_order: the filter reads the distinct values twice, and both must line up.
    cells = [
        (pl.nth(i).unique(maintain_order=True) if few[i] else pl.nth(i)).cast(pl.String)
        for i in range(frame.width)
    ]
    suspects_by_column = frame.select(
        cell.filter(cell.str.contains(_SUSPECT)).unique().implode() for cell in cells
    )
    found = []
    for i, name in enumerate(frame.columns):
        suspects = suspects_by_column.to_series(i)[0].alias("v")
        if suspects.is_empty():
            continue
        length = (identifiers or {}).get(name)
        if length is not None and length != 16:
            declared = _cleaned(pl.col("v")).str.contains(rf"^\d{{{length}}}$")
            suspects = suspects.filter(suspects.to_frame().select(~declared).to_series())
        if (
            suspects.len()
            and suspects.to_frame("v").select(personal_value(pl.col("v")).any()).item()
        ):
            found.append(name)
    return found
