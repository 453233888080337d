"""The publish guard: a snapshot carries only KPIs that every blocking check passed.

Dagster stops `dasbor_terbit` after a failed blocking check within one run, but a run that
selects the publish step alone (`--select dasbor_terbit`) runs no check at all. So the verdicts
live in the warehouse, tied to a version of the KPI tables that every KPI write renews: publish
asks whether each blocking check passed on the version it is about to copy.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines.contracts.kpis import ISU_NAMES, KPI_KEY
from pipelines.warehouse import recompute, sidik
from pipelines.warehouse.db import sql


def new_kpi_version(con: duckdb.DuckDBPyConnection) -> str:
    """Call after writing any kpi_* table: earlier verdicts stop counting."""
    version = uuid.uuid4().hex
    con.execute(sql("warehouse/new_kpi_version"), {"versi": version, "pada": _now()})
    return version


def record_check(con: duckdb.DuckDBPyConnection, check: str, passed: bool) -> None:
    con.execute(
        sql("warehouse/record_kpi_check"), {"pemeriksaan": check, "lulus": passed, "pada": _now()}
    )


def unpassed_checks(con: duckdb.DuckDBPyConnection, required: list[str]) -> dict[str, str]:
    """{check: 'gagal' | 'belum dijalankan'} for each required check not passed on the current
    KPI version; empty when publishing is allowed."""
    verdicts = dict(con.execute(sql("warehouse/kpi_check_verdicts")).fetchall())
    return {
        check: "gagal" if check in verdicts else "belum dijalankan"
        for check in required
        if not verdicts.get(check, False)
    }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def current_kpi_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The version of the KPI tables now in the warehouse (None before any KPI write)."""
    rows = con.execute(sql("warehouse/current_kpi_version")).fetchall()
    return rows[0][0] if rows else None


KEY_TABLES = {f"kpi_{isu}": list(KPI_KEY) for isu in ISU_NAMES}  # the kpi keys, per table


def key_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """The kpi keys of every kpi_* table, year by year: what both searches below read, taken
    once for the two (about 1 s of a national rerun each)."""
    return recompute.Inputs(by_year=KEY_TABLES)(con).years


def searched_by_year(
    found: str, statement_name: str, whole: tuple[str, ...] = ()
) -> Callable[[duckdb.DuckDBPyConnection, dict[int, str]], None]:
    """What a check reads, kept year by year: `found` holds the rows the statement
    `sql/<statement_name>.sql` finds in the years bound, and is brought up to date through
    recompute, searched again only in the years whose keys changed in any kpi_* table (or every
    year when a `whole` table or the statement moved). A rerun after one changed year then
    searches that year's rows, not all 33 million national ones. The fingerprints are of the
    kpi keys themselves (`keys`, from `key_fingerprints`), so rows changed behind the marts'
    back are searched again too."""

    def bring_up_to_date(con: duckdb.DuckDBPyConnection, keys: dict[int, str]) -> None:
        statement = sql(statement_name)
        reads = recompute.Inputs(by_year=KEY_TABLES, whole=whole, code=(sidik.combine(statement),))

        def inputs(c: duckdb.DuckDBPyConnection) -> recompute.Fingerprints:
            # The years' fingerprints are `keys`, taken once for both searches.
            return recompute.Fingerprints(reads.whole_fingerprint(c), keys)

        def write(plan: recompute.Plan) -> None:
            # One year at a time ($1: the years): every key holds its year, so nothing is
            # missed, and the national search of 33 M keys at once outgrew the memory limit
            # and spilled (12.8 s; 6.6 s a year at a time).
            frames = [
                con.sql(statement, params=[years]).pl()
                for years in recompute.year_batches(plan.years, 1)
            ]
            recompute.write_frames(con, plan, {found: pl.concat(frames)})

        recompute.bring_up_to_date(con, found, inputs, write)

    return bring_up_to_date


# The kpi keys in more than one row; the kabupaten and province rows a KPI and year lack.
find_duplicate_keys = searched_by_year("kpi_kunci_ganda", "checks/kpi_kunci_ganda_tahun")
find_missing_rows = searched_by_year(
    "kpi_baris_hilang", "checks/kpi_baris_hilang_tahun", whole=("wilayah", "kpi_definisi")
)
