"""Desa prioritas: the ranked list per kabupaten, from the basis and the configured weights."""

import dagster as dg
import polars as pl

from pipelines.contracts import idm_status as idm_status_module
from pipelines.contracts import prioritas as prioritas_contracts_module
from pipelines.contracts.idm_status import check_thresholds
from pipelines.defs.marts import basis_desa
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms import prioritas as prioritas_module
from pipelines.transforms import status as status_module
from pipelines.transforms.prioritas import desa_prioritas as rank_desa
from pipelines.transforms.prioritas import read_weights, weights_of
from pipelines.warehouse import recompute, sidik, tables
from pipelines.warehouse.publish import sync_staging


@dg.asset(group_name="prioritas", kinds={"polars", "duckdb"}, deps=[basis_desa])
def desa_prioritas(
    context: dg.AssetExecutionContext, dasbor: DasborResource
) -> dg.MaterializeResult:
    """Peringkat desa per kabupaten menurut kebutuhan, dengan alasan dalam bahasa sehari-hari.
    Bobot: bobot_desa_prioritas.csv di folder referensi (DASBOR_REFERENCE_DIR), diterbitkan
    sebagai tabel bobot_desa_prioritas. Desa yang datanya kurang ditandai 'data_kurang' dan
    tidak diberi peringkat. Hanya tahun yang masukannya (tahun itu dan tahun sebelumnya)
    berubah yang dihitung ulang."""
    weights_csv = dasbor.settings().priority_weights_csv
    weights = read_weights(weights_csv)
    with dasbor.warehouse().connect() as con:
        # A year's reasons compare the status with the year before, so a year is stale when
        # its basis or the year before's moved; the weights, names and thresholds are global.
        inputs = recompute.Inputs(
            by_year={"basis_desa": None},
            whole=("wilayah", "idm_ambang_status"),
            code=(
                sidik.code_fingerprint(
                    prioritas_module, status_module, idm_status_module, prioritas_contracts_module
                ),
                sidik.combine(weights.write_csv()),
            ),
            reads_year_before=True,
        )

        def compute(plan: recompute.Plan) -> None:
            names = tables.read(con, "wilayah", ["kode", "nama"])
            thresholds = check_thresholds(tables.read(con, "idm_ambang_status").collect())
            years = [y for y in plan.years if y is not None]
            # The years to rank and the years before them (the status a year is compared with).
            basis = tables.read(
                con,
                "basis_desa",
                years=None if plan.full else sorted({*years, *(y - 1 for y in years)}),
            )
            ranked = rank_desa(basis, weights_of(weights), names, thresholds)
            if not plan.full:
                ranked = ranked.filter(pl.col("tahun").is_in(years))
            recompute.write_frames(con, plan, {"desa_prioritas": ranked.collect()})

        plan, _ = recompute.bring_up_to_date(con, "desa_prioritas", inputs, compute)
        tables.write(con, "bobot_desa_prioritas", weights)  # the weights this ranking used
        synced = sync_staging(con, dasbor.settings().published_path, ["desa_prioritas"])
        rows = tables.row_count(con, "desa_prioritas")
        latest_year = max((y for y in plan.held if y is not None), default=None)
        latest = tables.read(
            con, "desa_prioritas", years=[] if latest_year is None else [latest_year]
        )
        latest = latest.collect()
    context.log.info(recompute.said("desa_prioritas", plan))
    top = latest.filter(pl.col("peringkat_kab") == 1)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "tahun_dihitung": recompute.years_said(plan),
            "snapshot_berikut_tahun_ditulis": synced["desa_prioritas"],
            "bobot": str(weights_csv),
            "data_kurang_tahun_terakhir": int((latest["status"] == "data_kurang").sum()),
            "peringkat_1_per_kabupaten": preview(
                top.select("kode_kab", "nama_desa", "skor", "alasan"), 20
            ),
        }
    )
