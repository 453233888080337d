"""The catalogue tables the snapshot carries, built from the declarations in this package.

The dashboard and the documents read these tables, never copies of their own: the snapshot's
schema is the only tie between the pipeline and its readers (the README (rooms)).
"""

import polars as pl

from pipelines.contracts.datasets import (
    INDEKS_DESA_DIMENSIONS,
    dataset_definitions_frame,
    village_statuses_frame,
)
from pipelines.contracts.kpis import BRIEFING_KPIS, ISU_NAMES
from pipelines.contracts.prioritas import factors_frame
from pipelines.contracts.targets import TARGET_LEVELS, TARGET_STATUSES


def issues_frame() -> pl.DataFrame:
    """`isu_definisi`: the strategic issues in the agency's order."""
    return pl.DataFrame(
        {
            "isu": list(ISU_NAMES),
            "nama": list(ISU_NAMES.values()),
            "urutan": list(range(1, len(ISU_NAMES) + 1)),
        },
        schema={"isu": pl.String, "nama": pl.String, "urutan": pl.Int32},
    )


def dimensions_frame() -> pl.DataFrame:
    """`dimensi_indeks_desa`: the six Indeks Desa dimensions in the official order. `kolom` is
    the indeks_desa column; `nama` the declared wording, in a sentence ("skor tata kelola
    pemerintahan desa"); `label` the same words capitalised, for headings and charts."""
    return pl.DataFrame(
        {
            "kolom": [f"skor_{d}" for d, _, _ in INDEKS_DESA_DIMENSIONS],
            "dimensi": [d for d, _, _ in INDEKS_DESA_DIMENSIONS],
            "nama": [title for _, title, _ in INDEKS_DESA_DIMENSIONS],
            "label": [title[:1].upper() + title[1:] for _, title, _ in INDEKS_DESA_DIMENSIONS],
            "urutan": list(range(1, len(INDEKS_DESA_DIMENSIONS) + 1)),
        },
        schema={
            "kolom": pl.String,
            "dimensi": pl.String,
            "nama": pl.String,
            "label": pl.String,
            "urutan": pl.Int32,
        },
    )


def briefing_kpis_frame() -> pl.DataFrame:
    """`kpi_laporan`: kpi_id, peran ('peta' or 'tren'), urutan within the role."""
    rows = [
        (kpi_id, role, i + 1) for role, ids in BRIEFING_KPIS.items() for i, kpi_id in enumerate(ids)
    ]
    return pl.DataFrame(
        rows,
        schema={"kpi_id": pl.String, "peran": pl.String, "urutan": pl.Int32},
        orient="row",
    )


def target_statuses_frame() -> pl.DataFrame:
    """`status_target`: the statuses of capaian_target, worst first. `status` is the value in
    capaian_target.status, `label` the words a reader shows, `baik` whether it is on the good
    side (the colour), `keterangan` what it means."""
    return pl.DataFrame(
        {
            "status": [s.status for s in TARGET_STATUSES],
            "label": [s.status for s in TARGET_STATUSES],
            "urutan": list(range(1, len(TARGET_STATUSES) + 1)),
            "baik": [s.baik for s in TARGET_STATUSES],
            "keterangan": [s.keterangan for s in TARGET_STATUSES],
        },
        schema={
            "status": pl.String,
            "label": pl.String,
            "urutan": pl.Int32,
            "baik": pl.Boolean,
            "keterangan": pl.String,
        },
    )


def target_levels_frame() -> pl.DataFrame:
    """`tingkat_target`: the levels a target is set at (capaian_target.target_tingkat),
    nearest first, with the words a reader shows ("target kabupaten/kota")."""
    return pl.DataFrame(
        {
            "tingkat": list(TARGET_LEVELS),
            "label": list(TARGET_LEVELS.values()),
            "urutan": list(range(1, len(TARGET_LEVELS) + 1)),
        },
        schema={"tingkat": pl.String, "label": pl.String, "urutan": pl.Int32},
    )


def published_catalogue() -> dict[str, pl.DataFrame]:
    return {
        "dataset_definisi": dataset_definitions_frame(),
        "status_desa": village_statuses_frame(),
        "isu_definisi": issues_frame(),
        "dimensi_indeks_desa": dimensions_frame(),
        "faktor_desa_prioritas": factors_frame(),
        "kpi_laporan": briefing_kpis_frame(),
        "status_target": target_statuses_frame(),
        "tingkat_target": target_levels_frame(),
    }
