"""The agency's programmes (issue 28) on the dashboard: the Program & Kegiatan page, the
'Program Dinas' cards of Ringkasan and Isu Strategis, and the briefing's programme section.

AppTest on the page files against the fixture snapshot. Every figure is worked by hand from
snapshot_fixture.PROGRAM_KEGIATAN (2024):
- the province's own Dinas, isu 1: pagu Rp 200 juta, Rp 150 juta spent; 80 of 100 trained;
- Kotawaringin Barat, isu 1: Rp 90 of 100 juta; 60 of 50 (capped at 100%);
  tujuan: Rp 40 of 50 juta; 5 of 10 documents;
- Kapuas, isu 1: Rp 40 of 80 juta; 30 of 40;
- Kota Palangka Raya: nothing. 2023: Kotawaringin Barat isu 1 alone, Rp 80 of 100 juta, 50 of 50.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from laporan import briefing
from tests import snapshot_fixture as sf


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built once: every test here only reads it."""
    with pytest.MonkeyPatch.context() as mp:
        yield sf.prepare(tmp_path_factory.mktemp("program"), mp)


def _table(at, first_column: str):
    return next(
        sf.shown_table(t) for t in at.dataframe if sf.shown_table(t).columns[0] == first_column
    )


def _bars(figure: dict) -> dict[str, str]:
    """A ranking's bars: {kabupaten: label}; "–" for an area without a value (its grey bar
    says why when hovered)."""
    bars: dict[str, str] = {}
    for trace in figure["data"]:
        if trace.get("type") != "bar":
            continue
        labels = trace.get("text") or ["–"] * len(trace["y"])
        bars |= dict(zip(sf.plotly_array(trace["y"]), labels, strict=True))
    return bars


# --- Program & Kegiatan ---------------------------------------------------------------------


def test_per_kabupaten_absorption_and_output_of_issue_1(snapshot: Path) -> None:
    at = sf.run_page("program", tahun="2024", isu_program="isu1")
    assert not at.exception
    serapan, keluaran = sf.figures(at)[:2]
    # Palangka Raya reported nothing: no bar value, never 0
    assert _bars(serapan) == {
        "Kotawaringin Barat": "90,0%",
        "Kapuas": "50,0%",
        "Kota Palangka Raya": "–",
    }
    assert _bars(keluaran) == {
        "Kotawaringin Barat": "100,0%",  # 60 of 50, capped
        "Kapuas": "75,0%",
        "Kota Palangka Raya": "–",
    }
    # the province line: every activity in it, the province's own included
    # 280 / 380 juta = 73,7%; (0,8 + 1 + 0,75) / 3 = 85,0%
    assert "73,7%" in str(serapan)
    assert "85,0%" in str(keluaran)


def test_activities_table_and_totals(snapshot: Path) -> None:
    at = sf.run_page("program", tahun="2024", isu_program="isu1")
    assert "3 kegiatan, pagu Rp 380 juta, terealisasi Rp 280 juta (73,7%)" in sf.page_text(at)
    table = _table(at, "Tahun").set_index("Wilayah")
    assert list(table.index) == [
        "Kalimantan Tengah",
        "Kabupaten Kotawaringin Barat",
        "Kabupaten Kapuas",
    ]
    assert table.at["Kabupaten Kotawaringin Barat", "Capaian keluaran (%)"] == "100,0%"
    assert table.at["Kabupaten Kotawaringin Barat", "Serapan (%)"] == "90,0%"
    assert table.at["Kalimantan Tengah", "Pagu"] == "Rp 200 juta"
    assert table.at["Kalimantan Tengah", "Capaian keluaran (%)"] == "80,0%"
    assert table.at["Kabupaten Kapuas", "Kode kegiatan"] == "2.13.05.2.02"

    # one reporting area, every issue: Kotawaringin Barat's two activities
    at = sf.run_page("program", tahun="2024", isu_program="isu1", wilayah_kegiatan="62.01")
    at.toggle[0].set_value(False).run()
    assert not at.exception
    assert "2 kegiatan, pagu Rp 150 juta, terealisasi Rp 130 juta (86,7%)" in sf.page_text(at)
    table = _table(at, "Tahun")
    assert sorted(table["Isu"]) == sorted([sf.ISU_NAMA["isu1"], sf.ISU_NAMA["tujuan"]])


def test_issue_without_activity_is_empty_not_zero(snapshot: Path) -> None:
    at = sf.run_page("program", tahun="2024", isu_program="isu2")
    assert not at.exception
    assert "Tidak ada kegiatan." in sf.page_text(at)
    serapan = sf.figures(at)[0]
    assert set(_bars(serapan).values()) == {"–"}
    assert sf.REASON_NO_ACTIVITY in str(serapan)  # the grey bars' reason


