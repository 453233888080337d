"""The dashboard and the briefing read village statuses and target words from the snapshot's
status_wilayah, status_target and tingkat_target, never choosing or stating them again; a
snapshot from before those tables still opens. Expected values are worked out from the
fixture's own Indeks Desa and IDM rows (tests/snapshot_fixture.py)."""

from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import data
from dashboards.views import targets as view
from laporan import briefing
from tests import snapshot_fixture as sf

DIMENSIONS = [
    "skor_layanan_dasar", "skor_sosial", "skor_ekonomi", "skor_lingkungan",
    "skor_aksesibilitas", "skor_tata_kelola",
]  # fmt: skip
TAHUN = sf.INDEKS_DESA_TAHUN


def _weakest_mean(kab: str) -> tuple[str, float]:
    rows = [v[2:] for k, v in sf.INDEKS_DESA_2024.items() if k.startswith(kab)]
    means = {d: sum(r[i] for r in rows) / len(rows) for i, d in enumerate(DIMENSIONS)}
    name = min(means, key=means.get)  # the first of equal means: the official order
    return name, means[name]


def _drop(snapshot: Path, *tables: str) -> None:
    """Make the fixture a snapshot published before these tables."""
    with duckdb.connect(str(snapshot)) as con:
        for table in tables:
            con.execute(f"drop table {table}")


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    sf.prepare(tmp_path, monkeypatch)
    return tmp_path / "data" / "published" / "dasbor.duckdb"


def test_status_reads_follow_status_wilayah(snapshot: Path):
    assert data.status_scheme("62.01", TAHUN) == data.INDEKS_DESA
    assert data.status_scheme("62.01", TAHUN - 1) == data.IDM
    assert data.status_scheme("62.71", TAHUN) == data.IDM  # kelurahan only: no status rows
    assert data.status_scheme(None, TAHUN) == data.INDEKS_DESA
    # 62.01 in 2024: its two Indeks Desa desa; Tanjung Putri (IDM only) is not mixed in.
    counts = data.status_counts("62.01", TAHUN)
    expected = Counter(v[1] for k, v in sf.INDEKS_DESA_2024.items() if k.startswith("62.01."))
    assert dict(zip(counts["status"], counts["jumlah"], strict=True)) == dict(expected)
    desa = data.desa_status("62.01", TAHUN).set_index("kode_desa")
    assert desa.at["62.01.02.2001", "skema"] == data.IDM
    assert desa.at["62.01.02.2001", "status"] == sf.STATUS_IDM_2024["62.01.02.2001"]
    assert desa.at["62.01.01.2001", "skor"] == sf.INDEKS_DESA_2024["62.01.01.2001"][0]
    weakest = data.weakest_dimensions(TAHUN).set_index("kode_kab")
    for kab in ("62.01", "62.03"):
        name, mean = _weakest_mean(kab)
        assert weakest.at[kab, "dimensi"] == name
        assert weakest.at[kab, "skor"] == pytest.approx(mean)
    one = data.status.weakest_dimension("desa", "62.03.01.2011", TAHUN)
    dims = dict(zip(DIMENSIONS, sf.INDEKS_DESA_2024["62.03.01.2011"][2:], strict=True))
    assert one["dimensi"] == min(dims, key=dims.get)
    assert one["skor"] == min(dims.values())
    assert one["label"] == data.dimensions()[one["dimensi"]]
    assert data.status.weakest_dimension("desa", "62.01.02.2001", TAHUN) is None  # IDM


def test_desa_page_names_the_weakest_dimension_status_wilayah_states(snapshot: Path):
    at = sf.run_page("desa", desa="62.01.01.2002")
    assert not at.exception
    dims = dict(zip(DIMENSIONS, sf.INDEKS_DESA_2024["62.01.01.2002"][2:], strict=True))
    name = min(dims, key=dims.get)
    label = data.dimensions()[name]
    assert f"Dimensi terlemah desa: **{label}**" in sf.page_text(at)


def test_briefing_reads_status_wilayah(snapshot: Path):
    loaded = briefing.load(snapshot, "62.03", TAHUN)
    assert loaded.status_scheme == "indeks_desa"
    shown = dict(zip(loaded.status_counts["status"], loaded.status_counts["jumlah"], strict=True))
    expected = Counter(v[1] for k, v in sf.INDEKS_DESA_2024.items() if k.startswith("62.03."))
    assert {k: v for k, v in shown.items() if v} == dict(expected)
    name, mean = _weakest_mean("62.03")
    assert loaded.weakest["kode_kab"].tolist() == ["62.03"]
    assert loaded.weakest["dimensi"].iloc[0] == name
    assert loaded.weakest["skor"].iloc[0] == pytest.approx(mean)
    province = briefing.load(snapshot, sf.PROVINSI, TAHUN)
    assert province.weakest["kode_kab"].tolist() == ["62.01", "62.03"]
    assert int(province.status_counts["jumlah"].sum()) == len(sf.INDEKS_DESA_2024)


