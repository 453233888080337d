"""Desa page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from laporan import formatting as fmt
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _kpi_table(at: object) -> object:
    tables = [sf.shown_table(el) for el in at.dataframe]  # type: ignore[attr-defined]
    return next(t for t in tables if "Indikator" in t.columns).set_index("Indikator")


def test_village_profile_across_years_with_rank(snapshot: Path) -> None:
    at = sf.run_page("desa", desa="62.01.01.2001")
    assert not at.exception
    text = sf.page_text(at)
    assert "Desa Sungai Cabang" in text
    assert "Kumai" in text
    assert "Kabupaten Kotawaringin Barat" in text
    kpi = _kpi_table(at)
    assert kpi.at["Serapan Dana Desa", "2023"] == "91,0%"
    assert kpi.at["Serapan Dana Desa", "2024"] == "95,0%"
    assert kpi.at["Serapan Dana Desa", "Peringkat di kabupaten 2024"] == "1 dari 3"
    assert kpi.at["Keluarga miskin", "Peringkat di kabupaten 2024"] == "4 dari 4"
    # every dataset's rows, one expander each, sample data marked
    labels = [e.label for e in at.expander]
    assert "Dana Desa (2 baris) · data contoh" in labels
    assert "IDM (2 baris)" in labels
    assert any("Data contoh" in w.value for w in at.warning)


def test_null_reason_for_a_village(snapshot: Path) -> None:
    at = sf.run_page("desa", desa="62.01.01.2002", tahun="2023")  # Teluk Pulai
    kpi = _kpi_table(at)
    assert kpi.at["Kontribusi BUMDes ke PADes", "2023"] == "–"
    assert kpi.at["Kontribusi BUMDes ke PADes", "Keterangan 2023"] == sf.REASON_NO_DATA
    assert kpi.at["Kontribusi BUMDes ke PADes", "2024"] == "Rp 250 juta"


def test_kelurahan_of_palangka_raya(snapshot: Path) -> None:
    at = sf.run_page("desa", desa="62.71.01.1001")
    assert not at.exception
    assert "Kelurahan Pahandut" in sf.page_text(at)
    kpi = _kpi_table(at)
    assert kpi.at["Serapan Dana Desa", "2024"] == "–"
    assert kpi.at["Serapan Dana Desa", "Keterangan 2024"] == sf.REASON_KELURAHAN
    assert kpi.at["Keluarga miskin", "2024"] != "–"
    assert "**Dana Desa:** tidak ada data untuk desa ini." in sf.page_text(at)


def test_find_by_name_or_code(snapshot: Path) -> None:
    at = sf.run_page("desa", kab="62.01")
    assert any("Pilih desa" in i.value for i in at.info)
    box = at.selectbox(key="_w_desa")
    # options are the villages of the chosen kabupaten, labelled with name and code
    assert len(box.options) == 4
    assert any("Tanjung Putri" in o and "62.01.02.2001" in o for o in box.options)
    box.select("62.01.02.2001").run()
    assert "Desa Tanjung Putri" in sf.page_text(at)
    assert at.query_params["desa"] == "62.01.02.2001"


def test_real_data_has_no_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, synthetic=False)
    at = sf.run_page("desa", desa="62.01.01.2001")
    assert not at.exception
    assert not at.warning


def test_status_names_its_scheme_and_radar_compares_dimensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indeks Desa where the desa has it that year (with its six dimensions against the
    kabupaten and province means), IDM otherwise, and the page says which."""
    from dashboards import data as dashboard_data

    sf.prepare(tmp_path, monkeypatch)
    at = sf.run_page("desa", desa="62.01.01.2001")
    assert not at.exception
    text = sf.page_text(at)
    skor, _status, *dims = sf.INDEKS_DESA_2024["62.01.01.2001"]
    assert f"**Maju** menurut **Indeks Desa 2024** (skor {fmt.number(skor, 2)}" in text
    assert "belum diverifikasi" in text
    radar = next(f for f in sf.figures(at) if f["data"][0]["type"] == "scatterpolar")
    desa, kab, prov = radar["data"]
    assert sf.plotly_array(desa["r"])[:6] == dims
    kab_rows = [v[2:] for k, v in sf.INDEKS_DESA_2024.items() if k.startswith("62.01.")]
    all_rows = [v[2:] for v in sf.INDEKS_DESA_2024.values()]
    for got, rows in ((kab, kab_rows), (prov, all_rows)):
        means = [sum(r[i] for r in rows) / len(rows) for i in range(6)]
        assert sf.plotly_array(got["r"])[:6] == pytest.approx(means)
    assert list(desa["theta"])[:6] == list(dashboard_data.dimensions().values())

    at = sf.run_page("desa", desa="62.01.02.2001")  # no Indeks Desa row in 2024
    text = sf.page_text(at)
    assert "**Mandiri** menurut **IDM 2024**" in text
    assert not any(f["data"][0]["type"] == "scatterpolar" for f in sf.figures(at))
