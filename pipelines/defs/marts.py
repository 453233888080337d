"""KPI marts: the village-year basis, one asset per strategic issue, and the combined `kpi`."""

import dagster as dg
import polars as pl

from pipelines.contracts import datasets as datasets_module
from pipelines.contracts import idm_status as idm_status_module
from pipelines.contracts import kpis as kpi_contracts_module
from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import check_thresholds
from pipelines.contracts.kpis import ISU_NAMES, definitions_frame, input_columns, kpis_of
from pipelines.defs.ingest import DATASET_ASSETS, wilayah
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms import basis as basis_module
from pipelines.transforms import kpis as kpis_module
from pipelines.transforms.basis import idm_scored, village_year_basis
from pipelines.transforms.kpis import area_frame, compute_kpis
from pipelines.warehouse import sidik, tables
from pipelines.warehouse.kpi_guard import new_kpi_version
from pipelines.warehouse.publish import sync_staging

BASIS_KEYS = ["kode_desa", "kode_kec", "kode_kab", "kode_prov", "tahun", "is_desa"]


@dg.asset(group_name="kpi", kinds={"polars", "duckdb"}, deps=[wilayah, *DATASET_ASSETS])
def basis_desa(context: dg.AssetExecutionContext, dasbor: DasborResource) -> dg.MaterializeResult:
    """Satu baris per desa/kelurahan dan tahun dengan semua masukan indikator (tabel
    basis_desa), serta nilai dan status IDM yang dihitung dari iks/ike/ikl (idm_hitung).
    Hanya tahun yang masukannya berubah sejak perhitungan terakhir yang dihitung ulang."""
    with dasbor.warehouse().connect() as con:
        years = tables.data_years(con)
        # Inputs per year (every dataset with data years), and the global ones: the villages,
        # the thresholds and the code. Only the years whose inputs moved are recomputed.
        per_year = sidik.merge_years(
            *(sidik.year_fingerprints(con, d.name) for d in DATASETS.values() if d.holds_data_years)
        )
        whole = sidik.combine(
            sidik.table_fingerprint(con, "wilayah"),
            sidik.table_fingerprint(con, "idm_ambang_status"),
            sidik.code_fingerprint(basis_module, idm_status_module, datasets_module),
            sidik.function_fingerprint(village_year_basis, idm_scored),
        )
        full, stale, gone = sidik.stale_years(sidik.stored(con, "basis_desa"), whole, per_year)
        if not (full or stale or gone):
            context.log.info("basis_desa: tidak ada masukan yang berubah; tidak dihitung ulang")
            return dg.MaterializeResult(
                metadata={
                    "tahun_dihitung": "-",
                    "dagster/row_count": tables.row_count(con, "basis_desa"),
                }
            )
        subset = None if full else stale
        thresholds = check_thresholds(tables.read(con, "idm_ambang_status").collect())
        villages = tables.query(con, "warehouse/villages")
        # Data years only: targets and the calendar are about no village year. Declared
        # columns only: provenance and load bookkeeping (sumber, sha256) are no KPI input, and
        # were half of the 1.7 GB these tables take in memory on the national run.
        datasets = {
            d.name: tables.read(con, d.name, [c.name for c in d.columns], years=subset)
            for d in DATASETS.values()
            if d.holds_data_years
        }
        basis = village_year_basis(
            villages.lazy(), years if full else stale, datasets, thresholds
        ).collect()
        idm_hitung = (
            idm_scored(datasets["idm"], thresholds)
            .select("kode_desa", "tahun", "nilai_idm_hitung", "status_idm_hitung")
            .collect()
        )

        def remember() -> None:
            sidik.store(con, "basis_desa", whole, per_year)

        if full:
            tables.write(con, "idm_hitung", idm_hitung)
            tables.write(con, "basis_desa", basis, also=remember)
        else:
            tables.replace_years(con, "idm_hitung", idm_hitung, [*stale, *gone])
            tables.replace_years(con, "basis_desa", basis, [*stale, *gone], also=remember)
        rows = tables.row_count(con, "basis_desa")
    context.log.info(f"basis_desa: {'semua tahun' if full else stale} dihitung ulang")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "tahun": ", ".join(map(str, years)) or "-",
            "tahun_dihitung": "semua" if full else ", ".join(map(str, stale)),
            "desa_dengan_idm": int(basis["ada_idm"].sum()),
        }
    )


