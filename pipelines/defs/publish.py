"""The publish asset: the last step of every run, reached only when the blocking checks pass."""

from datetime import UTC, datetime

import dagster as dg

from pipelines.contracts.catalogue import published_catalogue
from pipelines.defs.checks import BLOCKING_CHECK_NAMES
from pipelines.defs.ingest import DATASET_ASSETS
from pipelines.defs.marts import kpi
from pipelines.defs.prioritas import desa_prioritas
from pipelines.defs.resources import DasborResource
from pipelines.defs.status import status_wilayah
from pipelines.defs.targets import capaian_target
from pipelines.warehouse.kpi_guard import unpassed_checks
from pipelines.warehouse.publish import publish


@dg.asset(
    group_name="terbit",
    kinds={"duckdb"},
    deps=[kpi, desa_prioritas, capaian_target, status_wilayah, *DATASET_ASSETS],
)
def dasbor_terbit(
    context: dg.AssetExecutionContext, dasbor: DasborResource
) -> dg.MaterializeResult:
    """Snapshot published/dasbor.duckdb untuk dasbor dan analis: dibangun di berkas baru lalu
    diganti secara atomik (os.replace). Hanya berjalan bila semua pemeriksaan blocking lulus."""
    s = dasbor.settings()
    with dasbor.warehouse().connect() as con:
        unpassed = unpassed_checks(con, BLOCKING_CHECK_NAMES)
        if unpassed:
            # Selecting this step alone runs no check: the verdicts in the warehouse decide.
            raise dg.Failure(
                description="Snapshot tidak diterbitkan: pemeriksaan blocking belum lulus untuk "
                "KPI saat ini ("
                + ", ".join(f"{name}: {state}" for name, state in unpassed.items())
                + "). Jalankan ulang kpi beserta pemeriksaannya, misalnya --select 'kpi+'.",
                allow_retries=False,
            )
        counts = publish(
            con,
            s.published_path,
            context.run_id,
            s.provinsi,
            datetime.now(UTC),
            published_catalogue(),
        )
    return dg.MaterializeResult(
        metadata={
            "path": str(s.published_path),
            "dagster/row_count": counts["kpi"],
            **{f"baris_{table}": n for table, n in counts.items()},
        }
    )
