"""Ringkasan Provinsi page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from laporan import formatting as fmt
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_cards_show_the_province_values(snapshot: Path) -> None:
    at = sf.run_page("ringkasan")
    assert not at.exception
    card = sf.metric(at, "Serapan Dana Desa")
    value = sf.kpi_value("62", "serapan_dana_desa_pct", 2024)
    assert card.value == fmt.percent(value) == "87,5%"
    assert card.delta == "+2,5 poin"  # 87,456 - 85,0
    assert card.proto.color == MetricProto.MetricColor.GREEN
    assert sf.metric(at, "Kontribusi BUMDes ke PADes").value == "Rp 1,2 miliar"
    assert sf.metric(at, "Swadaya masyarakat per jiwa").value == "Rp 16.000"
    assert sf.metric(at, "Rata-rata Indeks Ketahanan Ekonomi").value == "0,6345"
    # a 'turun' KPI that fell is good news: green (delta_color inverse)
    poverty = sf.metric(at, "Keluarga miskin")
    assert (poverty.value, poverty.delta) == ("12,5%", "-0,8 poin")
    assert poverty.proto.color == MetricProto.MetricColor.GREEN
    # only headline KPIs (utama) get a card
    assert "Aparatur desa terlatih" not in [m.label for m in at.metric]
    text = sf.page_text(at)
    assert "Kalimantan Tengah, 2024" in text
    assert f"Data per {sf.STAMP}" in text


def test_rising_poverty_is_red(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", kab="62.03")
    poverty = sf.metric(at, "Keluarga miskin")
    assert (poverty.value, poverty.delta) == ("15,0%", "+0,8 poin")
    assert poverty.proto.color == MetricProto.MetricColor.RED


def test_palangka_raya_shows_the_reason_not_zero(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", kab="62.71")
    assert not at.exception
    absorption = sf.metric(at, "Serapan Dana Desa")
    assert absorption.value == "–"  # a dash, never 0
    assert absorption.delta in ("", None)
    captions = [c.value for c in at.caption]
    assert any(f"**Tidak ada nilai:** {sf.REASON_PALANGKA_RAYA}" in c for c in captions)
    # kk_miskin_pct includes kelurahan, so the city has it
    assert sf.metric(at, "Keluarga miskin").value == "7,5%"
    assert "0,0%" not in [m.value for m in at.metric]


def test_map_and_ranking_of_kabupaten(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", kpi="kontribusi_pades_rp")
    map_fig, ranking_fig, _status = sf.figures(at)
    map_text = str(map_fig)
    assert "Kota Palangka Raya" in map_text
    assert sf.REASON_PALANGKA_RAYA in map_text
    bar = [t for t in ranking_fig["data"] if t.get("text")]
    assert bar[0]["text"] == ["Rp 850 juta", "Rp 384 juta"]  # best first
    annotations = " ".join(a["text"] for a in ranking_fig["layout"]["annotations"])
    assert "Tidak ada nilai" in annotations  # its reason in the hover and under the chart
    missing = next(t for t in ranking_fig["data"] if not t.get("text"))
    assert any(sf.REASON_PALANGKA_RAYA in h for h in missing["hovertext"])
    assert "Kalimantan Tengah: Rp 1,2 miliar" in annotations
    assert f"- {sf.REASON_PALANGKA_RAYA}: **Kota Palangka Raya**" in sf.page_text(at)
    assert at.query_params["kpi"] == "kontribusi_pades_rp"


def test_turun_kpi_reverses_the_colour_scale(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", kpi="kk_miskin_pct")
    _map, ranking, _status = sf.figures(at)
    bar = next(t for t in ranking["data"] if t.get("text"))
    assert bar["text"][0] == "7,5%"  # lowest poverty ranks first
    colorscale = bar["marker"]["colorscale"]
    assert colorscale[0][1] == "rgb(49,54,149)"  # blue at the low end: low is good


def test_year_filter_from_the_url_and_the_sidebar(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", tahun="2023", kab="62.01")
    absorption = sf.metric(at, "Serapan Dana Desa")
    assert absorption.value == "90,1%"
    assert absorption.delta in ("", None)  # no earlier year in the snapshot
    at.sidebar.selectbox[0].select(2024).run()
    assert sf.metric(at, "Serapan Dana Desa").value == "92,3%"
    assert at.query_params["tahun"] == "2024"
    assert at.query_params["kab"] == "62.01"


def test_sample_data_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path / "contoh", monkeypatch)
    at = sf.run_page("ringkasan")
    assert len(at.warning) == 1
    assert "Data contoh" in at.warning[0].value
    assert "Dana Desa" in at.warning[0].value
    sf.prepare(tmp_path / "resmi", monkeypatch, synthetic=False)
    at = sf.run_page("ringkasan")
    assert not at.exception
    assert not at.warning


def test_no_map_without_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, geojson=False)
    at = sf.run_page("ringkasan")
    assert not at.exception
    assert len(sf.figures(at)) == 2  # the ranking and the village statuses
    assert any("Peta kabupaten/kota tidak tersedia" in i.value for i in at.info)


def test_no_snapshot_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, snapshot=False)
    at = sf.run_page("ringkasan")
    assert not at.exception
    assert any("Belum ada data yang diterbitkan" in i.value for i in at.info)
    assert not at.metric


def test_status_distribution_says_which_scheme(snapshot: Path) -> None:
    at = sf.run_page("ringkasan")
    text = sf.page_text(at)
    assert "**Menurut Indeks Desa 2024**" in text
    assert "belum diverifikasi" in text
    status = sf.figures(at)[-1]
    assert sum(sf.plotly_array(status["data"][0]["x"])) == len(sf.INDEKS_DESA_2024)
    at = sf.run_page("ringkasan", tahun="2023")
    assert "**Menurut IDM 2023**" in sf.page_text(at)


def _shown(at: object) -> str:
    """The page's text as rendered: Markdown escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", sf.page_text(at))


