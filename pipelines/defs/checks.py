"""Blocking checks on the kpi mart: a failure stops the publish, the last snapshot stays.

Each check is one query, `sql/checks/<check name>.sql`, whose rows are violations. Its verdict
is also recorded in the warehouse for the KPI version it judged, so that a run selecting only
the publish step cannot publish KPIs that failed, or that no check has seen.

The four run as one step (`kpi_checks`), each still its own check in Dagster: one warehouse
connection, and the kpi keys fingerprinted once for the two searches that read them (four
steps cost a connection and Dagster's bookkeeping each, and the keys were hashed twice).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dagster as dg
import duckdb

from pipelines.contracts.kpis import KPIS
from pipelines.defs.marts import kpi
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.warehouse.db import sql
from pipelines.warehouse.kpi_guard import (
    find_duplicate_keys,
    find_missing_rows,
    key_fingerprints,
    record_check,
)

BOUNDED = [k.kpi_id for k in KPIS if k.bounded_0_100]
ADDITIVE = [k.kpi_id for k in KPIS if k.additive]


@dataclass(frozen=True)
class BlockingCheck:
    name: str
    description: str
    failure: str
    params: list | None = None
    # Brings up to date what the check's query reads, given the kpi keys' fingerprints.
    prepare: Callable[[duckdb.DuckDBPyConnection, dict[int, str]], None] | None = None


CHECKS = [
    BlockingCheck(
        "kpi_lengkap",
        "Setiap kabupaten/kota dan provinsi punya baris untuk setiap KPI dan tahun.",
        "baris KPI hilang",
        prepare=find_missing_rows,
    ),
    BlockingCheck(
        "kpi_persen_dalam_rentang",
        "Persentase yang dibatasi rumusnya berada di 0-100.",
        "persentase di luar 0-100",
        [BOUNDED],
    ),
    BlockingCheck(
        "kpi_kunci_unik",
        "Tidak ada kunci (tingkat, kode_wilayah, tahun, kpi_id) ganda.",
        "kunci ganda",
        prepare=find_duplicate_keys,
    ),
    BlockingCheck(
        "kpi_provinsi_konsisten",
        "Pembilang dan penyebut provinsi sama dengan jumlah kabupaten/kota (masukan aditif).",
        "total provinsi tidak sama dengan jumlah kabupaten",
        [ADDITIVE],
    ),
]


@dg.multi_asset_check(
    name="kpi_checks",
    specs=[
        dg.AssetCheckSpec(c.name, asset=kpi, blocking=True, description=c.description)
        for c in CHECKS
    ],
)
def kpi_checks(dasbor: DasborResource) -> Iterator[dg.AssetCheckResult]:
    results = []
    with dasbor.warehouse().connect() as con:
        keys = key_fingerprints(con)
        for i, check in enumerate(CHECKS):
            try:
                if check.prepare is not None:
                    check.prepare(con, keys)
                violations = con.sql(sql(f"checks/{check.name}"), params=check.params).pl()
            except Exception:
                # A check that could not judge, and those after it, fail: a verdict from an
                # earlier run must not stand for this KPI version.
                for unjudged in CHECKS[i:]:
                    record_check(con, unjudged.name, passed=False)
                raise
            record_check(con, check.name, passed=violations.height == 0)
            results.append(
                dg.AssetCheckResult(
                    asset_key=kpi.key,
                    check_name=check.name,
                    passed=violations.height == 0,
                    description=check.failure if violations.height else None,
                    metadata={
                        "pelanggaran": violations.height,
                        "contoh": preview(violations, 20),
                    },
                )
            )
    yield from results  # once the warehouse is free again


KPI_CHECKS = [kpi_checks]
BLOCKING_CHECK_NAMES = [c.name for c in CHECKS]
