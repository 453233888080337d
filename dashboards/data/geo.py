"""Area boundaries (GeoJSON) from the reference directory, for the maps."""

import json
from typing import Any

import streamlit as st

from dashboards.data.settings import CACHE_TTL_S, geojson_path


@st.cache_resource(ttl=CACHE_TTL_S, max_entries=64, show_spinner=False)
def _geojson(path: str, mtime_ns: int, kode_kab: str | None) -> dict[str, Any]:
    # cache_resource, not cache_data: a copy of a 230-village GeoJSON costs 0.1 s to unpickle
    # on every run. Callers only read it (charts.area_map never changes it).
    with open(path, encoding="utf-8") as f:
        gj = json.load(f)
    features = gj.get("features", [])
    if kode_kab is not None:
        features = [
            feature
            for feature in features
            if (feature.get("properties") or {}).get("kode_kab") == kode_kab
        ]
    return {"type": "FeatureCollection", "features": features}


def geojson(tingkat: str, kode_kab: str | None = None) -> dict[str, Any] | None:
    """Boundaries of one level (optionally of one kabupaten), or None when there is no file."""
    path = geojson_path(tingkat)
    if path is None:
        return None
    gj = _geojson(str(path), path.stat().st_mtime_ns, kode_kab)
    return gj if gj["features"] else None
