"""Publish the warehouse as an immutable snapshot file, atomically, without copying it table by table.

The next snapshot is built in place, in `published/.dasbor.berikut.duckdb` (the staging file):
each published table is brought up to date there by replacing only what changed since the last
publish, as every derived table is (pipelines.warehouse.recompute, the snapshot's ledger
`_sidik_terbit`): the years whose rows changed for the tables with a `tahun`, the whole table
otherwise. What stays publish's own is how a table is written there (ordered tables year by
year, the rest by year or whole) and the swap. The step that writes a published table brings
it up to date there (`sync_staging`: the ingest steps their datasets, the kpi step `kpi`, ...),
so publishing finds most tables current and writes those built over many.

To publish, the staging file is checkpointed, closed, fsynced and renamed (`os.replace`) over
`published/dasbor.duckdb`: the file the run wrote becomes the snapshot, with no copy on the way
(a 930 MB copy and fsync was most of a national publish). A published file is never written
again: readers pin it by a hard link (dashboards.data.snapshot). So the next staging file is a
copy of the published one, made when a run first needs it (`_staging`): on the next run, off
the path between a finished run and its readers. A reader holding the old file open keeps
reading the old inode, consistently; the next reader to open the path gets the new file. A run
killed before the replace leaves the previous snapshot as it was, and the staging file, whose
every table update commits together with its fingerprints, is simply brought up to date again
(a staging file that cannot be opened is rebuilt from scratch; a half-made copy is never
renamed into place).

Tables written with an order (`kpi`, `idm`) keep it: a year that changed is replaced together
with every later year, so the rows stay in key order, year first, exactly as a full rebuild
would write them.
"""

import functools
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from pipelines import durable
from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.contracts.kpis import ISU_NAMES, KPIS
from pipelines.faults import failpoint
from pipelines.transforms.kpis import AREA_KEYS
from pipelines.warehouse import recompute, sidik
from pipelines.warehouse.db import Sql, registered, render, sql, transaction, without_order
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


