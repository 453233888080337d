"""The report files the pipeline leaves beside a stored upload.

What the pipeline said about an upload is read from the published snapshot's ingest_log
through `dashboards.data` (`upload_outcome`, `upload_history`), the dashboard's one reader of
the snapshot; this module only finds the files a rejected upload's report offers for download.
"""

from pathlib import Path


def beside_stored(data_dir: Path, stored_as: str, suffix: str) -> Path | None:
    """A report file beside a stored file (`.kesalahan.xlsx`, `.laporan.txt`), if it exists
    and lies inside the data directory."""
    root = data_dir.resolve()
    path = (root / f"{stored_as}{suffix}").resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
