"""Desa Prioritas page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import duckdb
import pytest

from dashboards import data
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _opened(at: object) -> object:
    """Open the folded sections (how the score works, one village's score), as a reader's
    click does: they are built only when opened."""
    at.session_state["cara_skor"] = True  # type: ignore[attr-defined]
    at.session_state["rincian_skor"] = True  # type: ignore[attr-defined]
    return at.run()  # type: ignore[attr-defined]


def _table_with(at: object, column: str) -> object:
    shown = [sf.shown_table(el) for el in at.dataframe]  # type: ignore[attr-defined]
    shown += [sf.static_table(el) for el in at.table]  # type: ignore[attr-defined]
    for df in shown:
        if column in df.columns:
            return df
    raise AssertionError(f"no table with a column {column!r}")


def test_ranked_villages_of_a_kabupaten(snapshot: Path) -> None:
    at = sf.run_page("prioritas", kab="62.01")
    assert not at.exception
    ranking = _table_with(at, "Peringkat")
    assert list(ranking.columns) == [
        "Peringkat",
        "Desa",
        "Kecamatan",
        "Skor",
        "Status desa",
        "Alasan",
    ]
    first = ranking.iloc[0]
    assert (first["Peringkat"], first["Desa"], first["Kecamatan"]) == (
        "1",
        "Sungai Cabang",
        "Kumai",
    )
    assert first["Skor"] == "41,5"
    assert first["Alasan"] == sf.RANK_1_ALASAN
    assert list(ranking["Desa"]) == ["Sungai Cabang", "Teluk Pulai"]
    assert list(ranking["Skor"]) == ["41,5", "12,3"]  # 12,25 rounds half up
    # the village lacking data is listed on its own with what is missing, never ranked
    assert "Tanjung Putri" not in set(ranking["Desa"])
    assert "Data belum lengkap" in [h.value for h in at.header]
    incomplete = _table_with(at, "Data yang belum ada").set_index("Desa")
    assert list(incomplete.index) == ["Tanjung Putri"]
    assert incomplete.at["Tanjung Putri", "Data yang belum ada"] == (
        "BUMDes, Jumlah KPM BLT (data Dana Desa)"
    )
    assert sf.metric(at, "Desa dinilai").value == "2"
    assert sf.metric(at, "Desa dengan data belum lengkap").value == "1"


def test_village_map_coloured_by_score(snapshot: Path) -> None:
    at = sf.run_page("prioritas", kab="62.01")
    (map_fig,) = sf.figures(at)
    hover = next(t for t in map_fig["data"] if t.get("hoverinfo") == "text")["text"]
    by_name = {h.split("</b>")[0].removeprefix("<b>"): h for h in hover}
    assert "Skor 41,5 · peringkat 1 dari 2" in by_name["Sungai Cabang"]
    assert "Data belum lengkap: BUMDes" in by_name["Tanjung Putri"]
    assert "Kelurahan tidak dinilai" in by_name["Mendawai Seberang"]
    bar = next(t for t in map_fig["data"] if t.get("marker", {}).get("showscale"))
    assert bar["marker"]["colorbar"]["title"]["text"] == "merah = lebih membutuhkan"


def test_province_lists_the_top_villages_with_their_kabupaten(snapshot: Path) -> None:
    at = sf.run_page("prioritas")
    assert not at.exception
    top = _table_with(at, "Peringkat kab.")
    assert list(top["Desa"]) == ["Pulau Telo", "Sungai Cabang", "Teluk Pulai", "Pulau Telo Baru"]
    assert list(top["Kabupaten/kota"])[:2] == ["Kapuas", "Kotawaringin Barat"]
    assert list(top["Peringkat kab."]) == ["1", "1", "2", "2"]
    assert top.iloc[0]["Alasan"].startswith("IDM 0,55 (tertinggal), status IDM turun")
    per_kab = _table_with(at, "Rata-rata skor").set_index("Kabupaten/kota")
    assert per_kab.at["Kapuas", "Rata-rata skor"] == "32,9"  # (57,75 + 8) / 2
    assert per_kab.at["Kotawaringin Barat", "Belum lengkap"] == "1"
    assert per_kab.at["Kota Palangka Raya", "Rata-rata skor"] == "–"
    (map_fig,) = sf.figures(at)
    assert "Rata-rata skor 32,9" in str(map_fig)
    assert "Hanya memiliki kelurahan" in str(map_fig)
    incomplete = _table_with(at, "Data yang belum ada")
    assert list(incomplete["Desa"]) == ["Tanjung Putri"]


def test_long_reasons_are_shown_in_full(snapshot: Path) -> None:
    """Reasons wrap in a static table instead of being cut at the edge of a grid column
    (issue 12): the page renders each reason's whole text, in the province list and in a
    kabupaten's ranking."""
    rows = data.desa_prioritas(2024)
    scored = rows[rows["status"] == "dinilai"]
    longest = max(scored["alasan"], key=len)
    assert len(longest) > 80  # the fixture has a reason too long for one grid cell
    for query in ({}, {"kab": "62.03"}):
        at = sf.run_page("prioritas", **query)
        assert not at.exception
        reasons = [
            list(sf.static_table(el)["Alasan"]) for el in at.table if "Alasan" in el.value.columns
        ]
        assert reasons, "the reasons are not in a wrapping table"
        assert longest in reasons[0], query
        # and nowhere in a grid that would cut them off
        assert not any("Alasan" in el.value.columns for el in at.dataframe)


def test_year_without_scored_villages(snapshot: Path) -> None:
    at = sf.run_page("prioritas", tahun="2023")
    assert not at.exception
    assert any("Belum ada desa yang dapat dinilai" in i.value for i in at.info)
    incomplete = _table_with(at, "Data yang belum ada")
    assert len(incomplete) == 5
    assert "**5** desa" in sf.page_text(at)
    with pytest.raises(AssertionError):
        _table_with(at, "Peringkat kab.")


def test_how_the_score_is_computed(snapshot: Path) -> None:
    at = sf.run_page("prioritas", kab="62.03")
    assert "Cara menghitung skor" in [e.label for e in at.expander]
    assert not any(sf.shown_table(el).columns.isin(["Bobot"]).any() for el in at.dataframe)
    _opened(at)
    weights = _table_with(at, "Bobot").set_index("Faktor")
    assert weights.at["KK miskin ekstrem", "Bobot"] == "30%"
    assert weights.at["Tanpa BUMDes aktif", "Bobot"] == "15%"
    # one village's score, factor by factor
    factors = _table_with(at, "Sumbangan ke skor").set_index("Faktor")
    assert factors.at["Status desa turun", "Data desa"] == "Berkembang → Tertinggal"
    assert factors.at["KK miskin ekstrem", "Sumbangan ke skor"] == "12,0"  # 0,4 x 30 %


def test_weights_are_those_the_run_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weights come from the snapshot's bobot_desa_prioritas (those the run used), not
    from a file beside the dashboard."""
    data_dir = sf.prepare(tmp_path, monkeypatch)
    path = data_dir / "published" / "dasbor.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("delete from bobot_desa_prioritas")
        con.execute(
            "insert into bobot_desa_prioritas values "
            "('miskin_ekstrem', 0.5, 30, 'uji'), ('idm_rendah', 0.5, 0.4907, 'uji')"
        )
    (tmp_path / "reference" / "bobot_desa_prioritas.csv").write_text(
        "faktor,bobot,nilai_penuh,keterangan\nmiskin_ekstrem,0.9,30,bukan ini\n",
        encoding="utf-8",
    )
    at = _opened(sf.run_page("prioritas", kab="62.01"))
    weights = _table_with(at, "Bobot").set_index("Faktor")
    assert list(weights["Bobot"]) == ["50%", "50%"]
    factors = _table_with(at, "Sumbangan ke skor")
    assert list(factors["Faktor"]) == ["KK miskin ekstrem", "Skor status desa rendah"]


def test_sample_data_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path / "a", monkeypatch)
    at = sf.run_page("prioritas", kab="62.01")
    assert len(at.warning) == 1
    assert "Data contoh" in at.warning[0].value
    assert "Dana Desa" in at.warning[0].value
    sf.prepare(tmp_path / "b", monkeypatch, synthetic=False)
    at = sf.run_page("prioritas", kab="62.01")
    assert not at.exception
    assert not at.warning


def test_sample_indeks_desa_alone_shows_the_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The village status comes from Indeks Desa where a desa has it: sample Indeks Desa alone
    makes the page's figures sample figures (issue 22: the page's own list forgot it)."""
    data_dir = sf.prepare(tmp_path, monkeypatch, synthetic=False)
    # The fixture has Indeks Desa rows but no provenance for them: give it what a run
    # publishes for a sample dataset (its source and its completeness, flagged synthetic).
    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb")) as con:
        con.execute("insert into sumber_data values ('indeks_desa', true, 'Data contoh', 4)")
        con.execute(
            "insert into kelengkapan_data values "
            "('indeks_desa', '62.01', 2024, 2, 3, 66.7, '2025-03-01 01:00', true)"
        )
    at = sf.run_page("prioritas", kab="62.01")
    assert not at.exception
    assert len(at.warning) == 1
    assert "Data contoh" in at.warning[0].value
    assert "Indeks Desa" in at.warning[0].value


def test_kota_with_only_kelurahan(snapshot: Path) -> None:
    at = sf.run_page("prioritas", kab="62.71")
    assert not at.exception
    assert any("hanya memiliki kelurahan" in i.value for i in at.info)
    assert not at.warning


def test_older_snapshot_without_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, with_desa_prioritas=False)
    at = sf.run_page("prioritas", kab="62.01")
    assert not at.exception
    assert any("belum berisi daftar desa prioritas" in i.value for i in at.info)
    assert not at.dataframe


def test_downloads_of_the_ranking(snapshot: Path) -> None:
    at = _opened(sf.run_page("prioritas", kab="62.01"))
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Unduh CSV") == labels.count("Unduh Excel") >= 3


def test_data_functions(snapshot: Path) -> None:
    assert data.has_table("desa_prioritas")
    assert not data.has_table("tidak_ada")
    rows = data.desa_prioritas(2024, "62.03")
    assert list(rows["nama_desa"]) == ["Pulau Telo", "Pulau Telo Baru"]
    everything = data.desa_prioritas(2024)
    assert list(everything["status"]) == ["dinilai"] * 4 + ["data_kurang"]
    assert data.desa_prioritas(2024, "62.01' or '1'='1").empty
    per_kab = data.desa_prioritas_kabupaten(2024).set_index("kode_kab")
    assert per_kab.at["62.03", "skor_rata"] == pytest.approx(32.875)
    assert per_kab.at["62.01", "desa_skor_maks"] == "Sungai Cabang"