def test_programme_beside_the_outcome_over_the_years(snapshot: Path) -> None:
    """Kapuas: no activity in 2023, Rp 40 of 80 juta in 2024; its headline outcome of issue 1
    (Serapan Dana Desa) 80,2% then 84,75%."""
    at = sf.run_page("program", tahun="2024", isu_program="isu1", kab="62.03")
    assert not at.exception
    assert "bukan" in sf.page_text(at)  # shown together, not cause and effect
    side = next(
        sf.shown_table(t) for t in at.dataframe if "Serapan Dana Desa" in sf.shown_table(t)
    ).set_index("Tahun")
    assert list(side.index) == ["2023", "2024"]
    serapan = "Serapan anggaran kegiatan Dinas"
    assert side.at["2023", serapan] == "–"
    assert side.at["2024", serapan] == "50,0%"
    assert side.at["2024", "Capaian keluaran kegiatan Dinas"] == "75,0%"
    assert side.at["2023", "Serapan Dana Desa"] == "80,2%"
    assert side.at["2024", "Serapan Dana Desa"] == "84,8%"


# --- Ringkasan and Isu Strategis: 'Program Dinas' beside the outcome cards -------------------


def _programme_cards(at) -> list[tuple[str, str]]:
    """The 'Program Dinas' cards' lines, in page order: (figure, value)."""
    return re.findall(r"(Serapan anggaran|Capaian keluaran): \*\*([^*]+)\*\*", sf.page_text(at))


def test_ringkasan_shows_each_issues_programme(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", tahun="2024")
    assert not at.exception
    # one pair per issue, in issue order: isu 1 and tujuan have activities, the others none
    assert _programme_cards(at) == [
        ("Serapan anggaran", "73,7%"),
        ("Capaian keluaran", "85,0%"),
        *[("Serapan anggaran", "–"), ("Capaian keluaran", "–")] * 3,
        ("Serapan anggaran", "80,0%"),
        ("Capaian keluaran", "50,0%"),
    ]
    assert sf.page_text(at).count("**Program Dinas**") == 5
    assert f"**Tidak ada nilai:** {sf.REASON_NO_ACTIVITY}" in sf.page_text(at)
    # against 2023 (80,0% and 100,0%): -6,3 and -15 points, in red (both are better higher)
    assert ":red[↓ -6,3 poin] dibanding 2023" in sf.page_text(at)
    assert ":red[↓ -15,0 poin] dibanding 2023" in sf.page_text(at)


def test_ringkasan_of_a_kabupaten_without_activity(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", tahun="2024", kab="62.71")
    assert not at.exception
    assert {v for _, v in _programme_cards(at)} == {"–"}


def test_isu_strategis_shows_the_areas_cards_and_programme(snapshot: Path) -> None:
    at = sf.run_page("isu", tahun="2024", isu="isu1", kab="62.03")
    assert not at.exception
    assert _programme_cards(at) == [("Serapan anggaran", "50,0%"), ("Capaian keluaran", "75,0%")]
    assert sf.metric(at, "Serapan Dana Desa").value == "84,8%"  # the issue's headline outcome
    assert "#### Kabupaten Kapuas" in sf.page_text(at)


# --- the briefing PDF's programme section ----------------------------------------------------


def _programme_section(document: str) -> list[str]:
    section = document.split("<h2>Program Dinas per isu strategis</h2>", 1)[1].split("<h2", 1)[0]
    return [c for c in re.sub(r"<[^>]+>", "|", section).split("|") if c.strip()]


def test_briefing_programme_of_the_province(snapshot: Path) -> None:
    path = snapshot / "published" / "dasbor.duckdb"
    cells = _programme_section(briefing.build_html(briefing.load(path, "62", 2024)))
    first = cells.index(sf.ISU_NAMA["isu1"])
    assert cells[first : first + 6] == [
        sf.ISU_NAMA["isu1"], "3", "Rp 380 juta", "Rp 280 juta", "73,7%", "85,0%",
    ]  # fmt: skip
    for isu in ("isu2", "isu3", "isu4"):
        i = cells.index(sf.ISU_NAMA[isu])
        assert cells[i + 1] == "tidak ada kegiatan"
    goal = cells.index(sf.ISU_NAMA["tujuan"])
    assert cells[goal : goal + 6] == [
        sf.ISU_NAMA["tujuan"], "1", "Rp 50 juta", "Rp 40 juta", "80,0%", "50,0%",
    ]  # fmt: skip
    assert any("semua kabupaten/kota" in c for c in cells)


def test_briefing_programme_of_a_kabupaten(snapshot: Path) -> None:
    path = snapshot / "published" / "dasbor.duckdb"
    cells = _programme_section(briefing.build_html(briefing.load(path, "62.03", 2024)))
    first = cells.index(sf.ISU_NAMA["isu1"])
    assert cells[first : first + 6] == [
        sf.ISU_NAMA["isu1"], "1", "Rp 80 juta", "Rp 40 juta", "50,0%", "75,0%",
    ]  # fmt: skip
    assert cells[cells.index(sf.ISU_NAMA["tujuan"]) + 1] == "tidak ada kegiatan"


def test_briefing_without_programme_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot from before program_kegiatan: the section says so, the rest still renders."""
    import duckdb

    data_dir = sf.prepare(tmp_path, monkeypatch)
    path = data_dir / "published" / "dasbor.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("drop table program_kegiatan")
    document = briefing.build_html(briefing.load(path, "62", 2024))
    assert "belum ada dalam data yang diterbitkan" in document
    assert "<h2>Kepatuhan pelaporan</h2>" in document
