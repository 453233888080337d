"""Indonesian number, money and date formats for everything the dashboard shows.

The dashboard never shows a raw float: every figure goes through this module, so "12,5%",
"Rp 1,2 miliar" and "1.234" look the same on every page, chart and card.
"""

import math
import re
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"
"""Shown in a table cell whose value is NULL; the reason is shown beside it, never a 0."""

WIB = timezone(timedelta(hours=7), "WIB")
"""Palangka Raya's time zone (no daylight saving), for every timestamp shown."""

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_RUPIAH_SCALES = ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"))


NO_DATA = "Tidak ada data yang dilaporkan"
"""The reason shown beside an empty value when the snapshot gives none."""


def reason_text(reason: object) -> str:
    """Why a value is empty: the snapshot's `keterangan`, else NO_DATA."""
    return NO_DATA if is_missing(reason) else str(reason)


def is_missing(x: object) -> bool:
    """True for None, NaN, pandas NA and NaT: a value the snapshot left undefined."""
    if x is None:
        return True
    np = _numpy_if_loaded()
    if isinstance(x, float | Decimal) or (np is not None and isinstance(x, np.floating)):
        return math.isnan(x)
    if np is not None and isinstance(x, np.datetime64 | np.timedelta64):
        return bool(np.isnat(x))
    pandas = _pandas_if_loaded()
    return pandas is not None and (x is pandas.NA or x is pandas.NaT)


def _pandas_if_loaded():
    """pandas, if something already imported it; a pandas value can only exist then. This
    module does not import it: the pipeline's runs format text without pandas, and pandas
    alone is some 2 s of every CLI run's start."""
    return sys.modules.get("pandas")


def _numpy_if_loaded():
    """NumPy, likewise: a NumPy scalar exists only once NumPy is loaded, and a pipeline run
    does not load it (0.4 s of every run's start)."""
    return sys.modules.get("numpy")


