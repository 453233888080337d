"""Publish the warehouse as an immutable snapshot file, atomically, without copying it table by table.

The next snapshot is built in place, in `published/.dasbor.berikut.duckdb` (the staging file),
which lives from run to run: each published table is brought up to date there by replacing only
what changed since the last publish, told by content fingerprints (pipelines.warehouse.sidik):
the years whose rows changed for the tables with a `tahun`, the whole table otherwise. The `kpi`
asset already brings the `kpi` table up to date, so publishing finds it current. To publish,
the staging file is checkpointed, copied as a file (`copy_file_range`: about 1 GB/s, no
decoding) to `<published>.tmp`, fsynced, and `os.replace`d over `published/dasbor.duckdb`.
A reader holding the old file open keeps reading the old inode, consistently; the next reader
to open the path gets the new file. A run killed before the replace leaves the previous
snapshot as it was; the stale `.tmp` (and its `.wal`) is removed by the next publish, and the
staging file, whose every table update commits together with its fingerprints, is simply
brought up to date again (a staging file that cannot be opened is rebuilt from scratch).

Tables written with an order (`kpi`, `idm`) keep it: a year that changed is replaced together
with every later year, so the rows stay in key order, year first, exactly as a full rebuild
would write them.
"""

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.faults import failpoint
from pipelines.warehouse import sidik
from pipelines.warehouse.db import Sql, render, sql, transaction, without_order
from pipelines.warehouse.kpi_guard import current_kpi_version

SCHEMA_VERSION = 1
# Tables built by a statement of their own (sql/publish/<table>.sql): `kpi` in key order, `idm`
# with its computed score and status, `target_kpi` and `jadwal_pelaporan` with the shipped rows
# merged in, `kepatuhan_pelaporan` judged against the run's date (`hari_ini`).
DERIVED_TABLES = (
    "kpi",
    "idm",
    "target_kpi",
    "kelengkapan_data",
    "sumber_data",
    "jadwal_pelaporan",
    "kepatuhan_pelaporan",
)
# The date compliance is judged on (docs/operations.md: the run's date in Asia/Jakarta).
REPORTING_TZ = ZoneInfo("Asia/Jakarta")
# Tables copied as they are.
COPIED_TABLES = (
    "kpi_definisi",
    "wilayah",
    "ingest_log",
    "idm_ambang_status",
    "desa_prioritas",
    "bobot_desa_prioritas",
    "capaian_target",
    "status_wilayah",
    "notifikasi_log",  # always there, empty until a message is sent; never an address
    *(name for name in DATASETS if name not in DERIVED_TABLES),
)


def _one_dataset(table: str, d: Dataset) -> Sql:
    """`table`'s SELECT for one dataset (sql/publish/<table>_one_dataset.sql): the statement
    joins one per dataset, so the dataset list is the declarations', never a copy in SQL."""
    name = f"publish/{table}_one_dataset"
    if table == "kelengkapan_data":
        return render(
            name,
            dataset=d.name,
            wilayah=d.villages.value,
            # Rows naming an area by kode_wilayah are about that kabupaten; villages are counted
            # by the column that names them.
            kode_kab="kode_wilayah" if d.villages.by_area_code else "kode_kab",
            area=d.area_column,
        )
    if table == "kepatuhan_pelaporan":
        return render(name, dataset=d.name, wilayah=d.villages.value)
    return render(name, dataset=d.name)


# Completeness is about data years: targets are not data.
PER_DATASET = {
    "kelengkapan_data": [d for d in DATASETS.values() if d.holds_data_years],
    "sumber_data": list(DATASETS.values()),
    # The datasets a calendar may schedule: the choices of its `dataset` column.
    "kepatuhan_pelaporan": [
        DATASETS[name] for name in DATASETS["jadwal_pelaporan"].column("dataset").categories
    ],
}


@dataclass(frozen=True)
class Published:
    name: str
    by_year: bool  # synchronised year by year (the table has a tahun column)
    ordered: bool  # written in the order of its statement: later years are rewritten too


BY_YEAR = {
    "kpi",
    "idm",
    "desa_prioritas",
    *(d.name for d in DATASETS.values() if d.holds_data_years),
}
ORDERED = {"kpi", "idm"}
PUBLISHED = [
    Published(name, name in BY_YEAR, name in ORDERED) for name in (*COPIED_TABLES, *DERIVED_TABLES)
]
BOOKKEEPING = "_sidik_terbit"  # in the snapshot: what each table was built from
# Statements built on another's: kepatuhan_pelaporan on the calendar in force and kelengkapan.
BUILT_ON = {"kepatuhan_pelaporan": ("jadwal_pelaporan", "kelengkapan_data")}


