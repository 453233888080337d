"""The cadence of reminders and briefings (docs/operations.md), on hand-worked dates.

A deadline of Monday 31 March 2025 has its reminder days 7 days before (Monday 24 March), on
the day (31 March), then every 7 days while late (7, 14, 21 April ...). The runs below go day
by day, at 07:00 WIB (00:00 UTC) as the schedule does, and feed what they sent back into the
log, as the job does."""

from datetime import date, datetime, timedelta

import pytest

from pipelines.notifikasi import jadwal
from pipelines.notifikasi.jadwal import Recipient, Sent, Slice

BUDI = Recipient("budi.kapuas", "petugas", "62.03", "budi@kapuaskab.go.id", True)
DANA_DESA = Slice("dana_desa", "62.03", 2024, date(2025, 3, 31), received=False)
BUMDES = Slice("bumdes", "62.03", 2024, date(2025, 4, 2), received=False)  # a Wednesday


def at_seven_wib(day: date) -> datetime:
    return datetime(day.year, day.month, day.day) - timedelta(hours=7)  # UTC, naive


def simulate(
    first: date,
    last: date,
    recipients=(BUDI,),
    slices=(DANA_DESA,),
    runs_per_day: int = 1,
    fails: frozenset[date] = frozenset(),
) -> list[tuple[date, str, tuple[str, ...]]]:
    """Run the reminder decision every day; (day, account, datasets listed) for each message
    that went out. A message on a day in `fails` is logged `gagal`."""
    log: list[Sent] = []
    sent = []
    day = first
    while day <= last:
        for run in range(runs_per_day):
            for r, listing in jadwal.reminders_due(recipients, list(slices), log, day):
                status = "gagal" if day in fails and run == 0 else "kotak_keluar"
                when = at_seven_wib(day) + timedelta(minutes=run)
                log.append(
                    Sent(when, "pengingat", r.nama, r.kode_kab, jadwal.rincian(listing, day),
                         status)
                )  # fmt: skip
                sent.append((day, r.nama, tuple(s.dataset for s in listing), status))
        day += timedelta(days=1)
    return sent


def test_reminder_days_are_7_days_before_on_the_day_then_every_7_days_while_late():
    sent = simulate(date(2025, 3, 17), date(2025, 4, 22))
    assert [(d, s) for d, _, _, s in sent] == [
        (date(2025, 3, 24), "kotak_keluar"),
        (date(2025, 3, 31), "kotak_keluar"),
        (date(2025, 4, 7), "kotak_keluar"),
        (date(2025, 4, 14), "kotak_keluar"),
        (date(2025, 4, 21), "kotak_keluar"),
    ]


def test_many_runs_a_day_send_no_more():
    once = simulate(date(2025, 3, 17), date(2025, 4, 22))
    assert simulate(date(2025, 3, 17), date(2025, 4, 22), runs_per_day=4) == once


def test_a_failed_send_is_tried_again_at_the_next_run():
    """31 March fails at the first run; the second run that day tries again and reaches the
    officer; the cadence goes on from the deadline (7 April)."""
    sent = simulate(
        date(2025, 3, 24), date(2025, 4, 8), runs_per_day=2, fails=frozenset({date(2025, 3, 31)})
    )
    assert [(d, s) for d, _, _, s in sent] == [
        (date(2025, 3, 24), "kotak_keluar"),
        (date(2025, 3, 31), "gagal"),
        (date(2025, 3, 31), "kotak_keluar"),
        (date(2025, 4, 7), "kotak_keluar"),
    ]
    # with one run a day, the next run is the next morning
    sent = simulate(date(2025, 3, 24), date(2025, 4, 8), fails=frozenset({date(2025, 3, 31)}))
    assert [(d, s) for d, _, _, s in sent] == [
        (date(2025, 3, 24), "kotak_keluar"),
        (date(2025, 3, 31), "gagal"),
        (date(2025, 4, 1), "kotak_keluar"),
        (date(2025, 4, 7), "kotak_keluar"),
    ]


def test_a_missed_day_is_made_up_by_the_next_run():
    """No run from 20 to 26 March (the server was off): the 27th reminds, once."""
    sent = simulate(date(2025, 3, 27), date(2025, 3, 30))
    assert [d for d, *_ in sent] == [date(2025, 3, 27)]


def test_one_message_lists_every_pending_slice_and_each_keeps_its_own_days():
    """Dana Desa is due 31 March (points 24/3, 31/3, 7/4), BUMDes 2 April (points 26/3, 2/4,
    9/4). Each point brings one message listing both once both are pending."""
    sent = simulate(date(2025, 3, 20), date(2025, 4, 10), slices=(DANA_DESA, BUMDES))
    assert [(d, listed) for d, _, listed, _ in sent] == [
        (date(2025, 3, 24), ("dana_desa",)),  # BUMDes's first day is the 26th
        (date(2025, 3, 26), ("dana_desa", "bumdes")),
        (date(2025, 3, 31), ("dana_desa", "bumdes")),
        (date(2025, 4, 2), ("dana_desa", "bumdes")),
        (date(2025, 4, 7), ("dana_desa", "bumdes")),
        (date(2025, 4, 9), ("dana_desa", "bumdes")),
    ]


