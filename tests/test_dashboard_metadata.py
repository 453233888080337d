"""Metadata Indikator page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_every_kpi_with_its_definition(snapshot: Path) -> None:
    at = sf.run_page("metadata")
    assert not at.exception
    table = sf.shown_table(at.dataframe[0]).set_index("Kode")
    assert list(table.index) == [d[0] for d in sf.DEFINITIONS]
    row = table.loc["kk_miskin_pct"]
    assert row["Indikator"] == "Keluarga miskin"
    assert row["Satuan"] == "%"
    assert row["Arah"] == "↓ Makin rendah makin baik"
    assert row["Rumus"] == "100 x jumlah kk_miskin / jumlah jumlah_kk"
    assert row["Sumber data"] == "Kemiskinan desa"
    assert table.loc["umkm_per_1000", "Sumber data"] == "UMKM, Kemiskinan desa"
    text = sf.page_text(at)
    for isu in sf.ISU_NAMA.values():
        assert isu in text
    assert not at.warning  # definitions are not figures: no sample-data notice


def test_search(snapshot: Path) -> None:
    at = sf.run_page("metadata")
    at.text_input[0].input("bumdes").run()
    assert set(sf.shown_table(at.dataframe[0])["Kode"]) == {"kontribusi_pades_rp"}
    at.text_input[0].input("DANA DESA").run()  # any case, any column (name, source, ...)
    assert set(sf.shown_table(at.dataframe[0])["Kode"]) == {
        "serapan_dana_desa_pct",
        "padat_karya_tk_per_desa",
    }
    assert "Serapan Dana Desa" in sf.page_text(at)
    assert "Keluarga miskin" not in sf.page_text(at)
