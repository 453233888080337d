"""Blocking checks on the kpi mart: a failure stops the publish, the last snapshot stays.

Each check is one query, `sql/checks/<check name>.sql`, whose rows are violations. Its verdict
is also recorded in the warehouse for the KPI version it judged, so that a run selecting only
the publish step cannot publish KPIs that failed, or that no check has seen.
"""

from collections.abc import Callable

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
    record_check,
)

BOUNDED = [k.kpi_id for k in KPIS if k.bounded_0_100]
ADDITIVE = [k.kpi_id for k in KPIS if k.additive]


def blocking_check(
    name: str,
    description: str,
    failure: str,
    params: list | None = None,
    prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dg.AssetChecksDefinition:
    """`prepare`, if given, brings up to date what the check's query reads."""

    @dg.asset_check(name=name, asset=kpi, blocking=True, description=description)
    def _check(dasbor: DasborResource) -> dg.AssetCheckResult:
        with dasbor.warehouse().connect() as con:
            if prepare is not None:
                prepare(con)
            violations = con.sql(sql(f"checks/{name}"), params=params).pl()
            record_check(con, name, passed=violations.height == 0)
        return dg.AssetCheckResult(
            passed=violations.height == 0,
            description=failure if violations.height else None,
            metadata={"pelanggaran": violations.height, "contoh": preview(violations, 20)},
        )

    return _check


KPI_CHECKS = [
    blocking_check(
        "kpi_lengkap",
        "Setiap kabupaten/kota dan provinsi punya baris untuk setiap KPI dan tahun.",
        "baris KPI hilang",
        prepare=find_missing_rows,
    ),
    blocking_check(
        "kpi_persen_dalam_rentang",
        "Persentase yang dibatasi rumusnya berada di 0-100.",
        "persentase di luar 0-100",
        [BOUNDED],
    ),
    blocking_check(
        "kpi_kunci_unik",
        "Tidak ada kunci (tingkat, kode_wilayah, tahun, kpi_id) ganda.",
        "kunci ganda",
        prepare=find_duplicate_keys,
    ),
    blocking_check(
        "kpi_provinsi_konsisten",
        "Pembilang dan penyebut provinsi sama dengan jumlah kabupaten/kota (masukan aditif).",
        "total provinsi tidak sama dengan jumlah kabupaten",
        [ADDITIVE],
    ),
]
BLOCKING_CHECK_NAMES = [spec.name for c in KPI_CHECKS for spec in c.check_specs]