def test_who_gets_nothing():
    inactive = Recipient("lama", "petugas", "62.03", "lama@kapuaskab.go.id", False)
    no_address = Recipient("tanpa.alamat", "petugas", "62.03", None, True)
    analyst = Recipient("sari", "analis", None, "sari@kaltengprov.go.id", True)
    other_kab = Recipient("andi.katingan", "petugas", "62.06", "andi@katingankab.go.id", True)
    received = Slice("dana_desa", "62.03", 2024, date(2025, 3, 31), received=True)
    day = date(2025, 4, 7)
    everyone = [inactive, no_address, analyst, other_kab, BUDI]
    due = jadwal.reminders_due(everyone, [DANA_DESA], [], day)
    assert [r.nama for r, _ in due] == ["budi.kapuas"]
    assert jadwal.reminders_due(everyone, [received], [], day) == []


def test_an_account_deactivated_between_runs_gets_nothing():
    sent = simulate(date(2025, 3, 24), date(2025, 3, 24))
    assert len(sent) == 1
    gone = Recipient(BUDI.nama, "petugas", "62.03", BUDI.email, aktif=False)
    assert simulate(date(2025, 3, 31), date(2025, 4, 14), recipients=(gone,)) == []


def test_a_day_is_a_day_in_jakarta():
    """A message logged at 23:30 UTC on 23 March was sent on 24 March in Jakarta: the run of
    the 24th sends nothing more."""
    log = [Sent(datetime(2025, 3, 23, 23, 30), "pengingat", "budi.kapuas", "62.03",
                "dana_desa 2024 (tenggat 2025-03-31)", "terkirim")]  # fmt: skip
    assert jadwal.reminders_due([BUDI], [DANA_DESA], log, date(2025, 3, 24)) == []
    assert jadwal.local_day(datetime(2025, 3, 23, 16, 59)) == date(2025, 3, 23)
    assert jadwal.local_day(datetime(2025, 3, 23, 17, 0)) == date(2025, 3, 24)


def test_one_message_per_account_per_day_whatever_its_kind():
    log = [Sent(at_seven_wib(date(2025, 3, 24)), "laporan", "budi.kapuas", "62.03",
                "laporan ringkas Kabupaten Kapuas 2024", "terkirim")]  # fmt: skip
    assert jadwal.reminders_due([BUDI], [DANA_DESA], log, date(2025, 3, 24)) == []
    [(r, _)] = jadwal.reminders_due([BUDI], [DANA_DESA], log, date(2025, 3, 25))
    assert r == BUDI


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 23), None),
        (date(2025, 3, 24), date(2025, 3, 24)),
        (date(2025, 3, 30), date(2025, 3, 24)),
        (date(2025, 3, 31), date(2025, 3, 31)),
        (date(2025, 4, 13), date(2025, 4, 7)),
        (date(2026, 3, 31), date(2026, 3, 30)),  # 365 days = 52 weeks + 1 day after the 31st
    ],
)
def test_the_latest_reminder_day(today, expected):
    assert jadwal.point(date(2025, 3, 31), today) == expected


def test_what_a_reminder_listed_is_read_back_from_the_log():
    today = date(2025, 4, 1)
    text = jadwal.rincian([DANA_DESA, BUMDES], today)
    assert text == "dana_desa 2024 (terlambat 1 hari); bumdes 2024 (tenggat 2025-04-02)"
    sent = Sent(at_seven_wib(today), "pengingat", "budi.kapuas", "62.03", text, "terkirim")
    assert jadwal.listed(sent) == {("dana_desa", "62.03", 2024), ("bumdes", "62.03", 2024)}


# --- briefings: once a month ---------------------------------------------------------------------

KADIS = Recipient("kadis", "pimpinan", None, "kadis@kaltengprov.go.id", True, "laporan")


def briefings(days: list[date], fails: frozenset[date] = frozenset(), recipients=(KADIS,)):
    log, sent = [], []
    for i, day in enumerate(days):
        for r in jadwal.briefings_due(recipients, log, day):
            status = "gagal" if day in fails else "terkirim"
            log.append(Sent(at_seven_wib(day) + timedelta(seconds=i), "laporan", r.nama, "62",
                            "laporan ringkas", status))  # fmt: skip
            sent.append((day, r.nama, status))
    return sent


def test_a_briefing_goes_once_a_month_and_a_failed_one_at_the_next_run():
    fifth = [date(2025, 4, 5), date(2025, 4, 5), date(2025, 4, 20), date(2025, 5, 5)]
    assert briefings(fifth) == [
        (date(2025, 4, 5), "kadis", "terkirim"),
        (date(2025, 5, 5), "kadis", "terkirim"),
    ]
    runs = [date(2025, 4, 5), date(2025, 4, 6), date(2025, 4, 7)]
    assert briefings(runs, fails=frozenset({date(2025, 4, 5)})) == [
        (date(2025, 4, 5), "kadis", "gagal"),
        (date(2025, 4, 6), "kadis", "terkirim"),
    ]


def test_who_gets_no_briefing():
    unsubscribed = Recipient("wakil", "pimpinan", None, "wakil@kaltengprov.go.id", True)
    inactive = Recipient("lama", "pimpinan", None, "lama@kaltengprov.go.id", False, "laporan")
    no_address = Recipient("bupati", "pimpinan", "62.03", None, True, "laporan")
    everyone = (unsubscribed, inactive, no_address, KADIS)
    assert briefings([date(2025, 4, 5)], recipients=everyone) == [
        (date(2025, 4, 5), "kadis", "terkirim")
    ]
