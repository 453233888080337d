"""Kabupaten/Kota drill-down page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from dashboards import components, data
from laporan import formatting as fmt
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _table_with(at: object, column: str) -> object:
    for el in at.dataframe:  # type: ignore[attr-defined]
        df = sf.shown_table(el)
        if column in df.columns:
            return df
    raise AssertionError(f"tidak ada tabel dengan kolom {column!r}")


def _open(at: object, section: str) -> object:
    """Open one section tab below the trend, as a reader's click does (a rerun)."""
    at.session_state["bagian_kab"] = section  # type: ignore[attr-defined]
    return at.run()  # type: ignore[attr-defined]


def test_all_kpis_of_the_kabupaten_vs_province(snapshot: Path) -> None:
    at = sf.run_page("kabupaten", kab="62.01")
    assert not at.exception
    all_kpis = _table_with(at, "Kabupaten Kotawaringin Barat")
    rows = all_kpis.set_index("Indikator")
    assert rows.at["Serapan Dana Desa", "Kabupaten Kotawaringin Barat"] == "92,3%"
    assert rows.at["Serapan Dana Desa", "Kabupaten Kotawaringin Barat 2023"] == "90,1%"
    assert rows.at["Serapan Dana Desa", "Kalimantan Tengah"] == "87,5%"
    assert rows.at["Kontribusi BUMDes ke PADes", "Kabupaten Kotawaringin Barat"] == "Rp 850 juta"
    assert "2 kecamatan · 3 desa · 1 kelurahan" in sf.page_text(at).replace("**", "")


def test_kecamatan_and_village_tables(snapshot: Path) -> None:
    at = _open(sf.run_page("kabupaten", kab="62.01"), "Kecamatan")
    kec = _table_with(at, "Kecamatan").set_index("Kecamatan")
    assert "Desa melapor" in kec.columns
    kumai_value = sf.kpi_value("62.01.01", "serapan_dana_desa_pct", 2024)
    assert kec.at["Kumai", "Serapan Dana Desa"] == fmt.kpi_value(kumai_value, "%")
    _open(at, "Daftar desa")
    desa = _table_with(at, "Desa/kelurahan").set_index("Desa/kelurahan")
    assert desa.at["Sungai Cabang", "Serapan Dana Desa"] == "95,0%"
    # the status names its scheme: Indeks Desa where the desa has it that year, else IDM
    assert desa.at["Sungai Cabang", "Status desa"] == "Maju (Indeks Desa)"
    assert desa.at["Tanjung Putri", "Status desa"] == "Mandiri (IDM)"
    # the kelurahan has no value: a dash and the reason, never 0
    assert desa.at["Mendawai Seberang", "Serapan Dana Desa"] == "–"
    assert desa.at["Mendawai Seberang", "Keterangan"] == sf.REASON_KELURAHAN


def test_village_search(snapshot: Path) -> None:
    at = _open(sf.run_page("kabupaten", kab="62.01"), "Daftar desa")
    at.text_input[0].input("teluk").run()
    desa = _table_with(at, "Desa/kelurahan")
    assert list(desa["Desa/kelurahan"]) == ["Teluk Pulai"]
    at.text_input[0].input("62.01.02").run()
    assert set(_table_with(at, "Desa/kelurahan")["Desa/kelurahan"]) == {
        "Tanjung Putri",
        "Mendawai Seberang",
    }


def test_all_kpis_toggle_adds_columns(snapshot: Path) -> None:
    at = _open(sf.run_page("kabupaten", kab="62.01"), "Daftar desa")
    at.toggle[0].set_value(True).run()
    desa = _table_with(at, "Desa/kelurahan").set_index("Desa/kelurahan")
    assert desa.at["Mendawai Seberang", "Keluarga miskin"] == "8,0%"
    assert desa.at["Sungai Cabang", "Keluarga miskin"] == "12,0%"


def test_charts_trend_map_and_status(snapshot: Path) -> None:
    at = sf.run_page("kabupaten", kab="62.01", kpi="kk_miskin_pct")
    trend, map_fig, status = sf.figures(at)  # the first section: the map and the status
    lines = [t for t in trend["data"] if t.get("mode") == "lines+markers"]
    assert [t["name"] for t in lines] == ["Kabupaten Kotawaringin Barat", "Kalimantan Tengah"]
    assert sf.plotly_array(lines[0]["y"]) == [10.0, 9.5]
    assert sf.plotly_array(lines[1]["y"]) == [13.3, 12.5]
    assert "Sungai Cabang" in str(map_fig)
    assert "12,0%" in str(map_fig)
    # 2024 has Indeks Desa: the chart counts its stated statuses, and says so
    stated = [v[1] for k, v in sf.INDEKS_DESA_2024.items() if k.startswith("62.01.")]
    order = ["sangat_tertinggal", "tertinggal", "berkembang", "maju", "mandiri"]
    counts = [stated.count(s) for s in order]
    assert status["data"][0]["text"] == [
        f"{n} desa ({fmt.percent(100 * n / sum(counts), 0)})" for n in counts
    ]
    text = sf.page_text(at)
    assert "Status desa (Indeks Desa), 2024" in text
    assert "belum diverifikasi" in text


