"""KPI marts: the village-year basis, one asset per strategic issue, and the combined `kpi`."""

from collections.abc import Iterator
from dataclasses import dataclass, field

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
from pipelines.warehouse import recompute, sidik, tables
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
        # the thresholds and the code.
        inputs = recompute.Inputs(
            by_year={d.name: None for d in DATASETS.values() if d.holds_data_years},
            whole=("wilayah", "idm_ambang_status"),
            code=(
                sidik.code_fingerprint(basis_module, idm_status_module, datasets_module),
                sidik.function_fingerprint(village_year_basis, idm_scored),
            ),
        )

        def compute(plan: recompute.Plan) -> int:
            thresholds = check_thresholds(tables.read(con, "idm_ambang_status").collect())
            villages = tables.query(con, "warehouse/villages").lazy()
            desa_dengan_idm = 0

            def batches() -> Iterator[dict[str, pl.DataFrame]]:
                nonlocal desa_dengan_idm
                # A few years at a time (see VILLAGE_YEARS_PER_BATCH). Data years only: targets
                # and the calendar are about no village year. Declared columns only: provenance
                # and load bookkeeping (sumber, sha256) are no KPI input, and were half of the
                # 1.7 GB these tables take in memory on the national run.
                for batch in recompute.year_batches(
                    years if plan.full else plan.years, years_per_batch(villages)
                ):
                    datasets = {
                        d.name: tables.read(con, d.name, [c.name for c in d.columns], years=batch)
                        for d in DATASETS.values()
                        if d.holds_data_years
                    }
                    basis = village_year_basis(villages, batch, datasets, thresholds).collect()
                    idm_hitung = (
                        idm_scored(datasets["idm"], thresholds)
                        .select("kode_desa", "tahun", "nilai_idm_hitung", "status_idm_hitung")
                        .collect()
                    )
                    desa_dengan_idm += int(basis["ada_idm"].sum())
                    yield {"idm_hitung": idm_hitung, "basis_desa": basis}

            recompute.write_batches(con, plan, batches())
            return desa_dengan_idm

        plan, desa_dengan_idm = recompute.bring_up_to_date(con, "basis_desa", inputs, compute)
        rows = tables.row_count(con, "basis_desa")
        # The published idm carries the score computed here (see the kpi step).
        synced = sync_staging(con, dasbor.settings().published_path, ["idm"])
    context.log.info(recompute.said("basis_desa", plan))
    if plan.nothing:
        return dg.MaterializeResult(
            metadata={
                "tahun_dihitung": "-",
                "dagster/row_count": rows,
                "snapshot_berikut_idm_tahun_ditulis": synced["idm"],
            }
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "tahun": ", ".join(map(str, years)) or "-",
            "tahun_dihitung": recompute.years_said(plan),
            "desa_dengan_idm": desa_dengan_idm,
            "snapshot_berikut_idm_tahun_ditulis": synced["idm"],
        }
    )


# The village-years one batch of a KPI asset reads: the Kalteng sample in one batch, the
# national one (84k villages) two years at a time.
VILLAGE_YEARS_PER_BATCH = 200_000


def years_per_batch(villages: pl.LazyFrame) -> int:
    count = villages.select(pl.len()).collect().item()
    return max(1, VILLAGE_YEARS_PER_BATCH // max(1, count))


@dataclass
class Written:
    """What a KPI asset wrote, for its materialization: the row count and the province rows."""

    rows: int = 0
    province_batches: list[pl.DataFrame] = field(default_factory=list)

    def add(self, frame: pl.DataFrame) -> None:
        self.rows += frame.height
        self.province_batches.append(frame.filter(pl.col("tingkat") == "provinsi"))

    @property
    def province(self) -> pl.DataFrame:
        return pl.concat(self.province_batches)


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
            inputs = recompute.Inputs(
                by_year={"basis_desa": columns, "kemiskinan_kab": None, "program_kegiatan": None},
                whole=("wilayah",),
                code=(
                    sidik.code_fingerprint(kpis_module, kpi_contracts_module),
                    sidik.function_fingerprint(compute_kpis, area_frame),
                ),
                years=years,
            )

            def compute(plan: recompute.Plan) -> Written:
                areas = area_frame(tables.read(con, "wilayah")).collect().lazy()
                bps = tables.read(con, "kemiskinan_kab")
                activities = tables.read(con, "program_kegiatan")
                written = Written()
                size = years_per_batch(tables.query(con, "warehouse/villages").lazy())

                def batches() -> Iterator[dict[str, pl.DataFrame]]:
                    # A few years at a time, so that one batch's rows are all that is held
                    # (the national sample's whole result is tens of millions of rows).
                    for years in recompute.year_batches(plan.years, size):
                        basis = tables.read(con, "basis_desa", columns, years=years)
                        frame = compute_kpis(
                            basis, kpis, areas, years, bps, program_kegiatan=activities
                        ).collect()
                        written.add(frame)
                        yield {table: frame}

                recompute.write_batches(con, plan, batches())
                return written

            plan, result = recompute.bring_up_to_date(
                con, table, inputs, compute, penuh=config.penuh, tahun=config.tahun
            )
            if plan.nothing:
                context.log.info(recompute.said(table, plan))
                return dg.MaterializeResult(
                    metadata={
                        "tahun_dihitung": "-",
                        "dagster/row_count": tables.row_count(con, table),
                    }
                )
            new_kpi_version(con)
        context.log.info(recompute.said(table, plan))
        province = result.province.sort("kpi_id", "tahun")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.rows,
                "tahun_dihitung": recompute.years_said(plan),
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
