"""views.kualitas and views.kepatuhan (the Kualitas Data page's shaping) on small frames worked
out by hand (no Streamlit, no snapshot). Times are UTC; WIB is UTC+7."""

import math
from datetime import UTC, datetime

import pandas as pd

from dashboards.views import kepatuhan as kepatuhan_view
from dashboards.views import kualitas as view
from laporan import kepatuhan as kp

NAN = float("nan")


def label(name: str) -> str:
    return name.upper()


SOURCES = view.with_kind(
    pd.DataFrame(
        {
            "dataset": ["dana_desa", "dana_desa", "dana_desa", "dana_desa", "umkm", "bumdes"],
            "sintetis": [False, False, False, True, None, True],
            "baris": [10, 5, 1, 7, 3, 0],
            "sumber": ["Kemenkeu", "DPMD", "BPS", "Contoh", None, "Contoh"],
        }
    )
)


def test_with_kind_counts_an_unknown_kind_as_official() -> None:
    assert list(SOURCES["sintetis"]) == [False, False, False, True, False, True]


def test_sample_datasets_leave_out_sources_without_rows() -> None:
    # bumdes is sample data with 0 rows: nothing of it is shown
    assert list(view.sample_datasets(SOURCES)) == ["dana_desa"]


def test_sources_text() -> None:
    assert view.sources_text(["A"]) == "A"
    assert view.sources_text(["A", "B"]) == "A; B"
    assert view.sources_text(["A", "B", "C", "D"]) == "A; B; dan 2 sumber lain"


def test_sources_table_one_line_per_dataset_and_kind() -> None:
    table = view.sources_table(SOURCES, label)
    assert list(zip(table["Dataset"], table["Jenis data"], strict=True)) == [
        ("BUMDES", "Data contoh (sintetis)"),
        ("DANA_DESA", "Data resmi"),
        ("DANA_DESA", "Data contoh (sintetis)"),
        ("UMKM", "Data resmi"),
    ]
    assert list(table["Baris"]) == [0, 16, 7, 3]  # 10 + 5 + 1 official dana_desa rows
    assert list(table["Sumber"]) == ["Contoh", "Kemenkeu; DPMD; dan 1 sumber lain", "Contoh", "–"]


def test_all_sources_table_keeps_every_line() -> None:
    table = view.all_sources_table(SOURCES, label)
    assert len(table) == 6
    sample, official = "Data contoh (sintetis)", "Data resmi"
    assert list(table["Jenis data"]) == [official, official, official, sample, official, sample]
    assert pd.isna(table["Sumber"].iloc[4])


COMPLETENESS = pd.DataFrame(
    {
        "dataset": ["umkm", "dana_desa", "dana_desa", "dana_desa"],
        "kode_kab": ["62.02", "62.01", "62.02", "62.01"],
        "tahun": [2024, 2024, 2024, 2023],
        "desa_melapor": [13, 0, 1500, 10],
        "desa_total": [15, 0, 2000, 10],
        "persen_lengkap": [86.67, NAN, 75.0, 100.0],
        "diterima_pada": [
            pd.Timestamp(datetime(2025, 3, 9, 20, 0, tzinfo=UTC)),  # 10 Maret in WIB
            pd.NaT,
            pd.NaT,
            pd.NaT,
        ],
        "sintetis": [True, False, False, None],
    }
)
NAMES = {"62.01": "A", "62.02": "B"}


def cells() -> pd.DataFrame:
    return view.completeness_cells(COMPLETENESS, NAMES.get, label)


def test_completeness_cells_text_and_hover() -> None:
    kl = cells()
    assert list(kl["nama_kab"]) == ["B", "A", "B", "A"]
    assert list(kl["label_dataset"]) == ["UMKM", "DANA_DESA", "DANA_DESA", "DANA_DESA"]
    assert list(kl["teks"]) == ["87%*", "–", "75%", "100%"]
    assert list(kl["hover"]) == [
        "13 dari 15 desa, diterima 10 Maret 2025 (data contoh)",
        "0 dari 0 desa",
        "1.500 dari 2.000 desa",
        "10 dari 10 desa",
    ]


def test_completeness_of_one_kabupaten() -> None:
    assert list(view.of_kabupaten(COMPLETENESS, "62.01")["tahun"]) == [2024, 2023]
    assert view.of_kabupaten(COMPLETENESS, None).equals(COMPLETENESS)


def test_completeness_grid_by_year_orders_kabupaten_by_code() -> None:
    subset = cells()[lambda d: d["tahun"] == 2024]
    z, text, hover = view.completeness_grid(subset, "label_dataset", "nama_kab")
    assert list(z.index) == ["DANA_DESA", "UMKM"]  # labels sorted
    assert list(z.columns) == ["A", "B"]  # 62.01 before 62.02
    assert math.isnan(z.at["DANA_DESA", "A"])
    assert z.at["DANA_DESA", "B"] == 75.0
    assert text.at["UMKM", "A"] == "–"  # no record for that cell
    assert hover.at["UMKM", "A"] == "Tidak ada catatan untuk pilihan ini"
    assert text.at["UMKM", "B"] == "87%*"