def test_a_snapshot_from_before_status_wilayah_opens_with_no_statuses(snapshot: Path):
    _drop(snapshot, "status_wilayah")
    assert data.status_scheme("62.01", TAHUN) == data.IDM
    assert data.status_counts("62.01", TAHUN).empty
    assert data.desa_status("62.01", TAHUN).empty
    assert data.weakest_dimensions(TAHUN).empty
    at = sf.run_page("ringkasan")
    assert not at.exception
    assert "Tidak ada data IDM atau Indeks Desa untuk tahun ini." in sf.page_text(at)
    at = sf.run_page("desa", desa="62.01.01.2001")
    assert not at.exception
    loaded = briefing.load(snapshot, "62.01", TAHUN)
    assert int(loaded.status_counts["jumlah"].sum()) == 0
    assert loaded.weakest.empty
    assert "Tidak ada data IDM atau Indeks Desa" in briefing.build_html(loaded, plotly_js=False)


# --- target words ---------------------------------------------------------------------------

CATALOGUE = pd.DataFrame(
    {
        "status": ["buruk", "lumayan", "hebat"],
        "label": ["Buruk sekali", "Lumayan", "Hebat"],
        "urutan": [1, 2, 3],
        "baik": [False, True, True],
    }
)


def test_target_views_take_words_and_colours_from_the_catalogue():
    assert view.good_statuses(CATALOGUE) == {"lumayan", "hebat"}
    assert view.bad_statuses(CATALOGUE) == {"buruk"}
    assert view.status_badge("buruk", CATALOGUE) == ":red-badge[:material/warning: Buruk sekali]"
    assert view.status_badge("hebat", CATALOGUE).startswith(":green-badge[:material/check_circle:")
    assert view.status_badge("lumayan", CATALOGUE) == (
        ":green-badge[:material/trending_flat: Lumayan]"
    )
    assert view.status_badge("tak dikenal", CATALOGUE) == ":gray-badge[tak dikenal]"
    assert view.status_color("lumayan", CATALOGUE) == "#2166ac"
    assert view.status_color("buruk", CATALOGUE) == "#b2182b"
    assert view.status_color("tak dikenal", CATALOGUE) == "#8c959f"
    assert view.level_text({"target_tingkat": "kabupaten"}, {"kabupaten": "kab./kota"}) == (
        "target kab./kota"
    )
    rows = pd.DataFrame(
        {
            "kpi_id": ["k"] * 4,
            "tingkat": ["kabupaten"] * 4,
            "kode_wilayah": ["a", "b", "c", "d"],
            "arah": ["naik"] * 4,
            "nilai_terakhir": [1.0, 2.0, 3.0, None],
            "nilai_seharusnya": [2.0, 2.0, 2.0, None],
            "status": ["hebat", "buruk", "lumayan", None],
        }
    )
    # worst urutan first, no value last
    assert view.kabupaten_rows(rows, "k", CATALOGUE)["kode_wilayah"].tolist() == [
        "b", "c", "a", "d",
    ]  # fmt: skip


def test_target_words_come_from_status_target_and_tingkat_target(snapshot: Path):
    statuses = data.status.target_statuses()
    assert set(view.good_statuses()) == set(statuses.loc[statuses["baik"], "status"])
    levels = data.status.target_levels()
    assert view.level_text({"target_tingkat": "kabupaten"}) == f"target {levels['kabupaten']}"
    loaded = briefing.load(snapshot, "62.01", TAHUN)
    document = briefing.build_html(loaded, plotly_js=False)
    for status in loaded.targets["status"].dropna():
        row = statuses.set_index("status").loc[status]
        colour = briefing.GOOD if row["baik"] else briefing.BAD
        assert f'<b style="color:{colour}">{row["label"]}</b>' in document


def test_a_snapshot_from_before_the_target_catalogue_still_shows_the_targets(snapshot: Path):
    _drop(snapshot, "status_target", "tingkat_target")
    at = sf.run_page("capaian_target")
    assert not at.exception
    assert view.status_badge("sesuai jalur") == ":gray-badge[sesuai jalur]"
    assert view.level_text({"target_tingkat": "provinsi"}) == "target provinsi"
    loaded = briefing.load(snapshot, "62.01", TAHUN)
    assert "Capaian target" in briefing.build_html(loaded, plotly_js=False)
