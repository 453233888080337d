"""Tables as CSV and Excel files, safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) could run as a
formula when the file is opened in Excel or LibreOffice ("CSV injection"), and file names and
reports in the ingest log come from outside. Such cells get a leading apostrophe, which makes
the spreadsheet treat them as text; numbers are left alone. The xlsx writer is also told never
to turn strings into formulas or links.
"""

import io

import pandas as pd

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
