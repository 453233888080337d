"""Metadata Indikator page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest
import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.siapkan(tmp_path, monkeypatch)


def test_every_kpi_with_its_definition(snapshot: Path) -> None:
    at = sf.halaman("metadata")
    assert not at.exception
    tabel = sf.tabel_tampil(at.dataframe[0]).set_index("Kode")
    assert list(tabel.index) == [d[0] for d in sf.DEFINISI]
    baris = tabel.loc["kk_miskin_pct"]
    assert baris["Indikator"] == "Keluarga miskin"
    assert baris["Satuan"] == "%"
    assert baris["Arah"] == "↓ Makin rendah makin baik"
    assert baris["Rumus"] == "100 x jumlah kk_miskin / jumlah jumlah_kk"
    assert baris["Sumber data"] == "Kemiskinan desa"
    assert tabel.loc["umkm_per_1000", "Sumber data"] == "UMKM, Kemiskinan desa"
    halaman = sf.teks(at)
    for isu in sf.ISU_NAMA.values():
        assert isu in halaman
    assert not at.warning  # definitions are not figures: no sample-data notice


def test_search(snapshot: Path) -> None:
    at = sf.halaman("metadata")
    at.text_input[0].input("bumdes").run()
    assert set(sf.tabel_tampil(at.dataframe[0])["Kode"]) == {"kontribusi_pades_rp"}
    at.text_input[0].input("DANA DESA").run()  # any case, any column (name, source, ...)
    assert set(sf.tabel_tampil(at.dataframe[0])["Kode"]) == {
        "serapan_dana_desa_pct",
        "padat_karya_tk_per_desa",
    }
    assert "Serapan Dana Desa" in sf.teks(at)
    assert "Keluarga miskin" not in sf.teks(at)
