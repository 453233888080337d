"""The working DuckDB warehouse: one writer at a time, SQL from sql/, slices replaced atomically.

DuckDB allows one read-write process per file and has no lock wait of its own, so every opener
goes through `Warehouse.connect()`, which first takes an exclusive `flock` on a lock file beside
the database and waits for it. Two pipeline runs (the sensor's and an analyst's CLI run, say)
therefore queue instead of failing with "Could not set lock on file". The dashboard never opens
this file: it reads the published snapshot only.

Every statement comes from sql/: `sql(name)` reads one as it is, `render(name, **parts)` fills
its placeholders, the only way a name reaches a statement (docs/decisions.md, "SQL: one
renderer"). Values never do: they are bound as `?`.
"""

import fcntl
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contracts.catalogue import published_catalogue
from pipelines.contracts.datasets import DATASETS, INDEKS_DESA_DIMENSIONS, Dataset, Villages
from pipelines.contracts.kpis import ISU_NAMES, KPIS, definitions_frame, input_columns
from pipelines.faults import failpoint
from pipelines.ingest.reference import WILAYAH_SCHEMA
from pipelines.settings import SQL_DIR, duckdb_memory_limit
from pipelines.transforms.kpis import KPI_SCHEMA


class WarehouseBusy(Exception):
    pass


