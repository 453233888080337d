"""The colours of every chart and map, stated once: the dashboard (Plotly) and the briefing
(plain SVG) both read them here, so that blue means good in both and a reader of the printed
briefing sees the map the dashboard showed."""

import numpy as np
from plotly.colors import sample_colorscale

GOOD_SCALE = "RdYlBu"
"""Red (bad) -> yellow -> blue (good), readable for the common colour-vision deficiencies."""
GREY = "#c8c8c8"  # an area without a value
BLUE = "#2c6fbb"
ORANGE = "#e08214"
# The lines of a chart with several series, in order (the first area, then the reference, ...).
SERIES_COLORS = (BLUE, ORANGE, "#555555", "#1b9e77")

STATUS_COLORS = ("#b2182b", "#ef8a62", "#fddb8b", "#67a9cf", "#2166ac")
"""Village statuses from worst to best (status_desa.urutan 1, 2, ...): red to blue."""

COLOR_STEPS = 24
"""A map's continuous scale is drawn in this many steps (the dashboard draws one trace per
step instead of one per village)."""


def color_scale(arah: str | None) -> str:
    """Plotly colour scale for a KPI: high = blue for 'naik', low = blue for 'turun'."""
    return f"{GOOD_SCALE}_r" if arah == "turun" else GOOD_SCALE


def step_colors(arah: str | None) -> list[str]:
    """The COLOR_STEPS colours of a map for a KPI, lowest value first ('rgb(r, g, b)')."""
    return sample_colorscale(
        color_scale(arah), [(i + 0.5) / COLOR_STEPS for i in range(COLOR_STEPS)]
    )


def steps_of(values, low: float, high: float) -> np.ndarray:
    """The colour step (0..COLOR_STEPS-1) of each value by its place between low and high."""
    span = high - low
    position = np.zeros(len(values)) if span <= 0 else (np.asarray(values, float) - low) / span
    return np.minimum((np.clip(position, 0, 1) * COLOR_STEPS).astype(int), COLOR_STEPS - 1)


def status_color(urutan: int, count: int) -> str:
    """The colour of the status at position `urutan` (1 = worst) of `count` statuses."""
    if count <= 1:
        return STATUS_COLORS[-1]
    last = len(STATUS_COLORS) - 1
    return STATUS_COLORS[round((int(urutan) - 1) * last / (count - 1))]
