"""Desa prioritas: the ranked list per kabupaten, from the basis and the configured weights."""

import dagster as dg

from pipelines.defs.ingest import _preview
from pipelines.defs.marts import _read, _write, basis_desa
from pipelines.defs.resources import DasborResource
from pipelines.settings import REPO_ROOT
from pipelines.transforms.prioritas import desa_prioritas as rank_desa
from pipelines.transforms.prioritas import load_weights

WEIGHTS = REPO_ROOT / "data" / "reference" / "bobot_desa_prioritas.csv"


@dg.asset(group_name="prioritas", kinds={"polars", "duckdb"}, deps=[basis_desa])
def desa_prioritas(dasbor: DasborResource) -> dg.MaterializeResult:
    """Peringkat desa per kabupaten menurut kebutuhan, dengan alasan dalam bahasa sehari-hari.
    Bobot: data/reference/bobot_desa_prioritas.csv. Desa yang datanya kurang ditandai
    'data_kurang' dan tidak diberi peringkat."""
    with dasbor.warehouse().connect() as con:
        names = _read(con, "wilayah").select("kode", "nama")
        result = rank_desa(_read(con, "basis_desa"), load_weights(WEIGHTS), names).collect()
        _write(con, "desa_prioritas", result)
    latest = result.filter(result["tahun"] == result["tahun"].max()) if result.height else result
    top = latest.filter(latest["peringkat_kab"] == 1) if latest.height else latest
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.height,
            "data_kurang": int((result["status"] == "data_kurang").sum()) if result.height else 0,
            "peringkat_1_per_kabupaten": _preview(
                top.select("kode_kab", "nama_desa", "skor", "alasan"), 20
            ),
        }
    )
