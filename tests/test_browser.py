"""The dashboard in a real browser: every page opens with no error, filters change the view
and travel in the URL, downloads work, and a publish while the page is open is seen without
a restart. Screenshots of every page are kept in artifacts/screenshots/ to look at."""

import re

import pytest

from tests.browser import (
    ARTEFACTS,
    CHART,
    VIEWPORTS,
    chromium,
    errors_on,
    fits_the_screen,
    published_sample,
    scroll_to,
    served_dashboard,
    wait_rendered,
)
from tests.conftest import drop, published, run_pipeline

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PAGES = {
    "ringkasan": "Ringkasan Provinsi",
    "kabupaten": "Kabupaten",
    "isu": "Isu Strategis",
    "program": "Program & Kegiatan",
    "prioritas": "Desa Prioritas",
    "capaian-target": "Capaian Target",
    "desa": "Desa",
    "kualitas-data": "Kualitas Data",
    "metadata": "Metadata Indikator",
    "notifikasi": "Notifikasi",  # a login form until the admin logs in
}


@pytest.fixture(scope="module")
def sample_data_dir(tmp_path_factory):
    return published_sample(tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def dashboard(sample_data_dir):
    with served_dashboard(sample_data_dir) as url:
        yield url


def _page(browser, viewport: str = "desktop"):
    context = browser.new_context(**VIEWPORTS[viewport], accept_downloads=True)
    return context.new_page()


def _nav_paths(page) -> list[str]:
    links = page.query_selector_all('[data-testid="stSidebarNav"] a')
    return [
        re.sub(r"^https?://[^/]+/?", "", a.get_attribute("href") or "").split("?")[0] for a in links
    ]


def _sidebar_is_open(page) -> bool:
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    return box is not None and box["x"] + box["width"] > 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_opens_without_error_and_is_screenshotted(browser, dashboard, viewport):
    """Every page at desktop and phone size. On a phone each page opens with the sidebar
    closed and fits the screen: no sideways scrolling, wide tables scroll inside themselves."""
    page = _page(browser, viewport)
    page.goto(dashboard, timeout=60_000)
    wait_rendered(page)
    paths = _nav_paths(page)
    assert set(PAGES) <= set(paths), paths
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for path in sorted(paths):
        # The drill-down pages are shown for one kabupaten, as a leader would use them.
        query = "?kab=62.06" if path in ("kabupaten", "prioritas") else ""
        page.goto(f"{dashboard}/{path}{query}", timeout=60_000)
        wait_rendered(page)
        if path in ("ringkasan", "kabupaten", "isu"):
            page.wait_for_selector(CHART, state="attached", timeout=60_000)
        assert errors_on(page) == [], path
        title = page.inner_text("h1")
        if path in PAGES:
            assert PAGES[path] in title
        if viewport == "phone":
            assert not _sidebar_is_open(page), f"{path}: the sidebar covers the page"
            assert fits_the_screen(page) == [], path
        else:
            assert _sidebar_is_open(page), path
        page.screenshot(path=str(ARTEFACTS / f"{path}_{viewport}.png"), full_page=True)
    page.context.close()


def test_every_page_opens_at_its_own_url(browser, dashboard):
    """A bookmarked /ringkasan opens the page, not Streamlit's "Page not found" (issue 12)."""
    page = _page(browser)
    for path, title in PAGES.items():
        page.goto(f"{dashboard}/{path}?tahun=2023", timeout=60_000)
        wait_rendered(page)
        assert title in page.inner_text("h1"), path
        assert "Page not found" not in page.inner_text("body"), path
        assert re.search(rf"/{path}\?", page.url), page.url
    # the root URL forwards to /ringkasan and keeps a shared link's filters
    page.goto(f"{dashboard}/?kab=62.06&tahun=2023", timeout=60_000)
    page.wait_for_url(re.compile(r"/ringkasan\?.*kab=62\.06"), timeout=30_000)
    wait_rendered(page)
    assert "Ringkasan Provinsi" in page.inner_text("h1")
    assert "tahun=2023" in page.url
    page.context.close()


def _choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]', has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()
    wait_rendered(page)


def test_filters_change_the_view_and_travel_in_the_url(browser, dashboard):
    page = _page(browser)
    page.goto(f"{dashboard}/kabupaten", timeout=60_000)
    wait_rendered(page)
    _choose(page, "Kabupaten", "Kabupaten Katingan")
    page.wait_for_function("() => location.search.includes('kab=62.06')", timeout=30_000)
    assert "Katingan" in page.inner_text("h1") + page.inner_text("main")
    _choose(page, "Tahun", "2023")
    page.wait_for_function("() => location.search.includes('tahun=2023')", timeout=30_000)
    assert errors_on(page) == []
    shared = page.url
    # A shared link opens the same view in a fresh browser context.
    other = _page(browser)
    other.goto(shared, timeout=60_000)
    wait_rendered(other)
    other.wait_for_function(
        "() => document.querySelector('main').innerText.includes('Tahun 2023')", timeout=30_000
    )
    assert "Katingan" in other.inner_text("main")
    # The filter persists when switching page through the navigation.
    other.click('[data-testid="stSidebarNav"] a[href*="isu"]')
    wait_rendered(other)
    other.wait_for_function("() => location.search.includes('kab=62.06')", timeout=30_000)
    assert errors_on(other) == []
    page.context.close()
    other.context.close()


