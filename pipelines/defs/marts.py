"""KPI marts: the village-year basis, one asset per strategic issue, and the combined `kpi`."""

import dagster as dg
import duckdb
import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import check_thresholds
from pipelines.contracts.kpis import ISU_NAMES, definitions_frame, input_columns, kpis_of
from pipelines.defs.ingest import DATASET_ASSETS, _preview, wilayah
from pipelines.defs.resources import DasborResource
from pipelines.transforms.basis import idm_scored, village_year_basis
from pipelines.transforms.kpis import area_frame, compute_kpis
from pipelines.warehouse.db import sql
from pipelines.warehouse.kpi_guard import new_kpi_version


def _read(con: duckdb.DuckDBPyConnection, table: str) -> pl.LazyFrame:
    return con.sql(f"select * from {table}").pl().lazy()


BASIS_KEYS = ["kode_desa", "kode_kec", "kode_kab", "kode_prov", "tahun", "is_desa"]


def _read_basis(con: duckdb.DuckDBPyConnection, kpis) -> pl.LazyFrame:
    """Only the basis columns these KPIs read: the basis is wide and national-scale."""
    columns = list(dict.fromkeys([*BASIS_KEYS, *input_columns(kpis)]))
    return con.sql(f"select {', '.join(columns)} from basis_desa").pl().lazy()


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Every year that has any data, in any dataset (outputs.md)."""
    union = " union ".join(f"select distinct tahun from {name}" for name in DATASETS)
    return sorted(row[0] for row in con.execute(union).fetchall())


def _write(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("_frame", frame.to_arrow())  # Arrow registers ~10x faster than Polars
    try:
        con.execute(f"create or replace table {table} as select * from _frame")
    finally:
        con.unregister("_frame")


@dg.asset(group_name="kpi", kinds={"polars", "duckdb"}, deps=[wilayah, *DATASET_ASSETS])
def basis_desa(dasbor: DasborResource) -> dg.MaterializeResult:
    """Satu baris per desa/kelurahan dan tahun dengan semua masukan indikator (tabel
    basis_desa), serta nilai dan status IDM yang dihitung dari iks/ike/ikl (idm_hitung)."""
    with dasbor.warehouse().connect() as con:
        years = data_years(con)
        thresholds = check_thresholds(con.sql("select * from idm_ambang_status").pl())
        villages = con.sql(
            "select kode as kode_desa, kode_kec, kode_kab, jenis from wilayah where tingkat = 'desa'"
        ).pl()
        tables = {name: _read(con, name) for name in DATASETS}
        basis = village_year_basis(villages.lazy(), years, tables, thresholds).collect()
        idm_hitung = (
            idm_scored(tables["idm"], thresholds)
            .select("kode_desa", "tahun", "nilai_idm_hitung", "status_idm_hitung")
            .collect()
        )
        _write(con, "basis_desa", basis)
        _write(con, "idm_hitung", idm_hitung)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": basis.height,
            "tahun": ", ".join(map(str, years)) or "-",
            "desa_dengan_idm": int(basis["ada_idm"].sum()),
        }
    )


class KpiConfig(dg.Config):
    """Leave `tahun` empty to recompute every year; set it to recompute one year only."""

    tahun: int | None = None


def _replace_year(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, tahun: int
) -> None:
    con.begin()
    try:
        con.execute(f"delete from {table} where tahun = ?", [tahun])
        con.register("_frame", frame.to_arrow())
        con.execute(f"insert into {table} by name select * from _frame")
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        con.unregister("_frame")


def isu_asset(isu: str) -> dg.AssetsDefinition:
    kpis = kpis_of(isu)

    @dg.asset(
        name=f"kpi_{isu}",
        group_name="kpi",
        kinds={"polars", "duckdb"},
        deps=[basis_desa],
        description=f"Indikator {ISU_NAMES[isu]}: "
        + ", ".join(k.kpi_id for k in kpis)
        + ". Tingkat desa, kecamatan, kabupaten dan provinsi.",
    )
    def _asset(config: KpiConfig, dasbor: DasborResource) -> dg.MaterializeResult:
        with dasbor.warehouse().connect() as con:
            years = data_years(con)
            basis = _read_basis(con, kpis)
            if config.tahun is not None:
                # One year only: recompute its rows and leave every other year as it is.
                years = [config.tahun]
                basis = basis.filter(pl.col("tahun") == config.tahun)
            areas = area_frame(_read(con, "wilayah"))
            result = compute_kpis(basis, kpis, areas, years, _read(con, "kemiskinan_kab")).collect()
            if config.tahun is None:
                _write(con, f"kpi_{isu}", result)
            else:
                _replace_year(con, f"kpi_{isu}", result, config.tahun)
            new_kpi_version(con)
        province = result.filter(pl.col("tingkat") == "provinsi").sort("kpi_id", "tahun")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.height,
                "provinsi": _preview(
                    province.select("kpi_id", "kode_wilayah", "tahun", "nilai", "desa_melapor"),
                    40,
                ),
            }
        )

    return _asset


ISU_ASSETS = [isu_asset(isu) for isu in ISU_NAMES]


@dg.asset(group_name="kpi", kinds={"duckdb"}, deps=ISU_ASSETS)
def kpi(dasbor: DasborResource) -> dg.MaterializeResult:
    """Tabel kpi gabungan semua isu strategis, dan kpi_definisi dari katalog yang sama."""
    with dasbor.warehouse().connect() as con:
        con.execute(sql("marts/union_kpi"))
        _write(con, "kpi_definisi", definitions_frame())
        new_kpi_version(con)
        rows = con.execute("select count(*) from kpi").fetchall()[0][0]
        summary = con.sql(
            "select tingkat, count(*) as baris, count(nilai) as terisi from kpi group by 1 order by 1"
        ).pl()
    return dg.MaterializeResult(
        metadata={"dagster/row_count": int(rows), "per_tingkat": _preview(summary)}
    )
