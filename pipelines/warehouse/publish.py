"""Publish the warehouse as an immutable snapshot file, atomically.

The snapshot is built in `<published>.tmp` through an ATTACH on the pipeline's own warehouse
connection, closed, fsynced, and then `os.replace`d over `published/dasbor.duckdb`. A reader
holding the old file open keeps reading the old inode, consistently; the next reader to open
the path gets the new file. A run killed before the replace leaves the previous snapshot as it
was, and the stale `.tmp` (and its `.wal`) is removed by the next publish.
"""

import os
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.faults import failpoint
from pipelines.settings import DATASET_NAMES
from pipelines.warehouse.db import sql

SCHEMA_VERSION = 1
# Tables copied as they are. `idm` is published with its computed score and status instead,
# `kpi` in key order.
COPIED_TABLES = (
    "kpi_definisi",
    "wilayah",
    "ingest_log",
    "idm_ambang_status",
    "desa_prioritas",
    "bobot_desa_prioritas",
    *(name for name in DATASET_NAMES if name != "idm"),
)
DERIVED_TABLES = ("kpi", "idm", "kelengkapan_data", "sumber_data")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(
    con: duckdb.DuckDBPyConnection,
    published_path: Path,
    run_id: str,
    provinsi: str,
    published_at: datetime,
) -> dict[str, int]:
    """Write the snapshot and swap it in; return the row count of each published table."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_path.with_name(published_path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)

    con.execute("attach ? as snap", [str(tmp)])
    try:
        for table in COPIED_TABLES:
            con.execute(sql("publish/copy_table").replace("{table}", table))
        for table in DERIVED_TABLES:
            con.execute(sql(f"publish/{table}"))
        con.execute(
            sql("publish/snapshot_info"),
            [published_at, run_id, provinsi, provinsi, SCHEMA_VERSION],
        )
        counts = {
            table: con.execute(f"select count(*) from snap.{table}").fetchall()[0][0]
            for table in (*COPIED_TABLES, *DERIVED_TABLES, "snapshot_info")
        }
        con.execute("checkpoint snap")
    finally:
        con.execute("detach snap")

    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    failpoint("publish.before_replace")
    os.replace(tmp, published_path)
    _fsync_dir(published_path.parent)
    return counts
