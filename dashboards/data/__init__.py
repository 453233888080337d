"""Every read of the published snapshot, and nothing else.

The dashboard's only tie to the pipeline is the snapshot's schema (docs/contracts.md): this
package never imports `pipelines`, and keeps no copy of the catalogue (datasets, KPIs, issues,
village statuses, weights): it reads them from the snapshot.

- `settings`: where the data directory, the snapshot and the boundary files are;
- `snapshot`: the pin per page run, the one read-only connection, `@snapshot_query` and
  `@snapshot_view` (what pages build, kept per snapshot version);
- `catalogue`: dataset_definisi, kpi_definisi, isu_definisi, status_desa, thresholds, weights;
- `queries`: areas, KPI values, dataset rows, desa prioritas, data quality;
- `status`: village statuses (IDM or Indeks Desa, saying which) and KPI targets;
- `geo`, `briefing`: boundaries and the briefing PDF;
- `program`: the agency's activities (program_kegiatan);
- `kotak_keluar`: the .eml files written when no mail server is set (admin page);
- `files`: the reports the pipeline keeps beside a rejected file (only under rejected/).

Pages use the names re-exported here: `from dashboards import data; data.kpi(...)`.
"""

from dashboards.data.briefing import BriefingFailed, BriefingUnavailable, briefing_pdf
from dashboards.data.catalogue import (
    dataset_definition,
    dataset_titles,
    datasets,
    has_table,
    idm_thresholds,
    issues,
    kpi_definitions,
    priority_factor_labels,
    priority_weights,
    short_title,
    uploadable_datasets,
    village_datasets,
    village_statuses,
)
from dashboards.data.files import beside_rejected, error_workbook, error_workbook_path
from dashboards.data.geo import geojson
from dashboards.data.kotak_keluar import outbox_dir, outbox_messages
from dashboards.data.program import program_activities
from dashboards.data.queries import (
    available_years,
    completeness,
    compliance,
    data_sources,
    desa_datasets,
    desa_list,
    desa_prioritas,
    desa_prioritas_kabupaten,
    desa_ranks,
    idm_per_desa,
    idm_status_counts,
    info,
    ingest_log,
    kabupaten,
    kecamatan,
    kpi,
    notification_log,
    rejected_files,
    reporting_calendar,
    synthetic_datasets,
    upload_history,
    upload_outcome,
    wilayah,
)
from dashboards.data.settings import data_dir, geojson_path, reference_dir, snapshot_path
from dashboards.data.snapshot import (
    PIN_DIR_NAME,
    PINS_KEPT,
    SnapshotBusy,
    SnapshotMissing,
    SnapshotUnreadable,
    Version,
    is_available,
    kept,
    pin,
    snapshot_query,
    snapshot_view,
    version,
)
from dashboards.data.status import (
    IDM,
    INDEKS_DESA,
    SCHEME_LABELS,
    desa_status,
    dimension_scores,
    dimensions,
    status_counts,
    status_scheme,
    status_thresholds,
    status_transitions,
    status_years,
    target_of,
    targets,
    weakest_dimensions,
)

__all__ = [
    "IDM",
    "INDEKS_DESA",
    "PINS_KEPT",
    "PIN_DIR_NAME",
    "SCHEME_LABELS",
    "BriefingFailed",
    "BriefingUnavailable",
    "SnapshotBusy",
    "SnapshotMissing",
    "SnapshotUnreadable",
    "Version",
    "available_years",
    "beside_rejected",
    "briefing_pdf",
    "completeness",
    "compliance",
    "data_dir",
    "data_sources",
    "dataset_definition",
    "dataset_titles",
    "datasets",
    "desa_datasets",
    "desa_list",
    "desa_prioritas",
    "desa_prioritas_kabupaten",
    "desa_ranks",
    "desa_status",
    "dimension_scores",
    "dimensions",
    "error_workbook",
    "error_workbook_path",
    "geojson",
    "geojson_path",
    "has_table",
    "idm_per_desa",
    "idm_status_counts",
    "idm_thresholds",
    "info",
    "ingest_log",
    "is_available",
    "issues",
    "kabupaten",
    "kecamatan",
    "kept",
    "kpi",
    "kpi_definitions",
    "notification_log",
    "outbox_dir",
    "outbox_messages",
    "pin",
    "priority_factor_labels",
    "priority_weights",
    "program_activities",
    "reference_dir",
    "rejected_files",
    "reporting_calendar",
    "short_title",
    "snapshot_path",
    "snapshot_query",
    "snapshot_view",
    "status_counts",
    "status_scheme",
    "status_thresholds",
    "status_transitions",
    "status_years",
    "synthetic_datasets",
    "target_of",
    "targets",
    "upload_history",
    "upload_outcome",
    "uploadable_datasets",
    "version",
    "village_datasets",
    "village_statuses",
    "weakest_dimensions",
    "wilayah",
]
