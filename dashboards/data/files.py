"""Files the pipeline keeps beside a rejected file, read from the data directory.

The ingest log in the snapshot names where a rejected file was stored (`stored_as`, relative to
the data directory: `rejected/<dataset>/<stored name>`), and the pipeline writes its reports
beside it: `<stored name>.laporan.txt`, `.kesalahan.csv` and the error workbook
`.kesalahan.xlsx` (built by `laporan.kesalahan`, without the values of any personal-data
column). `stored_as` is a text column of a table, so it is never trusted as a path: only a file
that resolves (symbolic links included) inside `<data dir>/rejected/` is ever read.
"""

from pathlib import Path

from dashboards.data.settings import data_dir

REJECTED_DIR = "rejected"
ERROR_WORKBOOK = ".kesalahan.xlsx"


def beside_rejected(stored_as: object, suffix: str) -> Path | None:
    """The report file `<stored_as><suffix>` of a rejected file, or None when there is none or
    it would lie outside `<data dir>/rejected/` (`..`, an absolute path, a link elsewhere)."""
    if not isinstance(stored_as, str) or not stored_as or "\x00" in stored_as:
        return None
    root = (data_dir() / REJECTED_DIR).resolve()
    path = (data_dir() / f"{stored_as}{suffix}").resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def error_workbook_path(stored_as: object) -> Path | None:
    """The error workbook of a rejected file, if the pipeline wrote one."""
    return beside_rejected(stored_as, ERROR_WORKBOOK)


def error_workbook(stored_as: str) -> bytes:
    """The bytes of a rejected file's error workbook; FileNotFoundError when there is none
    (or the entry points outside rejected/)."""
    path = error_workbook_path(stored_as)
    if path is None:
        raise FileNotFoundError(f"Buku kerja kesalahan untuk {stored_as!r} tidak ada.")
    return path.read_bytes()
