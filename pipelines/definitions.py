"""The Dagster code location: assets, checks, the jobs, the inbox sensor, the notification
schedules, one resource.

Everything runs in one process (`in_process_executor`): a step costs seconds to start in a
subprocess on this 2-core machine, and one process keeps every DuckDB write in one place.
"""

import dagster as dg

from pipelines.defs.checks import KPI_CHECKS
from pipelines.defs.ingest import DATASET_ASSETS, wilayah
from pipelines.defs.laporan import laporan_ringkas
from pipelines.defs.marts import ISU_ASSETS, basis_desa, kpi
from pipelines.defs.notifikasi import JOBS as NOTIFICATION_JOBS
from pipelines.defs.notifikasi import SCHEDULES as NOTIFICATION_SCHEDULES
from pipelines.defs.prioritas import desa_prioritas
from pipelines.defs.publish import dasbor_terbit
from pipelines.defs.resources import DasborResource
from pipelines.defs.sensors import dasbor_lengkap, inbox_sensor
from pipelines.defs.status import status_wilayah
from pipelines.defs.targets import capaian_target

ASSETS = [
    wilayah, *DATASET_ASSETS, basis_desa, *ISU_ASSETS, kpi, desa_prioritas, capaian_target,
    status_wilayah, dasbor_terbit,
]  # fmt: skip
# Not in the default job: printing 15 PDFs needs Chromium and takes a minute; analysts
# materialize it on demand (UI or `--select laporan_ringkas`).
ON_DEMAND = [laporan_ringkas]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[*ASSETS, *ON_DEMAND],
        asset_checks=KPI_CHECKS,
        jobs=[dasbor_lengkap, *NOTIFICATION_JOBS],
        schedules=NOTIFICATION_SCHEDULES,
        sensors=[inbox_sensor],
        resources={"dasbor": DasborResource()},
        executor=dg.in_process_executor,
    )
