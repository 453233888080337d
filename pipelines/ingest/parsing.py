"""Cell parsers: one per column kind, each a pair of Polars expressions (value, error).

Every parser takes a text column and returns the typed value and, where the text cannot be read,
an error message in Bahasa Indonesia (NULL when the cell is fine). They are vectorised; nothing
here loops over rows in Python. A blank cell is NULL, never an error: whether a blank is allowed
is the validator's business (required columns).

The number rules are those of spec/datasets.md, applied in order, never guessed.
"""

from datetime import date

import polars as pl

from pipelines.contracts.datasets import TIDAK, YA, Column, Kind

Parsed = tuple[pl.Expr, pl.Expr]  # (value, error message or NULL)

_SPACES = r"[\s\u00a0\u202f]"


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Strip the cell; an empty cell becomes NULL."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_chars() == 0).then(None).otherwise(stripped)


def _error(condition: pl.Expr, message: str | pl.Expr) -> pl.Expr:
    msg = pl.lit(message) if isinstance(message, str) else message
    return pl.when(condition).then(msg).otherwise(pl.lit(None, dtype=pl.String))


# --- numbers ----------------------------------------------------------------------------------


def _canonical_number(text: pl.Expr, kind: Kind) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Return (negative?, canonical digits with '.' as decimal point or NULL, error message).

    The canonical form has no thousands separators, so it can be cast exactly.
    """
    compact = text.str.replace_all(_SPACES, "")
    # An optional '-' before or after an optional Rp/Rp. prefix.
    prefix = compact.str.extract(r"^(-?(?:[Rr][Pp]\.?)?-?)", 1)
    negative = prefix.str.count_matches("-") == 1
    body = compact.str.slice(prefix.str.len_chars())
    n_dot = body.str.count_matches(r"\.", literal=False)
    n_comma = body.str.count_matches(",")
    last_is_comma = body.str.find(",", literal=True).is_not_null() & (
        body.str.reverse().str.find(",", literal=True)
        < body.str.reverse().str.find(".", literal=True).fill_null(10**9)
    )
    thousands_dot_ok = kind in (Kind.INTEGER, Kind.RUPIAH)

    canonical = (
        pl.when(~body.str.contains(r"^[0-9][0-9.,]*$") | (prefix.str.count_matches("-") > 1))
        .then(None)
        # plain digits
        .when((n_dot == 0) & (n_comma == 0))
        .then(body)
        # both separators: the last one is the decimal separator, the other groups thousands
        .when((n_dot > 0) & (n_comma > 0) & last_is_comma)
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(\.\d{3})*,\d+$"))
            .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
            .otherwise(None)
        )
        .when((n_dot > 0) & (n_comma > 0))
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(,\d{3})*\.\d+$"))
            .then(body.str.replace_all(",", "", literal=True))
            .otherwise(None)
        )
        # two or more of one separator: thousands
        .when(n_dot >= 2)
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(\.\d{3})+$"))
            .then(body.str.replace_all(".", "", literal=True))
            .otherwise(None)
        )
        .when(n_comma >= 2)
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(,\d{3})+$"))
            .then(body.str.replace_all(",", "", literal=True))
            .otherwise(None)
        )
        # a single comma is a decimal comma
        .when(n_comma == 1)
        .then(
            pl.when(body.str.contains(r"^\d+,\d+$"))
            .then(body.str.replace(",", ".", literal=True))
            .otherwise(None)
        )
        # a single dot: thousands in integer and Rupiah columns when 3 digits follow
        .when(pl.lit(thousands_dot_ok) & body.str.contains(r"^\d{1,3}\.\d{3}$"))
        .then(body.str.replace(".", "", literal=True))
        .otherwise(pl.when(body.str.contains(r"^\d+\.\d+$")).then(body).otherwise(None))
    )
    error = _error(
        canonical.is_null(),
        "bukan angka yang sah (contoh yang benar: 1234567 atau 1.234.567,50)",
    )
    return negative, canonical, error


def _native_number(text: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Excel numeric cells arrive as the number's plain text (1234567.5): no locale rules."""
    negative = text.str.starts_with("-")
    body = text.str.strip_prefix("-")
    plain = body.str.contains(r"^\d+(\.\d+)?$")
    # Scientific notation from very large or small floats: expand exactly through Decimal.
    scientific = body.str.contains(r"^\d+(\.\d+)?[eE][-+]?\d+$")
    canonical = (
        pl.when(plain)
        .then(body)
        .when(scientific)
        .then(body.cast(pl.Float64, strict=False).cast(pl.Decimal(38, 10)).cast(pl.String))
        .otherwise(None)
    )
    # Drop trailing fraction zeros (1500000.0 -> 1500000) so integer and sen checks see the truth.
    canonical = canonical.str.replace(r"(\.\d*?)0+$", "${1}").str.replace(r"\.$", "")
    error = _error(canonical.is_null(), "bukan angka yang sah")
    return negative, canonical, error


