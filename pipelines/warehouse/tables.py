"""Reading and writing whole warehouse tables as Polars frames: the I/O every asset shares.

Table and column names come from code (declarations, asset names), never from a file; they are
still checked as plain identifiers before they reach SQL.
"""

import re
from collections.abc import Callable

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.warehouse.db import sql, transaction

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _name(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a table or column name: {identifier!r}")
    return identifier


def _statement(name: str, table: str) -> str:
    return sql(name).replace("{table}", _name(table))


def read(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str] | None = None,
    years: list[int] | None = None,
) -> pl.LazyFrame:
    """A table (or only some of its columns: wide tables at national scale) as a LazyFrame;
    with `years`, only those years' rows (filtered in DuckDB, before the copy to Polars)."""
    selected = ", ".join(_name(c) for c in columns) if columns else "*"
    statement = _statement("warehouse/read_table", table).replace("{columns}", selected)
    if years is not None:
        statement += " where tahun in (" + (", ".join(str(int(y)) for y in years) or "null") + ")"
    return con.sql(statement).pl().lazy()


def write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    also: Callable[[], None] | None = None,
) -> None:
    """Replace `table` with `frame`; `also` runs in the same transaction (bookkeeping)."""
    con.register("_frame", frame.to_arrow())  # Arrow registers ~10x faster than Polars
    try:
        with transaction(con):
            con.execute(_statement("warehouse/write_table", table))
            if also is not None:
                also()
    finally:
        con.unregister("_frame")


def replace_year(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, tahun: int
) -> None:
    """Replace one year's rows of `table` with `frame`, in one transaction."""
    replace_years(con, table, frame, [tahun])


def replace_years(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    years: list[int],
    also: Callable[[], None] | None = None,
) -> None:
    """Replace the rows of `years` in `table` with `frame`, in one transaction; `also` runs
    in the same transaction (bookkeeping)."""
    con.register("_frame", frame.to_arrow())
    try:
        with transaction(con):
            for tahun in years:
                con.execute(_statement("warehouse/delete_year", table), [tahun])
            con.execute(_statement("warehouse/append_frame", table))
            if also is not None:
                also()
    finally:
        con.unregister("_frame")


def union_view(con: duckdb.DuckDBPyConnection, view: str, tables: list[str]) -> None:
    """`view` = every row of `tables`, matched by column name."""
    selects = "\nunion all by name\n".join(f"select * from {_name(t)}" for t in tables)
    con.execute(_statement("warehouse/union_view", view).replace("{selects}", selects))


def head(con: duckdb.DuckDBPyConnection, table: str, n: int = 10) -> pl.DataFrame:
    return con.sql(_statement("warehouse/head_rows", table), params=[n]).pl()


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(_statement("warehouse/count_rows", table)).fetchall()[0][0]


def query(con: duckdb.DuckDBPyConnection, name: str, params: list | None = None) -> pl.DataFrame:
    """One statement of sql/<name>.sql as a DataFrame."""
    return con.sql(sql(name), params=params).pl()


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Every year that has any data, in any declared dataset (docs/contracts.md)."""
    union = "\nunion\n".join(
        sql("warehouse/data_years_one_dataset").replace("{dataset}", _name(d.name))
        for d in DATASETS.values()
        if d.holds_data_years
    )
    return sorted(row[0] for row in con.execute(union).fetchall())