def test_table_downloads_as_csv(browser, dashboard, tmp_path):
    page = _page(browser)
    page.goto(f"{dashboard}/metadata", timeout=60_000)
    wait_rendered(page)
    button = page.locator('[data-testid="stDownloadButton"] button:visible', has_text="CSV").first
    with page.expect_download(timeout=30_000) as download:
        button.click()
    target = tmp_path / "unduhan.csv"
    download.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "kk_miskin_pct" in text
    page.context.close()


def test_publish_while_the_page_is_open_is_seen_without_restart(
    browser, dashboard, sample_data_dir
):
    page = _page(browser)
    page.goto(dashboard, timeout=60_000)
    wait_rendered(page)
    before = published(sample_data_dir, "select diterbitkan_pada from snapshot_info")[0, 0]
    # A second materialization while the dashboard has the snapshot open: no lock error.
    drop(sample_data_dir, "kemiskinan_desa", "tambahan.csv",
         "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
         "62.01.01.2001,2025,1000,300,45,10\n")  # fmt: skip
    assert run_pipeline(sample_data_dir).success
    after = published(sample_data_dir, "select diterbitkan_pada from snapshot_info")[0, 0]
    assert after > before
    page.reload()
    wait_rendered(page)
    assert errors_on(page) == []
    stamp = f"{after.minute:02d}"
    assert "Data per" in page.inner_text("main")
    assert stamp in page.inner_text("main")
    page.context.close()


def test_priority_page_lists_villages_and_downloads_them(
    browser, dashboard, sample_data_dir, tmp_path
):
    top = published(
        sample_data_dir,
        "select nama_desa, alasan from desa_prioritas where kode_kab = '62.06' and "
        "tahun = (select max(tahun) from desa_prioritas) and peringkat_kab = 1",
    )
    page = _page(browser)
    page.goto(f"{dashboard}/prioritas?kab=62.06", timeout=60_000)
    wait_rendered(page)
    assert errors_on(page) == []
    button = page.locator('[data-testid="stDownloadButton"] button:visible', has_text="CSV").first
    with page.expect_download(timeout=30_000) as download:
        button.click()
    target = tmp_path / "prioritas.csv"
    download.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert top["nama_desa"][0] in text
    assert top["alasan"][0].split(",")[0] in text
    page.context.close()


def test_priority_reasons_are_readable_in_full(browser, dashboard, sample_data_dir):
    """Each reason of the province top list is on the page in full, not cut at a column edge
    (issue 12): a grid draws cells on a canvas and truncates them, a wrapping table does not."""
    top = published(
        sample_data_dir,
        "select alasan from desa_prioritas where status = 'dinilai' and "
        "tahun = (select max(tahun) from desa_prioritas) order by skor desc limit 20",
    )
    page = _page(browser)
    page.goto(f"{dashboard}/prioritas", timeout=60_000)
    wait_rendered(page)
    # the list comes after the cards: wait until the page has drawn it
    page.get_by_role("columnheader", name="Alasan").first.wait_for(timeout=60_000)
    assert errors_on(page) == []
    shown = page.inner_text("main")
    longest = max(top["alasan"], key=len)
    assert len(longest) > 60
    assert longest in shown
    assert all(reason in shown for reason in top["alasan"])
    page.context.close()


