"""Desa: a village's KPI table across years and its dataset rows, shaped for display."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pandas as pd

from laporan import formatting as fmt

HIDDEN_COLUMNS = {"kode_desa", "kode_kab", "nama_desa"}
"""Columns a village's dataset rows need not repeat (the page header says them)."""


def village_labels(villages: pd.DataFrame) -> dict[str, str]:
    """{kode: "Nama (jenis) · Kec. X · Kabupaten · kode"} for the village search."""
    return {
        kode: f"{name} ({jenis}) · Kec. {kec} · {kab} · {kode}"
        for kode, name, jenis, kec, kab in zip(
            villages["kode"],
            villages["nama"],
            villages["jenis"],
            villages["nama_kec"],
            villages["nama_kab"],
            strict=True,
        )
    }


def years_with_values(ranks: pd.DataFrame, tahun: int) -> list[int]:
    """Years in which the village has a value, plus the chosen year (for its reasons)."""
    return sorted(
        set(ranks.loc[ranks["nilai"].notna(), "tahun"].tolist())
        | ({tahun} if tahun in set(ranks["tahun"]) else set())
    )


def kpi_years_table(
    ranks: pd.DataFrame,
    definitions: pd.DataFrame,
    tahun: int,
    years: list[int],
    reason_text: Callable[[object], str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, download): every KPI of the village over `years`, its rank in the kabupaten in
    `tahun`, and why a value is missing. `shown` holds formatted text, `download` numbers."""
    values = ranks.pivot_table(
        index="kpi_id", columns="tahun", values="nilai", aggfunc="first", dropna=False
    )
    current = ranks[ranks["tahun"] == tahun].set_index("kpi_id")
    table = definitions[["kpi_id", "isu_nama", "nama", "satuan"]]
    table = table[table["kpi_id"].isin(values.index)]
    shown = pd.DataFrame({"Indikator": table["nama"]})
    download = pd.DataFrame(
        {"Isu": table["isu_nama"], "Indikator": table["nama"], "Satuan": table["satuan"]}
    )
    for t in years:
        column_values = [values.at[k, t] if t in values.columns else None for k in table["kpi_id"]]
        shown[str(t)] = [
            fmt.kpi_value_short(v, s) for v, s in zip(column_values, table["satuan"], strict=True)
        ]
        download[str(t)] = column_values

    def rank(k: str) -> str | None:
        if k not in current.index or fmt.is_missing(current.at[k, "peringkat"]):
            return None
        return f"{int(current.at[k, 'peringkat'])} dari {int(current.at[k, 'jumlah_desa'])}"

    def reason(k: str) -> str | None:
        if k not in current.index:
            return reason_text(None)
        if fmt.is_missing(current.at[k, "nilai"]):
            return reason_text(current.at[k, "keterangan"])
        return None

    rank_column, reason_column = f"Peringkat di kabupaten {tahun}", f"Keterangan {tahun}"
    shown[rank_column] = [rank(k) for k in table["kpi_id"]]
    shown[reason_column] = [reason(k) for k in table["kpi_id"]]
    download[rank_column] = shown[rank_column].to_numpy()
    download[reason_column] = shown[reason_column].to_numpy()
    return shown.fillna(""), download


def synthetic_in(datasets: dict[str, pd.DataFrame]) -> set[str]:
    """The datasets whose rows for this village include sample (synthetic) figures."""
    return {
        name
        for name, df in datasets.items()
        if "sintetis" in df.columns and df["sintetis"].fillna(False).astype(bool).any()
    }


def one_row_per_year(catalogue: pd.DataFrame) -> set[str]:
    """Datasets keyed by village and year only (dataset_definisi.kunci): short enough to show
    opened."""
    return {
        name
        for name, key in zip(catalogue["dataset"], catalogue["kunci"], strict=True)
        if set(key) == {"kode_desa", "tahun"}
    }


def cell_text(v: object) -> str:
    """One cell of a dataset row, in Indonesian formats."""
    if fmt.is_missing(v):
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, datetime | pd.Timestamp):
        return fmt.sortable_time(v)
    if isinstance(v, int | float | Decimal):
        num = float(v)
        if num.is_integer():
            return fmt.number(num, 0)
        return fmt.compact_number(num, 2 if abs(num) >= 1000 else 4)
    return str(v)


def dataset_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(shown, download) for one dataset's rows of a village. With one row per year the fields
    become rows and the years columns (easier to read); download is then the rows as they are.
    Otherwise download is None (the shown rows are the download)."""
    rows = df.drop(columns=[c for c in df.columns if c in HIDDEN_COLUMNS])
    if "sintetis" in rows.columns:
        rows["sintetis"] = rows["sintetis"].map(
            lambda v: "Ya (data contoh)" if v is True or v == 1 else "Tidak"
        )
    if rows["tahun"].duplicated().any():
        return rows, None
    wide = rows.set_index("tahun").T
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.map(cell_text)
    wide.insert(0, "Kolom", wide.index)
    return wide, rows
