"""Stage 6: rules on typed values. Each is one vectorised expression: the reference lists
(areas), the declared ranges, the upload scope, the dataset's named rules (rules.py) and, where
some key repeats, the duplicate key."""

import polars as pl

from pipelines.contracts.datasets import Column, Dataset
from pipelines.ingest.parsing import per_distinct_value
from pipelines.ingest.reading import LINE
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation.areas import attach_reference, reference_checks
from pipelines.ingest.validation.issues import ERROR, WARNING, Check
from pipelines.ingest.validation.rules import rule_checks


def check_values(
    typed: pl.DataFrame,
    dataset: Dataset,
    reference: Reference,
    present: set[str],
    offset: int,
    extra: list[Check],
) -> tuple[pl.DataFrame, list[Check]]:
    """Rules on typed values; their messages land in `__chk<offset + i>` columns."""
    typed = attach_reference(typed, dataset, reference)
    checks = reference_checks(dataset) + _range_checks(dataset, present) + extra
    checks += rule_checks(dataset, reference, present)
    # The duplicate message needs a window per key; compute it only when some key repeats.
    typed = typed.with_columns(_loose_keys(typed, dataset))
    if typed.select(_key_columns(dataset)).is_duplicated().any():
        checks.append(_duplicate_key_check(dataset))
    typed = typed.with_columns(
        [c.message.alias(f"__chk{offset + i}") for i, c in enumerate(checks)]
    )
    return typed, checks


def _format_bound(column: Column, bound: float | str) -> str:
    if isinstance(bound, str):
        return bound
    return f"{bound:g}"


def _range_checks(dataset: Dataset, present: set[str]) -> list[Check]:
    checks = []
    for column in dataset.all_columns:
        if column.name not in present:
            continue
        value = pl.col(column.name)
        severity = ERROR if column.range_blocking else WARNING
        if column.minimum is not None:
            bound = (
                pl.col(column.minimum)
                if isinstance(column.minimum, str)
                else pl.lit(column.minimum)
            )
            too_low = value <= bound if column.minimum_exclusive else value < bound
            sign = ">" if column.minimum_exclusive else ">="
            text = f"harus {sign} {_format_bound(column, column.minimum)}"
            checks.append(Check(column.name, pl.when(too_low).then(pl.lit(text)), severity))
        if column.maximum is not None:
            if isinstance(column.maximum, str):
                if column.maximum not in present:
                    continue
                bound = pl.col(column.maximum)
                text = pl.format(
                    "tidak boleh lebih besar dari {} ({})",
                    pl.lit(column.maximum),
                    bound.cast(pl.String),
                )
            else:
                bound = pl.lit(column.maximum)
                text = pl.lit(f"harus <= {_format_bound(column, column.maximum)}")
            checks.append(Check(column.name, pl.when(value > bound).then(text), severity))
    return checks


def _loose_key(name: str) -> str:
    return f"__key_{name}"


def _loose_keys(typed: pl.DataFrame, dataset: Dataset) -> list[pl.Series]:
    """Name columns of the key compare case- and space-insensitively: their compared form, once
    per distinct name (literal replaces: a regex over every name costs several times more)."""
    return [
        per_distinct_value(
            typed,
            name,
            [
                pl.col(name)
                .str.to_lowercase()
                .str.replace_all(" ", "", literal=True)
                .str.replace_all("\t", "", literal=True)
                .str.replace_all("\u00a0", "", literal=True)
                .alias(_loose_key(name))
            ],
        ).to_series()
        for name in dataset.key
        if name in dataset.loose_key_columns
    ]


def _key_columns(dataset: Dataset) -> list[str]:
    """The natural key, as compared (_loose_keys)."""
    return [_loose_key(n) if n in dataset.loose_key_columns else n for n in dataset.key]


def _duplicate_key_check(dataset: Dataset) -> Check:
    key_exprs = [pl.col(c) for c in _key_columns(dataset)]
    first_line = pl.col(LINE).min().over(key_exprs)
    duplicate = pl.len().over(key_exprs) > 1
    complete = pl.all_horizontal(pl.col(n).is_not_null() for n in dataset.key)
    return Check(
        dataset.key[0],
        pl.when(duplicate & complete).then(
            pl.format(
                "kunci ({}) muncul lebih dari sekali; pertama di baris {}",
                pl.lit(", ".join(dataset.key)),
                first_line.cast(pl.String),
            )
        ),
    )