def test_late_line_for_the_area_shown(snapshot: Path) -> None:
    """Issue 24. Late now = due and not sent (snapshot_fixture.KEPATUHAN): BUMDes 2024 and
    2023 from Kapuas, newest year first. Slices that came late are history: Kotawaringin
    Barat, which sent everything (some late), has no line."""
    at = sf.run_page("ringkasan")
    assert not at.exception
    line = "Terlambat (belum dikirim): BUMDes 2024 dari 1 kabupaten/kota, BUMDes 2023 dari 1"
    assert line in _shown(at)
    assert "lihat Kualitas Data" in _shown(at)
    at = sf.run_page("ringkasan", kab="62.03")
    kapuas = "Terlambat (belum dikirim): BUMDes 2024 (38 hari), BUMDes 2023 (404 hari)"
    assert kapuas in _shown(at)
    at = sf.run_page("ringkasan", kab="62.01")
    assert not at.exception
    assert "Terlambat" not in _shown(at)


def test_no_late_line_without_a_calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, with_kepatuhan=False)
    at = sf.run_page("ringkasan")
    assert not at.exception
    assert "Terlambat" not in _shown(at)


def _table_columns(at) -> set[str]:
    return {c for el in at.dataframe for c in sf.shown_table(el).columns}


def test_value_table_is_built_when_opened_and_open_where_targets_are(snapshot: Path) -> None:
    """The per-kabupaten table is folded (built only when opened) for a KPI without targets,
    and open at first for one with targets, which the table lists."""
    at = sf.run_page("ringkasan", kpi="serapan_dana_desa_pct", tahun="2024")
    assert not at.exception
    assert "Serapan Dana Desa" not in _table_columns(at)
    at.session_state["tabel_nilai_kab"] = True
    at.run()
    table = next(
        sf.shown_table(el) for el in at.dataframe if "Serapan Dana Desa" in sf.shown_table(el)
    ).set_index("Kode")
    expected = sf.kpi_value("62.01", "serapan_dana_desa_pct", 2024)
    assert table.at["62.01", "Serapan Dana Desa"] == fmt.kpi_value(expected, "%")

    at = sf.run_page("ringkasan", kpi="kk_miskin_pct", tahun="2024")
    assert {"Target", "Target dari", "Status"} <= _table_columns(at)
