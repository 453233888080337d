"""Comparing a rebuilt snapshot with a backed-up one: `kpi` bit for bit, the rest row for row.

`kpi` is written in key order and is deterministic (the same warehouse contents publish the same
table), so it is compared in stored order, column types included, and doubles by their bits
(so -0.0 and 0.0, or two NaNs of different payload, would count as different). Other tables
are compared as sets of rows: nothing promises their stored order.
"""

import re
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from laporan.formatting import number
from pipelines.warehouse.db import sql

# Written by each publish itself (when, by which run; what each table was built from): never
# the same in two snapshots, and no reader's business.
RUN_BOOKKEEPING = ("snapshot_info", "_sidik_terbit")
KPI_KEY = ("tingkat", "kode_wilayah", "tahun", "kpi_id")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _statement(name: str, table: str) -> str:
    if not _IDENTIFIER.match(table):
        raise ValueError(f"not a table name: {table!r}")
    return sql(name).replace("{table}", table)


def tables(snapshot: Path) -> list[str]:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return [row[0] for row in con.execute(sql("cadangan/list_tables")).fetchall()]


def read(snapshot: Path, table: str) -> tuple[list[tuple[str, str]], pl.DataFrame]:
    """A table's (column, DuckDB type) list and its rows in stored order."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        schema = [
            (row[0], row[1])
            for row in con.execute(_statement("cadangan/describe_table", table)).fetchall()
        ]
        return schema, con.sql(_statement("cadangan/read_table", table)).pl()


def _differs(a: pl.Series, b: pl.Series) -> np.ndarray:
    """Per row: True where the two values are not the same (bits, for doubles)."""
    if a.dtype.is_float():
        nulls_a, nulls_b = a.is_null().to_numpy(), b.is_null().to_numpy()
        bits_a = a.fill_null(0.0).cast(pl.Float64).to_numpy().view(np.uint64)
        bits_b = b.fill_null(0.0).cast(pl.Float64).to_numpy().view(np.uint64)
        return (nulls_a != nulls_b) | (~nulls_a & (bits_a != bits_b))
    return a.ne_missing(b).fill_null(True).to_numpy()


def _value(x: object) -> str:
    if x is None:
        return "NULL"
    if isinstance(x, float):
        return repr(x)  # every digit: the point is to see the difference
    return str(x)


def first_difference(
    schema_old: list[tuple[str, str]],
    old: pl.DataFrame,
    schema_new: list[tuple[str, str]],
    new: pl.DataFrame,
) -> str | None:
    """None when the two are the same, row by row in this order; else the first difference,
    named in Bahasa Indonesia."""
    if schema_old != schema_new:
        return (
            "kolom berbeda: cadangan "
            + ", ".join(f"{c} {t}" for c, t in schema_old)
            + "; bangun ulang "
            + ", ".join(f"{c} {t}" for c, t in schema_new)
        )
    n = min(old.height, new.height)
    first, columns = n, []
    for column in old.columns:
        rows = np.flatnonzero(_differs(old[column][:n], new[column][:n]))
        if rows.size and rows[0] < first:
            first, columns = int(rows[0]), [column]
        elif rows.size and rows[0] == first:
            columns.append(column)
    if first == n:
        if old.height == new.height:
            return None
        return (
            f"jumlah baris: cadangan {number(old.height)}, bangun ulang {number(new.height)} "
            f"(sama sampai baris {number(n)})"
        )
    key = [c for c in KPI_KEY if c in old.columns] or old.columns[:3]
    where = ", ".join(f"{c}={_value(old[c][first])}" for c in key)
    values = "; ".join(
        f"{c}: cadangan {_value(old[c][first])}, bangun ulang {_value(new[c][first])}"
        for c in columns
    )
    return f"baris {number(first + 1)} ({where}): {values}"


def compare_ordered(old: Path, new: Path, table: str) -> str | None:
    """`table` of two snapshots, in stored order, bit for bit; None when identical."""
    schema_old, frame_old = read(old, table)
    schema_new, frame_new = read(new, table)
    return first_difference(schema_old, frame_old, schema_new, frame_new)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True) if frame.width else frame


def compare_rows(old: Path, new: Path, table: str) -> str | None:
    """`table` of two snapshots as sets of rows (sorted first); None when the same."""
    schema_old, frame_old = read(old, table)
    schema_new, frame_new = read(new, table)
    if schema_old != schema_new:
        return first_difference(schema_old, frame_old, schema_new, frame_new)
    return first_difference(schema_old, _sorted(frame_old), schema_new, _sorted(frame_new))


def compare_snapshots(old: Path, new: Path) -> dict[str, str | None]:
    """Every published table of `old` against `new` (`kpi` bit for bit, the others as rows),
    leaving out what each publish writes about itself; None marks a table that is the same."""
    found = set(tables(new))
    result: dict[str, str | None] = {}
    for table in tables(old):
        if table in RUN_BOOKKEEPING:
            continue
        if table not in found:
            result[table] = "tidak ada di snapshot hasil bangun ulang"
        elif table == "kpi":
            result[table] = compare_ordered(old, new, table)
        else:
            result[table] = compare_rows(old, new, table)
    return result
