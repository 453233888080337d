"""Kualitas Data: the sources, completeness and ingest-log tables of the page, shaped from
snapshot frames (the page only lays them out; the reporting calendar is views.kepatuhan's)."""

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from dashboards.views import labelled
from laporan import formatting as fmt

SAMPLE, OFFICIAL = "Data contoh (sintetis)", "Data resmi"
LOG_STATUS_LABELS = {"accepted": "Diterima", "rejected": "Ditolak", "duplicate": "Duplikat"}
COMPLETENESS_COLUMNS = [
    "dataset",
    "kode_kab",
    "nama_kab",
    "tahun",
    "desa_melapor",
    "desa_total",
    "persen_lengkap",
    "diterima_pada",
    "sintetis",
]
"""The columns of the completeness table and its download."""


def with_kind(sources: pd.DataFrame) -> pd.DataFrame:
    """sumber_data with `sintetis` a plain bool (an unknown kind counts as official)."""
    return sources.assign(sintetis=sources["sintetis"].fillna(False).astype(bool))


def sample_datasets(sources: pd.DataFrame) -> pd.Series:
    """The datasets with sample (synthetic) rows; a source with no row count counts as having
    rows, one with zero rows does not."""
    return sources.loc[sources["sintetis"] & (sources["baris"].fillna(1) > 0), "dataset"]


def sources_text(items: list[str]) -> str:
    """'A; B' for up to two sources, 'A; B; dan 3 sumber lain' for more."""
    if len(items) <= 2:
        return "; ".join(items)
    return f"{'; '.join(items[:2])}; dan {len(items) - 2} sumber lain"


def sources_table(sources: pd.DataFrame, dataset_label: Callable[[str], str]) -> pd.DataFrame:
    """One line per dataset and kind (real / sample), by dataset name: the rows added up and
    its sources, each once (a dataset can cite many sources; an empty one reads "–")."""
    summary = (
        sources.assign(sumber=sources["sumber"].fillna("–"))
        .groupby(["dataset", "sintetis"], sort=True)
        .agg(baris=("baris", "sum"), sumber=("sumber", lambda s: list(dict.fromkeys(s))))
        .reset_index()
    )
    return pd.DataFrame(
        {
            "Dataset": [dataset_label(d) for d in summary["dataset"]],
            "Jenis data": [SAMPLE if s else OFFICIAL for s in summary["sintetis"]],
            "Baris": summary["baris"],
            "Sumber": [sources_text(d) for d in summary["sumber"]],
        }
    )


def all_sources_table(sources: pd.DataFrame, dataset_label: Callable[[str], str]) -> pd.DataFrame:
    """Every source line as published, in words."""
    return pd.DataFrame(
        {
            "Dataset": [dataset_label(d) for d in sources["dataset"]],
            "Jenis data": [SAMPLE if s else OFFICIAL for s in sources["sintetis"]],
            "Baris": sources["baris"],
            "Sumber": sources["sumber"],
        }
    )


def of_kabupaten(completeness: pd.DataFrame, kode_kab: str | None) -> pd.DataFrame:
    """kelengkapan_data of one kabupaten/kota, or all of it without one."""
    return completeness[completeness["kode_kab"] == kode_kab] if kode_kab else completeness


def completeness_cells(
    completeness: pd.DataFrame,
    area_name: Callable[[str], str],
    dataset_label: Callable[[str], str],
) -> pd.DataFrame:
    """kelengkapan_data rows with what a heatmap cell shows: `nama_kab`, `label_dataset`,
    `teks` ("87%", "87%*" for sample data, "–" without a value) and `hover` ("13 dari 15 desa,
    diterima …"). Give it the rows shown: the national table has some 35,000."""
    kl = completeness.copy()
    kl["nama_kab"] = labelled(kl["kode_kab"], area_name)
    kl["label_dataset"] = labelled(kl["dataset"], dataset_label)
    kl["teks"] = [
        fmt.percent(p, 0) + ("*" if s is True else "") if not fmt.is_missing(p) else "–"
        for p, s in zip(kl["persen_lengkap"], kl["sintetis"], strict=True)
    ]
    kl["hover"] = [
        f"{fmt.number(m)} dari {fmt.number(t)} desa"
        + (f", diterima {fmt.date_text(w)}" if not fmt.is_missing(w) else "")
        + (" (data contoh)" if s is True else "")
        for m, t, w, s in zip(
            kl["desa_melapor"], kl["desa_total"], kl["diterima_pada"], kl["sintetis"], strict=True
        )
    ]
    return kl


