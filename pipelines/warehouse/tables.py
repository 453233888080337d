"""Reading and writing whole warehouse tables as Polars frames: the I/O every asset shares.

Table and column names come from code (declarations, asset names), never from a file; they are
still checked as plain identifiers before they reach SQL.
"""

import re

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.warehouse.db import sql

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _name(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a table or column name: {identifier!r}")
    return identifier


def _statement(name: str, table: str) -> str:
    return sql(name).replace("{table}", _name(table))


def read(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | None = None
) -> pl.LazyFrame:
    """A table (or only some of its columns: wide tables at national scale) as a LazyFrame."""
    selected = ", ".join(_name(c) for c in columns) if columns else "*"
    return (
        con.sql(_statement("warehouse/read_table", table).replace("{columns}", selected))
        .pl()
        .lazy()
    )


def write(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Replace `table` with `frame`."""
    con.register("_frame", frame.to_arrow())  # Arrow registers ~10x faster than Polars
    try:
        con.execute(_statement("warehouse/write_table", table))
    finally:
        con.unregister("_frame")


def replace_year(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, tahun: int
) -> None:
    """Replace one year's rows of `table` with `frame`, in one transaction."""
    con.begin()
    try:
        con.execute(_statement("warehouse/delete_year", table), [tahun])
        con.register("_frame", frame.to_arrow())
        con.execute(_statement("warehouse/append_frame", table))
        con.commit()
    except Exception:
        con.rollback()
        raise
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
    """Every year that has any data, in any declared dataset (outputs.md)."""
    union = "\nunion\n".join(
        sql("warehouse/data_years_one_dataset").replace("{dataset}", _name(d.name))
        for d in DATASETS.values()
        if d.holds_data_years
    )
    return sorted(row[0] for row in con.execute(union).fetchall())
