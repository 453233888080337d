"""Plotly figures sized for a projector: large type, Indonesian numbers, direction-aware colour.

Colour means the same on every chart: blue is good, red is bad. For a 'turun' KPI (lower is
better) the scale is reversed, so a low poverty rate is blue like a high budget absorption.
Areas without a value are grey and say why (the `keterangan`), never drawn as 0.
"""

import functools
import hashlib
import math
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from laporan import formatting as fmt
from laporan.palet import (  # the colours, once for the dashboard and the briefing
    BLUE,
    GREY,
    ORANGE,
    SERIES_COLORS,
    color_scale,
    status_color,
    step_colors,
    steps_of,
)

FONT_SIZE = 18
TITLE_FONT_SIZE = 22
FONT_FAMILY = "Source Sans, Arial, sans-serif"

# --- built figures, kept ---------------------------------------------------------------------
# A warm page run used to spend most of its time rebuilding the same figures from the same
# cached frames (Plotly validates every property it is given). So each builder below keeps its
# figures, keyed on a fingerprint of its arguments' content: a page that computes the same
# frame again gets the figure it got last time, and new data (a new snapshot, another filter)
# has another fingerprint. The figures are shared by every reader: never change one after it
# is returned (st.plotly_chart only reads it).

_KEPT_MAX = 128
_kept: OrderedDict[tuple, tuple[go.Figure, list[Any]]] = OrderedDict()
_kept_lock = threading.Lock()


