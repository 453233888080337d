"""Cell parsers: one per column kind, each a pair of Polars expressions (value, error).

Every parser takes a text column and returns the typed value and, where the text cannot be read,
an error message in Bahasa Indonesia (NULL when the cell is fine). They are vectorised; nothing
here loops over rows in Python. A blank cell is NULL, never an error: whether a blank is allowed
is the validator's business (required columns).

The number rules are those of docs/contracts.md, applied in order, never guessed.
"""

from collections.abc import Callable
from datetime import date

import polars as pl

from pipelines.contracts.datasets import TIDAK, YA, Column, Kind

Parsed = tuple[pl.Expr, pl.Expr]  # (value, error message or NULL)

_SPACES = r"[\s\u00a0\u202f]"


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Strip the cell; an empty cell becomes NULL."""
    return expr.str.strip_chars().replace("", None)  # 2.5x faster than a when/then


def mostly_repeated(distinct: int, rows: int) -> bool:
    """Whether a column of `rows` cells with about `distinct` values is cheaper evaluated once
    per value and joined back than cell by cell."""
    return distinct * 2 <= rows


def per_distinct_value(
    frame: pl.DataFrame,
    names: str | list[str],
    outputs: list[pl.Expr],
    prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    few: bool | None = None,
) -> pl.DataFrame:
    """The `outputs` (which read the columns `names` only, after `prepare`), row for row,
    evaluated once per distinct value, or combination of values, and joined back: most columns
    repeat a few values (tahun, sektor; kode_desa for every business of a village), and
    regular expressions cost per cell. Columns of mostly distinct values (omzet, NIB) are
    evaluated row by row, which is then cheaper than the join. `few`: whether the values (or
    combinations) are mostly repeated, when the caller knows; estimated otherwise."""
    names = [names] if isinstance(names, str) else names
    cells = frame.select(names)
    if few is None:  # the estimate costs a tenth of an exact count; it only chooses the way
        few = mostly_repeated(cells.select(distinct_estimate(names)).item(), cells.height)
    values = cells.unique() if few else cells
    if prepare is not None:
        values = prepare(values)
    values = values.select(*names, *outputs)
    if few:
        values = cells.join(values, on=names, how="left", nulls_equal=True, maintain_order="left")
    return values.drop(names)


def distinct_estimate(names: list[str]) -> pl.Expr:
    """About how many distinct values, or combinations of values, the columns hold."""
    key = pl.col(names[0]) if len(names) == 1 else pl.struct(names).hash()
    return key.approx_n_unique()


def _error(condition: pl.Expr, message: str | pl.Expr) -> pl.Expr:
    msg = pl.lit(message) if isinstance(message, str) else message
    return pl.when(condition).then(msg).otherwise(pl.lit(None, dtype=pl.String))


# --- numbers ----------------------------------------------------------------------------------
# Numbers are parsed in stages, each a with_columns over every number column at once: a single
# nested expression would repeat the whole body tree in every branch and run 30x slower.

NUMERIC_KINDS = (Kind.INTEGER, Kind.RUPIAH, Kind.DECIMAL)
TEXT_KINDS = (Kind.TEXT, Kind.NAMA_WILAYAH)  # kept as written (stripped): nothing to parse


def _neg(name: str) -> str:
    return f"__neg_{name}"


def _canon(name: str) -> str:
    return f"__canon_{name}"


def _body(name: str) -> str:
    return f"__body_{name}"


def _prefix(name: str) -> str:
    return f"__prefix_{name}"


def _stage_split(name: str, native: bool) -> list[pl.Expr]:
    text = blank_to_null(pl.col(name))
    if native:
        # Excel numeric cells arrive as the number's plain text (1234567.5): no locale rules.
        return [
            text.str.starts_with("-").alias(_prefix(name)),
            text.str.strip_prefix("-").alias(_body(name)),
        ]
    compact = text.str.replace_all(_SPACES, "")
    # An optional '-' before or after an optional Rp/Rp. prefix.
    prefix = compact.str.extract(r"^(-?(?:[Rr][Pp]\.?)?-?)", 1)
    return [
        prefix.alias(_prefix(name)),
        compact.str.slice(prefix.str.len_chars()).alias(_body(name)),
    ]


def _stage_canonical(name: str, kind: Kind, native: bool) -> list[pl.Expr]:
    """The canonical text: digits, and '.' as the decimal point; NULL when not a number."""
    body = pl.col(_body(name))
    if native:
        plain = body.str.contains(r"^\d+(\.\d+)?$")
        scientific = body.str.contains(r"^\d+(\.\d+)?[eE][-+]?\d+$")
        canonical = (
            pl.when(plain)
            .then(body)
            .when(scientific)
            .then(body.cast(pl.Float64, strict=False).cast(pl.Decimal(38, 10)).cast(pl.String))
        )
        # Drop trailing fraction zeros (1500000.0 -> 1500000) for the integer and sen checks.
        canonical = canonical.str.replace(r"(\.\d*?)0+$", "${1}").str.replace(r"\.$", "")
        return [pl.col(_prefix(name)).alias(_neg(name)), canonical.alias(_canon(name))]
    prefix = pl.col(_prefix(name))
    n_dot = body.str.count_matches(".", literal=True)
    n_comma = body.str.count_matches(",", literal=True)
    last_is_comma = body.str.contains(r",\d*$")
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
            pl.when(body.str.contains(r"^\d{1,3}(\.\d{3})*,\d+$")).then(
                body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
            )
        )
        .when((n_dot > 0) & (n_comma > 0))
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(,\d{3})*\.\d+$")).then(
                body.str.replace_all(",", "", literal=True)
            )
        )
        # two or more of one separator: thousands
        .when(n_dot >= 2)
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(\.\d{3})+$")).then(
                body.str.replace_all(".", "", literal=True)
            )
        )
        .when(n_comma >= 2)
        .then(
            pl.when(body.str.contains(r"^\d{1,3}(,\d{3})+$")).then(
                body.str.replace_all(",", "", literal=True)
            )
        )
        # a single comma is a decimal comma
        .when(n_comma == 1)
        .then(
            pl.when(body.str.contains(r"^\d+,\d+$")).then(body.str.replace(",", ".", literal=True))
        )
        # a single dot: thousands in integer and Rupiah columns when 3 digits follow
        .when(pl.lit(thousands_dot_ok) & body.str.contains(r"^\d{1,3}\.\d{3}$"))
        .then(body.str.replace(".", "", literal=True))
        .otherwise(pl.when(body.str.contains(r"^\d+\.\d+$")).then(body))
    )
    return [(prefix.str.count_matches("-") == 1).alias(_neg(name)), canonical.alias(_canon(name))]


def stage_numbers(frame: pl.DataFrame, columns: list[tuple[str, Kind, bool]]) -> pl.DataFrame:
    """Add the canonical text of every (name, kind, native) number column, in two passes."""
    if not columns:
        return frame
    frame = frame.with_columns(
        [e for name, _, native in columns for e in _stage_split(name, native)]
    )
    frame = frame.with_columns(
        [e for name, kind, native in columns for e in _stage_canonical(name, kind, native)]
    )
    return frame.drop([c for name, _, _ in columns for c in (_body(name), _prefix(name))])


def canonical_pattern(column: Column) -> str | None:
    """Text that every parser of the column's kind would read as itself: a column (from a CSV)
    whose every filled cell matches is simply cast to its type (machine exports: `1234567`,
    `1500000.50`, `62.03.05.2001`), and the full rules run on the others. Plain digits, and a
    decimal point that cannot be a thousands separator (1-2 digits after it for Rupiah, any
    for decimals); never more digits than the type holds, so "too large" stays the rules'."""
    return {
        Kind.INTEGER: r"^-?\d{1,18}$",
        Kind.RUPIAH: r"^-?\d{1,16}(\.\d{1,2})?$",
        Kind.DECIMAL: r"^-?\d{1,300}(\.\d+)?$",
        Kind.KODE_DESA: r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$",
        Kind.DIGITS: rf"^\d{{{column.digits}}}$" if column.digits else None,
    }.get(column.kind)


