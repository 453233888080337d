"""The environment settings more than one room reads, read here and nowhere else.

Decision (issue 25): the data directory (`DASBOR_DATA_DIR`), the reference folder
(`DASBOR_REFERENCE_DIR`), the largest file the inbox takes (`DASBOR_MAX_FILE_MB`) and the name
of an upload's sidecar are read in this module. It sits in the accounts room because that room
imports nothing of ours while both the pipeline and the dashboard may import it (the snapshot
cannot say where the snapshot is). The pipeline's own rooms read them through
`pipelines.settings`. The documents room (`laporan/`) reads no setting: its callers hand the
briefing the reference folder for its map. Plain `os` and `pathlib` only, so the command line
pays nothing.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# An upload's sidecar (uploader, scope, signature) is `.<file name><SIDECAR_SUFFIX>` beside it.
SIDECAR_SUFFIX = ".unggah.json"
DEFAULT_MAX_FILE_MB = "512"


def data_dir() -> Path:
    """DASBOR_DATA_DIR, else data/ in the repository."""
    return Path(os.environ.get("DASBOR_DATA_DIR") or REPO_ROOT / "data")


def reference_dir() -> Path:
    """DASBOR_REFERENCE_DIR, else data/reference/ in the repository."""
    return Path(os.environ.get("DASBOR_REFERENCE_DIR") or REPO_ROOT / "data" / "reference")


def max_file_bytes() -> int:
    """The largest file the inbox takes: DASBOR_MAX_FILE_MB (default 512) in bytes."""
    return int(float(os.environ.get("DASBOR_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)) * 1024**2)
