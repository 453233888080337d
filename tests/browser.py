"""Helpers for tests that serve the real dashboard and drive it in Debian's Chromium."""

import atexit
import fcntl
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from laporan.briefing import CHROMIUM, CHROMIUM_ARGS  # the one browser the project prints with

REPO = Path(__file__).resolve().parents[1]
CHART = '[data-testid="stPlotlyChart"] .plot-container .main-svg'
ARTEFACTS = REPO / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, seconds: float = 60) -> None:
    """Until Streamlit answers its health check; raise if it does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# A folder every pytest-xdist worker of one test run shares (tests/conftest.py sets it).
RUN_SHARED_DIR: Path | None = None


def published_sample(data_dir: Path) -> Path:
    """The built-in sample through the real pipeline into `data_dir`: what `make run` shows.

    Built once per test run (about a minute) and copied for every later caller: a finished
    data directory holds only relative paths, and each caller may change its own copy."""
    shutil.copytree(_finished_sample(), data_dir, dirs_exist_ok=True)
    return data_dir


@functools.cache
def _finished_sample() -> Path:
    """The first worker to ask builds it, under a lock; the other waits and reuses it."""
    if RUN_SHARED_DIR is None:  # outside a pytest run
        folder = Path(tempfile.mkdtemp(prefix="dasbor-sample-"))
        atexit.register(shutil.rmtree, folder, True)
    else:
        folder = RUN_SHARED_DIR / "published-sample"
        folder.mkdir(parents=True, exist_ok=True)
    built, done = folder / "data", folder / "done"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(built, ignore_errors=True)  # a worker that died mid-build
            _build_sample(built)
            done.touch()
    return built


def _build_sample(data_dir: Path) -> None:
    from pipelines.sample_data.__main__ import main as generate_sample
    from tests.conftest import run_pipeline

    old = os.environ.get("DASBOR_DATA_DIR")
    os.environ["DASBOR_DATA_DIR"] = str(data_dir)
    try:
        assert generate_sample(["--out", str(data_dir / "inbox")]) == 0
        assert run_pipeline(data_dir).success
    finally:
        if old is None:
            os.environ.pop("DASBOR_DATA_DIR", None)
        else:
            os.environ["DASBOR_DATA_DIR"] = old


@contextmanager
def chromium():
    """Debian's Chromium under Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def served_dashboard(data_dir: Path, port: int | None = None, workers: int = 2, log=None):
    """The dashboard through its real front door, as `make run` serves it: `python -m
    pipelines.serve --no-dagster` puts Caddy on `port` in front of `workers` Streamlit workers.
    Yields the public URL once it answers; stopping the launcher stops the proxy and workers.
    `log` (a path) takes the launcher's and the workers' output."""
    port = port or free_port()
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DASBOR_DASHBOARD_WORKERS": str(workers)}
    output = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.serve", "--no-dagster", "--dashboard-port", str(port)],
        cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            assert process.poll() is None, f"pipelines.serve stopped ({process.returncode})"
            assert time.monotonic() < deadline, f"{url} did not answer within 120 s"
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the launcher stops its own process groups
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        if log is not None:
            output.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def streamlit_alone(data_dir: Path, tree: Path = REPO):
    """One bare `streamlit run dashboards/app.py`, no launcher and no proxy: for a test's
    counter-check of a setting that pipelines.serve fixes on the command line, and for the
    benchmark's baseline, an older commit's `tree` (its own modules first on the path)."""
    port = free_port()
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "PYTHONPATH": str(tree)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", str(tree / "dashboards" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, 120)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    """Until the page is drawn: the script run finished, as Streamlit's own browser tests wait
    (the app is connected and its script state is `notRunning`; it is `initial`, then `running`,
    while a page loads), and the browser has drawn what the run sent (no grey placeholder
    left: the chart and table code loads after the run, seconds later on two busy cores).
    Waiting for the status widget and the title alone shot Desa Prioritas as a title over
    empty boxes."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app
                && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-testid="stStatusWidget"]')
                && !document.querySelector('[data-testid="stSkeleton"]')
                && document.querySelector('h1');
        }""",
        timeout=timeout_ms,
    )


def scroll_to(locator, attempts: int = 5) -> None:
    """Scroll `locator` into view for a screenshot. A fragment that reruns on a timer (the
    upload page polls its files) may redraw the element mid-scroll, which Playwright reports
    as detached instead of retrying: try again on the redrawn element."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed(timeout=10_000)
            return
        except Error as e:
            if attempt == attempts - 1 or "not attached" not in str(e):
                raise


def errors_on(page) -> list[str]:
    found = [e.inner_text() for e in page.query_selector_all('[data-testid="stException"]')]
    body = page.inner_text("body")
    if "Traceback" in body:
        found.append("Traceback in page text")
    return found


VIEWPORTS = {
    "desktop": {"viewport": {"width": 1440, "height": 1000}},
    # A leader's phone (390 CSS px, as an iPhone 12-15): touch, mobile layout.
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

# Elements of the page reaching past the screen's right edge that no ancestor scrolls or clips
# inside the screen: on a phone these would make the reader scroll sideways.
OVERFLOWING = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const edge = window.innerWidth + 1;
    const contained = (e) => {
        for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
            const x = getComputedStyle(a).overflowX;
            if (x !== 'visible' && a.getBoundingClientRect().right <= edge) return true;
        }
        return false;
    };
    const loose = [...main.querySelectorAll('*')].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > edge && !contained(e);
    });
    const page = document.documentElement.scrollWidth > window.innerWidth ? ['document'] : [];
    return page.concat(loose.slice(0, 5).map((e) =>
        (e.getAttribute('data-testid') || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().right)));
}"""


def fits_the_screen(page) -> list[str]:
    """What still sticks out once the layout has settled (charts resize after drawing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with suppress(PlaywrightTimeout):  # the caller's assertion names what sticks out
        page.wait_for_function(f"() => ({OVERFLOWING})().length === 0", timeout=10_000)
    return page.evaluate(OVERFLOWING)