@cache
def sql(name: str) -> str:
    """Read one statement from sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


# DuckDB's row group: what one thread writes at once (`registered` cuts no smaller batch).
ROW_GROUP_ROWS = 122_880
# Every dataset table carries these besides its declared columns: the load's bookkeeping.
LOAD_COLUMNS = (("kode_kab", "VARCHAR"), ("sha256", "VARCHAR"), ("dimuat_pada", "TIMESTAMP"))
# The tables the pipeline writes besides the datasets and the catalogue.
WORKING_TABLES = (
    # the reference and shipped rows (the wilayah asset)
    "wilayah",
    "bps_padanan",
    "idm_ambang_status",
    "target_kpi_bawaan",
    "jadwal_pelaporan_bawaan",
    # the marts
    "basis_desa",
    "idm_hitung",
    *(f"kpi_{isu}" for isu in ISU_NAMES),
    "kpi",
    "kpi_definisi",
    "desa_prioritas",
    "bobot_desa_prioritas",
    "target_kpi_berlaku",
    "capaian_target",
    "status_wilayah",
    # the logs and the bookkeeping
    "ingest_log",
    "irisan_diterima",
    "kelengkapan_irisan",
    "notifikasi_log",
    "kpi_versi",
    "kpi_pemeriksaan",
    "kpi_kunci_ganda",
    "kpi_baris_hilang",
    "sidik_masukan",
    # only in the snapshot
    "kelengkapan_data",
    "sumber_data",
    "kepatuhan_pelaporan",
    "snapshot_info",
    "_sidik_terbit",
)
# Columns of working tables that no declaration names: basis_desa's own keys, and the column
# naming the table in each ledger of fingerprints (pipelines.warehouse.recompute).
WORKING_COLUMNS = ("kode_kec", "kode_prov", "is_desa", "konsumen", "tabel")
# The databases a connection attaches: the published snapshot (or the next one) as `snap`, and
# a backup's snapshot and its rebuild as `lama` and `baru` (pipelines.cadangan.compare).
DATABASES = ("main", "snap", "lama", "baru")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@cache
def known_names() -> frozenset[str]:
    """The one allow-list of names a statement may hold: the catalogue's tables and columns
    (every declared dataset and its columns, the tables the pipeline writes, the snapshot's
    catalogue tables), the attached databases, and the area kinds a dataset declares (the
    `wilayah` a one-dataset statement states)."""
    catalogue = published_catalogue()
    names = {
        *DATASETS,
        *(c.name for d in DATASETS.values() for c in d.all_columns),
        *(name for name, _ in LOAD_COLUMNS),
        *WORKING_TABLES,
        *WORKING_COLUMNS,
        *catalogue,
        *(column for frame in catalogue.values() for column in frame.columns),
        *definitions_frame().columns,
        *KPI_SCHEMA,
        *input_columns(KPIS),
        *WILAYAH_SCHEMA,
        *(f"skor_{dimension}" for dimension, _, _ in INDEKS_DESA_DIMENSIONS),
        *DATABASES,
        *(kind.value for kind in Villages),
    }
    odd = sorted(name for name in names if not _IDENTIFIER.match(name))
    if odd:
        raise ValueError(f"not plain lower-case names, so never allowed in SQL: {odd}")
    return frozenset(names)


@cache
def known_types() -> frozenset[str]:
    """The column types a statement may declare: those of the declarations."""
    return frozenset(
        {c.sql_type for d in DATASETS.values() for c in d.all_columns}
        | {sql_type for _, sql_type in LOAD_COLUMNS}
    )


class Sql(str):
    """Text `render` made from a file in sql/: a statement, or a fragment to fill into one."""


# {name}: an identifier, a list of identifiers, or rendered fragment(s) joined by `joiner`
# ({name|union all}); '{name}': an allowed name as a string literal; {name_type}: a column type.
_PLACEHOLDER = re.compile(
    r"'\{(?P<literal>[a-z_][a-z0-9_]*)\}'"
    r"|\{(?P<name>[a-z_][a-z0-9_]*)(?:\|(?P<joiner>[a-z ,]+))?\}"
)
_LEFTOVER = re.compile(r"\{\s*[A-Za-z_][^{}]*\}")
# The statement's own ORDER BY, last, outside any parenthesis (not a window's or a subquery's);
# its keys may hold whole parentheses (a cast to ENUM(...)).
_FINAL_ORDER_BY = re.compile(r"\border\s+by\s(?:[^()]|\([^()]*\))*$", re.IGNORECASE)

Part = str | Sql | Sequence[str] | Sequence[Sql]


def render(name: str, **parts: Part) -> Sql:
    """The statement sql/<name>.sql with each placeholder filled from `parts`.

    A name (str) must be in `known_names()` and goes in quoted as an identifier, or as a string
    literal where the file writes '{placeholder}'; a list of names becomes a column list. A
    placeholder ending in `_type` takes a declared column type; one ending in `_enum` a list of
    plain lower-case values, in order, and becomes that ENUM type. `Sql` (what this returns) goes
    in as it is: a fragment rendered from its own file, or a list of them joined as the
    placeholder says ({selects|union all}). Anything else, and an unknown name, a placeholder
    left unfilled or a part no placeholder takes, is a ValueError. Values are bound as `?`.
    """
    template = sql(name)
    used: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        key = match["literal"] or match["name"]
        if key not in parts:
            raise ValueError(f"sql/{name}.sql: nothing to fill {{{key}}} with")
        used.add(key)
        value = parts[key]
        if match["literal"]:
            return "'" + _known(name, key, value) + "'"
        if key.endswith("_type"):
            if not isinstance(value, str) or value not in known_types():
                raise ValueError(f"sql/{name}.sql: {{{key}}} is not a declared type: {value!r}")
            return value
        if key.endswith("_enum"):
            return _enum(name, key, value)
        return _filled(name, key, value, match["joiner"])

    text = _PLACEHOLDER.sub(fill, template)
    leftover = _LEFTOVER.search(text)
    if leftover:
        raise ValueError(f"sql/{name}.sql: placeholder {leftover.group()} left unfilled")
    unused = sorted(set(parts) - used)
    if unused:
        raise ValueError(f"sql/{name}.sql has no placeholder for {unused}")
    return Sql(text)


def _enum(name: str, key: str, value: Part) -> str:
    """ENUM('a', 'b', ...): plain lower-case values only, so none needs escaping."""
    if (
        isinstance(value, str)
        or not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(v, str) and _IDENTIFIER.match(v) for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValueError(f"sql/{name}.sql: {{{key}}} takes distinct plain values, not {value!r}")
    return "ENUM(" + ", ".join(f"'{v}'" for v in value) + ")"


def _known(name: str, key: str, value: object) -> str:
    if isinstance(value, Sql) or not isinstance(value, str):
        raise ValueError(f"sql/{name}.sql: {{{key}}} takes a name, not {value!r}")
    if value not in known_names():
        raise ValueError(
            f"sql/{name}.sql: {value!r} for {{{key}}} is not a known table or column name "
            "(pipelines.warehouse.db.known_names)"
        )
    return value


def _filled(name: str, key: str, value: Part, joiner: str | None) -> str:
    if isinstance(value, Sql):
        return _fragment(value)
    if isinstance(value, str):
        return '"' + _known(name, key, value) + '"'
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(
            f"sql/{name}.sql: {{{key}}} takes a name, names or rendered SQL, not {value!r} "
            "(values are bound as ?)"
        )
    if all(isinstance(v, Sql) for v in value):
        if joiner is None:
            raise ValueError(f"sql/{name}.sql: {{{key}}} does not say how to join fragments")
        between = ",\n" if joiner.strip() == "," else "\n" + joiner.strip() + "\n"
        return between.join(_fragment(v) for v in value)  # type: ignore[arg-type]
    if joiner is not None and joiner.strip() != ",":
        raise ValueError(f"sql/{name}.sql: {{{key}}} joins names with a comma only")
    return ", ".join('"' + _known(name, key, v) + '"' for v in value)


def _fragment(text: Sql) -> str:
    fragment = text.rstrip()
    if "--" in fragment.rsplit("\n", 1)[-1]:
        # Whatever followed it on the line would be commented out.
        raise ValueError(f"a fragment to fill in ends with a comment: {fragment!r}")
    return fragment


def without_order(statement: Sql) -> Sql:
    """The statement without its final ORDER BY: a fingerprint needs no sort."""
    return Sql(_FINAL_ORDER_BY.sub("", statement.strip()))


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
                # checkpoint_threshold: each file is its own transaction; at DuckDB's 16 MB
                # the 380 files of a national UMKM step checkpointed every few files, half of
                # the step's commit time (150 files: 18.9 s, 14.0 s at 1 GB; each commit still
                # syncs its WAL, and closing checkpoints the rest).
                con = duckdb.connect(
                    str(self.path),
                    config={
                        "preserve_insertion_order": False,
                        "memory_limit": self.memory_limit,
                        "checkpoint_threshold": "1GB",
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
    present = set(con.execute(sql("warehouse/all_columns")).fetchall())
    if _schema_columns() <= present:
        return  # every connection asks; one catalogue query answers when nothing is missing
    for name in _BOOKKEEPING:
        con.execute(sql(name))
    con.execute(sql("warehouse/migrate_ingest_log"))
    for dataset in DATASETS.values():
        con.execute(_create_dataset_table(dataset.name))
        existing = {
            row[0] for row in con.execute(sql("warehouse/table_columns"), [dataset.name]).fetchall()
        }
        for column in dataset.all_columns:
            if column.name not in existing:
                con.execute(
                    render(
                        "warehouse/add_column",
                        table=dataset.name,
                        column=column.name,
                        column_type=column.sql_type,
                    )
                )


@cache
def _schema_columns() -> frozenset[tuple[str, str]]:
    """(table, column) for every column `ensure_schema` creates: the declared datasets' and the
    bookkeeping tables' (read from an empty in-memory database given the same statements)."""
    with duckdb.connect() as scratch:
        for name in _BOOKKEEPING:
            scratch.execute(sql(name))
        for dataset in DATASETS.values():
            scratch.execute(_create_dataset_table(dataset.name))
        return frozenset(scratch.execute(sql("warehouse/all_columns")).fetchall())


