"""Ingestion assets: the reference list, and one asset per declared dataset from one factory."""

import functools

import dagster as dg
import polars as pl

from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.defs.resources import DasborResource
from pipelines.ingest.inbox import process_file, settled_files
from pipelines.ingest.reference import Reference, read_wilayah
from pipelines.warehouse.db import sql


def load_reference(dasbor: DasborResource) -> Reference:
    """The reference lists, read once per process and version of the files (seven dataset
    assets run in one process and would otherwise each read and index them)."""
    s = dasbor.settings()
    paths = (s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv)
    return _cached_reference(*paths, s.provinsi, tuple(p.stat().st_mtime_ns for p in paths))


@functools.lru_cache(maxsize=4)
def _cached_reference(wilayah, crosswalk, thresholds, provinsi, _mtimes) -> Reference:
    return Reference.load(wilayah, crosswalk, thresholds, provinsi)


def _preview(frame: pl.DataFrame, n: int = 10) -> dg.MetadataValue:
    return dg.MetadataValue.md(frame.head(n).to_pandas().to_markdown(index=False))


@dg.asset(group_name="referensi", kinds={"duckdb"})
def wilayah(context: dg.AssetExecutionContext, dasbor: DasborResource) -> dg.MaterializeResult:
    """Daftar wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, desa/kelurahan),
    padanan kode BPS, dan ambang status IDM, dari data/reference."""
    s = dasbor.settings()
    wilayah_csv = read_wilayah(s.wilayah_csv)  # noqa: F841 - read by DuckDB by name
    bps_padanan = pl.read_csv(s.bps_crosswalk_csv, infer_schema=False)  # noqa: F841
    idm_ambang_status = pl.read_csv(s.idm_thresholds_csv)  # noqa: F841
    with dasbor.warehouse().connect() as con:
        con.execute(sql("warehouse/replace_wilayah"))
        con.execute("create or replace table bps_padanan as select * from bps_padanan")
        con.execute("create or replace table idm_ambang_status as select * from idm_ambang_status")
        counts = con.sql("select tingkat, count(*) as n from wilayah group by 1 order by 1").pl()
    context.log.info(f"wilayah: {counts.rows()}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": int(counts["n"].sum()),
            "per_tingkat": _preview(counts),
            "sumber": str(s.wilayah_csv),
        }
    )


def dataset_asset(dataset: Dataset) -> dg.AssetsDefinition:
    """The generic ingestion asset: take every pending file of the dataset's inbox."""

    @dg.asset(
        name=dataset.name,
        group_name="ingest",
        kinds={"duckdb", "polars"},
        deps=[wilayah],
        description=f"{dataset.title}. Mengambil semua berkas di inbox/{dataset.name}/: "
        "diterima (ke archive/) atau ditolak utuh dengan laporan (ke rejected/).",
    )
    def _asset(context: dg.AssetExecutionContext, dasbor: DasborResource) -> dg.MaterializeResult:
        s = dasbor.settings()
        reference = load_reference(dasbor)
        outcomes = []
        # Wait for young files before taking the warehouse lock: no other run waits on us.
        ready = settled_files(s.inbox(dataset.name), s.settle_seconds, s.settle_max_wait_seconds)
        with dasbor.warehouse().connect() as con:
            for path in ready:
                outcome = process_file(path, dataset, reference, con, s)
                context.log.info(f"{outcome.status}: {outcome.file_name} ({outcome.rows} baris)")
                if outcome.status == "rejected":
                    context.log.warning(outcome.report)
                outcomes.append(outcome)
            rows = con.execute(f"select count(*) from {dataset.name}").fetchall()[0][0]
            preview = con.sql(f"select * from {dataset.name} limit 10").pl()
        by_status = {
            status: [o.file_name for o in outcomes if o.status == status]
            for status in ("accepted", "rejected", "duplicate")
        }
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": int(rows),
                "berkas_diterima": len(by_status["accepted"]),
                "berkas_ditolak": len(by_status["rejected"]),
                "berkas_duplikat": len(by_status["duplicate"]),
                "ditolak": ", ".join(by_status["rejected"]) or "-",
                "preview": _preview(preview),
            }
        )

    return _asset


DATASET_ASSETS = [dataset_asset(d) for d in DATASETS.values()]
