"""The engine: one generic path for every dataset, stage after stage.

Each stage lives in its own module of this package; this one only runs them in order and
gathers what they find. The rules themselves are `Check`s (issues.py).
"""

import polars as pl

from pipelines.contracts.datasets import Dataset
from pipelines.ingest.reading import LINE, RawTable
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import Upload
from pipelines.ingest.validation.areas import locate_areas
from pipelines.ingest.validation.cells import parse_cells
from pipelines.ingest.validation.headers import (
    canonical_headers,
    missing_required,
    unknown_column_warnings,
)
from pipelines.ingest.validation.issues import ERROR, Validation, collect_issues, rejected
from pipelines.ingest.validation.personal_data import find_personal_data, personal_data_rejection
from pipelines.ingest.validation.scope import refused_upload, scope_checks
from pipelines.ingest.validation.values import check_values


def validate(
    table: RawTable, dataset: Dataset, reference: Reference, upload: Upload | None = None
) -> Validation:
    """Check one raw table against its declaration, in stages:

    0. the upload (docs/operations.md): an untrusted sidecar, or a dataset the uploader's role may
       not send, rejects the file; a scoped uploader's rows must all lie in its kabupaten;

    1. personal data, on every sheet of a workbook: a file with any is rejected whole, before
       anything else reads it;
    2. headers: canonical names (aliases included), no column twice;
    3. areas: which village or kabupaten each row is about (codes, BPS codes or names);
    4. required columns present;
    5. cells parsed by their declared kind, in one lazy pass with the parse checks;
    6. rules on typed values: reference lists, ranges, the upload scope, the dataset's named
       rules, duplicate keys.

    Stages 1-4 find file-level problems and stop early (row errors would only repeat them).
    """
    refused = refused_upload(upload, dataset, reference)
    if refused is not None:
        return rejected([refused], [])
    personal = find_personal_data(table, dataset)
    if personal:
        return personal_data_rejection(personal, table)
    headers = canonical_headers(table, dataset)
    if isinstance(headers, Validation):
        return headers
    raw, source_names = headers

    warnings = unknown_column_warnings(dataset, source_names)
    present = set(source_names)
    raw, checks, notes, file_errors = locate_areas(raw, dataset, reference, present)
    file_errors += missing_required(dataset, present)
    if file_errors:
        return rejected(file_errors, warnings)

    typed, all_checks = parse_cells(raw, table, dataset, present, set(source_names), checks)
    extra = scope_checks(upload, dataset, reference, set(source_names))
    typed, value_checks = check_values(typed, dataset, reference, present, len(all_checks), extra)
    all_checks += value_checks

    issues = collect_issues(typed, raw, all_checks)
    rows = None
    if issues.filter(pl.col("tingkat") == ERROR).height == 0:
        rows = typed.select(*[c.name for c in dataset.all_columns], "kode_kab", LINE).with_columns(
            pl.col("sintetis").fill_null(False)
        )
    return Validation(rows, issues, [], warnings, notes)
