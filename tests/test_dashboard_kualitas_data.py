"""Kualitas Data page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest
import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.siapkan(tmp_path, monkeypatch)


def _tabel_dengan(at: object, kolom: str) -> object:
    for el in at.dataframe:  # type: ignore[attr-defined]
        df = sf.tabel_tampil(el)
        if kolom in df.columns:
            return df
    raise AssertionError(kolom)


def test_real_and_sample_data(snapshot: Path) -> None:
    at = sf.halaman("kualitas_data")
    assert not at.exception
    sumber = _tabel_dengan(at, "Jenis data").set_index("Dataset")
    assert sumber.at["Dana Desa", "Jenis data"] == "Data contoh (sintetis)"
    assert sumber.at["Indeks Desa Membangun (IDM)", "Jenis data"] == "Data resmi"
    assert sumber.at["Kemiskinan desa", "Baris"] == "18"
    assert "Data contoh" in at.warning[0].value


def test_rejected_files_with_their_reports(snapshot: Path) -> None:
    at = sf.halaman("kualitas_data")
    label = [e.label for e in at.expander]
    assert any("dana\\_desa\\_kapuas\\_2024\\_salah\\.csv" in x for x in label)
    assert any(c.value == sf.REPORT_DITOLAK for c in at.code)
    log = _tabel_dengan(at, "Berkas")
    assert list(log["Status"]) == ["Duplikat", "Ditolak", "Ditolak", "Diterima", "Diterima"]
    assert log["Waktu (WIB)"].iloc[-1] == "2025-03-01 08.00"
    assert "**2** diterima · **2** ditolak · **1** duplikat" in sf.teks(at)
    at.multiselect(key="_status_log").set_value(["Ditolak"]).run()
    assert set(_tabel_dengan(at, "Berkas")["Berkas"]) == {
        sf.FILE_DITOLAK,
        "profil_dengan_nik.csv",
    }


def test_completeness_heatmap(snapshot: Path) -> None:
    at = sf.halaman("kualitas_data", tahun="2023")
    (panas,) = sf.grafik(at)
    sel = panas["data"][0]
    assert [x.replace("<br>", " ") for x in sel["x"]] == [
        "Kotawaringin Barat",
        "Kapuas",
        "Kota Palangka Raya",
    ]
    baris = sel["y"].index("BUMDes")
    assert sel["text"][baris] == ["100%*", "0%*", "–"]  # Kapuas sent no BUMDes for 2023
    at.radio[0].set_value("dataset").run()
    (panas,) = sf.grafik(at)
    assert panas["data"][0]["x"] == ["2023", "2024"]


def test_all_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path, monkeypatch, sintetis=False)
    at = sf.halaman("kualitas_data")
    assert not at.warning
    assert any("data resmi" in s.value for s in at.success)
