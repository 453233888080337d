"""Ingestion assets: the reference list, and one asset per declared dataset from one factory."""

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator

import dagster as dg
import polars as pl

from pipelines.contracts.datasets import DATASETS, Dataset
from pipelines.contracts.idm_status import check_thresholds
from pipelines.contracts.kpis import KPI_BY_ID
from pipelines.defs.metadata import preview
from pipelines.defs.resources import DasborResource
from pipelines.ingest.inbox import FileOutcome, process_files, settled_files
from pipelines.ingest.reference import Reference, read_wilayah
from pipelines.transforms.jadwal import read_shipped_calendar
from pipelines.transforms.targets import read_shipped_targets
from pipelines.warehouse import tables
from pipelines.warehouse.publish import COPIED_TABLES, count_arrivals, sync_staging


def load_reference(dasbor: DasborResource) -> Reference:
    """The reference lists, read once per process and version of the files (seven dataset
    assets run in one process and would otherwise each read and index them)."""
    s = dasbor.settings()
    paths = (s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv)
    return _cached_reference(*paths, s.provinsi, tuple(p.stat().st_mtime_ns for p in paths))


@functools.lru_cache(maxsize=4)
def _cached_reference(wilayah, crosswalk, thresholds, provinsi, _mtimes) -> Reference:
    return Reference.load(wilayah, crosswalk, thresholds, provinsi)


@dg.asset(group_name="referensi", kinds={"duckdb"})
def wilayah(context: dg.AssetExecutionContext, dasbor: DasborResource) -> dg.MaterializeResult:
    """Daftar wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, desa/kelurahan),
    padanan kode BPS, ambang status desa, target resmi bawaan, dan jadwal pelaporan bawaan, dari
    data/reference."""
    s = dasbor.settings()
    with dasbor.warehouse().connect() as con:
        tables.write(con, "wilayah", read_wilayah(s.wilayah_csv).sort("kode"))
        tables.write(con, "bps_padanan", pl.read_csv(s.bps_crosswalk_csv, infer_schema=False))
        thresholds = check_thresholds(pl.read_csv(s.idm_thresholds_csv))
        tables.write(con, "idm_ambang_status", thresholds)
        tables.write(con, "target_kpi_bawaan", read_shipped_targets(s.targets_csv, set(KPI_BY_ID)))
        tables.write(con, "jadwal_pelaporan_bawaan", read_shipped_calendar(s.calendar_csv))
        counts = tables.query(con, "warehouse/wilayah_per_tingkat")
    context.log.info(f"wilayah: {counts.rows()}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": int(counts["n"].sum()),
            "per_tingkat": preview(counts),
            "sumber": str(s.wilayah_csv),
        }
    )


def log_outcomes(
    log: logging.Logger | dg.DagsterLogManager,
    outcomes: Iterable[FileOutcome],
    every_s: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[FileOutcome]:
    """Pass the outcomes through, logging one line per file, gathered into one log event at most
    every `every_s` seconds: each Dagster event is a synchronous write to the run's event store
    (about 5 ms; 380 national UMKM files spent 2 s of their step on it, in the loop that records
    them). A rejection's report is logged at once, in full, after the lines before it. A line
    can wait until the next file is recorded; every outcome is in `ingest_log` as it commits."""
    lines: list[str] = []
    last = clock()

    def flush() -> None:
        nonlocal last
        if lines:
            log.info("\n".join(lines))
            lines.clear()
        last = clock()

    try:
        for outcome in outcomes:
            lines.append(f"{outcome.status}: {outcome.file_name} ({outcome.rows} baris)")
            if outcome.status == "rejected":
                flush()
                log.warning(outcome.report)
            elif clock() - last >= every_s:
                flush()
            yield outcome
    finally:  # a failure in a later file still logs the files recorded before it
        flush()


def dataset_asset(dataset: Dataset) -> dg.AssetsDefinition:
    """The generic ingestion asset: take every pending file of the dataset's inbox."""
    copied = [dataset.name] if dataset.name in COPIED_TABLES else []

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
        # Wait for young files before taking the warehouse lock: no other run waits on us.
        ready = settled_files(s.inbox(dataset.name), s.settle_seconds, s.settle_max_wait_seconds)
        with dasbor.warehouse().connect() as con:
            outcomes = list(
                log_outcomes(context.log, process_files(ready, dataset, reference, con, s))
            )
            rows = tables.row_count(con, dataset.name)
            sample = tables.head(con, dataset.name)
            # The step that writes a published table brings it up to date in the next snapshot
            # (as the kpi step does), so publishing, after the checks, is little more than a swap.
            # A table published as loaded; the derived ones (idm with its computed score, the
            # targets and calendar in force) are brought there by the steps that compute them.
            synced = sync_staging(con, s.published_path, copied) if copied else {}
            count_arrivals(con, [dataset.name])  # what kelengkapan_data counts, counted now
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
                "preview": preview(sample),
                "snapshot_berikut_tahun_ditulis": synced.get(dataset.name, "-"),
            }
        )

    return _asset


DATASET_ASSETS = [dataset_asset(d) for d in DATASETS.values()]