def parse_number(text: pl.Expr, kind: Kind, native: bool = False) -> Parsed:
    """Parse an INTEGER, RUPIAH or DECIMAL cell."""
    negative, canonical, error = _native_number(text) if native else _canonical_number(text, kind)
    sign = pl.when(negative).then(pl.lit(-1)).otherwise(pl.lit(1))
    int_part = canonical.str.extract(r"^(\d+)", 1)
    frac_part = canonical.str.extract(r"\.(\d+)$", 1).fill_null("")

    if kind is Kind.INTEGER:
        bad_fraction = canonical.is_not_null() & ~frac_part.str.contains(r"^0*$")
        value = (int_part.cast(pl.Int64, strict=False) * sign).cast(pl.Int64)
        error = pl.coalesce(
            error,
            _error(bad_fraction, "harus bilangan bulat (tanpa angka di belakang koma)"),
            _error(canonical.is_not_null() & value.is_null(), "angka terlalu besar"),
        )
        value = pl.when(bad_fraction).then(None).otherwise(value)
    elif kind is Kind.RUPIAH:
        too_precise = canonical.is_not_null() & (frac_part.str.len_chars() > 2)
        decimal = canonical.cast(pl.Decimal(18, 2), strict=False)
        value = pl.when(negative).then(-decimal).otherwise(decimal)
        error = pl.coalesce(
            error,
            _error(
                too_precise,
                "Rupiah paling banyak dua angka desimal (sen); untuk ribuan pakai titik: 1.234.567",
            ),
            _error(canonical.is_not_null() & decimal.is_null(), "angka terlalu besar"),
        )
        value = pl.when(too_precise).then(None).otherwise(value)
    else:
        value = canonical.cast(pl.Float64, strict=False) * sign
    return value, error


# --- codes ------------------------------------------------------------------------------------


def _digits_to_dotted(digits: pl.Expr, sizes: tuple[int, ...]) -> pl.Expr:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits.str.slice(start, size))
        start += size
    return pl.concat_str(parts, separator=".")


