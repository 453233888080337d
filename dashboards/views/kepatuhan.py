"""Kualitas Data: shaping of the reporting calendar (kepatuhan_pelaporan) into the
kabupaten × dataset grid and the list of late slices. The words, marks and colours of each
status are laporan.kepatuhan's, shared with the briefing PDF."""

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from dashboards.views import labelled
from laporan import formatting as fmt
from laporan import kepatuhan as kp

AREA_COLUMN = "Kabupaten/kota"


def grid(
    rows: pd.DataFrame,
    datasets: Sequence[str],
    title: Callable[[str], str],
    area_name: Callable[[str], str],
    statuses: Sequence[str] = kp.STATUSES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells, status): one row per area of `rows` (by code: the province first), one column per
    dataset that has a slice, in `datasets` order. A cell reads "⚠ terlambat 29 hari"; "" where
    the dataset is not due from that area, or its status is not among `statuses`."""
    present = [d for d in datasets if d in set(rows["dataset"])]
    present += sorted(set(rows["dataset"]) - set(present))
    areas = rows.drop_duplicates("kode_kab").sort_values("kode_kab")
    shown = rows[rows["status"].isin(list(statuses))]
    text = shown.assign(sel=_status_texts(shown))
    index = list(areas["kode_kab"])

    def pivot(values: pd.DataFrame, field: str) -> pd.DataFrame:
        if values.empty:
            return pd.DataFrame("", index=index, columns=present)
        return (
            values.pivot_table(index="kode_kab", columns="dataset", values=field, aggfunc="first")
            .reindex(index=index, columns=present)
            .fillna("")
        )

    cells, status = pivot(text, "sel"), pivot(shown, "status")
    names = [area_name(n) for n in areas["nama_kab"]]
    cells.columns = status.columns = [title(d) for d in present]
    cells.insert(0, AREA_COLUMN, names)
    status.insert(0, AREA_COLUMN, "")
    return cells.reset_index(drop=True), status.reset_index(drop=True)


def _status_texts(rows: pd.DataFrame) -> pd.Series:
    """Each row's status in words ("⚠ terlambat 29 hari"), written once per distinct (status,
    days): the national calendar repeats a few of them thousands of times."""
    pairs = pd.Series(
        list(zip(rows["status"], rows["hari_terlambat"].fillna(0).astype(int), strict=True)),
        index=rows.index,
        dtype=object,
    )
    return labelled(pairs, lambda pair: kp.status_text(*pair))


def styled(cells: pd.DataFrame, status: pd.DataFrame) -> object:
    """The grid with each cell coloured by its status (the marks and words say it too)."""

    def colours(_: pd.DataFrame) -> pd.DataFrame:
        return status.map(
            lambda s: (
                f"background-color: {kp.COLOURS[s]}; color: {kp.TEXT_COLOUR}"
                if s in kp.COLOURS
                else ""
            )
        )

    return cells.style.apply(colours, axis=None)


def late_table(
    rows: pd.DataFrame, title: Callable[[str], str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, download): the late slices (terlambat, belum dikirim) per kabupaten/kota, the
    ones still not sent first, most days first. `shown` is in words, `download` the values."""
    late = rows[rows["status"].isin([kp.LATE, kp.NOT_SENT])].copy()
    late["_belum"] = late["status"] != kp.NOT_SENT
    late = late.sort_values(["kode_kab", "_belum", "hari_terlambat"], ascending=[True, True, False])
    shown = pd.DataFrame(
        {
            AREA_COLUMN: late["nama_kab"],
            "Dataset": labelled(late["dataset"], title),
            "Status": _status_texts(late),
            "Tenggat": labelled(late["tenggat"], fmt.date_text),
            "Diterima (WIB)": labelled(late["pertama_diterima"], fmt.sortable_time),
            "Kelengkapan": labelled(late["kelengkapan_pct"], lambda v: fmt.percent(v, 0)),
        }
    )
    return shown.reset_index(drop=True), download_frame(late)


def download_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows as they are published, first arrival in WIB (a spreadsheet has no time zones)."""
    columns = [c for c in rows.columns if not c.startswith("_")]
    out = rows[columns].copy()
    out["pertama_diterima"] = labelled(
        out["pertama_diterima"], lambda v: "" if fmt.is_missing(v) else fmt.sortable_time(v)
    )
    return out.rename(columns={"pertama_diterima": "pertama_diterima_wib"}).reset_index(drop=True)


def year_choices(compliance: pd.DataFrame, tahun: int) -> tuple[list[int], int]:
    """(data years, newest first; the one shown first): the page's year when the calendar has
    it, else the newest year with a slice already due, else the newest year."""
    all_years = sorted(compliance["tahun_data"].astype(int).unique(), reverse=True)
    due = compliance.loc[compliance["status"] != kp.NOT_DUE, "tahun_data"].astype(int)
    due_years = sorted(due, reverse=True)
    return all_years, tahun if tahun in all_years else (due_years or all_years)[0]


def of_area(rows: pd.DataFrame, kode_kab: str | None) -> pd.DataFrame:
    """The rows of one kabupaten/kota, or all of them for none."""
    return rows if not kode_kab else rows[rows["kode_kab"] == kode_kab]


def sample_arrival_note(datasets: Iterable[str], label: Callable[[str], str]) -> str | None:
    """Under the rate when sample files count as sent: their arrival is when the sample was
    loaded, not a kabupaten's delivery, so their lateness says nothing of compliance."""
    names = ", ".join(sorted(label(d) for d in datasets))
    if not names:
        return None
    return (
        f":material/info: {names}: data contoh. Waktu terimanya adalah saat data contoh dimuat "
        "ke sistem, bukan kiriman kabupaten/kota, sehingga tepat waktu atau terlambatnya tidak "
        "menggambarkan kepatuhan sebenarnya."
    )


def on_time_note(tepat: int, counted: int, tahun: int) -> str:
    """The line under the on-time rate: what it counts, or that nothing is due yet."""
    if not counted:
        return f"Belum ada irisan tahun data {tahun} yang jatuh tempo."
    return (
        f"{fmt.number(tepat)} dari {fmt.number(counted)} irisan (dataset × wilayah) tahun data "
        f"{tahun} yang sudah jatuh tempo atau sudah dikirim diterima paling lambat pada "
        "tenggatnya; irisan yang belum jatuh tempo tidak dihitung."
    )