def test_only_the_open_section_is_built(snapshot: Path) -> None:
    """Below the trend one section at a time: the others are neither built nor sent."""
    at = sf.run_page("kabupaten", kab="62.01")
    assert [t.label for t in at.tabs] == [
        "Peta dan status desa", "Kecamatan", "Daftar desa", "Perpindahan status",
    ]  # fmt: skip
    shown = {c for el in at.dataframe for c in sf.shown_table(el).columns}
    assert not shown & {"Kecamatan", "Desa/kelurahan", "Status IDM 2024"}
    assert len(sf.figures(at)) == 3  # trend, village map, status
    _open(at, "Kecamatan")
    assert len(sf.figures(at)) == 1  # the trend alone
    assert _table_with(at, "Kecamatan") is not None
    assert "Desa/kelurahan" not in {c for el in at.dataframe for c in sf.shown_table(el).columns}


def test_a_programme_kpi_has_its_trend_and_no_empty_desa_map_or_tables(snapshot: Path) -> None:
    """A programme KPI is counted per kabupaten only (docs/contracts.md): its trend is drawn, and the
    sections below say why there is no desa map, kecamatan table or desa column, instead of a
    grey map and a column of dashes that would read as data not sent."""
    nama = "Serapan anggaran kegiatan Dinas (isu 1)"
    note = f"**{nama}** adalah indikator kegiatan Dinas"
    at = sf.run_page("kabupaten", kab="62.01", kpi="program_serapan_isu1_pct", tahun="2024")
    assert not at.exception
    trend, _status = sf.figures(at)  # no village map between them
    kab_line = next(t for t in trend["data"] if t.get("name") == "Kabupaten Kotawaringin Barat")
    assert sf.plotly_array(kab_line["y"]) == [80.0, 90.0]  # 2023 and 2024, worked by hand
    assert "Sebaran status" not in str(trend)
    assert note in sf.page_text(at)

    _open(at, "Kecamatan")
    assert note in sf.page_text(at)
    assert not any("Kecamatan" in sf.shown_table(el).columns for el in at.dataframe)

    _open(at, "Daftar desa")
    assert note in sf.page_text(at)
    desa = _table_with(at, "Desa/kelurahan").set_index("Desa/kelurahan")
    assert nama not in desa.columns
    assert "Keterangan" not in desa.columns
    assert desa.at["Sungai Cabang", "Status desa"] == "Maju (Indeks Desa)"


def test_an_outcome_kpi_has_no_programme_note(snapshot: Path) -> None:
    at = sf.run_page("kabupaten", kab="62.01", kpi="kk_miskin_pct")
    assert "indikator kegiatan Dinas" not in sf.page_text(at)
    assert len(sf.figures(at)) == 3


def test_status_chart_uses_idm_where_the_year_has_no_indeks_desa(snapshot: Path) -> None:
    at = sf.run_page("kabupaten", kab="62.01", tahun="2023")
    assert not at.exception
    text = sf.page_text(at)
    assert "Status desa (IDM), 2023" in text
    assert "Status menurut **IDM 2023**" in text


def _matrix_cells(fig: dict) -> dict[tuple[str, str], int]:
    heat = fig["data"][0]
    cells = {}
    for y, row in zip(heat["y"], heat["text"], strict=True):
        for x, text in zip(heat["x"], row, strict=True):
            cells[(y, x)] = int(text.replace(".", "")) if text else 0
    return cells


@pytest.mark.parametrize("kab", ["62.01", "62.03"])
def test_transition_matrix_counts_add_up_to_the_desa_with_both_indices(
    snapshot: Path, kab: str
) -> None:
    at = _open(sf.run_page("kabupaten", kab=kab), "Perpindahan status")
    assert not at.exception
    # compare IDM 2024 with Indeks Desa 2024 (the fixture's only Indeks Desa year)
    next(s for s in at.selectbox if s.label == "Status IDM tahun").select(2024).run()
    matrix = sf.figures(at)[-1]
    cells = _matrix_cells(matrix)
    both = [k for k in sf.INDEKS_DESA_2024 if k.startswith(kab) and k in sf.STATUS_IDM_2024]
    assert sum(cells.values()) == len(both)
    labels = {s: components.status_label(s) for s in sf.STATUS_IDM_2024.values()}
    labels.update({v[1]: components.status_label(v[1]) for v in sf.INDEKS_DESA_2024.values()})
    expected: dict[tuple[str, str], int] = {}
    for k in both:
        key = (labels[sf.STATUS_IDM_2024[k]], labels[sf.INDEKS_DESA_2024[k][1]])
        expected[key] = expected.get(key, 0) + 1
    assert {c: n for c, n in cells.items() if n} == expected
    same = sum(n for (a, b), n in expected.items() if a == b)
    assert f"**{same}** status sama" in sf.page_text(at)
    # choosing a cell lists exactly its desa
    box = next(s for s in at.selectbox if s.label == "Tampilkan desa dalam sel")
    first = box.value
    listed = _table_with(at, "Status IDM 2024")
    assert len(listed) == first[2]
    assert set(listed["Status IDM 2024"]) == {components.status_label(first[0])}
    assert set(listed["Status Indeks Desa 2024"]) == {components.status_label(first[1])}


