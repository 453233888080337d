"""Stages 2 and 4: headers to canonical names, and the declared columns a file must have."""

import re

import polars as pl

from pipelines.contracts.datasets import AREA_COLUMNS, VILLAGE_NAME_COLUMNS, Dataset, Villages
from pipelines.ingest.parsing import blank_to_null
from pipelines.ingest.reading import RawTable, normalise_header
from pipelines.ingest.validation.issues import Validation, rejected

PLAIN_NAME = re.compile(r"^[a-z0-9_]+$")


def canonical_names(source_columns: list[str], dataset: Dataset) -> list[str]:
    """The canonical name of each header as written: normalised, an alias as its column. A
    header that is not a plain name (`*`, `^x$`) would be a pattern to pl.col, so it gets a
    safe name of its own; reports still show the header as written."""
    aliases = {alias: c.name for c in dataset.all_columns for alias in c.aliases}
    names = [aliases.get(n, n) for n in map(normalise_header, source_columns)]
    return [n if PLAIN_NAME.match(n) else f"_kolom_{i + 1}" for i, n in enumerate(names)]


def canonical_headers(
    table: RawTable, dataset: Dataset
) -> tuple[pl.DataFrame, dict[str, str]] | Validation:
    """Rename the columns to their canonical names (an alias counts as its column) and blank
    cells to NULL; returns the frame and {canonical: header as written}, or a rejection."""
    canonical = canonical_names(table.source_columns, dataset)
    source_names: dict[str, str] = {}
    for source, name in zip(table.source_columns, canonical, strict=True):
        if name in source_names:
            return rejected([f"kolom '{source}' dan '{source_names[name]}' bernama sama"], [])
        source_names[name] = source
    raw = table.frame.rename(dict(zip(table.source_columns, canonical, strict=True)))
    return raw.with_columns(blank_to_null(pl.col(c)).alias(c) for c in canonical), source_names


def unknown_column_warnings(dataset: Dataset, source_names: dict[str, str]) -> list[str]:
    declared = {c.name for c in dataset.all_columns}
    if dataset.villages in (Villages.DESA, Villages.DESA_KELURAHAN):
        declared |= set(VILLAGE_NAME_COLUMNS)
    unknown = [source for name, source in source_names.items() if name not in declared]
    return [f"kolom yang tidak dikenal diabaikan: {', '.join(unknown)}"] if unknown else []


def missing_required(dataset: Dataset, present: set[str]) -> list[str]:
    missing = [
        c.name
        for c in dataset.all_columns
        if c.required and c.name not in present and c.name not in AREA_COLUMNS
    ]
    return [f"kolom wajib tidak ada: {', '.join(missing)}"] if missing else []
