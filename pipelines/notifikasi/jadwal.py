"""Who is told what, and when (docs/operations.md): the cadence as plain functions of the day.

- A slice (dataset, kabupaten, data year) with nothing received is reminded 7 days before its
  deadline, on the deadline, then every 7 days while late: on the days tenggat - 7 + 7k. On
  any day from tenggat - 7 on, the latest such day is its *point*; the slice is due when no
  message that reached the account (sent, or written to kotak_keluar) has listed it since its
  point. A failed send (`gagal`) reached nobody, so the slice stays due and the next run tries
  again; a run missed (the server was off) is made up by the next.
- A message lists every slice of the kabupaten that is pending (nothing received and the
  deadline within 7 days or past), not only those due: an officer reads one complete list.
- A subscriber's briefing is due once per calendar month: a rerun sends only to those the
  month's run did not reach.
- At most one message per account per day, whatever the number of runs or kinds.
- Only active accounts with an address are told: an account deactivated between runs gets
  nothing at the next.

"Today" is the run's date in Asia/Jakarta; log times are UTC (naive) and are read in Jakarta.
The snapshot judged its slices on the day it was published; a slice not received is judged
again here on the run's own day (late once its deadline has passed), since the notification
jobs run every day and the snapshot may be older.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

REPORTING_TZ = ZoneInfo("Asia/Jakarta")
REMIND_BEFORE_DAYS = 7  # the first reminder, before the deadline
EVERY_DAYS = 7  # then on the deadline and every 7 days while late
PENGINGAT, LAPORAN = "pengingat", "laporan"
REACHED = ("terkirim", "kotak_keluar")  # `gagal` reached nobody


@dataclass(frozen=True)
class Slice:
    """One row of kepatuhan_pelaporan, as the jobs need it."""

    dataset: str
    kode_kab: str
    tahun_data: int
    tenggat: date
    received: bool  # pertama_diterima is set

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.dataset, self.kode_kab, self.tahun_data)

    def days_late(self, today: date) -> int:
        return max(0, (today - self.tenggat).days)

    def days_left(self, today: date) -> int:
        return max(0, (self.tenggat - today).days)


@dataclass(frozen=True)
class Recipient:
    nama: str
    peran: str
    kode_kab: str | None
    email: str | None
    aktif: bool
    langganan: str | None = None


@dataclass(frozen=True)
class Sent:
    """One row of notifikasi_log."""

    dibuat_pada: datetime  # UTC, naive
    jenis: str
    penerima: str
    kode_kab: str | None
    rincian: str | None
    status: str

    @property
    def day(self) -> date:
        return local_day(self.dibuat_pada)

    @property
    def reached(self) -> bool:
        return self.status in REACHED


def local_day(moment: datetime) -> date:
    """The date in Asia/Jakarta of a UTC moment (naive values are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(REPORTING_TZ).date()


def point(tenggat: date, today: date) -> date | None:
    """The latest reminder day of a deadline on or before today; None before the first."""
    first = tenggat - timedelta(days=REMIND_BEFORE_DAYS)
    if today < first:
        return None
    return first + timedelta(days=(today - first).days // EVERY_DAYS * EVERY_DAYS)


def pending(slices: Iterable[Slice], kode_kab: str, today: date) -> list[Slice]:
    """The kabupaten's slices a reminder lists: nothing received, and `belum dikirim` (the
    deadline has passed) or `belum jatuh tempo` with the deadline within 7 days; the most
    urgent first."""
    return sorted(
        (
            s
            for s in slices
            if s.kode_kab == kode_kab and not s.received and point(s.tenggat, today) is not None
        ),
        key=lambda s: (s.tenggat, s.dataset, s.tahun_data),
    )


# --- rincian: what a reminder listed, as the log keeps it ------------------------------------


def describe(s: Slice, today: date) -> str:
    """`dana_desa 2024 (terlambat 38 hari)`, `umkm 2025 (tenggat 2025-03-31)`."""
    late = s.days_late(today)
    state = f"terlambat {late} hari" if late else f"tenggat {s.tenggat.isoformat()}"
    return f"{s.dataset} {s.tahun_data} ({state})"


def rincian(slices: Iterable[Slice], today: date) -> str:
    return "; ".join(describe(s, today) for s in slices)


_LISTED = re.compile(r"(?:^|; )([a-z0-9_]+) (\d{4}) \(")


def listed(sent: Sent) -> set[tuple[str, str, int]]:
    """The slices a logged reminder listed (read back from its `rincian`)."""
    return {
        (dataset, sent.kode_kab or "", int(tahun))
        for dataset, tahun in _LISTED.findall(sent.rincian or "")
    }


# --- the decisions ---------------------------------------------------------------------------


def _reached_today(log: Iterable[Sent], today: date) -> set[str]:
    return {m.penerima for m in log if m.reached and m.day == today}


def reminders_due(
    recipients: Iterable[Recipient], slices: list[Slice], log: list[Sent], today: date
) -> list[tuple[Recipient, list[Slice]]]:
    """Each active `petugas` with an address whose kabupaten has a slice due today, with every
    pending slice of that kabupaten; by account name. `log` is notifikasi_log (any kinds)."""
    told_today = _reached_today(log, today)
    reminded: dict[str, dict[tuple[str, str, int], date]] = {}
    for m in log:
        if m.jenis == PENGINGAT and m.reached:
            seen = reminded.setdefault(m.penerima, {})
            for key in listed(m):
                seen[key] = max(seen.get(key, m.day), m.day)
    due = []
    for r in sorted(recipients, key=lambda r: r.nama):
        if not (r.aktif and r.email and r.peran == "petugas" and r.kode_kab):
            continue
        if r.nama in told_today:
            continue
        listing = pending(slices, r.kode_kab, today)
        last = reminded.get(r.nama, {})
        if any(
            last.get(s.key) is None or last[s.key] < point(s.tenggat, today)  # type: ignore[operator]
            for s in listing
        ):
            due.append((r, listing))
    return due


def briefings_due(recipients: Iterable[Recipient], log: list[Sent], today: date) -> list[Recipient]:
    """Each active subscriber with an address not yet reached by a briefing this month (and
    by no message today); by account name."""
    told_today = _reached_today(log, today)
    this_month = {
        m.penerima
        for m in log
        if m.jenis == LAPORAN
        and m.reached
        and (m.day.year, m.day.month) == (today.year, today.month)
    }
    return [
        r
        for r in sorted(recipients, key=lambda r: r.nama)
        if r.aktif
        and r.email
        and r.langganan == "laporan"  # the store gives it to pimpinan and analis only
        and r.nama not in told_today
        and r.nama not in this_month
    ]


def log_since(today: date) -> datetime:
    """The earliest log time the decisions can need (UTC, naive): a slice's point is within
    the last 7 days and a briefing's month began at most 31 days ago; a day of margin."""
    start = datetime.combine(today - timedelta(days=32), datetime.min.time(), REPORTING_TZ)
    return start.astimezone(UTC).replace(tzinfo=None)
