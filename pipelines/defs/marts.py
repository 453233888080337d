"""KPI marts: the village-year basis, one asset per strategic issue, and the combined `kpi`."""

import dagster as dg
import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import check_thresholds
from pipelines.contracts.kpis import ISU_NAMES, definitions_frame, input_columns, kpis_of
from pipelines.defs.ingest import DATASET_ASSETS, wilayah
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms.basis import idm_scored, village_year_basis
from pipelines.transforms.kpis import area_frame, compute_kpis
from pipelines.warehouse import tables
from pipelines.warehouse.kpi_guard import new_kpi_version

BASIS_KEYS = ["kode_desa", "kode_kec", "kode_kab", "kode_prov", "tahun", "is_desa"]


@dg.asset(group_name="kpi", kinds={"polars", "duckdb"}, deps=[wilayah, *DATASET_ASSETS])
def basis_desa(dasbor: DasborResource) -> dg.MaterializeResult:
    """Satu baris per desa/kelurahan dan tahun dengan semua masukan indikator (tabel
    basis_desa), serta nilai dan status IDM yang dihitung dari iks/ike/ikl (idm_hitung)."""
    with dasbor.warehouse().connect() as con:
        years = tables.data_years(con)
        thresholds = check_thresholds(tables.read(con, "idm_ambang_status").collect())
        villages = tables.query(con, "warehouse/villages")
        datasets = {name: tables.read(con, name) for name in DATASETS}
        basis = village_year_basis(villages.lazy(), years, datasets, thresholds).collect()
        idm_hitung = (
            idm_scored(datasets["idm"], thresholds)
            .select("kode_desa", "tahun", "nilai_idm_hitung", "status_idm_hitung")
            .collect()
        )
        tables.write(con, "basis_desa", basis)
        tables.write(con, "idm_hitung", idm_hitung)
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
            years = tables.data_years(con)
            # Only the basis columns these KPIs read: the basis is wide at national scale.
            columns = list(dict.fromkeys([*BASIS_KEYS, *input_columns(kpis)]))
            basis = tables.read(con, "basis_desa", columns)
            if config.tahun is not None:
                # One year only: recompute its rows and leave every other year as it is.
                years = [config.tahun]
                basis = basis.filter(pl.col("tahun") == config.tahun)
            areas = area_frame(tables.read(con, "wilayah"))
            bps = tables.read(con, "kemiskinan_kab")
            result = compute_kpis(basis, kpis, areas, years, bps).collect()
            if config.tahun is None:
                tables.write(con, f"kpi_{isu}", result)
            else:
                tables.replace_year(con, f"kpi_{isu}", result, config.tahun)
            new_kpi_version(con)
        province = result.filter(pl.col("tingkat") == "provinsi").sort("kpi_id", "tahun")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.height,
                "provinsi": preview(
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
        tables.union_view(con, "kpi", [f"kpi_{isu}" for isu in ISU_NAMES])
        tables.write(con, "kpi_definisi", definitions_frame())
        new_kpi_version(con)
        rows = tables.row_count(con, "kpi")
        summary = tables.query(con, "marts/kpi_per_tingkat")
    return dg.MaterializeResult(
        metadata={"dagster/row_count": int(rows), "per_tingkat": preview(summary)}
    )
