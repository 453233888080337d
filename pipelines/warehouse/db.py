"""The working DuckDB warehouse: one writer at a time, SQL from sql/, slices replaced atomically.

DuckDB allows one read-write process per file and has no lock wait of its own, so every opener
goes through `Warehouse.connect()`, which first takes an exclusive `flock` on a lock file beside
the database and waits for it. Two pipeline runs (the sensor's and an analyst's CLI run, say)
therefore queue instead of failing with "Could not set lock on file". The dashboard never opens
this file: it reads the published snapshot only.
"""

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.faults import failpoint
from pipelines.settings import SQL_DIR, duckdb_memory_limit


class WarehouseBusy(Exception):
    pass


@cache
def sql(name: str) -> str:
    """Read one statement from sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def table_sql(name: str, table: str) -> str:
    """A statement whose table name is filled in from the dataset allow-list."""
    if table not in DATASETS:
        raise ValueError(f"unknown dataset table {table!r}")
    return sql(name).replace("{table}", table)


class Warehouse:
    def __init__(
        self, path: Path, lock_timeout_s: float = 900.0, memory_limit: str | None = None
    ) -> None:
        self.path = path
        self.memory_limit = memory_limit or duckdb_memory_limit()
        self.lock_path = path.with_suffix(".lock")
        self.lock_timeout_s = lock_timeout_s

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as lock:
            deadline = time.monotonic() + self.lock_timeout_s
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WarehouseBusy(
                            f"warehouse {self.path} still locked after {self.lock_timeout_s:.0f}s"
                        ) from None
                    time.sleep(0.2)
            try:
                # preserve_insertion_order off: nothing relies on insertion order (reads and
                # the ordered snapshot tables sort explicitly), and without it DuckDB writes
                # large tables in parallel (~30% faster on the KPI marts) and need not buffer
                # rows to keep their order. memory_limit: DuckDB's default (80% of the machine)
                # let cached blocks and the sorts take 7.5 GB on the national run; with a limit
                # it evicts and spills instead (pipelines.settings.DEFAULT_DUCKDB_MEMORY_LIMIT).
                con = duckdb.connect(
                    str(self.path),
                    config={
                        "preserve_insertion_order": False,
                        "memory_limit": self.memory_limit,
                    },
                )
                try:
                    ensure_schema(con)
                    yield con
                finally:
                    con.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the log and one table per declared dataset; add columns a declaration gained."""
    con.execute(sql("warehouse/create_ingest_log"))
    con.execute(sql("warehouse/migrate_ingest_log"))
    con.execute(sql("warehouse/create_kpi_guard"))
    con.execute(sql("warehouse/create_irisan_diterima"))
    con.execute(sql("warehouse/create_jadwal_pelaporan_bawaan"))
    con.execute(sql("warehouse/create_notifikasi_log"))
    for dataset in DATASETS.values():
        columns = [f"{c.name} {c.sql_type}" for c in dataset.all_columns]
        columns += ["kode_kab VARCHAR", "sha256 VARCHAR", "dimuat_pada TIMESTAMP"]
        con.execute(f"create table if not exists {dataset.name} ({', '.join(columns)})")
        existing = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_name = ?",
                [dataset.name],
            ).fetchall()
        }
        for column in dataset.all_columns:
            if column.name not in existing:
                con.execute(
                    f"alter table {dataset.name} add column {column.name} {column.sql_type}"
                )


def accepted_copy(con: duckdb.DuckDBPyConnection, dataset: str, sha256: str) -> str | None:
    """Where the accepted file with these bytes was stored, if it was loaded before."""
    rows = con.execute(sql("warehouse/find_accepted_sha"), [dataset, sha256]).fetchall()
    return rows[0][0] if rows else None


def log_file(con: duckdb.DuckDBPyConnection, entry: dict) -> None:
    con.execute(
        sql("warehouse/insert_ingest_log"),
        [
            entry["file_name"],
            entry["dataset"],
            entry["sha256"],
            entry["received_at"],
            entry["status"],
            entry.get("rows"),
            entry.get("report"),
            entry.get("stored_as"),
            entry.get("errors", 0),
            entry.get("warnings", 0),
            entry.get("pengunggah"),
        ],
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Everything inside commits together, or not at all."""
    con.begin()
    try:
        yield
        con.commit()
    except Exception:
        con.rollback()
        raise


def replace_slices(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    rows: pl.DataFrame,
    sha256: str,
    loaded_at: datetime,
    log_entry: dict,
) -> None:
    """Replace every (kode_kab, tahun) slice the rows hold, and log the file, in one transaction.

    Either the new rows and the log entry are both in the warehouse, or neither is.
    """
    # An Arrow table registers ~10x faster than a Polars frame (no per-column adapters).
    con.register("new_rows", rows.to_arrow())
    try:
        with transaction(con):
            con.execute(
                table_sql("warehouse/delete_slices", dataset.name)
                .replace("{slice_columns}", ", ".join(dataset.slice_columns))
                .replace(
                    "{slice_match}",
                    " and ".join(f"{dataset.name}.{c} = slice.{c}" for c in dataset.slice_columns),
                )
            )
            failpoint("ingest.mid_write")
            con.execute(table_sql("warehouse/insert_rows", dataset.name), [sha256, loaded_at])
            if dataset.holds_data_years:  # a slice of data that a calendar may wait for
                con.execute(sql("warehouse/record_slices"), [dataset.name, sha256, loaded_at])
            log_file(con, log_entry)
    finally:
        con.unregister("new_rows")
