"""Keep a folder of backups from filling the disk: the newest backup of each of the last N days
that have one, and the newest of each of the last M ISO weeks that have one, as restic's
`forget --keep-daily N --keep-weekly M` keeps snapshots. Everything else named as a backup is
deleted; nothing else in the folder is touched (a backup being written is a hidden `.part` file,
and never matches). The newest backup is always kept, and a day or week without a backup (the
server was off) does not use up a place: the kept files reach back further instead.

Days and weeks are read in UTC, from the time in the file's name (`cadangan_dasbor_<UTC>.tar.gz`),
not from its modification time, which a copy may change.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.cadangan.manifest import NAME_PREFIX, NAME_TIME, SUFFIX

# The retention docs/operations.md recommends: a week of nightly backups, three months of weekly.
KEEP_DAILY = 7
KEEP_WEEKLY = 13
_NAME = re.compile(
    rf"^{re.escape(NAME_PREFIX)}(?P<time>\d{{8}}T\d{{6}}Z)(?:_(?P<n>\d+))?{re.escape(SUFFIX)}$"
)


@dataclass
class Pruned:
    kept: list[Path]
    deleted: list[Path]
    daily: int
    weekly: int

    def report(self, folder: Path) -> str:
        lines = [
            f"Cadangan di {folder}: {len(self.kept)} disimpan, {len(self.deleted)} dihapus "
            f"(aturan: yang terbaru per hari untuk {self.daily} hari terakhir, per minggu "
            f"untuk {self.weekly} minggu terakhir)."
        ]
        lines += [f"  dihapus: {p.name}" for p in self.deleted]
        return "\n".join(lines)


def backups_in(folder: Path) -> list[tuple[datetime, int, Path]]:
    """Every backup file in `folder`, newest first: (its UTC time, its same-second number, path)."""
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match["time"], NAME_TIME)
            found.append((taken, int(match["n"] or 0), path))
    return sorted(found, reverse=True)


def to_keep(
    backups: list[tuple[datetime, int, Path]], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY
) -> set[Path]:
    """The newest backup of each of the `daily` latest days with one, and of each of the
    `weekly` latest ISO weeks with one; and the newest backup of all. `backups` newest first."""
    kept = {backups[0][2]} if backups else set()
    for bucket, places in ((_day, daily), (_week, weekly)):
        seen: set[tuple] = set()
        for taken, _, path in backups:
            key = bucket(taken)
            if key not in seen and len(seen) < places:
                seen.add(key)
                kept.add(path)
    return kept


def prune(folder: Path, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> Pruned:
    """Delete the backups in `folder` that `to_keep` does not keep."""
    backups = backups_in(folder)
    keep = to_keep(backups, daily, weekly)
    kept = [path for _, _, path in backups if path in keep]
    deleted = [path for _, _, path in backups if path not in keep]
    for path in deleted:
        path.unlink()
    return Pruned(kept, deleted, daily, weekly)


def _day(taken: datetime) -> tuple:
    return (taken.date(),)


def _week(taken: datetime) -> tuple:
    return tuple(taken.isocalendar())[:2]
