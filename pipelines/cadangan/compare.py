"""Comparing a rebuilt snapshot with a backed-up one: `kpi` bit for bit, the rest row for row.

`kpi` is written in key order and is deterministic (the same warehouse contents publish the same
table), so it is compared in stored order, column types included, doubles by value and sign bit
(-0.0 is not 0.0; DuckDB holds every NaN equal, and `kpi` has NULL, not NaN, where a value is
undefined). Other tables are compared as multisets of rows: by a fingerprint (the sum of the
row hashes, as the publish step fingerprints tables), and where those differ, EXCEPT ALL names
a row: nothing promises their stored order.

Both snapshots are attached read-only to one in-memory DuckDB connection under the warehouse's
memory limit, so the national `kpi` (32 M rows) is compared by streaming and spilling, not in
Python memory (loading both into Polars peaked at 16.6 GB).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from laporan.formatting import number
from pipelines.contracts.kpis import KPI_KEY
from pipelines.settings import duckdb_memory_limit
from pipelines.warehouse.db import render, sql

# Written by each publish itself (when, by which run; what each table was built from): never
# the same in two snapshots, and no reader's business.
RUN_BOOKKEEPING = ("snapshot_info", "_sidik_terbit")
FLOATS = ("DOUBLE", "FLOAT", "REAL")


@contextmanager
def attached(old: Path, new: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """`lama` (the backed-up snapshot) and `baru` (the rebuilt one), read-only."""
    con = duckdb.connect(config={"memory_limit": duckdb_memory_limit()})
    try:
        con.execute(sql("cadangan/quiet"))
        con.execute(render("cadangan/attach", db="lama"), [str(old)])
        con.execute(render("cadangan/attach", db="baru"), [str(new)])
        yield con
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> list[str]:
    return [r[0] for r in con.execute(sql("cadangan/list_tables"), [db]).fetchall()]


def _schema(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str, str]]:
    rows = con.execute(render("cadangan/describe_table", db=db, table=table))
    return [(row[0], row[1]) for row in rows.fetchall()]


def _count(con: duckdb.DuckDBPyConnection, db: str, table: str) -> int:
    return con.execute(render("cadangan/count_rows", db=db, table=table)).fetchall()[0][0]


def _value(x: object) -> str:
    if x is None:
        return "NULL"
    if isinstance(x, float):
        return repr(x)  # every digit: the point is to see the difference
    return str(x)


def _shape(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """The difference in columns or row count, if any."""
    old, new = _schema(con, "lama", table), _schema(con, "baru", table)
    if old != new:
        return (
            "kolom berbeda: cadangan "
            + ", ".join(f"{c} {t}" for c, t in old)
            + "; bangun ulang "
            + ", ".join(f"{c} {t}" for c, t in new)
        )
    n_old, n_new = _count(con, "lama", table), _count(con, "baru", table)
    if n_old != n_new:
        return f"jumlah baris: cadangan {number(n_old)}, bangun ulang {number(n_new)}"
    return None


def compare_ordered(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """`table` of both snapshots, in stored order, bit for bit; None when identical."""
    shape = _shape(con, table)
    if shape is not None:
        return shape
    schema = _schema(con, "lama", table)
    differs = [
        render(
            "cadangan/double_differs" if kind in FLOATS else "cadangan/column_differs",
            column=column,
        )
        for column, kind in schema
    ]
    rows = con.execute(render("cadangan/first_difference", table=table, differs=differs)).fetchall()
    if not rows:
        return None
    names = [f"{side}_{c}" for side in "ab" for c, _ in schema]  # the backup's, then the rebuild's
    row = dict(zip(names, rows[0], strict=True))
    columns = [c for c, t in schema if _differs(row[f"a_{c}"], row[f"b_{c}"], t)]
    key = [c for c in KPI_KEY if any(c == name for name, _ in schema)] or [c for c, _ in schema[:3]]
    where = ", ".join(f"{c}={_value(row[f'a_{c}'])}" for c in key)
    values = "; ".join(
        f"{c}: cadangan {_value(row[f'a_{c}'])}, bangun ulang {_value(row[f'b_{c}'])}"
        for c in columns
    )
    return f"baris pertama yang berbeda ({where}): {values}"


def _differs(a: object, b: object, kind: str) -> bool:
    if kind in FLOATS and isinstance(a, float) and isinstance(b, float):
        return repr(a) != repr(b)
    return a != b


def compare_rows(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """`table` of both snapshots as multisets of rows; None when the same."""
    shape = _shape(con, table)
    if shape is not None:
        return shape
    fingerprints = {
        con.execute(render("cadangan/fingerprint", db=db, table=table)).fetchall()[0][0]
        for db in ("lama", "baru")
    }
    if len(fingerprints) == 1:
        return None
    for first, second, where in (("lama", "baru", "cadangan"), ("baru", "lama", "bangun ulang")):
        statement = render("cadangan/rows_only_in", first=first, second=second, table=table)
        rows = con.execute(statement).fetchall()
        if rows:
            shown = ", ".join(_value(v) for v in rows[0][:6])
            return f"ada baris yang hanya di {where}: ({shown}{', …' if len(rows[0]) > 6 else ''})"
    return None


def compare_snapshots(old: Path, new: Path) -> dict[str, str | None]:
    """Every published table of `old` against `new` (`kpi` bit for bit, the others as rows),
    leaving out what each publish writes about itself; None marks a table that is the same."""
    result: dict[str, str | None] = {}
    with attached(old, new) as con:
        found = set(_tables(con, "baru"))
        for table in _tables(con, "lama"):
            if table in RUN_BOOKKEEPING:
                continue
            if table not in found:
                result[table] = "tidak ada di snapshot hasil bangun ulang"
            elif table == "kpi":
                result[table] = compare_ordered(con, table)
            else:
                result[table] = compare_rows(con, table)
    return result
