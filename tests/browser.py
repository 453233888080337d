"""Helpers for tests that serve the real dashboard and drive it in Debian's Chromium."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CHART = '[data-testid="stPlotlyChart"] .plot-container .main-svg'
ARTEFACTS = REPO / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_dashboard(data_dir: Path, port: int | None = None):
    """`streamlit run dashboards/app.py` in its own session; stopped with its process group."""
    port = port or free_port()
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", str(REPO / "dashboards" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    """Until the script run finished: the status widget shows no 'running' state."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const running = document.querySelector('[data-testid="stStatusWidget"]');
            return app && !running && document.querySelector('h1');
        }""",
        timeout=timeout_ms,
    )


def errors_on(page) -> list[str]:
    found = [e.inner_text() for e in page.query_selector_all('[data-testid="stException"]')]
    body = page.inner_text("body")
    if "Traceback" in body:
        found.append("Traceback in page text")
    return found