def staging_path(published_path: Path) -> Path:
    return published_path.with_name(f".{published_path.stem}.berikut{published_path.suffix}")


def _select(table: str, by_year: bool = False) -> Sql:
    """What `table` publishes: every row, or with `by_year` the rows of the years bound as the
    statement's one parameter (a list; empty: no rows, the table's shape only)."""
    where = render("warehouse/rows_of_years" if by_year else "warehouse/all_rows")
    if table not in DERIVED_TABLES:
        return render("publish/copy_table", table=table, where=where)
    parts: dict[str, Sql | list[Sql]] = {other: _select(other) for other in BUILT_ON.get(table, ())}
    if table in PER_DATASET:
        parts["per_dataset"] = [_one_dataset(table, d) for d in PER_DATASET[table]]
    if table in BY_YEAR:  # its statement filters by year ({where} before its ORDER BY)
        parts["where"] = where
    elif by_year:
        raise ValueError(f"{table} is not published year by year")
    return render(f"publish/{table}", **parts)


def derived(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """What a derived table would publish from the warehouse now (for checks and tests)."""
    if table not in DERIVED_TABLES:
        raise ValueError(f"not a derived table: {table!r}")
    return con.sql(_select(table)).pl()


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(sql("snapshot/attach"), [str(path)])
    except duckdb.Error:
        # A staging file that cannot be opened is rebuilt from nothing.
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
        con.execute(sql("snapshot/attach"), [str(path)])
    con.execute(render("publish/create_bookkeeping", table=BOOKKEEPING))


def _fingerprints(con: duckdb.DuckDBPyConnection, table: Published) -> tuple[str, dict[int, str]]:
    select = without_order(_select(table.name))
    schema = con.execute(render("publish/describe", select=select)).fetchall()
    if not table.by_year:
        statement = render("publish/fingerprint", select=select)
        count, total = con.execute(statement).fetchall()[0]
        return sidik.combine(schema, count, total), {}
    rows = con.execute(render("publish/year_fingerprints", select=select)).fetchall()
    return sidik.combine(schema), {t: f"{n}:{h}" for t, n, h in rows}


def _stored(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    statement = render("publish/stored_fingerprints", table=BOOKKEEPING)
    return dict(con.execute(statement, [table]).fetchall())


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(sql("snapshot/table_exists"), [table]).fetchall()[0][0])


def _year_key(tahun: int | None) -> str:
    return "null" if tahun is None else str(tahun)


def _sync_table(
    con: duckdb.DuckDBPyConnection, table: Published, version: str | None = None
) -> str:
    """Bring one table of the staging snapshot up to date; say what was rewritten."""
    stored = _stored(con, table.name)
    exists = _exists(con, table.name)
    if version is not None and exists and stored.get("#versi") == version:
        return "-"  # the kpi tables have not been written since this table was synced
    whole, years = _fingerprints(con, table)
    by_year = {_year_key(y): s for y, s in years.items()}
    full = not exists or stored.get(sidik.ALL) != whole
    stale = sorted(
        (y for y, s in years.items() if stored.get(_year_key(y)) != s),
        key=lambda y: (y is None, y),
    )
    gone = [k for k in stored if k not in (sidik.ALL, "#versi") and k not in by_year]
    if not (full or stale or gone):
        outcome = "-"
    else:
        outcome = "semua" if full else ", ".join(map(_year_key, stale + gone)) or "-"
    with transaction(con):
        # Rows without a year cannot be replaced by year: the table is rebuilt whole.
        ordered = table.ordered and None not in years and "null" not in gone
        if ordered and (full or stale or gone):
            # Year by year, in year order: the statement's order starts with the year, so this
            # writes the rows in exactly the order one sort of the whole table would, while
            # sorting one year at a time (a tenth of the memory on the national run).
            first = None if full else min([*stale, *map(int, gone)])
            if full:  # no year yet: the table's shape
                con.execute(_create(table.name, _select(table.name, by_year=True)), [[]])
            else:
                con.execute(render("publish/delete_years_from", table=table.name), [first])
            insert = render(
                "publish/insert_rows", table=table.name, select=_select(table.name, by_year=True)
            )
            for tahun in sorted(y for y in years if first is None or y >= first):
                con.execute(insert, [[int(tahun)]])
        elif full or "null" in gone or None in stale:
            con.execute(_create(table.name, _select(table.name)))
        elif stale or gone:
            changed = [int(y) for y in [*stale, *map(int, gone)]]
            con.execute(render("publish/delete_years", table=table.name), [changed])
            if stale:
                insert = render(
                    "publish/insert_rows_by_name",
                    table=table.name,
                    select=_select(table.name, by_year=True),
                )
                con.execute(insert, [[int(y) for y in stale]])
        con.execute(render("publish/forget_fingerprints", table=BOOKKEEPING), [table.name])
        rows = [(table.name, sidik.ALL, whole), *((table.name, k, v) for k, v in by_year.items())]
        if version is not None:
            rows.append((table.name, "#versi", version))
        con.executemany(render("publish/store_fingerprints", table=BOOKKEEPING), rows)
    return outcome


def _create(table: str, select: Sql) -> Sql:
    return render("publish/create_table", table=table, select=select)


def sync_staging(
    con: duckdb.DuckDBPyConnection, published_path: Path, names: list[str] | None = None
) -> dict[str, str]:
    """Bring tables of the next snapshot up to date (all of them, or `names`), in place;
    return what each rewrote ('-' nothing, 'semua' all, or the years)."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    set_today(con, datetime.now(UTC))
    _attach(con, staging_path(published_path))
    try:
        return _sync_all(con, names)
    finally:
        con.execute(sql("snapshot/detach"))


def _sync_all(con: duckdb.DuckDBPyConnection, names: list[str] | None) -> dict[str, str]:
    done = {}
    for table in PUBLISHED:
        if names is None or table.name in names:
            version = current_kpi_version(con) if table.name == "kpi" else None
            done[table.name] = _sync_table(con, table, version)
    return done


def set_today(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Bind `hari_ini`, the date kepatuhan_pelaporan is judged on: `now`'s date in Jakarta."""
    con.execute(sql("publish/set_today"), [now.astimezone(REPORTING_TZ).date()])


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_table(con: duckdb.DuckDBPyConnection, published_path: Path, table: str) -> int | None:
    """Swap in a snapshot that is the published one with one copied table rebuilt from the
    warehouse: for `notifikasi_log`, which the notification jobs write between pipeline runs
    (they must not rerun the pipeline). Every other table stays exactly as published, and the
    staging file is left alone (it may hold KPIs whose checks have not passed); the next full
    publish brings the table there too. The caller holds the warehouse (`Warehouse.connect`),
    so this never interleaves with a publish. Returns the table's rows, or None when nothing
    has been published yet."""
    if table not in COPIED_TABLES:
        raise ValueError(f"not a copied table: {table!r}")
    if not published_path.is_file():
        return None
    tmp = published_path.with_name(published_path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(published_path, tmp)
    con.execute(sql("snapshot/attach"), [str(tmp)])
    try:
        con.execute(_create(table, _select(table)))
        rows = _count(con, table)
        con.execute(sql("snapshot/checkpoint"))
    finally:
        con.execute(sql("snapshot/detach"))
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, published_path)
    _fsync_dir(published_path.parent)
    return rows


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(render("publish/count_rows", table=table)).fetchall()[0][0]


def publish(
    con: duckdb.DuckDBPyConnection,
    published_path: Path,
    run_id: str,
    provinsi: str,
    published_at: datetime,
    catalogue: dict[str, pl.DataFrame],
) -> dict[str, int]:
    """Bring the next snapshot up to date, copy it as a file and swap it in; return the row
    count of each published table.

    `catalogue` holds the tables built from the declarations (dataset_definisi, status_desa,
    ...): the dashboard reads these, never copies of its own."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_path.with_name(published_path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    staging = staging_path(published_path)

    set_today(con, published_at)
    _attach(con, staging)
    try:
        _sync_all(con, None)
        for table, frame in catalogue.items():
            con.register("_catalogue", frame.to_arrow())
            try:
                con.execute(render("publish/write_catalogue", table=table))
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
            table: _count(con, table)
            for table in (*COPIED_TABLES, *DERIVED_TABLES, *catalogue, "snapshot_info")
        }
        con.execute(sql("snapshot/checkpoint"))
    finally:
        con.execute(sql("snapshot/detach"))

    # The staging file is closed and checkpointed (no .wal): its bytes are the snapshot.
    shutil.copyfile(staging, tmp)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    failpoint("publish.before_replace")
    os.replace(tmp, published_path)
    _fsync_dir(published_path.parent)
    return counts
