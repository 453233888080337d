"""Stage 5: every declared column typed by its kind (pipelines.ingest.parsing has one parser
per kind), with the cell checks that read the text as written: unparseable, required but blank,
an unknown category."""

from collections.abc import Callable
from functools import partial

import polars as pl

from pipelines.contracts.datasets import Column, Dataset, Kind, Villages
from pipelines.ingest.parsing import (
    NUMERIC_KINDS,
    TEXT_KINDS,
    canonical_pattern,
    distinct_estimate,
    mostly_repeated,
    normalise_token,
    parse_column,
    per_distinct_value,
    stage_numbers,
)
from pipelines.ingest.reading import RawTable
from pipelines.ingest.validation.issues import WARNING, Check


def parse_cells(
    raw: pl.DataFrame,
    table: RawTable,
    dataset: Dataset,
    present: set[str],
    in_file: set[str],
    area_checks: list[Check],
) -> tuple[pl.DataFrame, list[Check]]:
    """Every declared column typed by its kind, each with its parse and cell checks, which read
    the raw text; the area checks run beside them. Returns the typed frame (check i's messages in
    column `__chk<i>`) and all those checks."""
    # Codes resolved from names or BPS codes are typed already.
    resolved = {"kode_desa"} if "kode_desa" not in in_file else set()
    if dataset.villages is Villages.KABUPATEN and "kode_wilayah" not in in_file:
        resolved.add("kode_wilayah")

    def is_native(column: Column) -> bool:
        # Excel cells typed as numbers skip the locale rules; a code column from Excel may
        # hold a mix of text and numeric cells, so codes read from Excel always get the
        # numeric-code repair (62.1 -> 62.10).
        return column.name in table.native_numeric or (
            table.from_excel and column.kind in (Kind.KODE_WILAYAH, Kind.TAHUN)
        )

    parsed = [
        c
        for c in dataset.all_columns
        if c.name in present and (c.name not in resolved or c.kind is Kind.TEXT)
    ]
    canonical = _already_canonical(raw, [c for c in parsed if not is_native(c)])
    checks, row_by_row, parsed_by_value = list(area_checks), [], []
    absent = [
        pl.lit(None).cast(_polars_type(c)).alias(c.name)
        for c in dataset.all_columns
        if c.name not in present
    ]
    for column in parsed:
        if column.name in canonical:
            value, error = pl.col(column.name), pl.lit(None, dtype=pl.String)
        else:
            value, error = parse_column(pl.col(column.name), column, is_native(column))
        column_checks = [Check(column.name, error), *_cell_checks(column)]
        outputs = [
            value.cast(_polars_type(column)).alias(f"__typed_{column.name}"),
            *[c.message.alias(f"__chk{len(checks) + i}") for i, c in enumerate(column_checks)],
        ]
        checks += column_checks
        if column.name in canonical or column.kind in TEXT_KINDS:
            # a cast, or the text itself: row by row costs less than any lookup
            row_by_row += outputs
            continue
        parsed_by_value.append((column, outputs))

    per_column = _parse_by_value(raw, parsed_by_value, is_native)

    # The area checks read several raw columns: evaluated row by row, beside the absent columns
    # and the columns typed row by row, in one pass.
    area = raw.with_columns(
        *[c.message.alias(f"__chk{i}") for i, c in enumerate(area_checks)], *absent, *row_by_row
    )
    typed = pl.concat([area, *per_column], how="horizontal")
    typed_names = [c.removeprefix("__typed_") for c in typed.columns if c.startswith("__typed_")]
    typed = typed.drop(typed_names).rename({f"__typed_{n}": n for n in typed_names})
    return typed, checks


def _parse_by_value(
    raw: pl.DataFrame,
    columns: list[tuple[Column, list[pl.Expr]]],
    is_native: Callable[[Column], bool],
) -> list[pl.DataFrame]:
    """Each (column, its outputs): the columns of few distinct values evaluated together, once
    per combination of their values, and the others row by row, together too: two Polars passes
    where a pass per column cost a national UMKM file 40 of its 78 Polars calls. When their
    combinations are not few (an Excel file's kode_desa beside tenaga_kerja), each of those
    columns is evaluated once per its own values, as the combined pass would be row by row."""
    if not columns:
        return []
    names = [column.name for column, _ in columns]
    counts = raw.select(pl.col(n).approx_n_unique() for n in names).row(0)
    few = {n for n, count in zip(names, counts, strict=True) if mostly_repeated(count, raw.height)}
    repeated = [(c, o) for c, o in columns if c.name in few]
    if len(repeated) > 1:
        combinations = raw.select(distinct_estimate([c.name for c, _ in repeated])).item()
        together = mostly_repeated(combinations, raw.height)
    else:
        together = True
    groups = [(repeated, True)] if together else [([pair], True) for pair in repeated]
    groups.append(([(c, o) for c, o in columns if c.name not in few], False))
    frames = []
    for group, by_value in groups:
        if not group:
            continue
        # number parsers read the staged canonical text
        numbers = [(c.name, c.kind, is_native(c)) for c, _ in group if c.kind in NUMERIC_KINDS]
        prepare = partial(stage_numbers, columns=numbers) if numbers else None
        outputs = [e for _, column_outputs in group for e in column_outputs]
        group_names = [c.name for c, _ in group]
        frames.append(per_distinct_value(raw, group_names, outputs, prepare, few=by_value))
    return frames


def _already_canonical(raw: pl.DataFrame, columns: list[Column]) -> set[str]:
    """The columns whose every filled cell is already written as its kind's parser would
    write it (parsing.canonical_pattern): one pass over all of them."""
    patterns = {c.name: p for c in columns if (p := canonical_pattern(c)) is not None}
    if not patterns:
        return set()
    verdicts = raw.select(
        (pl.col(name).str.contains(pattern) | pl.col(name).is_null()).all().alias(name)
        for name, pattern in patterns.items()
    ).row(0, named=True)
    return {name for name, canonical in verdicts.items() if canonical}


def _cell_checks(column: Column) -> list[Check]:
    """Required cells filled; unknown categories mapped, with a warning."""
    checks = []
    if column.required:
        blank = pl.when(pl.col(column.name).is_null()).then(pl.lit("wajib diisi"))
        checks.append(Check(column.name, blank))
    if column.unknown_category_becomes is not None:
        token = normalise_token(pl.col(column.name))
        unknown = pl.col(column.name).is_not_null() & ~token.is_in(list(column.categories))
        message = f"nilai tidak dikenal, dicatat sebagai '{column.unknown_category_becomes}'"
        checks.append(Check(column.name, pl.when(unknown).then(pl.lit(message)), WARNING))
    return checks


def _polars_type(column: Column) -> pl.DataType:
    return {
        "VARCHAR": pl.String(),
        "INTEGER": pl.Int32(),
        "BIGINT": pl.Int64(),
        "DECIMAL(18,2)": pl.Decimal(18, 2),
        "DOUBLE": pl.Float64(),
        "BOOLEAN": pl.Boolean(),
        "DATE": pl.Date(),
    }[column.sql_type]