def parse_kode_desa(text: pl.Expr) -> Parsed:
    compact = text.str.replace_all(_SPACES, "")
    value = (
        pl.when(compact.str.contains(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"))
        .then(compact)
        .when(compact.str.contains(r"^\d{10}$"))
        .then(_digits_to_dotted(compact, (2, 2, 2, 4)))
        .otherwise(None)
    )
    error = _error(
        value.is_null(), "format kode desa tidak dikenali (contoh: 62.03.05.2001 atau 6203052001)"
    )
    return value, error


def parse_kode_wilayah(text: pl.Expr, native: bool = False) -> Parsed:
    """A kabupaten code 62.xx (or 62xx), or the province code 62."""
    compact = text.str.replace_all(_SPACES, "")
    if native:
        # Excel turned 62.10 into the number 62.1: a kabupaten part always has two digits.
        compact = compact.str.replace(r"^(\d{2})\.(\d)$", "${1}.${2}0")
    value = (
        pl.when(compact.str.contains(r"^\d{2}(\.\d{2})?$"))
        .then(compact)
        .when(compact.str.contains(r"^\d{4}$"))
        .then(_digits_to_dotted(compact, (2, 2)))
        .otherwise(None)
    )
    return value, _error(
        value.is_null(), "format kode wilayah tidak dikenali (contoh: 62.06 atau 62)"
    )


def parse_digits(text: pl.Expr, n_digits: int) -> Parsed:
    compact = text.str.replace_all(_SPACES, "")
    ok = compact.str.contains(rf"^\d{{{n_digits}}}$")
    return (
        pl.when(ok).then(compact).otherwise(None),
        _error(~ok, f"harus tepat {n_digits} angka"),
    )


# --- other kinds ------------------------------------------------------------------------------


def normalise_token(text: pl.Expr) -> pl.Expr:
    """Lower case, spaces and hyphens as underscores: 'Sangat Tertinggal' = 'sangat_tertinggal'."""
    return text.str.to_lowercase().str.strip_chars().str.replace_all(r"[\s\-]+", "_")


def parse_boolean(text: pl.Expr) -> Parsed:
    token = normalise_token(text)
    value = (
        pl.when(token.is_in(list(YA)))
        .then(True)
        .when(token.is_in(list(TIDAK)))
        .then(False)
        .otherwise(None)
    )
    return value, _error(
        value.is_null(),
        "bukan ya/tidak yang dikenali (ya/tidak, y/t, 1/0, true/false, ada/tidak ada)",
    )


def parse_category(text: pl.Expr, column: Column) -> Parsed:
    token = normalise_token(text)
    known = token.is_in(list(column.categories))
    if column.unknown_category_becomes is not None:
        # Unknown values are kept as the catch-all; the validator warns about them.
        value = pl.when(known).then(token).otherwise(pl.lit(column.unknown_category_becomes))
        return value, pl.lit(None, dtype=pl.String)
    choices = ", ".join(column.categories)
    return pl.when(known).then(token).otherwise(None), _error(
        ~known, f"harus salah satu dari: {choices}"
    )


def parse_tahun(text: pl.Expr, native: bool = False, today: date | None = None) -> Parsed:
    last_year = (today or date.today()).year + 1
    compact = text.str.replace_all(_SPACES, "")
    if native:
        compact = compact.str.replace(r"\.0+$", "")
    year = pl.when(compact.str.contains(r"^\d{4}$")).then(compact.cast(pl.Int32, strict=False))
    ok = year.is_between(2015, last_year)
    return (
        pl.when(ok).then(year).otherwise(None),
        _error(~ok.fill_null(False), f"tahun harus empat angka antara 2015 dan {last_year}"),
    )


def parse_column(text: pl.Expr, column: Column, native: bool) -> Parsed:
    """Dispatch on the column's kind. `text` is already blank-to-NULL."""
    kind = column.kind
    if kind in (Kind.INTEGER, Kind.RUPIAH, Kind.DECIMAL):
        value, error = parse_number(text, kind, native)
    elif kind is Kind.KODE_DESA:
        value, error = parse_kode_desa(text)
    elif kind is Kind.KODE_WILAYAH:
        value, error = parse_kode_wilayah(text, native)
    elif kind is Kind.KODE_BPS:
        value, error = parse_digits(text.str.replace(r"\.0+$", ""), 4)
    elif kind is Kind.DIGITS:
        value, error = parse_digits(text, column.digits or 0)
    elif kind is Kind.TAHUN:
        value, error = parse_tahun(text, native)
    elif kind is Kind.BOOLEAN:
        value, error = parse_boolean(text)
    elif kind is Kind.CATEGORY:
        value, error = parse_category(text, column)
    else:  # TEXT, NAMA_WILAYAH
        value, error = text, pl.lit(None, dtype=pl.String)
    # Blank cells are NULL with no error.
    return (
        pl.when(text.is_null()).then(None).otherwise(value),
        pl.when(text.is_null()).then(None).otherwise(error),
    )