def test_transition_default_is_latest_indeks_desa_year_against_the_idm_year_before(
    snapshot: Path,
) -> None:
    at = _open(sf.run_page("kabupaten", kab="62.01"), "Perpindahan status")
    boxes = {s.label: s.value for s in at.selectbox}
    assert boxes["Status Indeks Desa tahun"] == sf.INDEKS_DESA_TAHUN
    assert boxes["Status IDM tahun"] == sf.INDEKS_DESA_TAHUN - 1


def test_palangka_raya_has_only_kelurahan(snapshot: Path) -> None:
    at = sf.run_page("kabupaten", kab="62.71")
    assert not at.exception
    text = sf.page_text(at)
    assert "hanya memiliki kelurahan" in text
    # the years without a value, grouped by their reason
    assert f"- {sf.REASON_PALANGKA_RAYA}: **2023**, **2024**" in text
    all_kpis = _table_with(at, "Kota Palangka Raya").set_index("Indikator")
    assert all_kpis.at["Serapan Dana Desa", "Kota Palangka Raya"] == "–"
    assert all_kpis.at["Serapan Dana Desa", "Keterangan"] == sf.REASON_PALANGKA_RAYA
    assert all_kpis.at["Keluarga miskin", "Kota Palangka Raya"] == "7,5%"
    assert any("Tidak ada data IDM atau Indeks Desa" in i.value for i in at.info)


def test_without_a_choice_the_page_shows_every_kabupaten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before a kabupaten is chosen the page gives a province overview (issue 12): one row per
    kabupaten/kota with the headline KPIs, a small map, and a hint to choose one."""
    import csv

    data_dir = sf.prepare(tmp_path, monkeypatch, snapshot=False)
    wilayah_csv = sf.REPO / "data" / "reference" / "wilayah_62.csv"
    sf.build_kalteng_snapshot(data_dir, wilayah_csv)
    with open(wilayah_csv, encoding="utf-8") as f:
        kab_names = {r["nama"] for r in csv.DictReader(f) if r["tingkat"] == "kabupaten"}
    assert len(kab_names) == 14
    at = sf.run_page("kabupaten")
    assert not at.exception
    assert any("Pilih kabupaten/kota" in i.value for i in at.info)
    overview = _table_with(at, "Kabupaten/kota")
    assert len(overview) == 14
    assert set(overview["Kabupaten/kota"]) == kab_names
    headline = data.kpi_definitions().query("utama")
    assert {components.kpi_short_label(d) for _, d in headline.iterrows()} <= set(overview.columns)
    # a known value, in Indonesian format
    kode = sorted(data.kabupaten()["kode"])[0]
    nama = data.kabupaten().set_index("kode").at[kode, "nama"]
    kpi = data.kpi(["kabupaten"], tahun=[2024], kode_wilayah=[kode], kpi_id=["kk_miskin_pct"])
    shown = overview.set_index("Kabupaten/kota").at[nama, "Keluarga miskin"]
    assert shown == fmt.kpi_value_short(kpi["nilai"].iloc[0], "%")
    assert len(sf.figures(at)) == 1  # the small map


def test_choosing_a_kabupaten_on_the_page_sets_the_global_filter(snapshot: Path) -> None:
    at = sf.run_page("kabupaten")
    assert any("Pilih kabupaten/kota" in i.value for i in at.info)
    assert len(_table_with(at, "Kabupaten/kota")) == len(sf.KAB)
    at.selectbox(key="_kab_lokal").select("62.03").run()
    assert not at.exception
    assert at.query_params["kab"] == "62.03"
    assert at.sidebar.selectbox[1].value == "62.03"
    assert "Kabupaten Kapuas, 2024" in sf.page_text(at)


def test_sample_data_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path / "a", monkeypatch)
    assert any("Data contoh" in w.value for w in sf.run_page("kabupaten", kab="62.01").warning)
    sf.prepare(tmp_path / "b", monkeypatch, synthetic=False)
    assert not sf.run_page("kabupaten", kab="62.01").warning


def _shown(at: object) -> str:
    """The page's text as rendered: Markdown escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", sf.page_text(at))


def test_late_line_of_the_kabupaten(snapshot: Path) -> None:
    """Issue 24: Kapuas has not sent BUMDes 2024 (38 days) nor 2023 (404 days); Kotawaringin
    Barat sent everything due (some of it late): no line."""
    at = sf.run_page("kabupaten", kab="62.03")
    assert not at.exception
    kapuas = "Terlambat (belum dikirim): BUMDes 2024 (38 hari), BUMDes 2023 (404 hari)"
    assert kapuas in _shown(at)
    at = sf.run_page("kabupaten", kab="62.01")
    assert not at.exception
    assert "Terlambat" not in _shown(at)
