"""Blocking checks on the kpi mart: a failure stops the publish, the last snapshot stays."""

import dagster as dg

from pipelines.contracts.kpis import KPIS
from pipelines.defs.ingest import _preview
from pipelines.defs.marts import kpi
from pipelines.defs.resources import DasborResource
from pipelines.warehouse.db import sql

BOUNDED = [k.kpi_id for k in KPIS if k.bounded_0_100]
ADDITIVE = [k.kpi_id for k in KPIS if k.additive]


def _violations(dasbor: DasborResource, name: str, params: list | None = None):
    with dasbor.warehouse().connect() as con:
        return con.sql(sql(f"checks/{name}"), params=params).pl()


def _result(frame, description: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=frame.height == 0,
        description=description if frame.height else None,
        metadata={"pelanggaran": frame.height, "contoh": _preview(frame, 20)},
    )


@dg.asset_check(asset=kpi, blocking=True)
def kpi_lengkap(dasbor: DasborResource) -> dg.AssetCheckResult:
    """Setiap kabupaten/kota dan provinsi punya baris untuk setiap KPI dan tahun."""
    return _result(_violations(dasbor, "kpi_missing_rows"), "baris KPI hilang")


@dg.asset_check(asset=kpi, blocking=True)
def kpi_persen_dalam_rentang(dasbor: DasborResource) -> dg.AssetCheckResult:
    """Persentase yang dibatasi rumusnya berada di 0-100."""
    return _result(
        _violations(dasbor, "kpi_pct_out_of_range", [BOUNDED]), "persentase di luar 0-100"
    )


@dg.asset_check(asset=kpi, blocking=True)
def kpi_kunci_unik(dasbor: DasborResource) -> dg.AssetCheckResult:
    """Tidak ada kunci (tingkat, kode_wilayah, tahun, kpi_id) ganda."""
    return _result(_violations(dasbor, "kpi_duplicate_keys"), "kunci ganda")


@dg.asset_check(asset=kpi, blocking=True)
def kpi_provinsi_konsisten(dasbor: DasborResource) -> dg.AssetCheckResult:
    """Pembilang dan penyebut provinsi sama dengan jumlah kabupaten/kota (masukan aditif)."""
    return _result(
        _violations(dasbor, "kpi_provinsi_consistency", [ADDITIVE]),
        "total provinsi tidak sama dengan jumlah kabupaten",
    )


KPI_CHECKS = [kpi_lengkap, kpi_persen_dalam_rentang, kpi_kunci_unik, kpi_provinsi_konsisten]
