"""Indonesian number, money and date formats for everything the dashboard shows.

The dashboard never shows a raw float: every figure goes through this module, so "12,5%",
"Rp 1,2 miliar" and "1.234" look the same on every page, chart and card.
"""

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

TANPA_NILAI = "–"
"""Shown in a table cell whose value is NULL; the reason is shown beside it, never a 0."""

WIB = timezone(timedelta(hours=7), "WIB")
"""Palangka Raya's time zone (no daylight saving), for every timestamp shown."""

BULAN = (
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

_SKALA_RUPIAH = ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"))


def kosong(x: object) -> bool:
    """True for None, NaN, pandas NA and NaT: a value the snapshot left undefined."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def bulatkan(x: float, desimal: int) -> Decimal:
    """Round half up, as Indonesian statistics do (12,25 -> 12,3), not half to even."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)


def angka(x: object, desimal: int = 0) -> str:
    """1234567.891 -> "1.234.568" (desimal=0) or "1.234.567,89" (desimal=2)."""
    if kosong(x):
        return TANPA_NILAI
    nilai = float(x)  # type: ignore[arg-type]
    if math.isinf(nilai):
        return TANPA_NILAI
    teks = f"{bulatkan(nilai, desimal):,.{desimal}f}"
    teks = teks.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if teks.startswith("-") and not any(c in "123456789" for c in teks):
        teks = teks[1:]  # "-0,0" after rounding is just "0,0"
    return teks


def angka_ringkas(x: object, desimal: int = 1) -> str:
    """Like angka, without a trailing ",0": 850.0 -> "850", 1.25 -> "1,3"."""
    teks = angka(x, desimal)
    if desimal > 0 and teks != TANPA_NILAI:
        teks = teks.rstrip("0").rstrip(",")
    return teks


def persen(x: object, desimal: int = 1) -> str:
    """12.5 -> "12,5%" (the value is already in percent, 0-100)."""
    if kosong(x):
        return TANPA_NILAI
    return f"{angka(x, desimal)}%"


def rupiah(x: object) -> str:
    """Rupiah the way officials say it: "Rp 1,2 miliar", "Rp 850 juta", "Rp 15.235"."""
    if kosong(x):
        return TANPA_NILAI
    nilai = float(x)  # type: ignore[arg-type]
    tanda = "-" if nilai < 0 else ""
    besar = abs(nilai)
    for i, (batas, nama) in enumerate(_SKALA_RUPIAH):
        if besar >= batas:
            skala = bulatkan(besar / batas, 1)
            if skala >= 1000 and i > 0:  # 999,96 juta would read "1.000 juta": say "1 miliar"
                batas, nama = _SKALA_RUPIAH[i - 1]
                skala = bulatkan(besar / batas, 1)
            return f"{tanda}Rp {angka_ringkas(skala, 1)} {nama}"
    bulat = bulatkan(besar, 0)
    return f"{tanda}Rp {angka(bulat, 0)}" if bulat else "Rp 0"


def nilai_kpi(x: object, satuan: str | None) -> str:
    """A KPI value with its unit, e.g. "87,5%", "Rp 16.000 per jiwa", "0,6345"."""
    if kosong(x):
        return TANPA_NILAI
    satuan = (satuan or "").strip()
    if satuan == "%":
        return persen(x, 1)
    if satuan == "Rp":
        return rupiah(x)
    if satuan.startswith("Rp "):
        return f"{rupiah(x)} {satuan[3:]}"
    if satuan.startswith("indeks"):
        return angka(x, 4)
    if satuan in ("kali", "jiwa") or satuan.startswith("per "):
        return f"{angka(x, 1)} {satuan}"
    return f"{angka(x, 2)} {satuan}".rstrip()


def nilai_kpi_pendek(x: object, satuan: str | None) -> str:
    """A KPI value for crowded places (bar labels, map hover, table cells): no long unit."""
    if kosong(x):
        return TANPA_NILAI
    satuan = (satuan or "").strip()
    if satuan == "%":
        return persen(x, 1)
    if satuan.startswith("Rp"):
        return rupiah(x)
    if satuan.startswith("indeks"):
        return angka(x, 4)
    return angka(x, 1)


def selisih_kpi(x: object, satuan: str | None) -> str | None:
    """A change between two years with an explicit sign: "+2,5 poin", "-Rp 120 juta".

    Percent KPIs change in percentage points ("poin"), not in percent.
    """
    if kosong(x):
        return None
    nilai = float(x)  # type: ignore[arg-type]
    satuan = (satuan or "").strip()
    if satuan == "%":
        teks = f"{angka(abs(nilai), 1)} poin"
    elif satuan.startswith("Rp"):
        teks = rupiah(abs(nilai))
    elif satuan.startswith("indeks"):
        teks = angka(abs(nilai), 4)
    else:
        teks = angka(abs(nilai), 1)
    nol = not any(c in "123456789" for c in teks)
    if nol:
        return f"±{teks}"
    return f"{'-' if nilai < 0 else '+'}{teks}"


def _ke_wib(ts: object) -> datetime | None:
    if kosong(ts):
        return None
    if isinstance(ts, pd.Timestamp):
        ts = ts.to_pydatetime()
    if isinstance(ts, str):
        ts = datetime.fromisoformat(ts)
    if isinstance(ts, date) and not isinstance(ts, datetime):
        ts = datetime(ts.year, ts.month, ts.day)
    if not isinstance(ts, datetime):
        return None
    if ts.tzinfo is None:  # the snapshot stores UTC without a zone
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(WIB)


def tanggal(ts: object) -> str:
    """2025-03-10 -> "10 Maret 2025"."""
    waktu = _ke_wib(ts)
    if waktu is None:
        return TANPA_NILAI
    return f"{waktu.day} {BULAN[waktu.month - 1]} {waktu.year}"


def tanggal_waktu(ts: object) -> str:
    """A UTC timestamp -> "10 Maret 2025 pukul 10.30 WIB"."""
    waktu = _ke_wib(ts)
    if waktu is None:
        return TANPA_NILAI
    return f"{tanggal(waktu)} pukul {waktu.hour:02d}.{waktu.minute:02d} WIB"


def waktu_urut(ts: object) -> str:
    """A UTC timestamp -> "2025-03-10 10.30" (WIB): sorts correctly as text in a table."""
    waktu = _ke_wib(ts)
    if waktu is None:
        return TANPA_NILAI
    return f"{waktu:%Y-%m-%d} {waktu.hour:02d}.{waktu.minute:02d}"


ARAH_TEKS = {
    "naik": "Makin tinggi makin baik",
    "turun": "Makin rendah makin baik",
}

STATUS_IDM = (
    ("sangat_tertinggal", "Sangat tertinggal"),
    ("tertinggal", "Tertinggal"),
    ("berkembang", "Berkembang"),
    ("maju", "Maju"),
    ("mandiri", "Mandiri"),
)


def status_idm(kode: object) -> str:
    """ "sangat_tertinggal" -> "Sangat tertinggal"."""
    if kosong(kode):
        return TANPA_NILAI
    return dict(STATUS_IDM).get(str(kode), str(kode).replace("_", " ").capitalize())
