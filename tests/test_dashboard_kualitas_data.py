"""Kualitas Data page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _table_with(at: object, column: str) -> object:
    for el in at.dataframe:  # type: ignore[attr-defined]
        df = sf.shown_table(el)
        if column in df.columns:
            return df
    raise AssertionError(column)


def test_real_and_sample_data(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data")
    assert not at.exception
    sources = _table_with(at, "Jenis data").set_index("Dataset")
    assert sources.at["Dana Desa", "Jenis data"] == "Data contoh (sintetis)"
    assert sources.at["IDM", "Jenis data"] == "Data resmi"
    assert sources.at["Kemiskinan desa", "Baris"] == "18"
    assert "Data contoh" in at.warning[0].value


def test_rejected_files_with_their_reports(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data")
    labels = [e.label for e in at.expander]
    assert any("dana\\_desa\\_kapuas\\_2024\\_salah\\.csv" in x for x in labels)
    assert any(c.value == sf.REJECTED_REPORT for c in at.code)
    log = _table_with(at, "Berkas")
    assert list(log["Status"]) == ["Duplikat", "Ditolak", "Ditolak", "Diterima", "Diterima"]
    assert log["Waktu (WIB)"].iloc[-1] == "2025-03-01 08.00"
    assert "**2** diterima · **2** ditolak · **1** duplikat" in sf.page_text(at)
    at.multiselect(key="_status_log").set_value(["Ditolak"]).run()
    assert set(_table_with(at, "Berkas")["Berkas"]) == {
        sf.REJECTED_FILE,
        "profil_dengan_nik.csv",
    }


def test_completeness_heatmap(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data", tahun="2023")
    (heatmap,) = sf.figures(at)
    cells = heatmap["data"][0]
    assert [x.replace("<br>", " ") for x in cells["x"]] == [
        "Kotawaringin Barat",
        "Kapuas",
        "Kota Palangka Raya",
    ]
    row = cells["y"].index("BUMDes")
    assert cells["text"][row] == ["100%*", "0%*", "–"]  # Kapuas sent no BUMDes for 2023
    at.radio[0].set_value("dataset").run()
    (heatmap,) = sf.figures(at)
    assert heatmap["data"][0]["x"] == ["2023", "2024"]


def test_all_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, synthetic=False)
    at = sf.run_page("kualitas_data")
    assert not at.warning
    assert any("data resmi" in s.value for s in at.success)
