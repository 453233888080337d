"""Laporan ringkas: the briefing PDF for every kabupaten/kota and the province, from the
published snapshot (the same report the dashboard offers for download)."""

import dagster as dg
import duckdb

from pipelines.defs.publish import dasbor_terbit
from pipelines.defs.resources import DasborResource
from pipelines.warehouse.db import sql


class LaporanConfig(dg.Config):
    tahun: int | None = None  # default: the latest year with data


def _part_of_full_run(context: dg.AssetExecutionContext) -> bool:
    """True when this run also publishes the snapshot (a whole-pipeline run)."""
    selection = context.run.asset_selection
    if selection:
        return dasbor_terbit.key in selection
    # No explicit selection: every materializable asset of the job runs.
    graph = context.job_def.asset_layer.asset_graph
    return graph.has(dasbor_terbit.key) and graph.get(dasbor_terbit.key).is_materializable


@dg.asset(group_name="laporan", kinds={"pdf"}, deps=[dasbor_terbit], output_required=False)
def laporan_ringkas(
    context: dg.AssetExecutionContext, config: LaporanConfig, dasbor: DasborResource
):
    """PDF laporan ringkas per kabupaten/kota dan provinsi di published/laporan/<tahun>/.
    Butuh Chromium (Debian) untuk mencetak PDF.

    Dibuat bila aset ini dipilih sendiri (UI, atau `--select laporan_ringkas`). Dalam run
    penuh (`--select '*'`, sensor) aset ini dilewati: mencetak 15 PDF butuh sekitar satu
    menit, dan run penuh harus cepat sampai dasbor terbit."""
    if _part_of_full_run(context):
        context.log.info(
            "run penuh: laporan ringkas dilewati; pilih laporan_ringkas untuk membuatnya"
        )
        return
    from laporan.briefing import write_pdfs  # pandas and Plotly: only when it prints

    s = dasbor.settings()
    snapshot = s.published_path
    con = duckdb.connect()
    try:
        con.execute(sql("snapshot/attach_read_only"), [str(snapshot)])
        tahun = config.tahun or con.execute(sql("snapshot/latest_kpi_year")).fetchall()[0][0]
        areas = con.execute(sql("snapshot/report_areas")).fetchall()
    finally:
        con.close()
    folder = snapshot.parent / "laporan" / str(tahun)
    written = write_pdfs(snapshot, [kode for (kode,) in areas], tahun, folder, s.reference_dir)
    context.log.info(f"ditulis: {', '.join(p.name for p in written)}")
    yield dg.MaterializeResult(
        metadata={"tahun": tahun, "berkas": len(written), "folder": str(folder)}
    )