# Completeness is about data years: targets are not data. What arrived of each is counted into
# the warehouse's kelengkapan_irisan (see `count_arrivals`), which kelengkapan_data reads.
ARRIVALS = [d for d in DATASETS.values() if d.holds_data_years]
PER_DATASET = {
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
# Tables whose rows are those of warehouse tables written through pipelines.warehouse.recompute
# (`kpi` is their union): fingerprinted by what those recorded, without reading a row.
RECORDED = {"kpi": [f"kpi_{isu}" for isu in ISU_NAMES], "desa_prioritas": ["desa_prioritas"]}
PUBLISHED = [
    Published(name, name in BY_YEAR, name in ORDERED) for name in (*COPIED_TABLES, *DERIVED_TABLES)
]
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
    if table == "kpi":  # sorted by its key's values (sql/publish/kpi.sql)
        parts["tingkat_enum"] = sorted(AREA_KEYS)
        parts["kpi_id_enum"] = sorted(k.kpi_id for k in KPIS)
    if table in BY_YEAR:  # its statement filters by year ({where} before its ORDER BY)
        parts["where"] = where
    elif by_year:
        raise ValueError(f"{table} is not published year by year")
    return render(f"publish/{table}", **parts)


def derived(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """What a derived table would publish from the warehouse now (for checks and tests)."""
    if table not in DERIVED_TABLES:
        raise ValueError(f"not a derived table: {table!r}")
    if _reads_arrivals(table):
        count_arrivals(con)
    return con.sql(_select(table)).pl()


def _reads_arrivals(table: str) -> bool:
    return "kelengkapan_data" in (table, *BUILT_ON.get(table, ()))


def count_arrivals(con: duckdb.DuckDBPyConnection, names: list[str] | None = None) -> list[str]:
    """Bring kelengkapan_irisan (what arrived per dataset, kabupaten and year) up to date: a
    dataset's slices are counted again only when its files in ingest_log changed (the stamp a
    dataset table is published by, see `_stamp`) or its statement did. Counting every dataset
    took about 0.8 s of each national publish, twice (kelengkapan_data, and kepatuhan_pelaporan
    built on it), or four times when they changed (fingerprint, then write). All datasets, or
    those `names`; returns the datasets counted again."""
    declared = {d.name for d in ARRIVALS}
    held = {name for (name,) in con.execute(sql("publish/kelengkapan_irisan_datasets")).fetchall()}
    for name in held - declared:  # a declaration removed: its slices go, with their record
        with transaction(con):
            con.execute(sql("publish/kelengkapan_irisan_delete"), [name])
            recompute.forget(con, f"kelengkapan_irisan/{name}")
    counted = []
    for d in ARRIVALS:
        if names is not None and d.name not in names:
            continue
        if d.name not in held and con.execute(render("publish/has_rows", table=d.name)).fetchall():
            # Rows but no slices counted (kelengkapan_irisan made again): whatever the record
            # says, count them.
            recompute.forget(con, f"kelengkapan_irisan/{d.name}")
        insert = render(
            "publish/kelengkapan_irisan_insert", one_dataset=_one_dataset("kelengkapan_data", d)
        )
        files = con.execute(sql("publish/dataset_stamp"), [d.name]).fetchall()[0]
        stamp = sidik.combine(files, insert)
        write = functools.partial(_count_one, con, d.name, insert)
        if recompute.refresh_stamped(con, f"kelengkapan_irisan/{d.name}", stamp, write):
            counted.append(d.name)
    return counted


def start_staging_empty(published_path: Path) -> None:
    """Build the next snapshot from nothing rather than from the published one: after a
    restore, whose snapshot (and its record of what each table was built from) comes from
    the backup, so that the rebuild computes every table again and its comparison with the
    backup means something."""
    staging = staging_path(published_path)
    _without(staging)
    duckdb.connect(str(staging)).close()


def _count_one(con: duckdb.DuckDBPyConnection, dataset: str, insert: Sql) -> None:
    con.execute(sql("publish/kelengkapan_irisan_delete"), [dataset])
    con.execute(insert)


def _without(*paths: Path) -> None:
    """Remove what a killed copy or publish left (a file and its DuckDB `.wal`)."""
    for path in paths:
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)


def _copy_synced(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source`, whole or not at all: copied to `<target>.tmp`,
    fsynced, then renamed."""
    tmp = target.with_name(target.name + ".tmp")
    _without(tmp)
    shutil.copyfile(source, tmp)  # copy_file_range: about 1 GB/s, no decoding
    durable.replace(tmp, target)


def _staging(published_path: Path) -> Path:
    """The staging file, made from the published snapshot when the last publish took it: its
    tables and their ledger are the published ones, so only what changed since is rewritten.
    Without a published snapshot it starts empty (every table written once)."""
    staging = staging_path(published_path)
    if not staging.exists():
        _without(staging)  # a .wal without its file must not be replayed into a copy
        if published_path.is_file():
            _copy_synced(published_path, staging)
    return staging


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(sql("snapshot/attach"), [str(path)])
    except duckdb.Error:
        # A staging file that cannot be opened is rebuilt from nothing.
        _without(path)
        con.execute(sql("snapshot/attach"), [str(path)])
    recompute.ensure(con, recompute.SNAPSHOT)  # what each table was built from


def _fingerprints(con: duckdb.DuckDBPyConnection, table: Published) -> recompute.Fingerprints:
    """What `table` publishes, with its columns and types: per year for a table synchronised
    year by year, whole otherwise (any change rebuilds it)."""
    schema = _columns(con, table.name)
    recorded = (
        recompute.recorded_inputs(con, RECORDED[table.name]) if table.name in RECORDED else None
    )
    if recorded is not None:
        return recompute.Fingerprints(sidik.combine(schema, recorded.whole), recorded.years)
    select = without_order(_select(table.name))
    if not table.by_year:
        statement = render("publish/fingerprint", select=select)
        count, total = con.execute(statement).fetchall()[0]
        return recompute.Fingerprints(sidik.combine(schema, count, total), {})
    rows = con.execute(render("publish/year_fingerprints", select=select)).fetchall()
    return recompute.Fingerprints(sidik.combine(schema), {t: f"{n}:{h}" for t, n, h in rows})


def _sync_table(con: duckdb.DuckDBPyConnection, table: Published, stamp: str | None = None) -> str:
    """Bring one table of the staging snapshot up to date; say what was rewritten. `stamp`
    (see `_stamp`) unchanged since the last sync means nothing to fingerprint."""

    def write(plan: recompute.Plan) -> None:
        # Rows without a year cannot be replaced by year: the table is rebuilt whole.
        if table.ordered and None not in plan.held and None not in plan.gone:
            # Year by year, in year order: the statement's order starts with the year, so this
            # writes the rows in exactly the order one sort of the whole table would, while
            # sorting one year at a time (a tenth of the memory on the national run).
            first = None if plan.full else min(plan.rewritten)
            if plan.full:  # no year yet: the table's shape
                con.execute(_create(table.name, _select(table.name, by_year=True)), [[]])
            else:
                con.execute(render("publish/delete_years_from", table=table.name), [first])
            insert = render(
                "publish/insert_rows", table=table.name, select=_select(table.name, by_year=True)
            )
            for tahun in plan.held:
                if first is None or tahun >= first:
                    con.execute(insert, [[tahun]])
        elif plan.full or None in plan.gone or None in plan.years:
            con.execute(_create(table.name, _select(table.name)))
        else:
            con.execute(render("publish/delete_years", table=table.name), [plan.rewritten])
            if plan.years:
                insert = render(
                    "publish/insert_rows_by_name",
                    table=table.name,
                    select=_select(table.name, by_year=True),
                )
                con.execute(insert, [plan.years])

    plan, _ = recompute.bring_up_to_date(
        con,
        table.name,
        lambda c: _fingerprints(c, table),
        write,
        ledger=recompute.SNAPSHOT,
        stamp=stamp,
    )
    if plan.nothing:
        return "-"
    return "semua" if plan.full else ", ".join(map(recompute.year_key, plan.rewritten))


def _create(table: str, select: Sql) -> Sql:
    return render("publish/create_table", table=table, select=select)


def sync_staging(
    con: duckdb.DuckDBPyConnection, published_path: Path, names: list[str] | None = None
) -> dict[str, str]:
    """Bring tables of the next snapshot up to date (all of them, or `names`), in place;
    return what each rewrote ('-' nothing, 'semua' all, or the years)."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    set_today(con, datetime.now(UTC))
    _attach(con, _staging(published_path))
    try:
        return _sync_all(con, names)
    finally:
        con.execute(sql("snapshot/detach"))


def _stamp(con: duckdb.DuckDBPyConnection, table: Published) -> str | None:
    """What `table`'s rows are written from, where a writer records it in the same transaction
    as the rows: unchanged since the last sync, the table needs no fingerprinting (about 2 s
    of a national publish that changed one file). `kpi`: its version; a dataset: its files in
    ingest_log, with the columns (a declared column added later changes no log). None:
    fingerprint it (without reading a row for the RECORDED tables)."""
    if table.name == "kpi":
        return current_kpi_version(con)
    if table.name not in DATASETS or table.name in DERIVED_TABLES:
        return None
    files = con.execute(sql("publish/dataset_stamp"), [table.name]).fetchall()[0]
    return sidik.combine(_columns(con, table.name), files)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """The columns and types `table`'s statement publishes."""
    return con.execute(render("publish/describe", select=without_order(_select(table)))).fetchall()


def _sync_all(con: duckdb.DuckDBPyConnection, names: list[str] | None) -> dict[str, str]:
    if any(_reads_arrivals(t.name) for t in PUBLISHED if names is None or t.name in names):
        count_arrivals(con)
    done = {}
    for table in PUBLISHED:
        if names is None or table.name in names:
            done[table.name] = _sync_table(con, table, _stamp(con, table))
    return done


def set_today(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Bind `hari_ini`, the date kepatuhan_pelaporan is judged on: `now`'s date in Jakarta."""
    con.execute(sql("publish/set_today"), [now.astimezone(REPORTING_TZ).date()])


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
    _without(tmp)
    shutil.copyfile(published_path, tmp)
    con.execute(sql("snapshot/attach"), [str(tmp)])
    try:
        con.execute(_create(table, _select(table)))
        rows = _count(con, table)
        con.execute(sql("snapshot/checkpoint"))
    finally:
        con.execute(sql("snapshot/detach"))
    durable.replace(tmp, published_path)
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
    # What a publish_table killed before its swap left behind.
    _without(published_path.with_name(published_path.name + ".tmp"))
    staging = _staging(published_path)

    set_today(con, published_at)
    _attach(con, staging)
    try:
        _sync_all(con, None)
        for table, frame in catalogue.items():
            with registered(con, "_catalogue", frame):
                con.execute(render("publish/write_catalogue", table=table))
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
    failpoint("publish.before_replace")
    durable.replace(staging, published_path)
    return counts
