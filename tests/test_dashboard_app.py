"""The st.navigation entrypoint and the filters shared by every page."""

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_entrypoint_renders_the_default_page(snapshot: Path) -> None:
    at = AppTest.from_file(str(sf.REPO / "dashboards" / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Ringkasan Provinsi"]
    # the sidebar is drawn once, by app.py, not again by the page
    assert [s.label for s in at.sidebar.selectbox] == ["Tahun", "Kabupaten/kota"]
    assert sf.metric(at, "Serapan Dana Desa").value == "87,5%"


def test_entrypoint_keeps_the_url_filters(snapshot: Path) -> None:
    at = AppTest.from_file(str(sf.REPO / "dashboards" / "app.py"), default_timeout=60)
    at.query_params["tahun"] = "2023"
    at.query_params["kab"] = "62.71"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == 2023
    assert at.sidebar.selectbox[1].value == "62.71"
    assert sf.metric(at, "Serapan Dana Desa").value == "–"


def test_invalid_url_values_fall_back_to_defaults(snapshot: Path) -> None:
    at = sf.run_page("ringkasan", tahun="1999", kab="99.99", kpi="tidak_ada")
    assert not at.exception
    assert at.query_params["tahun"] == "2024"
    assert "kab" not in at.query_params
    assert at.query_params["kpi"] == "serapan_dana_desa_pct"


def test_filters_persist_across_pages_in_one_session(snapshot: Path) -> None:
    """The choice is kept in the session (not only in widgets, which a page switch forgets)."""
    at = sf.run_page("ringkasan")
    at.sidebar.selectbox[1].select("62.03").run()
    assert at.session_state["_nilai_kab"] == "62.03"
    # another page, in a session that carries the choice (as after a page switch, when the
    # new page's widgets start empty)
    at2 = AppTest.from_file(str(sf.PAGES_DIR / "isu.py"), default_timeout=60)
    at2.session_state["_nilai_kab"] = at.session_state["_nilai_kab"]
    at2.run()
    assert at2.sidebar.selectbox[1].value == "62.03"
    assert at2.query_params["kab"] == "62.03"


def test_unreadable_snapshot_shows_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = sf.prepare(tmp_path, monkeypatch, snapshot=False)
    (data_dir / "published").mkdir()
    (data_dir / "published" / "dasbor.duckdb").write_bytes(b"bukan basis data")
    at = sf.run_page("isu")
    assert not at.exception
    assert any("tidak dapat dibaca" in e.value for e in at.error)


@pytest.mark.parametrize(
    "name", ["ringkasan", "kabupaten", "isu", "prioritas", "desa", "kualitas_data", "metadata"]
)
def test_every_page_without_a_snapshot(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sf.prepare(tmp_path, monkeypatch, snapshot=False)
    at = sf.run_page(name)
    assert not at.exception
    assert any("Belum ada data yang diterbitkan. Jalankan pipeline" in i.value for i in at.info)


def test_page_shows_a_newer_snapshot_on_the_next_run(snapshot: Path) -> None:
    """os.replace of the snapshot shows on the next interaction, without a restart."""
    at = sf.run_page("ringkasan")
    assert any(sf.STAMP in c.value for c in at.caption)
    assert at.warning  # sample data in the first snapshot
    sf.build_snapshot(snapshot, synthetic=False, diterbitkan_pada=datetime(2025, 4, 1, 1, 0))
    at.run()
    assert not at.exception
    assert any("1 April 2025 pukul 08.00 WIB" in c.value for c in at.caption)
    assert not at.warning


def test_pages_run_on_a_kalteng_sized_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page runs and reruns on 1 571 villages x 27 KPIs x 6 years without an error.

    Its speed (< 0.3 s server side) is measured in benchmarks/bench_dashboard.py, not here:
    a timed test on this shared 2-core machine would be flaky.
    """
    data_dir = sf.prepare(tmp_path, monkeypatch, snapshot=False, geojson=False)
    sf.build_kalteng_snapshot(data_dir, sf.REPO / "data" / "reference" / "wilayah_62.csv")
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(sf.REPO / "data" / "reference"))
    cases = [
        ("ringkasan", {}),
        ("kabupaten", {"kab": "62.03"}),
        ("isu", {}),
        ("prioritas", {}),
        ("prioritas", {"kab": "62.03"}),
        ("desa", {"desa": "62.03.01.2011"}),
        ("kualitas_data", {}),
        ("metadata", {}),
    ]
    for name, query in cases:
        at = sf.run_page(name, **query)
        assert not at.exception, name
        at.run()
        assert not at.exception, name
        assert at.title, name


def test_prioritas_page_is_in_the_navigation(snapshot: Path) -> None:
    at = AppTest.from_file(str(sf.REPO / "dashboards" / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/prioritas.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Desa Prioritas"]
    assert [s.label for s in at.sidebar.selectbox] == ["Tahun", "Kabupaten/kota"]


def test_every_page_has_its_own_url(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/ringkasan opens Ringkasan Provinsi (issue 12): Streamlit matches a URL against each
    page's public url_path, and serves the default page only at the root ("")."""
    import streamlit as st

    registered: list[list[st.Page]] = []
    navigation = st.navigation

    def recording_navigation(pages, **kwargs):  # type: ignore[no-untyped-def]
        registered.append(list(pages))
        return navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", recording_navigation)
    at = AppTest.from_file(str(sf.REPO / "dashboards" / "app.py"), default_timeout=60)
    at.query_params["kab"] = "62.03"
    at.run()
    assert not at.exception
    visible = {p.title: p.url_path for p in registered[-1] if p.visibility == "visible"}
    assert visible == {
        "Ringkasan Provinsi": "ringkasan",
        "Kabupaten/Kota": "kabupaten",
        "Isu Strategis": "isu",
        "Program & Kegiatan": "program",
        "Desa Prioritas": "prioritas",
        "Capaian Target": "capaian-target",
        "Desa": "desa",
        "Kualitas Data": "kualitas-data",
        "Metadata Indikator": "metadata",
        "Unggah Data": "unggah",
        "Notifikasi": "notifikasi",  # a login form until the admin logs in
    }
    # the root URL still opens Ringkasan Provinsi, with the link's filters
    assert [t.value for t in at.title] == ["Ringkasan Provinsi"]
    assert at.query_params["kab"] == "62.03"


def test_locked_snapshot_shows_an_indonesian_message(snapshot: Path) -> None:
    """A process holding the snapshot open for writing: DuckDB's English lock error stays in the
    folded technical details, the page says what happened in Indonesian (issue 12)."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         "con = duckdb.connect(sys.argv[1])\nprint('ok', flush=True)\ntime.sleep(60)",
         str(snapshot / "published" / "dasbor.duckdb")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ok"
        at = sf.run_page("isu")
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception
    notices = [w.value for w in at.warning] + [e.value for e in at.error]
    assert any("sedang digunakan oleh program lain" in n for n in notices), notices
    assert not any("lock" in n.lower() for n in notices)
    assert [e.label for e in at.expander] == ["Rincian teknis (untuk pengelola)"]
    assert "Could not set lock" in at.code[0].value


def test_unexpected_error_is_shown_in_indonesian(snapshot: Path) -> None:
    """An error no page expected (here a damaged boundary file) shows an Indonesian message,
    not Streamlit's English traceback (issue 12)."""
    reference = snapshot.parent / "reference"
    (reference / "kalteng_kabupaten.geojson").write_text("{ rusak", encoding="utf-8")
    at = AppTest.from_file(str(sf.REPO / "dashboards" / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Terjadi kesalahan saat menampilkan halaman ini" in e.value for e in at.error)
    assert "JSONDecodeError" in at.code[-1].value
    assert [t.value for t in at.title] == ["Ringkasan Provinsi"]
