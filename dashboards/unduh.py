"""Tables as CSV and Excel files, safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) could run as a
formula when the file is opened in Excel or LibreOffice ("CSV injection"), and file names and
reports in the ingest log come from outside. Such cells get a leading apostrophe, which makes
the spreadsheet treat them as text; numbers are left alone. The xlsx writer is also told never
to turn strings into formulas or links.
"""

import io

import pandas as pd

AWALAN_BERBAHAYA = ("=", "+", "-", "@", "\t", "\r")


def netralkan(nilai: object) -> object:
    """'=1+1' -> "'=1+1"; anything that is not such a string is returned unchanged."""
    if isinstance(nilai, str) and nilai.startswith(AWALAN_BERBAHAYA):
        return "'" + nilai
    return nilai


def netralkan_df(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df with every text cell (and column name) neutralised."""
    hasil = df.copy()
    for kolom in hasil.columns:
        seri = hasil[kolom]
        if pd.api.types.is_object_dtype(seri) or pd.api.types.is_string_dtype(seri):
            hasil[kolom] = seri.map(netralkan).astype(object)
    hasil.columns = [netralkan(str(c)) for c in hasil.columns]
    return hasil


def _tanpa_zona(df: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot store time zones: keep the local (WIB) wall-clock time."""
    hasil = df.copy()
    for kolom in hasil.columns:
        seri = hasil[kolom]
        if isinstance(seri.dtype, pd.DatetimeTZDtype):
            hasil[kolom] = seri.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    return hasil


def ke_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows "Palangka Raya" and "ñ" correctly."""
    return netralkan_df(df).to_csv(index=False).encode("utf-8-sig")


def ke_xlsx(df: pd.DataFrame, nama_sheet: str = "Data") -> bytes:
    buf = io.BytesIO()
    aman = _tanpa_zona(netralkan_df(df))
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        sheet = nama_sheet[:31] or "Data"
        aman.to_excel(writer, index=False, sheet_name=sheet)
        ws = writer.sheets[sheet]
        for i, kolom in enumerate(aman.columns):
            isi = aman[kolom].astype(str).str.len()
            lebar = max(len(str(kolom)), int(isi.max()) if len(isi) else 0)
            ws.set_column(i, i, min(max(lebar + 2, 8), 60))
        ws.freeze_panes(1, 0)
    return buf.getvalue()