_BOOKKEEPING = (
    "warehouse/create_ingest_log",
    "warehouse/create_kpi_guard",
    "warehouse/create_irisan_diterima",
    "warehouse/create_kelengkapan_irisan",
    "warehouse/create_jadwal_pelaporan_bawaan",
    "warehouse/create_notifikasi_log",
)


@cache
def _create_dataset_table(name: str) -> Sql:
    """Every connection checks the schema: the statement is rendered once."""
    columns = [(c.name, c.sql_type) for c in DATASETS[name].all_columns] + list(LOAD_COLUMNS)
    definitions = [
        render("warehouse/column_definition", column=column, column_type=sql_type)
        for column, sql_type in columns
    ]
    return render("warehouse/create_dataset_table", table=name, columns=definitions)


def accepted_files(con: duckdb.DuckDBPyConnection, dataset: str) -> dict[str, str]:
    """Every file of `dataset` loaded before: its sha256, and where it is stored."""
    return dict(con.execute(sql("warehouse/accepted_sha"), [dataset]).fetchall())


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


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` readable by SQL as `name` inside the block. Registered as Arrow, which is ~10x
    faster than a Polars frame (no per-column adapters); with string views (the newest compat
    level) the conversion copies no strings. DuckDB scans one Arrow batch per thread, so a
    large frame of fewer chunks than threads is cut into one batch per thread (slices: nothing
    is copied), each at least a DuckDB row group: the 70 MB UMKM file's 475,000 rows inserted
    in 0.18 s instead of 0.245 s on 2 threads (its one batch used one; more batches than
    threads were slower again), while cutting the 12,000 rows of a national UMKM file cost CPU
    for no time (380 files: 10.2-10.6 s of CPU against 9.3 s). Scanned in parallel, the rows
    land in no particular order (as with `preserve_insertion_order` off anyway): whatever needs
    an order sorts (the published `kpi`, sql/publish/kpi.sql)."""
    if frame.height > ROW_GROUP_ROWS:  # (the setting is a query: 1 ms, asked only here)
        [(threads,)] = con.execute(sql("warehouse/threads")).fetchall()
        per_thread = max(-(-frame.height // threads), ROW_GROUP_ROWS)  # ceiling
        if frame.n_chunks() < threads and frame.height > per_thread:
            cuts = range(0, frame.height, per_thread)
            frame = pl.concat([frame.slice(start, per_thread) for start in cuts], rechunk=False)
    con.register(name, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        yield
    finally:
        con.unregister(name)


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
    with registered(con, "new_rows", rows), transaction(con):
        con.execute(_delete_slices(dataset.name))
        failpoint("ingest.mid_write")
        con.execute(render("warehouse/insert_rows", table=dataset.name), [sha256, loaded_at])
        if dataset.holds_data_years:  # a slice of data that a calendar may wait for
            con.execute(sql("warehouse/record_slices"), [dataset.name, sha256, loaded_at])
        log_file(con, log_entry)


@cache
def _delete_slices(name: str) -> Sql:
    """Delete the rows of every slice (the dataset's slice columns) the new rows hold."""
    slice_columns = list(DATASETS[name].slice_columns)
    return render(
        "warehouse/delete_slices",
        table=name,
        slice_columns=slice_columns,
        slice_match=[
            render("warehouse/slice_match", table=name, column=column) for column in slice_columns
        ],
    )
