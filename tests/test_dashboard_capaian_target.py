"""Capaian Target page and the targets on KPI cards, ranking and trend charts (AppTest on the
page files, against the fixture snapshot). Expected values come from the fixture's
capaian_target rows, never typed in by hand."""

from pathlib import Path

import pandas as pd
import pytest

from dashboards.views import targets as view
from laporan import formatting as fmt
from tests import snapshot_fixture as sf

COLUMNS = [
    "kpi_id", "tingkat", "kode_wilayah", "nama_wilayah", "arah", "target_kode_wilayah",
    "target_tingkat", "target_dari_atas", "target_tahun", "target_nilai", "sumber", "catatan",
    "asal", "tahun_awal", "nilai_awal", "tahun_terakhir", "nilai_terakhir", "nilai_seharusnya",
    "status",
]  # fmt: skip


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _capaian() -> pd.DataFrame:
    return pd.DataFrame(sf.capaian_target_rows(), columns=COLUMNS)


def _row(kpi_id: str, kode: str) -> dict:
    df = _capaian()
    return df[(df["kpi_id"] == kpi_id) & (df["kode_wilayah"] == kode)].iloc[0].to_dict()


def _card(block: object, label: str) -> object:
    """The innermost block holding the metric `label` and nothing but it: the card's column."""
    from streamlit.testing.v1.element_tree import Block

    for child in getattr(block, "children", {}).values():
        if isinstance(child, Block) and any(m.label == label for m in child.metric):
            return _card(child, label)
    return block


def _table_with(at: object, column: str) -> pd.DataFrame:
    for el in at.dataframe:  # type: ignore[attr-defined]
        df = sf.shown_table(el)
        if column in df.columns:
            return df
    raise AssertionError(f"tidak ada tabel dengan kolom {column!r}")


def test_page_lists_every_kpi_with_a_target_and_counts_kabupaten_on_track(snapshot: Path):
    at = sf.run_page("capaian_target")
    assert not at.exception
    summary = _table_with(at, "Sesuai jalur").set_index("Indikator")
    capaian = _capaian()
    names = {d[0]: d[2] for d in sf.DEFINITIONS}
    assert set(summary.index) == {names[k] for k in capaian["kpi_id"]}
    for kpi_id, group in capaian.groupby("kpi_id"):
        kab = group[group["tingkat"] == "kabupaten"]
        good = int(kab["status"].isin(["sesuai jalur", "target tercapai"]).sum())
        behind = int((kab["status"] == "tertinggal dari jalur").sum())
        assert summary.at[names[kpi_id], "Sesuai jalur"] == f"{good} dari {len(kab)}"
        assert summary.at[names[kpi_id], "Tertinggal"] == str(behind)
        prov = group[group["tingkat"] == "provinsi"].iloc[0]
        assert summary.at[names[kpi_id], "Status provinsi"] == prov["status"]
    # the proxy note from target_kpi.catatan stands next to the KPI
    assert summary.at[names["kk_miskin_pct"], "Catatan"] == sf.PROXY_NOTE


def test_drill_down_lists_the_kabupaten_behind_and_the_desa_pulling_them_down(snapshot: Path):
    at = sf.run_page("capaian_target", kpi_target="kk_miskin_pct")
    assert not at.exception
    capaian = _capaian()
    behind = capaian[
        (capaian["kpi_id"] == "kk_miskin_pct")
        & (capaian["tingkat"] == "kabupaten")
        & (capaian["status"] == "tertinggal dari jalur")
    ]
    box = next(s for s in at.selectbox if s.label == "Kabupaten/kota yang tertinggal")
    assert set(box.options) == set(behind["nama_wilayah"])
    # choose Kapuas and check its desa: those above the kabupaten's path value, worst first
    box.select("62.03").run()
    row = _row("kk_miskin_pct", "62.03")
    path = row["nilai_seharusnya"]
    tahun = int(row["tahun_terakhir"])
    expected = sorted(
        (
            (sf.kpi_value(k, "kk_miskin_pct", tahun), sf.DESA[k][0])
            for k in sf.DESA
            if k.startswith("62.03.")
            and sf.kpi_value(k, "kk_miskin_pct", tahun) is not None
            and sf.kpi_value(k, "kk_miskin_pct", tahun) > path
        ),
        reverse=True,
    )
    desa = _table_with(at, "Selisih dari jalur")
    assert list(desa["Desa"]) == [name for _v, name in expected]
    assert list(desa["Keluarga miskin"]) == [fmt.percent(v) for v, _n in expected]
    text = sf.page_text(at)
    assert fmt.kpi_value(path, "%") in text
    assert sf.PROXY_NOTE in text.replace("\\", "")


