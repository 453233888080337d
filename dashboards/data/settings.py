"""Where the dashboard finds things: the data directory, the snapshot, the boundary files."""

import os
from pathlib import Path

from pengguna import setelan  # the one place the environment's paths are read

REPO_ROOT = Path(__file__).resolve().parents[2]

CACHE_TTL_S = 600
"""Cached results also expire after this many seconds; a new snapshot invalidates them at once."""

DEFAULT_GEOJSON = {
    "kabupaten": "kalteng_kabupaten.geojson",
    "kecamatan": "kalteng_kecamatan.geojson",
    "desa": "kalteng_desa.geojson",
}


def data_dir() -> Path:
    return setelan.data_dir()


def snapshot_path() -> Path:
    return data_dir() / "published" / "dasbor.duckdb"


def reference_dir() -> Path:
    return setelan.reference_dir()


def geojson_path(tingkat: str) -> Path | None:
    """The boundary file for 'kabupaten', 'kecamatan' or 'desa', or None when there is none.

    `DASBOR_GEOJSON_KABUPATEN` (etc.) overrides the file name (or gives an absolute path); set
    it to an empty string to switch the map off, e.g. for a national snapshot.
    """
    file_name = os.environ.get(f"DASBOR_GEOJSON_{tingkat.upper()}", DEFAULT_GEOJSON[tingkat])
    if not file_name:
        return None
    path = reference_dir() / file_name
    return path if path.is_file() else None
