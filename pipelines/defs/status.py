"""Village status per area and year: the scheme, the status and the weakest Indeks Desa
dimension of every desa, kabupaten and province, from the village-year basis."""

import dagster as dg

from pipelines.contracts.catalogue import dimensions_frame
from pipelines.defs.marts import basis_desa
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms.status import status_wilayah as rate_areas
from pipelines.warehouse import tables
from pipelines.warehouse.publish import sync_staging

BASIS_COLUMNS = [
    "kode_desa", "kode_kab", "kode_prov", "tahun", "ada_idm", "nilai_idm_hitung",
    "status_idm_hitung", "ada_indeks_desa", "skor_indeks_desa", "status_indeks_desa",
]  # fmt: skip


@dg.asset(group_name="kpi", kinds={"polars", "duckdb"}, deps=[basis_desa])
def status_wilayah(dasbor: DasborResource) -> dg.MaterializeResult:
    """Status desa per desa, kabupaten/kota dan provinsi per tahun: skema yang dipakai (Indeks
    Desa bila ada tahun itu, selain itu IDM), status desa, dan dimensi Indeks Desa terlemah
    (untuk wilayah: dimensi dengan rata-rata terendah)."""
    dimensions = dimensions_frame()["kolom"].to_list()  # official order: the tie rule
    with dasbor.warehouse().connect() as con:
        basis = tables.read(con, "basis_desa", [*BASIS_COLUMNS, *dimensions])
        result = rate_areas(basis, dimensions).collect()
        tables.write(con, "status_wilayah", result)
        synced = sync_staging(con, dasbor.settings().published_path, ["status_wilayah"])
    areas = result.filter(result["tingkat"] != "desa")
    latest = areas.filter(areas["tahun"] == areas["tahun"].max()) if areas.height else areas
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.height,
            "snapshot_berikut_tahun_ditulis": synced["status_wilayah"],
            "wilayah_tahun_terakhir": preview(
                latest.select("tingkat", "kode", "tahun", "skema", "dimensi_terlemah"), 20
            ),
        }
    )
