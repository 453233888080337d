"""Isu Strategis page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest
import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.siapkan(tmp_path, monkeypatch)


def test_issue_compares_kabupaten_on_all_its_kpis(snapshot: Path) -> None:
    at = sf.halaman("isu", isu="isu1")
    assert not at.exception
    tabel = sf.tabel_tampil(at.dataframe[0]).set_index("Wilayah")
    assert list(tabel.columns) == ["Kode", "Serapan Dana Desa", "Aparatur desa terlatih"]
    assert tabel.at["Kalimantan Tengah", "Serapan Dana Desa"] == "87,5%"
    assert tabel.at["Kabupaten Kapuas", "Aparatur desa terlatih"] == "41,0%"
    assert tabel.at["Kota Palangka Raya", "Serapan Dana Desa"] == "–"
    halaman = sf.teks(at)
    # one line per reason and areas, naming every KPI it applies to
    assert (
        f"- Serapan Dana Desa; Aparatur desa terlatih — {sf.KETERANGAN_PR}: **Kota Palangka Raya**"
        in halaman
    )
    panas, peringkat = sf.grafik(at)
    sel = panas["data"][0]
    assert sel["y"] == ["Kotawaringin Barat", "Kapuas", "Kota Palangka Raya"]
    assert sel["text"][0] == ["92,3%", "50,0%"]
    assert sf.KETERANGAN_PR in str(sel["customdata"])
    bar = next(t for t in peringkat["data"] if t.get("text"))
    assert bar["text"] == ["92,3%", "84,8%"]


def test_switching_issue(snapshot: Path) -> None:
    at = sf.halaman("isu")
    at.radio[0].set_value("tujuan").run()
    assert not at.exception
    assert at.query_params["isu"] == "tujuan"
    tabel = sf.tabel_tampil(at.dataframe[0]).set_index("Wilayah")
    assert list(tabel.columns) == [
        "Kode",
        "Keluarga miskin",
        "Penduduk miskin (BPS)",
        "Rata-rata skor IDM",
    ]
    assert tabel.at["Kota Palangka Raya", "Penduduk miskin (BPS)"] == "3,5%"  # 3,45 half up
    assert tabel.at["Kota Palangka Raya", "Rata-rata skor IDM"] == "–"
    # this issue's synthetic figures come from kemiskinan_desa only (IDM and BPS are real)
    assert len(at.warning) == 1
    assert "Kemiskinan desa" in at.warning[0].value
    assert "Dana Desa" not in at.warning[0].value


def test_no_notice_for_real_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path, monkeypatch, sintetis=False)
    at = sf.halaman("isu", isu="isu3")
    assert not at.exception
    assert not at.warning