def test_non_village_kpi_has_no_desa_drill_down(snapshot: Path):
    at = sf.run_page("capaian_target", kpi_target="persentase_miskin_bps")
    assert not at.exception
    assert any("bukan indikator desa" in i.value for i in at.info)


def test_card_shows_target_status_and_source_from_capaian_target(snapshot: Path):
    for kab, kpi_id, label in (
        (None, "persentase_miskin_bps", "Penduduk miskin (BPS)"),
        ("62.01", "kk_miskin_pct", "Keluarga miskin"),
        ("62.03", "kk_miskin_pct", "Keluarga miskin"),
    ):
        at = sf.run_page("ringkasan", **({"kab": kab} if kab else {}))
        assert not at.exception
        row = _row(kpi_id, kab or sf.PROVINSI)
        # the card's own column: the metric, then its badge and captions
        column = _card(at.main, label)
        shown = "\n".join([m.value for m in column.markdown] + [c.value for c in column.caption])
        shown = shown.replace("\\", "")
        assert row["status"] in shown
        assert row["sumber"] in shown
        assert str(int(row["target_tahun"])) in shown
        assert view.target_value_text(row, "%") in shown
        assert view.level_text(row) in shown
        colour = "green" if row["status"] in view.good_statuses() else "red"
        assert f":{colour}-badge[" in shown
        assert ("belum ada target sendiri" in shown) == bool(row["target_dari_atas"])
        if isinstance(row["catatan"], str):
            assert row["catatan"] in shown


def test_ranking_marks_each_kabupaten_target_and_says_whose(snapshot: Path):
    at = sf.run_page("ringkasan", kpi="persentase_miskin_bps")
    ranking = sf.figures(at)[1]
    marks = next(t for t in ranking["data"] if t.get("mode") == "markers")
    capaian = _capaian()
    kab = capaian[
        (capaian["kpi_id"] == "persentase_miskin_bps") & (capaian["tingkat"] == "kabupaten")
    ]
    assert sorted(sf.plotly_array(marks["x"])) == sorted(kab["target_nilai"])
    hover = " ".join(marks["hovertext"])
    assert "Target kabupaten/kota 2026" in hover  # Kapuas' own target
    assert "Target provinsi 2025" in hover  # the others measured against the province
    table = _table_with(at, "Target dari").set_index("Kode")
    for _, r in kab.iterrows():
        assert table.at[r["kode_wilayah"], "Target dari"] == view.level_text(r)
        assert table.at[r["kode_wilayah"], "Status"] == r["status"]


def test_trend_draws_the_target_and_the_path_to_it(snapshot: Path):
    at = sf.run_page("kabupaten", kab="62.03", kpi="persentase_miskin_bps")
    trend = sf.figures(at)[0]
    row = _row("persentase_miskin_bps", "62.03")
    path = next(
        t
        for t in trend["data"]
        if t.get("line", {}).get("dash") == "dash" and t["name"].startswith("Jalur")
    )
    assert sf.plotly_array(path["x"]) == [row["tahun_awal"], row["target_tahun"]]
    assert sf.plotly_array(path["y"]) == [row["nilai_awal"], row["target_nilai"]]
    star = next(t for t in trend["data"] if t.get("marker", {}).get("symbol") == "star")
    assert sf.plotly_array(star["y"]) == [row["target_nilai"]]