def parse_number(name: str, kind: Kind) -> Parsed:
    """Value and error of a number column prepared by stage_numbers."""
    canonical = pl.col(_canon(name))
    negative = pl.col(_neg(name))
    error = _error(
        canonical.is_null(), "bukan angka yang sah (contoh yang benar: 1234567 atau 1.234.567,50)"
    )
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


def parse_tahun(
    text: pl.Expr, native: bool = False, today: date | None = None, last: int | None = None
) -> Parsed:
    """A four-digit year from 2015 to next year, or to `last` (target years run to 2045)."""
    last_year = last or (today or date.today()).year + 1
    compact = text.str.replace_all(_SPACES, "")
    if native:
        compact = compact.str.replace(r"\.0+$", "")
    year = pl.when(compact.str.contains(r"^\d{4}$")).then(compact.cast(pl.Int32, strict=False))
    ok = year.is_between(2015, last_year)
    return (
        pl.when(ok).then(year).otherwise(None),
        _error(~ok.fill_null(False), f"tahun harus empat angka antara 2015 dan {last_year}"),
    )


def parse_tanggal(text: pl.Expr) -> Parsed:
    """A calendar date written `2026-03-31` or `31/03/2026`; an Excel date cell arrives as
    `2026-03-31 00:00:00`. A day that does not exist (31/02/2026) is an error."""
    compact = text.str.replace_all(_SPACES, " ").str.strip_chars()
    iso = compact.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$", 1)
    local = compact.str.extract(r"^(\d{1,2}/\d{1,2}/\d{4})$", 1)
    value = pl.coalesce(
        iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        local.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
    )
    return value, _error(
        value.is_null(), "bukan tanggal yang sah (contoh yang benar: 2026-03-31 atau 31/03/2026)"
    )


def parse_column(text: pl.Expr, column: Column, native: bool) -> Parsed:
    """Dispatch on the column's kind. `text` is already blank-to-NULL; number columns must have
    been prepared by stage_numbers."""
    kind = column.kind
    if kind in NUMERIC_KINDS:
        value, error = parse_number(column.name, kind)
    elif kind is Kind.KODE_DESA:
        value, error = parse_kode_desa(text)
    elif kind is Kind.KODE_WILAYAH:
        value, error = parse_kode_wilayah(text, native)
    elif kind is Kind.KODE_BPS:
        value, error = parse_digits(text.str.replace(r"\.0+$", ""), 4)
    elif kind is Kind.DIGITS:
        value, error = parse_digits(text, column.digits or 0)
    elif kind is Kind.TAHUN:
        last = int(column.maximum) if isinstance(column.maximum, int | float) else None
        value, error = parse_tahun(text, native, last=last)
    elif kind is Kind.BOOLEAN:
        value, error = parse_boolean(text)
    elif kind is Kind.CATEGORY:
        value, error = parse_category(text, column)
    elif kind is Kind.TANGGAL:
        value, error = parse_tanggal(text)
    else:  # TEXT_KINDS
        value, error = text, pl.lit(None, dtype=pl.String)
    # Blank cells are NULL with no error.
    return (
        pl.when(text.is_null()).then(None).otherwise(value),
        pl.when(text.is_null()).then(None).otherwise(error),
    )
