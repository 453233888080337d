"""The outbox: messages the pipeline wrote as .eml files under `<data dir>/kotak_keluar/` when no
mail server is configured. Read for the admin page: date, subject and the file name, never an
address (the To header is one, so it is not read). The pipeline names each file
`<UTC time>_<account>.eml`; the page shows that account only where notifikasi_log confirms it."""

import re
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd

from dashboards.data.settings import data_dir

OUTBOX_DIR_NAME = "kotak_keluar"
COLUMNS = ["berkas", "dibuat_pada", "subjek", "akun_berkas", "ukuran"]
_NAME = re.compile(r"^(?P<waktu>\d{8}T\d{6})_(?P<akun>.+?)(?:_\d+)?\.eml$")


def outbox_dir() -> Path:
    return data_dir() / OUTBOX_DIR_NAME


def _sent_at(stamp: str | None, date_header: object, path: Path) -> datetime:
    """When the message was written, as naive UTC (as the snapshot stores times): the file
    name's stamp (the run's time, as in notifikasi_log), else the Date header, else the file's
    modification time."""
    try:
        if stamp:
            return datetime.strptime(stamp, "%Y%m%dT%H%M%S")
        moment = parsedate_to_datetime(str(date_header))
    except (TypeError, ValueError, IndexError):
        moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(tzinfo=None)


def outbox_messages(limit: int = 200) -> pd.DataFrame | None:
    """The newest `limit` .eml files, newest first (headers only: attachments are not read);
    None when the folder does not exist."""
    folder = outbox_dir()
    if not folder.is_dir():
        return None
    files = sorted(
        (p for p in folder.glob("*.eml") if p.is_file()),
        key=lambda p: (p.stat().st_mtime_ns, p.name),
        reverse=True,
    )[:limit]
    parser = BytesHeaderParser(policy=default)
    rows = []
    for path in files:
        try:
            with path.open("rb") as handle:
                headers = parser.parse(handle)
        except OSError:
            continue  # removed while listing
        match = _NAME.match(path.name)
        rows.append(
            (
                path.name,
                _sent_at(match["waktu"] if match else None, headers.get("Date"), path),
                str(headers.get("Subject") or ""),
                match["akun"] if match else None,
                path.stat().st_size,
            )
        )
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    return frame.sort_values("dibuat_pada", ascending=False, kind="stable").reset_index(drop=True)