def test_new_views_capaian_target_transition_matrix_and_desa_radar(
    browser, dashboard, sample_data_dir
):
    """Issues 17 and 18: the Capaian Target page, the IDM -> Indeks Desa matrix of a kabupaten
    and the six-dimension radar of a desa open without error; screenshots to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser)
    page.goto(f"{dashboard}/capaian-target?kab=62.06", timeout=60_000)
    wait_rendered(page)
    page.wait_for_selector(CHART, state="attached", timeout=60_000)
    assert errors_on(page) == []
    main = page.inner_text("main")
    assert "Indikator bertarget" in main
    assert "tertinggal dari jalur" in main
    page.screenshot(path=str(ARTEFACTS / "capaian-target-62.06.png"), full_page=True)

    page.goto(f"{dashboard}/kabupaten?kab=62.06", timeout=60_000)
    wait_rendered(page)
    page.get_by_role("tab", name="Perpindahan status").click()  # built when opened
    matrix = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".heatmaplayer"))
    matrix.first.wait_for(timeout=60_000)
    assert errors_on(page) == []
    assert "Perpindahan status: IDM ke Indeks Desa" in page.inner_text("main")
    scroll_to(matrix.first)
    matrix.first.screenshot(path=str(ARTEFACTS / "matriks-transisi-62.06.png"))
    page.screenshot(path=str(ARTEFACTS / "kabupaten-62.06-lengkap.png"), full_page=True)

    kode = published(
        sample_data_dir,
        "select kode_desa from indeks_desa where kode_kab = '62.06' "
        "and tahun = (select max(tahun) from indeks_desa) order by kode_desa limit 1",
    )["kode_desa"][0]
    page.goto(f"{dashboard}/desa?desa={kode}", timeout=60_000)
    wait_rendered(page)
    radar = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(".polarlayer"))
    radar.first.wait_for(timeout=60_000)
    assert errors_on(page) == []
    page.get_by_text("Dimensi terlemah desa").first.wait_for(timeout=60_000)
    assert "menurut Indeks Desa" in page.inner_text("main")
    scroll_to(radar.first)
    page.screenshot(path=str(ARTEFACTS / "desa-radar.png"))

    # the KPI cards with a target (tujuan: poverty), as a leader sees them
    page.goto(f"{dashboard}/ringkasan?kab=62.06", timeout=60_000)
    wait_rendered(page)
    card = page.get_by_text("Target 2025:").first
    card.wait_for(timeout=60_000)
    scroll_to(card)
    page.wait_for_timeout(2000)  # the cards scrolled into view draw their values
    assert errors_on(page) == []
    page.screenshot(path=str(ARTEFACTS / "kartu-target-62.06.png"))
    page.context.close()


ADMIN_SANDI = "sandi-admin-browser"
ADDRESS = "petugas.kapuas@kapuaskab.go.id"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reporting_calendar_late_line_and_admin_outbox(
    browser, dashboard, sample_data_dir, viewport
):
    """Issue 24 on the published sample: the calendar grid, the on-time rate and the late list
    on Kualitas Data; the late line on Ringkasan leads there; the admin logs in to Notifikasi
    and sees the outbox with no address. At desktop and phone size (fits 390 px: the grid and
    tables scroll inside themselves); screenshots to look at."""
    from datetime import UTC, datetime

    from pengguna.store import AccountStore
    from pipelines.notifikasi.kirim import deliver
    from pipelines.notifikasi.pesan import Message

    store = AccountStore(sample_data_dir / "akun")
    if "admin.browser" not in {a.nama for a in store.list()}:
        store.add("admin.browser", ADMIN_SANDI, "admin", None, {})
        message = Message("petugas.kapuas", ADDRESS, "Pengingat: data belum dikirim", "Yth. ...")
        deliver([message], None, sample_data_dir / "kotak_keluar", now=datetime.now(UTC))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, viewport)

    page.goto(f"{dashboard}/kualitas-data", timeout=60_000)
    wait_rendered(page)
    page.get_by_text("Tepat waktu: Kalimantan Tengah").first.wait_for(timeout=60_000)
    late = page.get_by_role("columnheader", name="Status").first
    late.wait_for(timeout=60_000)
    assert errors_on(page) == []
    main = page.inner_text("main")
    assert "Kepatuhan pelaporan" in main
    assert re.search(r"Tepat waktu: Kalimantan Tengah, \d{4}\s+\d+,\d%", main), main[:2000]
    assert "⚠ terlambat" in main or "✗ belum dikirim" in main
    assert "Waktu terimanya adalah saat data contoh dimuat" in main  # the sample is said so
    if viewport == "phone":
        assert fits_the_screen(page) == [], "kualitas-data"
    scroll_to(page.get_by_text("Tepat waktu: Kalimantan Tengah").first)
    page.mouse.wheel(0, 300)  # the rate and the grid below it
    page.wait_for_timeout(1500)  # the grid draws its canvas once in view
    page.screenshot(path=str(ARTEFACTS / f"kepatuhan_{viewport}.png"))
    page.screenshot(path=str(ARTEFACTS / f"kualitas-data-kepatuhan_{viewport}.png"), full_page=True)

    # Ringkasan: the late line, whose link opens Kualitas Data
    page.goto(f"{dashboard}/ringkasan", timeout=60_000)
    wait_rendered(page)
    link = page.get_by_role("link", name=re.compile("lihat Kualitas Data"))
    link.wait_for(timeout=60_000)
    assert "Terlambat (belum dikirim):" in page.inner_text("main")
    if viewport == "desktop":
        link.click()
        page.wait_for_url(re.compile(r"/kualitas-data"), timeout=30_000)
        wait_rendered(page)
        assert "Kualitas Data" in page.inner_text("h1")

    # Notifikasi: the admin's outbox and log, no address
    page.goto(f"{dashboard}/notifikasi", timeout=60_000)
    wait_rendered(page)
    page.get_by_label("Nama pengguna").wait_for(timeout=30_000)
    page.get_by_label("Nama pengguna").fill("admin.browser")
    page.get_by_label("Kata sandi").fill(ADMIN_SANDI)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Pengingat: data belum dikirim").first.wait_for(timeout=60_000)
    wait_rendered(page)
    assert errors_on(page) == []
    main = page.inner_text("main")
    assert "Kotak keluar" in main
    assert "Catatan notifikasi" in main
    assert ADDRESS not in main
    assert "@" not in main
    if viewport == "phone":
        assert fits_the_screen(page) == [], "notifikasi"
    page.screenshot(path=str(ARTEFACTS / f"notifikasi_{viewport}.png"), full_page=True)
    page.context.close()