def completeness_grid(
    subset: pd.DataFrame, row_field: str, column_field: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(percent, text, hover) of `completeness_cells` rows, `row_field` by `column_field`.
    Kabupaten are ordered by code (as everywhere else), not by name; years and dataset labels
    sorted. A cell without a record reads "–" and says so on hover."""
    ordered = subset.sort_values(["kode_kab", "dataset", "tahun"])
    row_order = list(dict.fromkeys(ordered[row_field]))
    column_order = list(dict.fromkeys(ordered[column_field]))
    if column_field == "tahun":
        column_order = sorted(column_order)
    if row_field == "label_dataset":
        row_order = sorted(row_order)

    def pivot(field: str) -> pd.DataFrame:
        return subset.pivot_table(
            index=row_field, columns=column_field, values=field, aggfunc="first", dropna=False
        ).reindex(index=row_order, columns=column_order)

    z = pivot("persen_lengkap").astype(float)
    text = pivot("teks").fillna("–")
    hover = pivot("hover").fillna("Tidak ada catatan untuk pilihan ini")
    z.columns = text.columns = hover.columns = [str(c) for c in column_order]
    return z, text, hover


def completeness_table(subset: pd.DataFrame) -> pd.DataFrame:
    """The completeness rows as a table, the arrival time in WIB (a spreadsheet has no zones)."""
    table = subset[COMPLETENESS_COLUMNS]
    return table.assign(diterima_pada=labelled(table["diterima_pada"], fmt.sortable_time))


def log_status(log: pd.DataFrame) -> pd.Series:
    """Each ingest's status in words (an unknown status as it is)."""
    return log["status"].map(LOG_STATUS_LABELS).fillna(log["status"])


def log_counts_text(log: pd.DataFrame) -> str:
    """'**5** diterima · **1** ditolak · **0** duplikat (dari 6 berkas terakhir)'."""
    counts = log_status(log).value_counts()
    return (
        " · ".join(
            f"**{fmt.number(counts.get(s, 0))}** {s.lower()}" for s in LOG_STATUS_LABELS.values()
        )
        + f" (dari {fmt.number(len(log))} berkas terakhir)"
    )


def log_table(
    log: pd.DataFrame, dataset_label: Callable[[str], str], statuses: list[str]
) -> pd.DataFrame:
    """The ingest log in words, only the rows whose status (in words) is among `statuses`."""
    table = pd.DataFrame(
        {
            "Waktu (WIB)": log["received_at"].map(fmt.sortable_time),
            "Berkas": log["file_name"],
            "Dataset": labelled(log["dataset"], dataset_label),
            "Status": log_status(log),
            "Baris": log["rows"],
            "Disimpan sebagai": log["stored_as"],
            "SHA-256": log["sha256"],
        }
    )
    return table[table["Status"].isin(statuses)]


def rejected_title(
    rejected: Mapping[str, Any],
    safe_text: Callable[[object], str],
    dataset_label: Callable[[str], str],
) -> str:
    """'laporan.csv · Dana Desa · 3 Mar 2025 10.15 WIB' for a rejected file's fold."""
    return (
        f"{safe_text(rejected['file_name'])} · {dataset_label(rejected['dataset'])} · "
        f"{fmt.datetime_text(rejected['received_at'])}"
    )


def rejected_download(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected files as downloaded, arrival time in WIB."""
    return rejected.assign(received_at=rejected["received_at"].map(fmt.sortable_time))
