"""Isu Strategis page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_issue_compares_kabupaten_on_all_its_kpis(snapshot: Path) -> None:
    at = sf.run_page("isu", isu="isu1")
    assert not at.exception
    table = sf.shown_table(at.dataframe[0]).set_index("Wilayah")
    # the issue's outcome KPIs, then the agency's own two programme figures
    assert list(table.columns) == [
        "Kode",
        "Serapan Dana Desa",
        "Aparatur desa terlatih",
        "Serapan anggaran kegiatan Dinas (isu 1)",
        "Capaian keluaran kegiatan Dinas (isu 1)",
    ]
    assert table.at["Kalimantan Tengah", "Serapan Dana Desa"] == "87,5%"
    assert table.at["Kabupaten Kapuas", "Aparatur desa terlatih"] == "41,0%"
    assert table.at["Kota Palangka Raya", "Serapan Dana Desa"] == "–"
    text = sf.page_text(at)
    # one line per reason and areas, naming every KPI it applies to
    assert (
        f"- Serapan Dana Desa; Aparatur desa terlatih — {sf.REASON_PALANGKA_RAYA}: **Kota Palangka Raya**"
        in text
    )
    heatmap, ranking = sf.figures(at)
    cells = heatmap["data"][0]
    assert cells["y"] == ["Kotawaringin Barat", "Kapuas", "Kota Palangka Raya"]
    assert cells["text"][0] == ["92,3%", "50,0%", "90,0%", "100,0%"]
    assert sf.REASON_PALANGKA_RAYA in str(cells["customdata"])
    bar = next(t for t in ranking["data"] if t.get("text"))
    assert bar["text"] == ["92,3%", "84,8%"]


def test_switching_issue(snapshot: Path) -> None:
    at = sf.run_page("isu")
    at.radio[0].set_value("tujuan").run()
    assert not at.exception
    assert at.query_params["isu"] == "tujuan"
    table = sf.shown_table(at.dataframe[0]).set_index("Wilayah")
    assert list(table.columns) == [
        "Kode",
        "Keluarga miskin",
        "Penduduk miskin (BPS)",
        "Rata-rata skor IDM",
        "Serapan anggaran kegiatan Dinas (tujuan)",
        "Capaian keluaran kegiatan Dinas (tujuan)",
    ]
    assert table.at["Kota Palangka Raya", "Penduduk miskin (BPS)"] == "3,5%"  # 3,45 half up
    assert table.at["Kota Palangka Raya", "Rata-rata skor IDM"] == "–"
    # this issue's synthetic figures come from kemiskinan_desa only (IDM and BPS are real)
    assert len(at.warning) == 1
    assert "Kemiskinan desa" in at.warning[0].value
    assert "Dana Desa" not in at.warning[0].value


def test_no_notice_for_real_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, synthetic=False)
    at = sf.run_page("isu", isu="isu3")
    assert not at.exception
    assert not at.warning
