"""Pruning a folder of backups (`python -m pipelines.cadangan pangkas`): the newest backup of
each of the last N days and M ISO weeks that have one stays, every other backup goes, and no
other file is touched.

The folder, worked by hand with 2 days and 3 weeks (UTC; ISO week 49 is 30 Nov - 6 Dec 2026):
    Thu 3 Dec 02:15    day 1, and the newest of week 49        kept
    Wed 2 Dec 10:00    day 2 (the later of its two)             kept
    Wed 2 Dec 02:15    an older one of day 2                    deleted
    Tue 1 Dec 02:15    a third day                              deleted
    Tue 24 Nov 02:15   newest of week 48                        kept
    Mon 23 Nov 02:15                                            deleted
    Tue 10 Nov 02:15   newest of week 46 (no backup in week 47) kept
    Sat 1 Aug 02:15    a fourth week                            deleted
"""

import os

import pytest

from pipelines.cadangan.__main__ import main as cadangan
from pipelines.cadangan.backup import create_backup
from pipelines.cadangan.prune import KEEP_DAILY, KEEP_WEEKLY, prune

KEPT = [
    "cadangan_dasbor_20261203T021500Z.tar.gz",
    "cadangan_dasbor_20261202T100000Z.tar.gz",
    "cadangan_dasbor_20261124T021500Z.tar.gz",
    "cadangan_dasbor_20261110T021500Z.tar.gz",
]
DELETED = [
    "cadangan_dasbor_20261202T021500Z.tar.gz",
    "cadangan_dasbor_20261201T021500Z.tar.gz",
    "cadangan_dasbor_20261123T021500Z.tar.gz",
    "cadangan_dasbor_20260801T021500Z.tar.gz",
]
# Never a backup: a note, a backup being written, another program's archive, a folder.
OTHERS = [
    "catatan.txt",
    ".cadangan_dasbor_20261203T030000Z.tar.gz.part",
    "cadangan_lain_20200101T000000Z.tar.gz",
    "cadangan_dasbor_20200101T000000Z.tar.gz.sha256",
]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    for name in KEPT + DELETED + OTHERS:
        (folder / name).write_bytes(b"isi")
    # Modification times opposite to the names': the names decide.
    for age, name in enumerate(reversed(KEPT + DELETED)):
        os.utime(folder / name, (1_000_000 + age, 1_000_000 + age))
    (folder / "cadangan_dasbor_20200102T000000Z.tar.gz").mkdir()
    return folder


def test_the_newest_per_day_and_per_week_stay_and_the_rest_go(folder):
    pruned = prune(folder, daily=2, weekly=3)
    assert [p.name for p in pruned.kept] == KEPT
    assert sorted(p.name for p in pruned.deleted) == sorted(DELETED)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*KEPT, *OTHERS, "cadangan_dasbor_20200102T000000Z.tar.gz"])


def test_two_backups_in_one_second_keep_the_later(tmp_path):
    for name in ("cadangan_dasbor_20261203T021500Z.tar.gz",
                 "cadangan_dasbor_20261203T021500Z_1.tar.gz"):  # fmt: skip
        (tmp_path / name).write_bytes(b"isi")
    pruned = prune(tmp_path, daily=1, weekly=0)
    assert [p.name for p in pruned.kept] == ["cadangan_dasbor_20261203T021500Z_1.tar.gz"]


def test_the_newest_backup_always_stays(tmp_path):
    (tmp_path / "cadangan_dasbor_20261203T021500Z.tar.gz").write_bytes(b"isi")
    pruned = prune(tmp_path, daily=0, weekly=0)  # even under a rule that keeps no day
    assert [p.name for p in pruned.kept] == ["cadangan_dasbor_20261203T021500Z.tar.gz"]
    assert pruned.deleted == []


def test_the_defaults_are_a_week_of_days_and_thirteen_weeks(tmp_path):
    # Nightly for 120 days, the last on Thu 3 Dec 2026: the 7 days from Fri 27 Nov, and the
    # newest night of each of 13 weeks: Thu 3 Dec (week 49) and Sun 29 Nov (week 48) are among
    # the 7 days, the 11 weeks before end on a Sunday each.
    from datetime import datetime, timedelta

    first = datetime(2026, 8, 6, 2, 15)
    for day in range(120):
        taken = first + timedelta(days=day)
        (tmp_path / f"cadangan_dasbor_{taken:%Y%m%dT%H%M%SZ}.tar.gz").write_bytes(b"isi")
    pruned = prune(tmp_path)
    assert (KEEP_DAILY, KEEP_WEEKLY) == (7, 13)
    newest = first + timedelta(days=119)  # Thu 3 Dec 2026
    days = {(newest - timedelta(days=d)).date() for d in range(7)}
    weeks = {(newest - timedelta(weeks=w)).isocalendar()[:2] for w in range(13)}
    kept_dates = {p.name[16:24] for p in pruned.kept}
    assert {d.strftime("%Y%m%d") for d in days} <= kept_dates
    # Each of the 13 weeks keeps its newest night: Sunday, or the newest day in week 49.
    sundays = {
        (newest - timedelta(days=d)).strftime("%Y%m%d")
        for d in range(120)
        if (newest - timedelta(days=d)).isocalendar()[:2] in weeks
        and (newest - timedelta(days=d)).isoweekday() == 7
    }
    assert kept_dates == {d.strftime("%Y%m%d") for d in days} | sundays
    assert len(pruned.kept) == 7 + 11
    assert len(pruned.deleted) == 120 - len(pruned.kept)


def test_the_command_says_what_it_deleted_in_bahasa_indonesia(folder, capsys):
    assert cadangan(["pangkas", str(folder), "--harian", "2", "--mingguan", "3"]) == 0
    out = capsys.readouterr().out
    assert f"Cadangan di {folder}: 4 disimpan, 4 dihapus" in out
    assert "per hari untuk 2 hari terakhir, per minggu untuk 3 minggu terakhir" in out
    for name in DELETED:
        assert f"dihapus: {name}" in out
    for name in KEPT:
        assert name not in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--harian", "0"], "--harian paling sedikit 1"),
        (["--mingguan", "-1"], "--mingguan paling sedikit 0"),
    ],
)
def test_a_rule_that_would_keep_nothing_is_refused(folder, capsys, args, says):
    assert cadangan(["pangkas", str(folder), *args]) == 2
    assert says in capsys.readouterr().err
    assert len(list(folder.iterdir())) == len(KEPT + DELETED + OTHERS) + 1


def test_a_missing_folder_is_refused(tmp_path, capsys):
    assert cadangan(["pangkas", str(tmp_path / "tidak-ada")]) == 2
    assert "tidak ada" in capsys.readouterr().err


def test_a_real_backup_is_named_so_that_pruning_finds_it(tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from pipelines.settings import Settings

    data = tmp_path / "data"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data))
    settings = Settings.from_env()
    settings.ensure_dirs()
    dest = tmp_path / "cadangan"
    older = create_backup(settings, dest, now=datetime(2026, 12, 2, 2, 15, tzinfo=UTC))
    newer = create_backup(settings, dest, now=datetime(2026, 12, 3, 2, 15, tzinfo=UTC))
    pruned = prune(dest, daily=1, weekly=0)
    assert pruned.kept == [newer.path]
    assert pruned.deleted == [older.path]
    assert not older.path.exists()
