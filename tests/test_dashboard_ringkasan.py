"""Ringkasan Provinsi page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest
import snapshot_fixture as sf
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from dashboards import formatting as fmt


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.siapkan(tmp_path, monkeypatch)


def test_cards_show_the_province_values(snapshot: Path) -> None:
    at = sf.halaman("ringkasan")
    assert not at.exception
    kartu = sf.metrik(at, "Serapan Dana Desa")
    nilai = sf.nilai_kpi("62", "serapan_dana_desa_pct", 2024)
    assert kartu.value == fmt.persen(nilai) == "87,5%"
    assert kartu.delta == "+2,5 poin"  # 87,456 - 85,0
    assert kartu.proto.color == MetricProto.MetricColor.GREEN
    assert sf.metrik(at, "Kontribusi BUMDes ke PADes").value == "Rp 1,2 miliar"
    assert sf.metrik(at, "Swadaya masyarakat per jiwa").value == "Rp 16.000"
    assert sf.metrik(at, "Rata-rata Indeks Ketahanan Ekonomi").value == "0,6345"
    # a 'turun' KPI that fell is good news: green (delta_color inverse)
    miskin = sf.metrik(at, "Keluarga miskin")
    assert (miskin.value, miskin.delta) == ("12,5%", "-0,8 poin")
    assert miskin.proto.color == MetricProto.MetricColor.GREEN
    # only headline KPIs (utama) get a card
    assert "Aparatur desa terlatih" not in [m.label for m in at.metric]
    halaman = sf.teks(at)
    assert "Kalimantan Tengah, 2024" in halaman
    assert f"Data per {sf.STEMPEL}" in halaman


def test_rising_poverty_is_red(snapshot: Path) -> None:
    at = sf.halaman("ringkasan", kab="62.03")
    miskin = sf.metrik(at, "Keluarga miskin")
    assert (miskin.value, miskin.delta) == ("15,0%", "+0,8 poin")
    assert miskin.proto.color == MetricProto.MetricColor.RED


def test_palangka_raya_shows_the_reason_not_zero(snapshot: Path) -> None:
    at = sf.halaman("ringkasan", kab="62.71")
    assert not at.exception
    serapan = sf.metrik(at, "Serapan Dana Desa")
    assert serapan.value == "–"  # a dash, never 0
    assert serapan.delta in ("", None)
    captions = [c.value for c in at.caption]
    assert any(f"**Tidak ada nilai:** {sf.KETERANGAN_PR}" in c for c in captions)
    # kk_miskin_pct includes kelurahan, so the city has it
    assert sf.metrik(at, "Keluarga miskin").value == "7,5%"
    assert "0,0%" not in [m.value for m in at.metric]


def test_map_and_ranking_of_kabupaten(snapshot: Path) -> None:
    at = sf.halaman("ringkasan", kpi="kontribusi_pades_rp")
    fig_peta, fig_peringkat = sf.grafik(at)
    teks_peta = str(fig_peta)
    assert "Kota Palangka Raya" in teks_peta
    assert sf.KETERANGAN_PR in teks_peta
    bar = [t for t in fig_peringkat["data"] if t.get("text")]
    assert bar[0]["text"] == ["Rp 850 juta", "Rp 384 juta"]  # best first
    anotasi = " ".join(a["text"] for a in fig_peringkat["layout"]["annotations"])
    assert f"Tidak ada nilai: {sf.KETERANGAN_PR}" in anotasi.replace("<br>", " ")
    assert "Kalimantan Tengah: Rp 1,2 miliar" in anotasi
    assert f"- {sf.KETERANGAN_PR}: **Kota Palangka Raya**" in sf.teks(at)
    assert at.query_params["kpi"] == "kontribusi_pades_rp"


def test_turun_kpi_reverses_the_colour_scale(snapshot: Path) -> None:
    at = sf.halaman("ringkasan", kpi="kk_miskin_pct")
    _peta, peringkat = sf.grafik(at)
    bar = next(t for t in peringkat["data"] if t.get("text"))
    assert bar["text"][0] == "7,5%"  # lowest poverty ranks first
    skala = bar["marker"]["colorscale"]
    assert skala[0][1] == "rgb(49,54,149)"  # blue at the low end: low is good


def test_year_filter_from_the_url_and_the_sidebar(snapshot: Path) -> None:
    at = sf.halaman("ringkasan", tahun="2023", kab="62.01")
    serapan = sf.metrik(at, "Serapan Dana Desa")
    assert serapan.value == "90,1%"
    assert serapan.delta in ("", None)  # no earlier year in the snapshot
    at.sidebar.selectbox[0].select(2024).run()
    assert sf.metrik(at, "Serapan Dana Desa").value == "92,3%"
    assert at.query_params["tahun"] == "2024"
    assert at.query_params["kab"] == "62.01"


def test_sample_data_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path / "contoh", monkeypatch)
    at = sf.halaman("ringkasan")
    assert len(at.warning) == 1
    assert "Data contoh" in at.warning[0].value
    assert "Dana Desa" in at.warning[0].value
    sf.siapkan(tmp_path / "resmi", monkeypatch, sintetis=False)
    at = sf.halaman("ringkasan")
    assert not at.exception
    assert not at.warning


def test_no_map_without_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path, monkeypatch, geojson=False)
    at = sf.halaman("ringkasan")
    assert not at.exception
    assert len(sf.grafik(at)) == 1  # the ranking only
    assert any("Peta kabupaten/kota tidak tersedia" in i.value for i in at.info)


def test_no_snapshot_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path, monkeypatch, snapshot=False)
    at = sf.halaman("ringkasan")
    assert not at.exception
    assert any("Belum ada data yang diterbitkan" in i.value for i in at.info)
    assert not at.metric
