"""Targets: the targets in force, and each kabupaten's and the province's progress to them."""

import dagster as dg

from pipelines.defs.ingest import DATASET_ASSETS, wilayah
from pipelines.defs.marts import kpi
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.transforms.targets import progress, targets_in_force
from pipelines.warehouse import tables


@dg.asset(group_name="kpi", kinds={"polars", "duckdb"}, deps=[kpi, wilayah, *DATASET_ASSETS])
def capaian_target(dasbor: DasborResource) -> dg.MaterializeResult:
    """Target yang berlaku (bawaan, diganti berkas target_kpi per kpi_id dan wilayah) dan
    capaian tiap kabupaten/kota dan provinsi: sesuai jalur, tertinggal dari jalur, atau target
    tercapai. Wilayah tanpa target sendiri diukur dengan target di atasnya."""
    with dasbor.warehouse().connect() as con:
        in_force = targets_in_force(
            tables.read(con, "target_kpi_bawaan").collect(),
            tables.read(con, "target_kpi").collect(),
        )
        areas = tables.query(
            con, "marts/kpi_for_targets", [in_force["kpi_id"].unique().sort().to_list()]
        )
        arah = tables.read(con, "kpi_definisi", ["kpi_id", "arah"]).collect()
        result = progress(areas, in_force, arah)
        tables.write(con, "target_kpi_berlaku", in_force)
        tables.write(con, "capaian_target", result)
    counts = result.group_by("status").len().sort("status")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.height,
            "target_berlaku": in_force.height,
            "per_status": preview(counts),
        }
    )
