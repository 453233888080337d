"""Publish the warehouse as an immutable snapshot file, atomically.

The snapshot is built in `<published>.tmp` through an ATTACH on the pipeline's own warehouse
connection, closed, fsynced, and then `os.replace`d over `published/dasbor.duckdb`. A reader
holding the old file open keeps reading the old inode, consistently; the next reader to open
the path gets the new file. A run killed before the replace leaves the previous snapshot as it
was, and the stale `.tmp` (and its `.wal`) is removed by the next publish.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.faults import failpoint
from pipelines.warehouse.db import sql

SCHEMA_VERSION = 1
# Tables built by a statement of their own (sql/publish/<table>.sql): `kpi` in key order, `idm`
# with its computed score and status, `target_kpi` with the shipped targets merged in.
DERIVED_TABLES = ("kpi", "idm", "target_kpi", "kelengkapan_data", "sumber_data")
# Tables copied as they are.
COPIED_TABLES = (
    "kpi_definisi",
    "wilayah",
    "ingest_log",
    "idm_ambang_status",
    "desa_prioritas",
    "bobot_desa_prioritas",
    "capaian_target",
    *(name for name in DATASETS if name not in DERIVED_TABLES),
)


def per_dataset_union(template: str, datasets: list[Dataset]) -> str:
    """One SELECT per dataset from a one-dataset template, joined by UNION ALL: the dataset list
    is the declarations', never a copy in SQL."""
    return "\nunion all\n".join(
        sql(template).format(
            dataset=d.name,
            kode_kab="kode_wilayah" if d.villages.by_area_code else "kode_kab",
            villages="count(*)" if d.villages.by_area_code else "count(distinct kode_desa)",
            wilayah=d.villages.value,
        )
        for d in datasets
    )


# Completeness is about data years: targets are not data.
PER_DATASET = {
    "kelengkapan_data": [d for d in DATASETS.values() if d.holds_data_years],
    "sumber_data": list(DATASETS.values()),
}


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
    catalogue: dict[str, pl.DataFrame],
) -> dict[str, int]:
    """Write the snapshot and swap it in; return the row count of each published table.

    `catalogue` holds the tables built from the declarations (dataset_definisi, status_desa,
    ...): the dashboard reads these, never copies of its own."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_path.with_name(published_path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)

    con.execute("attach ? as snap", [str(tmp)])
    try:
        for table in COPIED_TABLES:
            con.execute(sql("publish/copy_table").replace("{table}", table))
        for table in DERIVED_TABLES:
            statement = sql(f"publish/{table}")
            if "{per_dataset}" in statement:
                statement = statement.replace(
                    "{per_dataset}",
                    per_dataset_union(f"publish/{table}_one_dataset", PER_DATASET[table]),
                )
            con.execute(statement)
        for table, frame in catalogue.items():
            con.register("_catalogue", frame.to_arrow())
            try:
                con.execute(sql("publish/write_catalogue").replace("{table}", table))
            finally:
                con.unregister("_catalogue")
        # Naive UTC, like every other timestamp here: DuckDB would turn an aware value into
        # the server's local time, and the dashboard shows WIB from UTC.
        published_utc = published_at.astimezone(UTC).replace(tzinfo=None)
        con.execute(
            sql("publish/snapshot_info"),
            [published_utc, run_id, provinsi, provinsi, SCHEMA_VERSION],
        )
        counts = {
            table: con.execute(f"select count(*) from snap.{table}").fetchall()[0][0]
            for table in (*COPIED_TABLES, *DERIVED_TABLES, *catalogue, "snapshot_info")
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