class KpiConfig(dg.Config):
    """By default only the years whose inputs changed since the last computation are
    recomputed (all of them on the first run or after a code change). Set `tahun` to
    recompute that one year, or `penuh` to recompute every year."""

    tahun: int | None = None
    penuh: bool = False


def isu_asset(isu: str) -> dg.AssetsDefinition:
    kpis = kpis_of(isu)

    @dg.asset(
        name=f"kpi_{isu}",
        group_name="kpi",
        kinds={"polars", "duckdb"},
        deps=[basis_desa],
        description=f"Indikator {ISU_NAMES[isu]}: "
        + ", ".join(k.kpi_id for k in kpis)
        + ". Tingkat desa, kecamatan, kabupaten dan provinsi (indikator program Dinas: "
        "kabupaten dan provinsi).",
    )
    def _asset(
        context: dg.AssetExecutionContext, config: KpiConfig, dasbor: DasborResource
    ) -> dg.MaterializeResult:
        table = f"kpi_{isu}"
        with dasbor.warehouse().connect() as con:
            years = tables.data_years(con)
            # Only the basis columns these KPIs read: the basis is wide at national scale.
            columns = list(dict.fromkeys([*BASIS_KEYS, *input_columns(kpis)]))
            per_year = sidik.merge_years(
                sidik.year_fingerprints(con, "basis_desa", columns),
                sidik.year_fingerprints(con, "kemiskinan_kab"),
                sidik.year_fingerprints(con, "program_kegiatan"),
            )
            per_year = {y: per_year.get(y, "-") for y in years}
            whole = sidik.combine(
                sidik.table_fingerprint(con, "wilayah"),
                sidik.code_fingerprint(kpis_module, kpi_contracts_module),
                sidik.function_fingerprint(compute_kpis, area_frame),
            )
            previous = sidik.stored(con, table)
            exists = tables.exists(con, table)
            full, stale, gone = sidik.stale_years(previous, whole, per_year)
            full = full or config.penuh or not exists
            if config.tahun is not None and not full:
                # One year only: recompute its rows and leave every other year as it is.
                stale, gone = [config.tahun], []
            elif full:
                stale, gone = years, []
            if not full and not (stale or gone):
                context.log.info(f"{table}: tidak ada masukan yang berubah; tidak dihitung ulang")
                return dg.MaterializeResult(
                    metadata={
                        "tahun_dihitung": "-",
                        "dagster/row_count": tables.row_count(con, table),
                    }
                )
            basis = tables.read(con, "basis_desa", columns, years=None if full else stale)
            areas = area_frame(tables.read(con, "wilayah"))
            bps = tables.read(con, "kemiskinan_kab")
            activities = tables.read(con, "program_kegiatan")
            result = compute_kpis(
                basis, kpis, areas, stale, bps, program_kegiatan=activities
            ).collect()
            recorded = (
                per_year
                if config.tahun is None or full
                else {
                    **{int(k): v for k, v in previous.items() if k != sidik.ALL},
                    config.tahun: per_year.get(config.tahun, "-"),
                }
            )

            def remember() -> None:
                sidik.store(con, table, whole, recorded)

            if full:
                tables.write(con, table, result, also=remember)
            else:
                tables.replace_years(con, table, result, [*stale, *gone], also=remember)
            new_kpi_version(con)
        context.log.info(f"{table}: {'semua tahun' if full else stale} dihitung ulang")
        province = result.filter(pl.col("tingkat") == "provinsi").sort("kpi_id", "tahun")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.height,
                "tahun_dihitung": "semua" if full else ", ".join(map(str, stale)),
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
        # The next snapshot is built in place: its kpi table (in key order) gets the years
        # that changed now, so publishing copies nothing table by table.
        synced = sync_staging(con, dasbor.settings().published_path, ["kpi"])
        rows = tables.row_count(con, "kpi")
        summary = tables.query(con, "marts/kpi_per_tingkat")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": int(rows),
            "per_tingkat": preview(summary),
            "snapshot_berikut_tahun_ditulis": synced.get("kpi", "-"),
        }
    )