class _NoFingerprint(Exception):
    """An argument whose content cannot be fingerprinted: the figure is built, not kept."""


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _fingerprint(value: Any, keep: list[Any]) -> Any:
    """A hashable stand-in for `value`'s content. Large dicts (boundary files, themselves kept
    by the data layer and never changed) stand in by identity; `keep` holds them, so their
    identity cannot pass to another object while the figure is kept."""
    if value is None or isinstance(value, str | bool | int | float):
        return (type(value).__name__, value)
    if isinstance(value, np.generic):
        return (type(value).__name__, value.item())
    if isinstance(value, pd.DataFrame | pd.Series):
        try:
            cells = pd.util.hash_pandas_object(value, index=True).to_numpy()
        except TypeError as e:  # unhashable cells (lists, dicts)
            raise _NoFingerprint from e
        if isinstance(value, pd.DataFrame):
            names, dtypes = tuple(map(str, value.columns)), tuple(map(str, value.dtypes))
        else:
            names, dtypes = value.name, (str(value.dtype),)
        return ("frame", names, dtypes, value.shape, _digest(cells.tobytes()))
    if isinstance(value, np.ndarray) and value.dtype != object:
        return ("array", value.dtype.str, value.shape, _digest(value.tobytes()))
    if isinstance(value, dict):
        if "features" in value or len(value) > 64:
            keep.append(value)
            return ("id", id(value))
        return ("dict", tuple((k, _fingerprint(v, keep)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_fingerprint(v, keep) for v in value))
    raise _NoFingerprint(type(value).__name__)


F = TypeVar("F", bound=Callable[..., go.Figure])


def kept(builder: F) -> F:
    """Keep the figures `builder` returns, per content of its arguments (see above)."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> go.Figure:
        keep: list[Any] = []
        try:
            key = (
                builder.__name__,
                _fingerprint(args, keep),
                _fingerprint(tuple(sorted(kwargs.items())), keep),
            )
        except _NoFingerprint:
            return builder(*args, **kwargs)
        with _kept_lock:
            found = _kept.get(key)
            if found is not None:
                _kept.move_to_end(key)
                return found[0]
        fig = builder(*args, **kwargs)
        with _kept_lock:
            _kept[key] = (fig, keep)
            while len(_kept) > _KEPT_MAX:
                _kept.popitem(last=False)
        return fig

    return build  # type: ignore[return-value]


_AXIS = {
    "gridcolor": "#e6e6e6",
    "linecolor": "#bbbbbb",
    "zerolinecolor": "#cccccc",
    "automargin": True,
}
_TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "colorway": list(SERIES_COLORS),
    }
}


def figure(data: Any = None) -> go.Figure:
    """A new figure with a small template of our own.

    Plotly's default templates are copied into every new figure (30 ms each); this one is a
    few keys.
    """
    return go.Figure(data=data, layout={"template": _TEMPLATE})


def layout(fig: go.Figure, *, height: int = 520, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        font={"size": FONT_SIZE, "family": FONT_FAMILY, "color": "#1f1f1f"},
        title={"text": title, "font": {"size": TITLE_FONT_SIZE}} if title else None,
        separators=",.",  # decimal comma, thousands dot
        hoverlabel={"font": {"size": FONT_SIZE}},
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={"font": {"size": FONT_SIZE}},
    )
    return fig


def _hover_text(nama: str, value: object, satuan: str, keterangan: object, extra: str = "") -> str:
    if fmt.is_missing(value):
        reason = keterangan if not fmt.is_missing(keterangan) else "Tidak ada nilai"
        return f"<b>{nama}</b><br>Tidak ada nilai: {reason}{extra}"
    return f"<b>{nama}</b><br>{fmt.kpi_value(value, satuan)}{extra}"


def _color_bounds(values: pd.Series) -> tuple[float, float] | None:
    known = values.dropna()
    if known.empty:
        return None
    lo, hi = float(known.min()), float(known.max())
    if lo == hi:
        lo, hi = lo - 1e-9 - abs(lo) * 0.01, hi + 1e-9 + abs(hi) * 0.01
    return lo, hi


def _color_bar(
    satuan: str, arah: str | None, bounds: tuple[float, float], title: str = "biru = lebih baik"
) -> dict[str, Any]:
    """A colour bar with Indonesian tick labels and a reminder of which end is good."""
    steps = [bounds[0] + (bounds[1] - bounds[0]) * i / 4 for i in range(5)]
    return {
        "title": {"text": title, "font": {"size": FONT_SIZE - 4}, "side": "top"},
        "tickvals": steps,
        "ticktext": [fmt.kpi_value_short(v, satuan) for v in steps],
        "tickfont": {"size": FONT_SIZE - 4},
        "thickness": 16,
        "len": 0.7,
    }


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 x 10^n steps) covering [low, high]."""
    if high <= low:
        high = low + 1.0
    rough = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    start = math.floor(low / step) * step
    result = [start]
    while result[-1] < high - 1e-12 * max(1.0, abs(high)):
        result.append(round(result[-1] + step, 12))
    return result


def wrap(text: object, width: int) -> str:
    """Wrap text onto lines of at most `width` characters with <br> (Plotly's line break)."""
    return "<br>".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def short_name(nama: object) -> str:
    """ "Kabupaten Kotawaringin Barat" -> "Kotawaringin Barat" for chart labels (Kota stays)."""
    text = str(nama)
    for prefix in ("Kabupaten ", "Kab. "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring of a Polygon or MultiPolygon (holes drawn as rings too)."""
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [r for polygon in geometry["coordinates"] for r in polygon]
    return []


def _xy(geometry: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """All rings of a feature as x and y arrays, rings separated by NaN (a gap for Plotly).

    NumPy arrays, not lists: Plotly validates a list element by element, which made a map of
    a large kabupaten (230 villages) take 0.3 s to build instead of 0.05 s.
    """
    parts = [np.asarray(c, dtype=float)[:, :2] for c in _rings(geometry) if len(c)]
    if not parts:
        return None
    gap = np.full((1, 2), np.nan)
    combined = np.concatenate([b for ring in parts for b in (ring, gap)])
    return combined[:, 0], combined[:, 1]


def _centroid(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The centroid of the largest ring (shoelace), for the hover point of a feature."""
    best_area, best_signed_area, result = -1.0, 0.0, (float(np.nanmean(x)), float(np.nanmean(y)))
    breaks = np.flatnonzero(np.isnan(x))
    start = 0
    for end in breaks:
        cx, cy = x[start:end], y[start:end]
        start = end + 1
        if len(cx) < 3:
            continue
        cross = cx * np.roll(cy, -1) - np.roll(cx, -1) * cy
        area = cross.sum() / 2
        if abs(area) > best_area and area != 0:
            best_area, best_signed_area = abs(area), area
            result = (
                float(((cx + np.roll(cx, -1)) * cross).sum() / (6 * best_signed_area)),
                float(((cy + np.roll(cy, -1)) * cross).sum() / (6 * best_signed_area)),
            )
    return result


@dataclass
class _MapFeatures:
    """What the map's layers draw from the boundary file: the outlines grouped by colour step
    (-1: no value, grey), one hover point per feature, and the outline of the highlighted one."""

    groups: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = field(default_factory=dict)
    center_x: list[float] = field(default_factory=list)
    center_y: list[float] = field(default_factory=list)
    center_text: list[str] = field(default_factory=list)
    highlight_traces: list[dict[str, Any]] = field(default_factory=list)


def _color_steps(with_value: pd.DataFrame, bounds: tuple[float, float] | None) -> dict[Any, int]:
    """{kode: colour step 0..COLOR_STEPS-1} of each area with a value, by its place in `bounds`."""
    if bounds is None:
        return {}
    steps = steps_of(with_value["nilai"].to_numpy(), *bounds)
    return dict(zip(with_value["kode"], steps.tolist(), strict=True))


def _hover_point(props: dict[str, Any], xy: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
    """Where a feature's hover sits: the file's own label point, else the largest ring's centre."""
    if isinstance(props.get("lng"), int | float) and isinstance(props.get("lat"), int | float):
        return float(props["lng"]), float(props["lat"])
    return _centroid(*xy)


def _outline(xy: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """A black outline around one feature (the highlighted area)."""
    return {
        "type": "scatter",
        "x": xy[0],
        "y": xy[1],
        "mode": "lines",
        "line": {"color": "#111111", "width": 3},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _map_features(
    gj: dict[str, Any],
    by_kode: dict[Any, dict[str, Any]],
    step_by_kode: dict[Any, int],
    *,
    satuan: str,
    highlight: str | None,
) -> _MapFeatures:
    """Every feature of `gj` with a geometry, matched to its row on properties.kode."""
    features = _MapFeatures()
    gap = np.array([np.nan])
    for feature in gj["features"]:
        props = feature.get("properties") or {}
        kode = props.get("kode")
        xy = _xy(feature.get("geometry") or {})
        if xy is None:
            continue
        row = by_kode.get(kode, {})
        nama = row.get("nama") or props.get("nama") or str(kode)
        xs, ys = features.groups.setdefault(step_by_kode.get(kode, -1), ([], []))
        xs.extend((xy[0], gap))
        ys.extend((xy[1], gap))
        cx, cy = _hover_point(props, xy)
        features.center_x.append(cx)
        features.center_y.append(cy)
        hover = row.get("hover")
        if fmt.is_missing(hover):
            hover = _hover_text(nama, row.get("nilai"), satuan, row.get("keterangan"))
        features.center_text.append(hover)
        if kode == highlight:
            features.highlight_traces.append(_outline(xy))
    return features


def _fill_traces(
    groups: dict[int, tuple[list[np.ndarray], list[np.ndarray]]], arah: str | None
) -> list[dict[str, Any]]:
    """One filled trace per colour step (grey for no value), not one per feature."""
    colors = step_colors(arah)
    return [
        {
            "type": "scatter",
            "x": np.concatenate(xs),
            "y": np.concatenate(ys),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": GREY if i < 0 else colors[i],
            "line": {"color": "white", "width": 0.8},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for i, (xs, ys) in sorted(groups.items())
    ]


def _hover_trace(features: _MapFeatures) -> dict[str, Any]:
    """Invisible markers at the features' hover points, carrying their hover texts."""
    return {
        "type": "scatter",
        "x": features.center_x,
        "y": features.center_y,
        "mode": "markers",
        "marker": {"size": 10, "color": "rgba(0,0,0,0)"},
        "text": features.center_text,
        "hoverinfo": "text",
        "showlegend": False,
    }


def _color_bar_trace(
    bounds: tuple[float, float], colorscale: str, satuan: str, arah: str | None, title: str
) -> dict[str, Any]:
    """An invisible point that carries the colour bar."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "marker": {
            "color": [bounds[0]],
            "cmin": bounds[0],
            "cmax": bounds[1],
            "colorscale": colorscale,
            "showscale": True,
            "colorbar": _color_bar(satuan, arah, bounds, title),
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _map_layout(fig: go.Figure, height: int) -> None:
    """Plain axes without ticks, equal scales, no zoom: a map, not a plot."""
    layout(fig, height=height)
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1, fixedrange=True)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        dragmode=False,
        hovermode="closest",
        hoverdistance=40,
        plot_bgcolor="white",
    )


@kept
def area_map(
    gj: dict[str, Any],
    df: pd.DataFrame,
    *,
    satuan: str,
    arah: str | None,
    height: int = 560,
    highlight: str | None = None,
    scale_title: str = "biru = lebih baik",
) -> go.Figure:
    """A choropleth of df[kode, nama, nilai, keterangan] over the features of `gj`, matched on
    properties.kode. An optional df["hover"] replaces a feature's hover text.

    Drawn as filled SVG shapes on plain axes rather than a Plotly geo/map trace: those fetch a
    world topojson or need WebGL, and the dashboard must work offline in any browser. Features
    without a value are grey. Hovering near a feature's centre shows its name and value, or the
    reason it has none.
    """
    columns = ["nama", "nilai", "keterangan", *(["hover"] if "hover" in df.columns else [])]
    by_kode = df.set_index("kode")[columns].to_dict("index")
    with_value = df[df["nilai"].notna()]
    bounds = _color_bounds(with_value["nilai"])
    colorscale = color_scale(arah)
    features = _map_features(
        gj, by_kode, _color_steps(with_value, bounds), satuan=satuan, highlight=highlight
    )
    traces = [*_fill_traces(features.groups, arah), _hover_trace(features)]
    if bounds is not None:
        traces.append(_color_bar_trace(bounds, colorscale, satuan, arah, scale_title))
    fig = figure(traces + features.highlight_traces)
    _map_layout(fig, height)
    return fig


def _ranking_extent(
    df: pd.DataFrame, with_value: pd.DataFrame, targets: pd.DataFrame | None
) -> tuple[float, float, pd.DataFrame | None]:
    """(low, high, targets): the value axis from 0 (or the lowest value, when below) to the
    highest value, widened to hold every target shown; `targets` cut to the rows drawn (a
    value, an area of df)."""
    max_value = float(with_value["nilai"].max()) if not with_value.empty else 1.0
    min_value = min(0.0, float(with_value["nilai"].min())) if not with_value.empty else 0.0
    if targets is not None:
        targets = targets[targets["target_nilai"].notna() & targets["kode"].isin(df["kode"])]
        if not targets.empty:
            max_value = max(max_value, float(targets["target_nilai"].max()))
            min_value = min(min_value, float(targets["target_nilai"].min()))
    return min_value, max_value, targets


def _missing_bars(missing_rows: pd.DataFrame, satuan: str, max_value: float) -> go.Bar:
    """A pale full-length bar for each area without a value; its hover says why."""
    return go.Bar(
        y=[short_name(n) for n in missing_rows["nama"]],
        x=[max_value if max_value > 0 else 1.0] * len(missing_rows),
        orientation="h",
        marker={"color": "rgba(200,200,200,0.45)"},
        hovertext=[
            _hover_text(n, None, satuan, k)
            for n, k in zip(missing_rows["nama"], missing_rows["keterangan"], strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _value_bars(
    with_value: pd.DataFrame, *, satuan: str, arah: str | None, highlight: str | None
) -> go.Bar:
    """The bars of the areas with a value, coloured by it (blue = good), the value at the end;
    the `highlight`ed area outlined in black."""
    bounds = _color_bounds(with_value["nilai"]) or (0.0, 1.0)
    return go.Bar(
        y=[short_name(n) for n in with_value["nama"]],
        x=with_value["nilai"],
        orientation="h",
        marker={
            "color": with_value["nilai"],
            "colorscale": color_scale(arah),
            "cmin": bounds[0],
            "cmax": bounds[1],
            "line": {
                "color": [
                    "#111111" if k == highlight else "rgba(0,0,0,0)" for k in with_value["kode"]
                ],
                "width": 3,
            },
        },
        text=[fmt.kpi_value_short(v, satuan) for v in with_value["nilai"]],
        textposition="outside",
        textfont={"size": FONT_SIZE},
        cliponaxis=False,
        hovertext=[
            _hover_text(n, v, satuan, None)
            for n, v in zip(with_value["nama"], with_value["nilai"], strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _target_marks(targets: pd.DataFrame, df: pd.DataFrame, satuan: str) -> go.Scatter:
    """A black diamond at each area's own target, on its row."""
    names = dict(zip(df["kode"], df["nama"], strict=True))
    return go.Scatter(
        x=targets["target_nilai"],
        y=[short_name(names[k]) for k in targets["kode"]],
        mode="markers",
        marker={
            "symbol": "diamond",
            "size": 14,
            "color": "#111111",
            "line": {"color": "white", "width": 1.5},
        },
        hovertext=[
            f"<b>{names[k]}</b><br>{label.capitalize()}: {fmt.target_value(v, satuan)}"
            for k, v, label in zip(
                targets["kode"], targets["target_nilai"], targets["label"], strict=True
            )
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        cliponaxis=False,
    )


def _no_value_labels(fig: go.Figure, missing_rows: pd.DataFrame, min_value: float) -> None:
    """The words "Tidak ada nilai" at the start of each row without a value, not the reason.

    The reason is in the hover and in the list under the chart: in a row of a half-width
    column it ran past the edge and over the next row.
    """
    for nama in missing_rows["nama"]:
        fig.add_annotation(
            x=min_value,
            y=short_name(nama),
            xanchor="left",
            showarrow=False,
            text="Tidak ada nilai",
            font={"size": FONT_SIZE - 5, "color": "#333333"},
            align="left",
        )


def _reference_line(
    fig: go.Figure, reference: tuple[str, float], satuan: str, max_value: float
) -> None:
    """A dashed vertical line at the reference value (e.g. the province), labelled."""
    fig.add_vline(
        x=reference[1],
        line={"dash": "dash", "color": "#333333", "width": 2},
        layer="below",
        annotation={
            "text": f"{reference[0]}: {fmt.kpi_value_short(reference[1], satuan)}",
            "font": {"size": FONT_SIZE - 2},
            "bgcolor": "rgba(255,255,255,0.85)",
            "yanchor": "bottom",
        },
        # the label reads away from the nearer edge, so it is never cut at the right
        annotation_position="top left" if reference[1] > max_value / 2 else "top right",
    )


def _ranking_layout(fig: go.Figure, order: list[str], min_value: float, max_value: float) -> None:
    """One row per area in `order` (first at the top), room at the right for the values."""
    layout(fig, height=max(300, 46 * len(order) + 110))
    fig.update_layout(showlegend=False, bargap=0.25, barmode="overlay")
    fig.update_layout(margin={"l": 10, "r": 30, "t": 50, "b": 10})
    fig.update_xaxes(
        title=None,
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        range=[min_value, max_value * 1.22 if max_value > 0 else 1.0],
    )
    fig.update_yaxes(
        title=None,
        tickfont={"size": FONT_SIZE},
        automargin=True,
        categoryorder="array",
        categoryarray=order[::-1],  # plotly draws the first category at the bottom
        fixedrange=True,
    )


@kept
def ranking(
    df: pd.DataFrame,
    *,
    satuan: str,
    arah: str | None,
    reference: tuple[str, float] | None = None,
    highlight: str | None = None,
    targets: pd.DataFrame | None = None,
) -> go.Figure:
    """Horizontal bars of df[kode, nama, nilai, keterangan], best at the top.

    Areas without a value keep their row: a pale bar saying "Tidak ada nilai: <reason>".
    `reference` = (label, value) draws a dashed reference line (e.g. the province).
    `targets` = df[kode, target_nilai, label] marks each area's own target on its row (a black
    diamond), `label` saying whose target it is ("target provinsi 2025").
    """
    lower_is_better = arah == "turun"
    with_value = df[df["nilai"].notna()].sort_values("nilai", ascending=lower_is_better)
    missing_rows = df[df["nilai"].isna()].sort_values("nama")
    order = [short_name(n) for n in [*with_value["nama"], *missing_rows["nama"]]]
    min_value, max_value, targets = _ranking_extent(df, with_value, targets)
    fig = figure()
    if not missing_rows.empty:
        fig.add_trace(_missing_bars(missing_rows, satuan, max_value))
    fig.add_trace(_value_bars(with_value, satuan=satuan, arah=arah, highlight=highlight))
    if targets is not None and not targets.empty:
        fig.add_trace(_target_marks(targets, df, satuan))
    _no_value_labels(fig, missing_rows, min_value)
    if reference is not None and not fmt.is_missing(reference[1]):
        _reference_line(fig, reference, satuan, max_value)
    _ranking_layout(fig, order, min_value, max_value)
    return fig


def _reason_text(keterangan: object) -> str:
    return str(keterangan) if not fmt.is_missing(keterangan) else "tidak ada data yang dilaporkan"


def _series_line(
    i: int, label: str, df: pd.DataFrame, first_year: int | None, satuan: str
) -> go.Scatter:
    """The i-th series as a line from `first_year` on (the first solid, the others dashed);
    a year without a value is a gap, its hover saying why."""
    df = df.sort_values("tahun")
    if first_year is not None:
        df = df[df["tahun"] >= first_year]
    return go.Scatter(
        x=df["tahun"],
        y=df["nilai"],
        mode="lines+markers",
        name=label,
        line={
            "width": 4,
            "color": SERIES_COLORS[i % len(SERIES_COLORS)],
            "dash": "solid" if i == 0 else "dash",
        },
        marker={"size": 12},
        connectgaps=False,
        text=[
            _hover_text(f"{label} {t}", v, satuan, k)
            for t, v, k in zip(df["tahun"], df["nilai"], df["keterangan"], strict=True)
        ],
        hovertemplate="%{text}<extra></extra>",
    )


def _target_layers(
    fig: go.Figure, target: dict[str, Any] | None, satuan: str
) -> tuple[list[float], int | None, int | None]:
    """The target as a star in its year, and the dashed straight path to it from its start
    value; (the values drawn, the target year, the start year), for the axes."""
    if target is None or fmt.is_missing(target.get("target_nilai")):
        return [], None, None
    target_year, start_year = int(target["target_tahun"]), None
    goal = float(target["target_nilai"])
    target_values = [goal]
    label = str(target.get("label") or "Target")
    if not fmt.is_missing(target.get("nilai_awal")):
        start = (int(target["tahun_awal"]), float(target["nilai_awal"]))
        start_year = start[0]
        target_values.append(start[1])
        fig.add_trace(
            go.Scatter(
                x=[start[0], target_year],
                y=[start[1], goal],
                mode="lines",
                name=f"Jalur ke {label.lower()}",
                line={"width": 2.5, "color": "#111111", "dash": "dash"},
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[target_year],
            y=[goal],
            mode="markers+text",
            name=f"{label} {target_year}",
            marker={"size": 18, "symbol": "star", "color": "#111111"},
            text=[fmt.target_value(goal, satuan)],
            textposition="top center",
            textfont={"size": FONT_SIZE - 2},
            hovertext=[f"<b>{label} {target_year}</b><br>{fmt.target_value(goal, satuan)}"],
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
        )
    )
    return target_values, target_year, start_year


def _trend_years_axis(
    fig: go.Figure,
    series: list[tuple[str, pd.DataFrame]],
    first_year: int | None,
    target_year: int | None,
    start_year: int | None,
) -> None:
    """One tick a year, from the first year with a value (or the target path's start) to the
    last year (or the target's)."""
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    if first_year is None:
        return
    last_year = max(int(df["tahun"].max()) for _, df in series if not df.empty)
    last_year = max(last_year, target_year or last_year)
    first_year = min(first_year, start_year or first_year)
    fig.update_xaxes(range=[first_year - 0.3, max(last_year, first_year) + 0.3])


def _trend_values_axis(
    fig: go.Figure,
    series: list[tuple[str, pd.DataFrame]],
    target_values: list[float],
    satuan: str,
) -> None:
    """Round ticks in the KPI's unit from 0 (or the lowest value) to a little above the
    highest value or target; a percent KPI stops at 100%."""
    combined = pd.concat(
        [*(df["nilai"] for _, df in series), pd.Series(target_values, dtype=float)]
    ).dropna()
    if not combined.empty:
        low = min(0.0, float(combined.min()))
        max_value = float(combined.max())
        high = max_value * 1.08 if max_value > 0 else 1.0
        if satuan == "%" and max_value <= 100:
            high = min(high, 100.0)
        steps = nice_ticks(low, high)
        fig.update_yaxes(
            range=[steps[0], steps[-1]],
            tickvals=steps,
            ticktext=[fmt.kpi_value_short(v, satuan) for v in steps],
        )
    fig.update_yaxes(title=None)


@kept
def trend(
    series: list[tuple[str, pd.DataFrame]],
    *,
    satuan: str,
    target: dict[str, Any] | None = None,
) -> go.Figure:
    """Lines over years; each item is (label, df[tahun, nilai, keterangan]). NULL years are gaps.

    `target` (a capaian_target row plus `label`) draws the target as a point in its year and
    the straight path to it from the first year with a value as a dashed line.

    The x-axis starts at the first year any series has a value: the kpi table has a row (NULL,
    with its reason) for every year of the snapshot, and leading empty years would squeeze the
    real data into the right-hand side of the chart.
    """
    fig = figure()
    years_with_data = pd.concat([df.loc[df["nilai"].notna(), "tahun"] for _, df in series])
    first_year = int(years_with_data.min()) if not years_with_data.empty else None
    for i, (label, df) in enumerate(series):
        fig.add_trace(_series_line(i, label, df, first_year, satuan))
    target_values, target_year, start_year = _target_layers(fig, target, satuan)
    layout(fig, height=440)
    _trend_years_axis(fig, series, first_year, target_year, start_year)
    _trend_values_axis(fig, series, target_values, satuan)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return fig


@kept
def status_idm(df: pd.DataFrame, statuses: pd.DataFrame) -> go.Figure:
    """Horizontal bars of df[status, jumlah], best on top, worst at the bottom.

    `statuses` is status_desa (status, urutan from 1 = worst, label), plus an optional `hover`
    (e.g. the IDM range of each status).
    """
    counts = dict(zip(df["status"], df["jumlah"], strict=True))
    ordered = statuses.sort_values("urutan")
    order = list(ordered["status"])
    total = sum(int(counts.get(k, 0)) for k in order) or 1
    values = [int(counts.get(k, 0)) for k in order]
    hover = list(ordered["hover"]) if "hover" in ordered.columns else [""] * len(order)
    fig = figure(
        go.Bar(
            y=list(ordered["label"]),
            x=values,
            orientation="h",
            marker={"color": [status_color(u, len(order)) for u in ordered["urutan"]]},
            text=[f"{fmt.number(n)} desa ({fmt.percent(100 * n / total, 0)})" for n in values],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": FONT_SIZE},
            customdata=hover,
            hovertemplate="%{y}: %{x} desa%{customdata}<extra></extra>",
        )
    )
    layout(fig, height=380)
    fig.update_xaxes(visible=False, range=[0, max(values or [1]) * 2.1 or 1], fixedrange=True)
    fig.update_yaxes(title=None, tickfont={"size": FONT_SIZE}, automargin=True, fixedrange=True)
    # A right margin as wide as the longest label ("105 desa (49%)"): labels drawn outside
    # the bars may run into it, so none is cut in the narrow column of Kabupaten/Kota.
    fig.update_layout(margin={"l": 10, "r": 110, "t": 10, "b": 10}, bargap=0.3)
    return fig


@kept
def heatmap(
    z: pd.DataFrame,
    text: pd.DataFrame,
    *,
    colorscale: str | list[list[Any]],
    zmin: float,
    zmax: float,
    colorbar_title: str,
    hover: pd.DataFrame | None = None,
    show_scale: bool = True,
) -> go.Figure:
    """A heatmap of z (rows x columns) with the formatted text written in each cell."""
    fig = figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=[wrap(c, 16) for c in z.columns],
            y=list(z.index),
            text=text.to_numpy(),
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE - 2},
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
            xgap=2,
            ygap=2,
            showscale=show_scale,
            colorbar={"title": {"text": colorbar_title, "font": {"size": FONT_SIZE - 2}}},
            customdata=(hover if hover is not None else text).to_numpy(),
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
        )
    )
    layout(fig, height=max(320, 56 * len(z.index) + 160))
    fig.update_layout(plot_bgcolor=GREY)
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": FONT_SIZE - 4}, showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": FONT_SIZE - 2}, showgrid=False)
    return fig


@kept
def transition_matrix(
    counts: pd.DataFrame, statuses: pd.DataFrame, *, from_title: str, to_title: str
) -> go.Figure:
    """A heatmap of desa counts: rows = status before (`from_title`, worst at the top),
    columns = status after (`to_title`). counts is a status x status frame of integers (index
    = before, columns = after, both status codes). The diagonal ("status sama") is outlined.

    Each cell carries customdata [before, after] so a click can list its desa.
    """
    ordered = statuses.sort_values("urutan")
    codes, labels = list(ordered["status"]), list(ordered["label"])
    z = counts.reindex(index=codes, columns=codes).fillna(0).astype(int)
    rank = {c: i for i, c in enumerate(codes)}
    # colour: blue above the diagonal (improved), red below (worsened), white on it
    change = [[rank[a] - rank[b] for a in codes] for b in codes]
    shade = [
        [
            0.5 if n == 0 else 0.5 + 0.5 * min(abs(d), 2) / 2 * (1 if d > 0 else -1)
            for d, n in zip(r, row, strict=True)
        ]
        for r, row in zip(change, z.to_numpy().tolist(), strict=True)
    ]
    text = [[("" if n == 0 else fmt.number(n)) for n in row] for row in z.to_numpy().tolist()]
    customdata = [[[b, a] for a in codes] for b in codes]
    hover = [
        [
            f"{from_title}: {labels[i]}<br>{to_title}: {labels[j]}<br>{fmt.number(z.iat[i, j])} desa"
            + ("<br>status sama" if i == j else "")
            for j in range(len(codes))
        ]
        for i in range(len(codes))
    ]
    fig = figure(
        go.Heatmap(
            z=shade,
            x=labels,
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE},
            colorscale=[[0, "#d6604d"], [0.5, "#f7f7f7"], [1, "#4393c3"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=3,
            ygap=3,
            customdata=customdata,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    for i in range(len(codes)):
        fig.add_shape(
            type="rect",
            x0=i - 0.5,
            x1=i + 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line={"color": "#111111", "width": 2},
        )
    layout(fig, height=120 + 70 * len(codes))
    fig.update_xaxes(
        title={"text": to_title, "font": {"size": FONT_SIZE}},
        side="top",
        tickfont={"size": FONT_SIZE - 2},
        showgrid=False,
        fixedrange=True,
    )
    fig.update_yaxes(
        title={"text": from_title, "font": {"size": FONT_SIZE}},
        autorange="reversed",
        tickfont={"size": FONT_SIZE - 2},
        showgrid=False,
        fixedrange=True,
    )
    fig.update_layout(plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 20, "b": 10})
    return fig


@kept
def dimension_radar(scores: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """A radar of the six Indeks Desa dimensions: scores[dimensi (label), desa, kabupaten,
    provinsi] on 0-100; `names` maps the columns to the legend labels."""
    theta = [*scores["dimensi"], scores["dimensi"].iloc[0]]
    styles = {
        "desa": {"color": BLUE, "width": 4, "dash": "solid"},
        "kabupaten": {"color": ORANGE, "width": 3, "dash": "dash"},
        "provinsi": {"color": "#555555", "width": 3, "dash": "dot"},
    }
    fig = figure()
    for column, line in styles.items():
        values = [*scores[column], scores[column].iloc[0]]
        fig.add_trace(
            go.Scatterpolar(
                r=values,
                theta=theta,
                mode="lines+markers",
                name=names.get(column, column),
                line=line,
                marker={"size": 8 if column == "desa" else 6},
                fill="toself" if column == "desa" else None,
                fillcolor="rgba(44,111,187,0.15)" if column == "desa" else None,
                text=[fmt.number(v, 2) for v in values],
                hovertemplate="%{theta}: %{text}<extra>" + names.get(column, column) + "</extra>",
            )
        )
    layout(fig, height=460)
    fig.update_layout(
        polar={
            "radialaxis": {"range": [0, 100], "tickfont": {"size": FONT_SIZE - 6}, "angle": 90},
            "angularaxis": {"tickfont": {"size": FONT_SIZE - 2}, "direction": "clockwise"},
        },
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 60, "r": 60, "t": 30, "b": 30},
    )
    return fig


@kept
def program_beside_outcome(
    program: list[tuple[str, pd.DataFrame]],
    outcome: list[tuple[str, pd.DataFrame]],
    *,
    outcome_satuan: str,
    outcome_title: str,
) -> go.Figure:
    """The agency's programme figures (top, in %) and an issue's outcome KPIs (below, in their
    own unit) over the years, on one shared time axis; each item is (label, df[tahun, nilai]).
    Two panels, never two y-axes on one panel: the shared axis is time, not a scale that would
    invite reading one line as the cause of the other."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        subplot_titles=("Program Dinas (%)", outcome_title),
    )
    fig.update_layout(template=_TEMPLATE)
    colors = SERIES_COLORS
    for row, (series, satuan) in enumerate(((program, "%"), (outcome, outcome_satuan)), start=1):
        for i, (label, df) in enumerate(series):
            df = df.sort_values("tahun")
            fig.add_trace(
                go.Scatter(
                    x=df["tahun"],
                    y=df["nilai"],
                    mode="lines+markers",
                    name=label,
                    legendgroup=str(row),
                    line={"width": 3, "color": colors[(i + 2 * (row - 1)) % len(colors)]},
                    marker={"size": 10},
                    connectgaps=False,
                    text=[
                        f"<b>{label} {t}</b><br>{fmt.kpi_value(v, satuan)}"
                        for t, v in zip(df["tahun"], df["nilai"], strict=True)
                    ],
                    hovertemplate="%{text}<extra></extra>",
                ),
                row=row,
                col=1,
            )
    layout(fig, height=560)
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    fig.update_xaxes(showticklabels=True, row=2, col=1)  # the one time axis, under both panels
    fig.update_yaxes(title=None)
    fig.update_yaxes(range=[0, 105], ticksuffix="%", row=1, col=1)
    if outcome_satuan == "%":
        fig.update_yaxes(ticksuffix="%", row=2, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.12}, margin={"t": 40})
    return fig