def round_half_up(x: float, decimals: int) -> Decimal:
    """Round half up, as Indonesian statistics do (12,25 -> 12,3), not half to even."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(x: object, decimals: int = 0) -> str:
    """1234567.891 -> "1.234.568" (decimals=0) or "1.234.567,89" (decimals=2)."""
    if is_missing(x):
        return MISSING
    value = float(x)  # type: ignore[arg-type]
    if math.isinf(value):
        return MISSING
    text = f"{round_half_up(value, decimals):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # "-0,0" after rounding is just "0,0"
    return text


def compact_number(x: object, decimals: int = 1) -> str:
    """Like number, without a trailing ",0": 850.0 -> "850", 1.25 -> "1,3"."""
    text = number(x, decimals)
    if decimals > 0 and text != MISSING:
        text = text.rstrip("0").rstrip(",")
    return text


def percent(x: object, decimals: int = 1) -> str:
    """12.5 -> "12,5%" (the value is already in percent, 0-100)."""
    if is_missing(x):
        return MISSING
    return f"{number(x, decimals)}%"


def rupiah(x: object) -> str:
    """Rupiah the way officials say it: "Rp 1,2 miliar", "Rp 850 juta", "Rp 15.235"."""
    if is_missing(x):
        return MISSING
    value = float(x)  # type: ignore[arg-type]
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    for i, (threshold, scale_name) in enumerate(_RUPIAH_SCALES):
        if magnitude >= threshold:
            scaled = round_half_up(magnitude / threshold, 1)
            if scaled >= 1000 and i > 0:  # 999,96 juta would read "1.000 juta": say "1 miliar"
                threshold, scale_name = _RUPIAH_SCALES[i - 1]
                scaled = round_half_up(magnitude / threshold, 1)
            return f"{sign}Rp {compact_number(scaled, 1)} {scale_name}"
    rounded = round_half_up(magnitude, 0)
    return f"{sign}Rp {number(rounded, 0)}" if rounded else "Rp 0"


def target_value(x: object, satuan: str | None) -> str:
    """A target as the document states it: a percent keeps its second decimal when it has one
    ("4,66%", not "4,7%"), so the target is never shown rounded across its own line."""
    if is_missing(x):
        return MISSING
    if (satuan or "").strip() == "%":
        value = float(x)  # type: ignore[arg-type]
        return percent(value, 1 if round(value, 1) == round(value, 6) else 2)
    return kpi_value(x, satuan)


def index_decimals(satuan: str) -> int:
    """Decimals an index is published with: IDM (0-1) to 4, Indeks Desa (0-100) to 2."""
    return 2 if satuan.endswith("0-100") else 4


def kpi_value(x: object, satuan: str | None) -> str:
    """A KPI value with its unit, e.g. "87,5%", "Rp 16.000 per jiwa", "0,6345"."""
    if is_missing(x):
        return MISSING
    satuan = (satuan or "").strip()
    if satuan == "%":
        return percent(x, 1)
    if satuan == "Rp":
        return rupiah(x)
    if satuan.startswith("Rp "):
        return f"{rupiah(x)} {satuan[3:]}"
    if satuan.startswith("indeks"):
        return number(x, index_decimals(satuan))
    if satuan in ("kali", "jiwa") or satuan.startswith("per "):
        return f"{number(x, 1)} {satuan}"
    return f"{number(x, 2)} {satuan}".rstrip()


def kpi_value_short(x: object, satuan: str | None) -> str:
    """A KPI value for crowded places (bar labels, map hover, table cells): no long unit."""
    if is_missing(x):
        return MISSING
    satuan = (satuan or "").strip()
    if satuan == "%":
        return percent(x, 1)
    if satuan.startswith("Rp"):
        return rupiah(x)
    if satuan.startswith("indeks"):
        return number(x, index_decimals(satuan))
    return number(x, 1)


def kpi_change(x: object, satuan: str | None) -> str | None:
    """A change between two years with an explicit sign: "+2,5 poin", "-Rp 120 juta".

    Percent KPIs change in percentage points ("poin"), not in percent.
    """
    if is_missing(x):
        return None
    value = float(x)  # type: ignore[arg-type]
    satuan = (satuan or "").strip()
    if satuan == "%":
        text = f"{number(abs(value), 1)} poin"
    elif satuan.startswith("Rp"):
        text = rupiah(abs(value))
    elif satuan.startswith("indeks"):
        text = number(abs(value), index_decimals(satuan))
    else:
        text = number(abs(value), 1)
    is_zero = not any(c in "123456789" for c in text)
    if is_zero:
        return f"±{text}"
    return f"{'-' if value < 0 else '+'}{text}"


def _to_wib(ts: object) -> datetime | None:
    if is_missing(ts):
        return None
    np = _numpy_if_loaded()
    if np is not None and isinstance(ts, np.datetime64):  # from a NumPy array: no zone, UTC
        ts = ts.astype("datetime64[us]").item()
    pandas = _pandas_if_loaded()
    if pandas is not None and isinstance(ts, pandas.Timestamp):
        ts = ts.to_pydatetime()
    if isinstance(ts, str):
        ts = datetime.fromisoformat(ts)
    if isinstance(ts, date) and not isinstance(ts, datetime):
        ts = datetime(ts.year, ts.month, ts.day)
    if not isinstance(ts, datetime):
        return None
    if ts.tzinfo is None:  # the snapshot stores UTC without a zone; never the server's zone
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(WIB)


def date_text(ts: object) -> str:
    """2025-03-10 -> "10 Maret 2025"."""
    moment = _to_wib(ts)
    if moment is None:
        return MISSING
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def datetime_text(ts: object) -> str:
    """A UTC timestamp -> "10 Maret 2025 pukul 10.30 WIB"."""
    moment = _to_wib(ts)
    if moment is None:
        return MISSING
    return f"{date_text(moment)} pukul {moment.hour:02d}.{moment.minute:02d} WIB"


def sortable_time(ts: object) -> str:
    """A UTC timestamp -> "2025-03-10 10.30" (WIB): sorts correctly as text in a table."""
    moment = _to_wib(ts)
    if moment is None:
        return MISSING
    return f"{moment:%Y-%m-%d} {moment.hour:02d}.{moment.minute:02d}"


ARAH_LABELS = {
    "naik": "Makin tinggi makin baik",
    "turun": "Makin rendah makin baik",
}


# Village status schemes as people read them: shared by the dashboard and the documents.
SCHEME_LABELS = {"idm": "IDM", "indeks_desa": "Indeks Desa"}


def short_title(nama: object) -> str:
    """A dataset's declared title cut before its first " per " or ":", for labels:
    "Dana Desa per desa per tahun" -> "Dana Desa", "Profil desa: aparatur, ..." -> "Profil desa".
    """
    text = str(nama)
    return re.split(r":| per ", text, maxsplit=1)[0].strip() or text
