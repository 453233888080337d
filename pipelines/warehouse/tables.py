"""Reading and writing whole warehouse tables as Polars frames: the I/O every asset shares.

Table and column names come from code (declarations, asset names), never from a file; they
reach SQL only through `render`, which knows them (pipelines.warehouse.db.known_names).
"""

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.warehouse.db import registered, render, sql, transaction


def read(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str] | None = None,
    years: list[int] | None = None,
) -> pl.LazyFrame:
    """A table (or only some of its columns: wide tables at national scale) as a LazyFrame;
    with `years`, only those years' rows (filtered in DuckDB, before the copy to Polars)."""
    where = render("warehouse/all_rows" if years is None else "warehouse/rows_of_years")
    if columns:
        statement = render("warehouse/read_columns", columns=columns, table=table, where=where)
    else:
        statement = render("warehouse/read_table", table=table, where=where)
    params = None if years is None else [[int(y) for y in years]]
    return con.sql(statement, params=params).pl().lazy()


def write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
) -> None:
    """Replace `table` with `frame`, in one transaction."""
    with registered(con, "_frame", frame), transaction(con):
        con.execute(render("warehouse/write_table", table=table))


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
) -> None:
    """Replace the rows of `years` in `table` with `frame`, in one transaction."""
    with registered(con, "_frame", frame), transaction(con):
        for tahun in years:
            con.execute(render("warehouse/delete_year", table=table), [tahun])
        con.execute(render("warehouse/append_frame", table=table))


def union_view(con: duckdb.DuckDBPyConnection, view: str, tables: list[str]) -> None:
    """`view` = every row of `tables`, matched by column name."""
    selects = [render("warehouse/union_part", table=t) for t in tables]
    con.execute(render("warehouse/union_view", table=view, selects=selects))


def head(con: duckdb.DuckDBPyConnection, table: str, n: int = 10) -> pl.DataFrame:
    return con.sql(render("warehouse/head_rows", table=table), params=[n]).pl()


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(render("warehouse/count_rows", table=table)).fetchall()[0][0]


def query(con: duckdb.DuckDBPyConnection, name: str, params: list | None = None) -> pl.DataFrame:
    """One statement of sql/<name>.sql as a DataFrame."""
    return con.sql(sql(name), params=params).pl()


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Every year that has any data, in any declared dataset (docs/contracts.md)."""
    per_dataset = [
        render("warehouse/data_years_one_dataset", dataset=d.name)
        for d in DATASETS.values()
        if d.holds_data_years
    ]
    statement = render("warehouse/data_years", per_dataset=per_dataset)
    return sorted(row[0] for row in con.execute(statement).fetchall())


def exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the warehouse has `table` (a table or a view)."""
    return bool(con.execute(sql("warehouse/table_exists"), [table]).fetchall()[0][0])
