"""Desa prioritas: the ranked list per kabupaten, from the basis and the configured weights."""

import dagster as dg

from pipelines.contracts.idm_status import check_thresholds
from pipelines.defs.marts import basis_desa
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms.prioritas import desa_prioritas as rank_desa
from pipelines.transforms.prioritas import read_weights, weights_of
from pipelines.warehouse import tables


@dg.asset(group_name="prioritas", kinds={"polars", "duckdb"}, deps=[basis_desa])
def desa_prioritas(dasbor: DasborResource) -> dg.MaterializeResult:
    """Peringkat desa per kabupaten menurut kebutuhan, dengan alasan dalam bahasa sehari-hari.
    Bobot: bobot_desa_prioritas.csv di folder referensi (DASBOR_REFERENCE_DIR), diterbitkan
    sebagai tabel bobot_desa_prioritas. Desa yang datanya kurang ditandai 'data_kurang' dan
    tidak diberi peringkat."""
    weights_csv = dasbor.settings().priority_weights_csv
    weights = read_weights(weights_csv)
    with dasbor.warehouse().connect() as con:
        names = tables.read(con, "wilayah", ["kode", "nama"])
        thresholds = check_thresholds(tables.read(con, "idm_ambang_status").collect())
        basis = tables.read(con, "basis_desa")
        result = rank_desa(basis, weights_of(weights), names, thresholds).collect()
        tables.write(con, "desa_prioritas", result)
        tables.write(con, "bobot_desa_prioritas", weights)  # the weights this ranking used
    latest = result.filter(result["tahun"] == result["tahun"].max()) if result.height else result
    top = latest.filter(latest["peringkat_kab"] == 1) if latest.height else latest
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.height,
            "bobot": str(weights_csv),
            "data_kurang": int((result["status"] == "data_kurang").sum()) if result.height else 0,
            "peringkat_1_per_kabupaten": preview(
                top.select("kode_kab", "nama_desa", "skor", "alasan"), 20
            ),
        }
    )