def test_completeness_grid_per_dataset_sorts_years() -> None:
    subset = cells()[lambda d: d["dataset"] == "dana_desa"]
    z, text, _ = view.completeness_grid(subset, "nama_kab", "tahun")
    assert list(z.columns) == ["2023", "2024"]  # years as text, oldest first
    assert list(z.index) == ["A", "B"]
    assert text.at["A", "2023"] == "100%"
    assert text.at["B", "2023"] == "–"


def test_completeness_table_in_wib() -> None:
    table = view.completeness_table(cells())
    assert list(table.columns) == view.COMPLETENESS_COLUMNS
    assert table["diterima_pada"].iloc[0] == "2025-03-10 03.00"
    assert table["diterima_pada"].iloc[1] == "–"


LOG = pd.DataFrame(
    {
        "received_at": [pd.Timestamp(datetime(2025, 1, 1, 17, 30, tzinfo=UTC))] * 4,
        "file_name": ["a.csv", "b.csv", "c.csv", "d.csv"],
        "dataset": ["umkm", "umkm", "dana_desa", "dana_desa"],
        "status": ["accepted", "rejected", "accepted", "quarantined"],
        "rows": [3, 0, 5, 1],
        "stored_as": ["x", "y", "z", "w"],
        "sha256": ["1", "2", "3", "4"],
    }
)


def test_log_counts_text() -> None:
    # an unknown status is counted in the total, not under a known word
    assert view.log_counts_text(LOG) == (
        "**2** diterima · **1** ditolak · **0** duplikat (dari 4 berkas terakhir)"
    )


def test_log_table_in_words_filtered_by_status() -> None:
    table = view.log_table(LOG, label, ["Diterima", "quarantined"])
    assert list(table["Berkas"]) == ["a.csv", "c.csv", "d.csv"]
    assert list(table["Status"]) == ["Diterima", "Diterima", "quarantined"]
    assert table["Waktu (WIB)"].iloc[0] == "2025-01-02 00.30"
    assert table["Dataset"].iloc[0] == "UMKM"


def test_rejected_title_and_download() -> None:
    row = {
        "file_name": "a*b.csv",
        "dataset": "umkm",
        "received_at": pd.Timestamp(datetime(2025, 3, 10, 3, 30, tzinfo=UTC)),
    }
    assert view.rejected_title(row, lambda t: str(t).replace("*", r"\*"), label) == (
        r"a\*b.csv · UMKM · 10 Maret 2025 pukul 10.30 WIB"
    )
    download = view.rejected_download(pd.DataFrame([row]))
    assert download["received_at"].iloc[0] == "2025-03-10 10.30"


COMPLIANCE = pd.DataFrame(
    {
        "tahun_data": [2025, 2024, 2024, 2023],
        "kode_kab": ["62.01", "62.01", "62.02", "62.02"],
        "status": [kp.NOT_DUE, kp.ON_TIME, kp.LATE, kp.NOT_DUE],
    }
)


def test_year_choices() -> None:
    # the page's year when the calendar has it
    assert kepatuhan_view.year_choices(COMPLIANCE, 2023) == ([2025, 2024, 2023], 2023)
    # else the newest year with a slice already due (2025 is not due yet)
    assert kepatuhan_view.year_choices(COMPLIANCE, 2030)[1] == 2024
    # nothing due at all: the newest year
    not_due = COMPLIANCE.assign(status=kp.NOT_DUE)
    assert kepatuhan_view.year_choices(not_due, 2030)[1] == 2025


def test_of_area() -> None:
    assert len(kepatuhan_view.of_area(COMPLIANCE, None)) == 4
    assert list(kepatuhan_view.of_area(COMPLIANCE, "62.02")["tahun_data"]) == [2024, 2023]


def test_on_time_note() -> None:
    assert kepatuhan_view.on_time_note(1, 2, 2024) == (
        "1 dari 2 irisan (dataset × wilayah) tahun data 2024 yang sudah jatuh tempo atau sudah "
        "dikirim diterima paling lambat pada tenggatnya; irisan yang belum jatuh tempo tidak "
        "dihitung."
    )
    assert kepatuhan_view.on_time_note(0, 0, 2025) == (
        "Belum ada irisan tahun data 2025 yang jatuh tempo."
    )


def test_labelled_asks_for_each_distinct_value_once() -> None:
    from dashboards.views import labelled

    asked = []

    def label(name: str) -> str:
        asked.append(name)
        return name.upper()

    values = pd.Series(["umkm", "bumdes", "umkm", "umkm", "bumdes"])
    assert labelled(values, label).tolist() == ["UMKM", "BUMDES", "UMKM", "UMKM", "BUMDES"]
    assert sorted(asked) == ["bumdes", "umkm"]
