"""Reporting compliance as people read it: the words, marks and colours of each status, the
on-time rate and the short "what is late" line. Shared by the dashboard and the briefing PDF,
so both say it the same way. Works on kepatuhan_pelaporan rows (a pandas frame with dataset,
kode_kab, nama_kab, tahun_data, tenggat, pertama_diterima, status, hari_terlambat,
kelengkapan_pct)."""

from collections.abc import Callable, Mapping

import pandas as pd

from laporan import formatting as fmt

ON_TIME, LATE, NOT_SENT, NOT_DUE = "tepat waktu", "terlambat", "belum dikirim", "belum jatuh tempo"
STATUSES = (ON_TIME, LATE, NOT_SENT, NOT_DUE)
# A mark beside each word, so a cell reads without its colour (and in black-and-white print).
MARKS = {ON_TIME: "✓", LATE: "⚠", NOT_SENT: "✗", NOT_DUE: "○"}
# Light backgrounds that keep dark text readable: green, amber, red, grey.
COLOURS = {ON_TIME: "#dafbe1", LATE: "#fff1c2", NOT_SENT: "#ffd8d3", NOT_DUE: "#eaeef2"}
TEXT_COLOUR = "#1f2328"
RATE_MEANING = (
    "bagian irisan (dataset × wilayah) yang sudah jatuh tempo atau sudah dikirim dan yang berkas "
    "pertamanya diterima paling lambat pada tanggal tenggat (WIB); irisan yang belum jatuh tempo "
    "tidak dihitung"
)


def status_text(status: object, hari_terlambat: object = None, *, mark: bool = True) -> str:
    """One slice as a cell: "✓ tepat waktu", "⚠ terlambat 29 hari", "✗ belum dikirim, 38 hari",
    "○ belum jatuh tempo"; "" for no slice (the dataset is not due from that area)."""
    if fmt.is_missing(status):
        return ""
    status = str(status)
    days = 0 if fmt.is_missing(hari_terlambat) else int(hari_terlambat)  # type: ignore[call-overload]
    text = status
    if status == LATE:
        text = f"terlambat {fmt.number(days)} hari"
    elif status == NOT_SENT and days > 0:
        text = f"belum dikirim, {fmt.number(days)} hari"
    return f"{MARKS[status]} {text}" if mark and status in MARKS else text


def on_time(rows: pd.DataFrame) -> tuple[int, int]:
    """(slices on time, slices counted): every slice already due or already sent."""
    counted = rows[rows["status"] != NOT_DUE]
    return int((counted["status"] == ON_TIME).sum()), len(counted)


def rate_text(rows: pd.DataFrame) -> str:
    """The on-time rate, "62,5%", or "–" when nothing is due yet."""
    tepat, total = on_time(rows)
    return fmt.percent(100 * tepat / total, 1) if total else fmt.MISSING


def outstanding(rows: pd.DataFrame) -> pd.DataFrame:
    """The slices late now: due and still not sent (`belum dikirim`), of every year. A slice
    that arrived late is history, not something to chase."""
    return rows[rows["status"] == NOT_SENT]


def late_items(
    rows: pd.DataFrame,
    kode_wilayah: str,
    provinsi: str,
    title: Callable[[str], str] | Mapping[str, str],
    limit: int = 4,
) -> list[str]:
    """What is late for an area, newest year first, at most `limit` items and "N lainnya".

    The province: each (dataset, year) with how many kabupaten/kota have not sent it
    ("BUMDes 2024 dari 3 kabupaten/kota"). A kabupaten: its own slices with the days late
    ("BUMDes 2024 (38 hari)")."""
    name = title.get if isinstance(title, Mapping) else title
    late = outstanding(rows)
    if kode_wilayah != provinsi:
        late = late[late["kode_kab"] == kode_wilayah]
    if late.empty:
        return []
    late = late.sort_values(["tahun_data", "dataset"], ascending=[False, True])
    items = []
    if kode_wilayah == provinsi:
        for (dataset, tahun), group in late.groupby(["dataset", "tahun_data"], sort=False):
            areas = group["kode_kab"]
            n_kab = int((areas != provinsi).sum())
            who = [f"{fmt.number(n_kab)} kabupaten/kota"] if n_kab else []
            if (areas == provinsi).any():
                who.insert(0, "provinsi")
            items.append(f"{name(dataset) or dataset} {tahun} dari {' dan '.join(who)}")
    else:
        items = [
            f"{name(r.dataset) or r.dataset} {r.tahun_data} ({fmt.number(r.hari_terlambat)} hari)"
            for r in late.itertuples()
        ]
    if len(items) > limit:
        items = [*items[: limit - 1], f"dan {fmt.number(len(items) - limit + 1)} lainnya"]
    return items


def late_line(
    rows: pd.DataFrame,
    kode_wilayah: str,
    provinsi: str,
    title: Callable[[str], str] | Mapping[str, str],
) -> str | None:
    """ "Terlambat (belum dikirim): BUMDes 2024 dari 1 kabupaten/kota"; None when nothing is."""
    items = late_items(rows, kode_wilayah, provinsi, title)
    return f"Terlambat (belum dikirim): {', '.join(items)}" if items else None
