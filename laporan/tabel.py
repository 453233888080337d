"""Small helpers shared by the workbooks: tables in any common shape, and safe cell text."""

import json
from collections.abc import Iterable, Mapping
from typing import Any

# Excel's limits (a cell holds at most 32,767 characters; a sheet at most 1,048,576 rows).
MAX_CELL_CHARS = 32_767
MAX_SHEET_ROWS = 1_048_576
TRUNCATED = " …(dipotong)"


def records(table: Any) -> list[dict]:
    """A polars or pandas frame, a pyarrow table, or an iterable of dicts -> a list of dicts.

    The dashboard holds snapshot tables as frames and the pipeline CLI builds them as frames or
    plain rows; the workbooks accept either, so neither caller converts for us.
    """
    if table is None:
        return []
    if hasattr(table, "to_dicts"):  # polars
        return table.to_dicts()
    if hasattr(table, "to_pylist"):  # pyarrow
        return table.to_pylist()
    if hasattr(table, "to_dict") and hasattr(table, "columns"):  # pandas
        return table.to_dict("records")
    return [dict(row) for row in table]


def columns(table: Any, names: Iterable[str]) -> dict[str, list]:
    """The named columns of a table of any shape `records` takes, as lists (a column the table
    lacks: all None). Much faster than `records` over a large frame read by column."""
    if hasattr(table, "to_dicts"):  # polars
        present, column = set(table.columns), lambda name: table[name].to_list()
    elif hasattr(table, "to_pylist"):  # pyarrow
        present, column = set(table.column_names), lambda name: table.column(name).to_pylist()
    elif hasattr(table, "to_dict") and hasattr(table, "columns"):  # pandas
        present, column = set(table.columns), lambda name: table[name].tolist()
    else:
        rows = records(table)
        return {name: [r.get(name) for r in rows] for name in names}
    height = len(table)
    return {name: column(name) if name in present else [None] * height for name in names}


def definition_columns(definition: Mapping) -> list[dict]:
    """The `kolom` of a dataset_definisi row: a JSON text in the snapshot, a list in memory."""
    kolom = definition["kolom"]
    return json.loads(kolom) if isinstance(kolom, str) else [dict(c) for c in kolom]


def cell_text(value: object) -> str:
    """Text for one cell, cut to Excel's limit (longer text would make the workbook invalid)."""
    text = "" if value is None else str(value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATED)] + TRUNCATED
    return text


def join_limited(parts: Iterable[str], limit: int = 2000) -> str:
    """Join lines for a comment, cut politely: a comment is for reading, not for archiving."""
    text = "\n".join(parts)
    return text if len(text) <= limit else text[: limit - len(TRUNCATED)] + TRUNCATED


def comment_size(text: str, width: int = 380, chars_per_line: int = 58) -> dict:
    """A comment box that shows its whole text (Excel does not grow it by itself)."""
    lines = sum(max(1, -(-len(line) // chars_per_line)) for line in text.splitlines())
    return {"width": width, "height": 16 * lines + 12}
