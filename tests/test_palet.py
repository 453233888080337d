"""One palette for the dashboard and the briefing (laporan/palet.py): blue is good in both."""

import re
from types import SimpleNamespace

import pandas as pd
from plotly.colors import unlabel_rgb

from laporan import briefing, palet
from tests.conftest import REPO


def test_steps_of_places_values_between_low_and_high():
    # 24 steps over 0..10: 5 is half-way (step 12); the ends and beyond clip to 0 and 23.
    assert palet.steps_of([0, 5, 10, 12, -1, 2.5], 0, 10).tolist() == [0, 12, 23, 23, 0, 6]
    assert palet.steps_of([3, 3], 3, 3).tolist() == [0, 0]  # one value only: no division by 0


def test_a_turun_kpi_reads_the_same_scale_backwards():
    naik, turun = palet.step_colors("naik"), palet.step_colors("turun")
    assert len(naik) == palet.COLOR_STEPS
    for a, b in zip(turun, naik[::-1], strict=True):  # equal up to Plotly's rounding
        assert max(abs(x - y) for x, y in zip(unlabel_rgb(a), unlabel_rgb(b), strict=True)) <= 1
    red, *_, blue = (unlabel_rgb(c) for c in naik)  # high = good = blue for 'naik'
    assert red[0] > red[2]
    assert blue[2] > blue[0]


def _fills(svg: str) -> dict[str, str]:
    """{area name: fill} of the briefing's SVG map."""
    return {name: fill for fill, name in re.findall(r'fill="([^"]+)"[^>]*><title>([^:<]+):', svg)}


def test_the_briefing_map_uses_the_dashboards_scale_and_the_kpis_name():
    data = SimpleNamespace(
        is_province=True,
        kode="62",
        tahun=2024,
        map_kpi={"nama": "Keluarga miskin ekstrem", "arah": "turun"},
        reference_dir=REPO / "data" / "reference",
        map_values=pd.DataFrame(
            {
                "kode_wilayah": ["62.01", "62.02", "62.03"],
                "nama_wilayah": ["a", "b", "c"],
                "nilai": [2.0, 6.0, 10.0],
            }
        ),
    )
    html = briefing._map_html(data)
    assert "<h3>Keluarga miskin ekstrem per kabupaten, 2024</h3>" in html
    fills = _fills(html)
    assert len(fills) == 14  # every kabupaten drawn
    colors = palet.step_colors("turun")
    assert fills["Kabupaten Kotawaringin Barat"] == colors[0]  # 2: the good (blue) end
    assert fills["Kabupaten Kotawaringin Timur"] == colors[12]  # 6: half-way
    assert fills["Kabupaten Kapuas"] == colors[-1]  # 10: the red end
    assert fills["Kota Palangkaraya"] == palet.GREY  # no value: grey, as on the dashboard
    assert "biru = lebih baik (2,0%), merah = lebih buruk (10,0%)" in html


def test_without_a_reference_folder_the_briefing_says_there_is_no_map():
    data = SimpleNamespace(is_province=True, kode="62", reference_dir=None)
    assert "Peta tidak tersedia" in briefing._map_html(data)
