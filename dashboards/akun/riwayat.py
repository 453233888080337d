"""What the pipeline said about uploaded files, read from the published snapshot's ingest_log.

The page follows a file by its content hash, name and dataset, judged after it was uploaded:
a row appears once a run has judged the file and published. Reads go the way dashboards.data
reads (an in-memory connection ATTACHing the snapshot READ_ONLY, closed after each query), so a
page that polls every few seconds never blocks a publish and never sees an old snapshot. A
snapshot from before ingest_log.pengunggah existed simply has no history.
"""

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

OUTCOME_COLUMNS = "received_at, file_name, dataset, status, rows, errors, warnings, stored_as"


def _query(snapshot: Path, sql: str, params: list) -> pd.DataFrame | None:
    """None when there is no snapshot yet, or it lacks the column this needs."""
    if not snapshot.is_file():
        return None
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS snap (READ_ONLY)", [str(snapshot)])
        con.execute("USE snap")
        return con.execute(sql, params).df()
    except duckdb.Error:
        return None
    finally:
        con.close()


def outcome(
    snapshot: Path, dataset: str, file_name: str, sha256: str, since: datetime
) -> dict | None:
    """The pipeline's judgement of one upload, with its report; None while it waits."""
    rows = _query(
        snapshot,
        f"""
        select {OUTCOME_COLUMNS}, report from ingest_log
        where dataset = ? and file_name = ? and sha256 = ? and received_at >= ?
        order by received_at limit 1
        """,
        [dataset, file_name, sha256, since],
    )
    if rows is None or rows.empty:
        return None
    return rows.iloc[0].to_dict()


def history(snapshot: Path, pengunggah: str, limit: int = 200) -> pd.DataFrame:
    """The account's judged uploads, newest first."""
    rows = _query(
        snapshot,
        f"""
        select {OUTCOME_COLUMNS} from ingest_log where pengunggah = ?
        order by received_at desc, file_name limit ?
        """,
        [pengunggah, limit],
    )
    return rows if rows is not None else pd.DataFrame()


def beside_stored(data_dir: Path, stored_as: str, suffix: str) -> Path | None:
    """A report file beside a stored file (`.kesalahan.xlsx`, `.laporan.txt`), if it exists
    and lies inside the data directory."""
    root = data_dir.resolve()
    path = (root / f"{stored_as}{suffix}").resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
