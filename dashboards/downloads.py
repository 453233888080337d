"""Files a reader takes away: tables as CSV and Excel, and the datasets' Excel templates.

A dataset's template (`template_button`) is built by `laporan.templat` from the published
declaration, only when the button is clicked; the upload page and Metadata Indikator share it.

Tables as CSV and Excel files are safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) could run as a
formula when the file is opened in Excel or LibreOffice ("CSV injection"), and file names and
reports in the ingest log come from outside. Such cells get a leading apostrophe, which makes
the spreadsheet treat them as text; numbers are left alone. The xlsx writer is also told never
to turn strings into formulas or links.
"""

import functools
import io

import pandas as pd
import streamlit as st

from dashboards import data
from laporan import templat

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """'=1+1' -> "'=1+1"; anything that is not such a string is returned unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df with every text cell (and column name) neutralised."""
    result = df.copy()
    for column in result.columns:
        series = result[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            result[column] = series.map(neutralise).astype(object)
    result.columns = [neutralise(str(c)) for c in result.columns]
    return result


def _without_timezone(df: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot store time zones: keep the local (WIB) wall-clock time."""
    result = df.copy()
    for column in result.columns:
        series = result[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            result[column] = series.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    return result


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows "Palangka Raya" and "ñ" correctly."""
    return neutralise_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    buf = io.BytesIO()
    safe = _without_timezone(neutralise_frame(df))
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        sheet = sheet_name[:31] or "Data"
        safe.to_excel(writer, index=False, sheet_name=sheet)
        ws = writer.sheets[sheet]
        for i, column in enumerate(safe.columns):
            lengths = safe[column].astype(str).str.len()
            width = max(len(str(column)), int(lengths.max()) if len(lengths) else 0)
            ws.set_column(i, i, min(max(width + 2, 8), 60))
        ws.freeze_panes(1, 0)
    return buf.getvalue()


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(
    definition: dict, regions: pd.DataFrame, kode_kab: str | None, kpi_ids: list
) -> bytes:
    areas, title = templat.template_areas(definition, regions, kode_kab)
    return templat.build_template(definition, areas, title, kpi_ids=kpi_ids)


def template_button(dataset: str, kode_kab: str | None, *, key: str | None = None) -> None:
    """`Unduh templat`: the dataset's Excel template, built from the published declaration.

    A village dataset lists the desa of `kode_kab`; without one, the reader picks the kabupaten
    here. A target_kpi template offers the snapshot's KPIs as a drop-down. Nothing is shown
    while the snapshot lacks the declaration or the region list.
    """
    key = key or f"templat_{dataset}"
    try:
        definition = data.dataset_definition(dataset)
        regions = data.wilayah() if data.has_table("wilayah") else None
        has_kpis = data.has_table("kpi_definisi")
        kpi_ids = list(data.kpi_definitions()["kpi_id"]) if has_kpis else []
    except (KeyError, data.SnapshotMissing):
        return
    if regions is None:
        return
    if not kode_kab and dataset in data.village_datasets():
        kabupaten = regions[regions["tingkat"] == "kabupaten"]
        options = dict(zip(kabupaten["kode"], kabupaten["nama"], strict=True))
        kode_kab = st.selectbox(
            "Kabupaten/kota untuk daftar desa di templat",
            list(options),
            format_func=options.get,
            key=f"{key}_kab",
        )
    elif dataset not in data.village_datasets():
        kode_kab = None  # its rows name kabupaten, the province (or the nation): one list
    st.download_button(
        "Unduh templat",
        # Built only when clicked, its area list too: Metadata Indikator shows a button per
        # dataset, and every page run listing the areas of each took 7 s at national scale.
        functools.partial(_template, definition, regions, kode_kab, kpi_ids),
        file_name=f"templat_{dataset}{'_' + kode_kab if kode_kab else ''}.xlsx",
        mime=XLSX_MIME,
        key=key,
    )
