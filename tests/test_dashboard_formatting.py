"""Indonesian formats and the spreadsheet-safe downloads of the dashboard."""

import io
import math
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from dashboards import downloads
from laporan import formatting as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234, 0, "1.234"),
        (1234567.891, 2, "1.234.567,89"),
        (12.5, 1, "12,5"),
        (12.25, 1, "12,3"),  # half up, as statistics offices round
        (0.5, 0, "1"),
        (-1234.5, 1, "-1.234,5"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (None, 0, "–"),
        (float("nan"), 1, "–"),
        (math.inf, 1, "–"),
        (pd.NA, 0, "–"),
    ],
)
def test_number(value: object, decimals: int, expected: str) -> None:
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.5, "12,5%"),
        (87.456, "87,5%"),
        (100, "100,0%"),
        (0, "0,0%"),
        (None, "–"),
    ],
)
def test_percent(value: object, expected: str) -> None:
    assert fmt.percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_200_000_000, "Rp 1,2 miliar"),
        (1_250_000_000, "Rp 1,3 miliar"),
        (850_000_000, "Rp 850 juta"),
        (999_960_000, "Rp 1 miliar"),  # not "Rp 1.000 juta"
        (2_500_000_000_000, "Rp 2,5 triliun"),
        (950_000, "Rp 950.000"),
        (15_234.5, "Rp 15.235"),
        (0, "Rp 0"),
        (-120_000_000, "-Rp 120 juta"),
        (None, "–"),
    ],
)
def test_rupiah(value: object, expected: str) -> None:
    assert fmt.rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "satuan", "expected"),
    [
        (87.456, "%", "87,5%"),
        (1.234e9, "Rp", "Rp 1,2 miliar"),
        (16000.0, "Rp per jiwa", "Rp 16.000 per jiwa"),
        (12.25, "per 1.000 jiwa", "12,3 per 1.000 jiwa"),
        (3.5, "kali", "3,5 kali"),
        (22.5, "jiwa", "22,5 jiwa"),
        (0.63449, "indeks 0-1", "0,6345"),
        (66.2485, "indeks 0-100", "66,25"),  # Indeks Desa is published to 2 decimals
        (None, "%", "–"),
    ],
)
def test_kpi_value(value: object, satuan: str, expected: str) -> None:
    assert fmt.kpi_value(value, satuan) == expected


def test_kpi_value_short_drops_long_units() -> None:
    assert fmt.kpi_value_short(16000.0, "Rp per jiwa") == "Rp 16.000"
    assert fmt.kpi_value_short(12.25, "per 1.000 jiwa") == "12,3"
    assert fmt.kpi_value_short(85e7, "Rp") == "Rp 850 juta"
    assert fmt.kpi_value_short(71.0181, "indeks 0-100") == "71,02"


@pytest.mark.parametrize(
    ("change", "satuan", "expected"),
    [
        (2.456, "%", "+2,5 poin"),  # percent KPIs change in percentage points
        (-0.8, "%", "-0,8 poin"),
        (0.01, "%", "±0,0 poin"),
        (-134_000_000, "Rp", "-Rp 134 juta"),
        (766.0, "Rp per jiwa", "+Rp 766"),
        (0.0222, "indeks 0-1", "+0,0222"),
        (None, "%", None),
    ],
)
def test_kpi_change(change: object, satuan: str, expected: str | None) -> None:
    assert fmt.kpi_change(change, satuan) == expected


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        (None, True),
        (float("nan"), True),
        (np.float32("nan"), True),
        (Decimal("NaN"), True),
        (np.datetime64("NaT"), True),
        (pd.NA, True),
        (pd.NaT, True),
        (0.0, False),
        (np.int64(0), False),
        (Decimal("0"), False),
        ("", False),
        (np.datetime64("2025-03-10"), False),
        (pd.Timestamp("2025-03-10"), False),
    ],
)
def test_is_missing_knows_every_empty_value_the_snapshot_can_give(value, missing) -> None:
    assert fmt.is_missing(value) is missing


def test_datetime_text_is_shown_in_wib() -> None:
    # the snapshot stores UTC without a zone; Palangka Raya is UTC+7
    assert fmt.datetime_text(datetime(2025, 3, 10, 3, 30)) == "10 Maret 2025 pukul 10.30 WIB"
    assert fmt.datetime_text(pd.Timestamp("2025-12-31 20:05")) == "1 Januari 2026 pukul 03.05 WIB"
    assert fmt.datetime_text(datetime(2025, 3, 10, 3, 30, tzinfo=UTC)).startswith("10 Maret")
    assert fmt.datetime_text(np.datetime64("2025-03-10T03:30")) == "10 Maret 2025 pukul 10.30 WIB"
    assert fmt.date_text(None) == "–"
    assert fmt.sortable_time(datetime(2025, 3, 10, 3, 30)) == "2025-03-10 10.30"


# --- formula injection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Kota Palangka Raya", "Kota Palangka Raya"),
        ("a=b", "a=b"),  # only a leading character is dangerous
        ("", ""),
        (-5, -5),  # numbers are not text: a negative number stays a number
        (1.5, 1.5),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert downloads.neutralise(value) == expected


def _sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Berkas": ['=HYPERLINK("http://x","klik")', "aman.csv", "@cmd"],
            "Nilai": [-5.0, 1234.5, None],
            "Jumlah": pd.array([1, None, 3], dtype="Int64"),
            "Waktu": pd.to_datetime(["2025-03-10 03:30", None, "2025-03-11 00:00"]).tz_localize(
                "UTC"
            ),
        }
    )


def test_csv_neutralises_text_but_not_numbers() -> None:
    content = downloads.to_csv(_sample())
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    read_back = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert read_back.loc[0, "Berkas"] == '\'=HYPERLINK("http://x","klik")'
    assert read_back.loc[2, "Berkas"] == "'@cmd"
    assert read_back.loc[1, "Berkas"] == "aman.csv"
    assert read_back.loc[0, "Nilai"] == -5.0


def test_xlsx_holds_no_formula_and_neutralised_text() -> None:
    content = downloads.to_xlsx(_sample(), "Uji")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        shared_strings = archive.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet
    assert "<f " not in sheet
    assert "&apos;=HYPERLINK" in shared_strings or "'=HYPERLINK" in shared_strings
    assert re.search(r"<v>-5</v>", sheet)  # the negative number is still a number


def test_xlsx_reads_back() -> None:
    import polars as pl

    df = pl.read_excel(io.BytesIO(downloads.to_xlsx(_sample(), "Uji")))
    assert df["Berkas"].to_list()[0].startswith("'=")
    assert df["Nilai"].to_list()[:2] == [-5.0, 1234.5]
