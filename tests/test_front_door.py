"""The front door (issue 23): Caddy from pipelines.serve in front of two Streamlit workers.

Which worker answered is read from the X-Dasbor-Worker header that Caddy adds from the upstream
it actually proxied to; state.json in the run directory names each worker's port and process.
Both workers serve; a cookie keeps a session (pages, health, websocket) on one worker; a
publish shows on both without a restart; a worker killed mid-meeting is started again and a
reader's page in Chromium reconnects and renders; stopping the launcher leaves no process.
"""

import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from pipelines import serve
from tests.browser import (
    REPO,
    chromium,
    errors_on,
    free_port,
    served_dashboard,
    wait_rendered,
)
from tests.conftest import drop, run_pipeline
from tests.test_load import LAST_YEAR, STATE, page_run

pytestmark = pytest.mark.e2e

COOKIE = serve.STICKY_COOKIE


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """One village, 2024 and 2025 (state A: 10,0% of families poor, down 2,0 points)."""
    path = tmp_path_factory.mktemp("front_door") / "data"
    drop(path, "kemiskinan_desa", "2024.csv", LAST_YEAR)
    drop(path, "kemiskinan_desa", "2025_a.csv", STATE["A"][0])
    assert run_pipeline(path).success
    return path


@pytest.fixture(scope="module")
def front_door(data_dir):
    with served_dashboard(data_dir, workers=2) as url:
        yield url


def state(url: str, data_dir: Path) -> dict:
    port = url.rsplit(":", 1)[1]
    return json.loads((data_dir / "run" / f"front-door-{port}" / "state.json").read_text())


def worker_ports(url: str, data_dir: Path) -> set[int]:
    return {w["port"] for w in state(url, data_dir)["workers"]}


def get(url: str, path: str = "/", cookie: str | None = None) -> tuple[int, int, str | None]:
    """(status, the worker's port from Caddy's header, the sticky cookie Caddy set or None)."""
    request = urllib.request.Request(url + path)
    if cookie is not None:
        request.add_header("Cookie", f"{COOKIE}={cookie}")
    with urllib.request.urlopen(request, timeout=10) as response:
        set_cookie = [
            c.split(";")[0].split("=", 1)[1]
            for c in response.headers.get_all("Set-Cookie") or []
            if c.startswith(f"{COOKIE}=")
        ]
        return (
            response.status,
            int(response.headers[serve.WORKER_HEADER]),
            set_cookie[0] if set_cookie else None,
        )


def cookies_by_worker(url: str) -> dict[int, str]:
    """Clients without the cookie, until both workers have answered one (random choice: the
    chance that 40 clients all land on one of two workers is 2**-39)."""
    found: dict[int, str] = {}
    for _ in range(40):
        status, worker, cookie = get(url)
        assert status == 200
        assert cookie is not None, "a client without the cookie gets one"
        assert found.setdefault(worker, cookie) == cookie, "one cookie value per worker"
        if len(found) == 2:
            break
    return found


def test_caddy_validates_the_written_caddyfile_plain_domain_and_own_certificate(
    tmp_path, monkeypatch
):
    def validate() -> subprocess.CompletedProcess:
        config = tmp_path / "Caddyfile"
        config.write_text(serve.caddyfile(8501, [9001, 9002], tmp_path, "rahasia"))
        return subprocess.run(
            [serve.CADDY, "validate", "--config", str(config), "--adapter", "caddyfile"],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        )  # fmt: skip

    plain = validate()
    assert plain.returncode == 0, plain.stderr
    assert "auto_https off" in (tmp_path / "Caddyfile").read_text()
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("DASBOR_TLS_CERT", str(cert))
    monkeypatch.setenv("DASBOR_TLS_KEY", str(key))
    assert validate().returncode == 0
    # the check can fail: a certificate that is not there
    monkeypatch.setenv("DASBOR_TLS_CERT", str(tmp_path / "tidak-ada.pem"))
    assert validate().returncode != 0
    monkeypatch.delenv("DASBOR_TLS_CERT")
    monkeypatch.delenv("DASBOR_TLS_KEY")
    monkeypatch.setenv("DASBOR_SITE_ADDRESS", "dasbor.kalteng.go.id")
    domain = validate()
    assert domain.returncode == 0, domain.stderr
    written = (tmp_path / "Caddyfile").read_text()
    assert "dasbor.kalteng.go.id {" in written
    assert "auto_https" not in written.replace("# Plain HTTP", "")


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def test_both_workers_serve_and_a_client_without_the_cookie_gets_one(front_door, data_dir):
    found = cookies_by_worker(front_door)
    assert set(found) == worker_ports(front_door, data_dir)
    assert len(found) == 2


def test_a_session_stays_on_its_worker_for_pages_websocket_and_uploads(front_door):
    """Caddy adds no header to a websocket's 101 answer, so the websocket's worker is told by
    what only that worker knows: the session it opened. An upload into the session, sent with
    the same cookie, is accepted; sent with the other worker's cookie, that worker answers
    400 (Streamlit's "Invalid session_id", what readers would meet without stickiness)."""
    cookies = cookies_by_worker(front_door)
    for worker, cookie in cookies.items():
        for i in range(30):
            path = ["/", "/ringkasan", "/_stcore/health", "/_stcore/host-config"][i % 4]
            status, answered, new_cookie = get(front_door, path, cookie)
            assert (status, answered) == (200, worker), path
            assert new_cookie is None, "a valid cookie is kept, not replaced"
        other = next(c for w, c in cookies.items() if w != worker)

        async def session_then_uploads(cookie: str = cookie, other: str = other):
            uri = front_door.replace("http://", "ws://") + "/_stcore/stream"
            async with websockets.connect(
                uri, subprotocols=["streamlit"], max_size=None,
                additional_headers={"Cookie": f"{COOKIE}={cookie}"},
            ) as ws:  # fmt: skip
                run = await page_run(ws)
                return run, [
                    await asyncio.to_thread(upload, front_door, run["session_id"], c)
                    for c in (cookie, other, cookie)
                ]

        run, statuses = asyncio.run(session_then_uploads())
        assert run["exceptions"] == []
        assert run["card"] == STATE["A"][1] or run["card"] == STATE["B"][1]
        assert statuses[0] in (200, 204)
        assert statuses[1] == 400
        assert statuses[2] == statuses[0]


def upload(url: str, session_id: str, cookie: str) -> int:
    """PUT one small file into `session_id`'s uploads, as the page's uploader does."""
    request = urllib.request.Request(f"{url}/_stcore/health")  # the worker sets the XSRF cookie
    request.add_header("Cookie", f"{COOKIE}={cookie}")
    with urllib.request.urlopen(request, timeout=10) as response:
        xsrf = next(
            c.split(";")[0].split("=", 1)[1]
            for c in response.headers.get_all("Set-Cookie")
            if c.startswith("_streamlit_xsrf=")
        )
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\nkode_desa\r\n--x--\r\n"
    )
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/berkas-1", data=body, method="PUT",
        headers={"Content-Type": "multipart/form-data; boundary=x", "X-Xsrftoken": xsrf,
                 "Cookie": f"{COOKIE}={cookie}; _streamlit_xsrf={xsrf}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_a_publish_shows_on_every_worker_without_a_restart(front_door, data_dir):
    before = state(front_door, data_dir)["workers"]
    cookies = cookies_by_worker(front_door)

    async def cards_on_each_worker() -> dict[int, tuple[str, str]]:
        uri = front_door.replace("http://", "ws://") + "/_stcore/stream"
        cards = {}
        for worker, cookie in cookies.items():  # the cookie keeps the websocket on `worker`
            async with websockets.connect(
                uri, subprotocols=["streamlit"], max_size=None,
                additional_headers={"Cookie": f"{COOKIE}={cookie}"},
            ) as ws:  # fmt: skip
                cards[worker] = (await page_run(ws))["card"]
        return cards

    first = asyncio.run(cards_on_each_worker())
    assert set(first.values()) <= {STATE["A"][1], STATE["B"][1]}
    assert len(set(first.values())) == 1
    # publish the other state: 150 of 1000 families = 15,0%, up 3,0 points (or back to A)
    other = "B" if first[next(iter(first))] == STATE["A"][1] else "A"
    drop(data_dir, "kemiskinan_desa", f"2025_{other}_{time.time_ns()}.csv", STATE[other][0])
    assert run_pipeline(data_dir).success
    assert asyncio.run(cards_on_each_worker()) == dict.fromkeys(cookies, STATE[other][1])
    assert state(front_door, data_dir)["workers"] == before  # same processes, no restart


@pytest.mark.browser
def test_a_worker_killed_mid_meeting_is_restarted_and_its_reader_reconnects(front_door, data_dir):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sockets: list[tuple] = []  # (websocket, frames it received)

        def opened(ws) -> None:
            received: list = []

            def on_frame(frame) -> None:
                received.append(frame)

            ws.on("framereceived", on_frame)
            sockets.append((ws, received))

        page.on("websocket", opened)
        response = page.goto(f"{front_door}/ringkasan", timeout=60_000)
        wait_rendered(page)
        assert [len(frames) >= 3 for _, frames in sockets] == [True]
        worker = int(response.headers[serve.WORKER_HEADER.lower()])
        # the cards follow the script's run; after a publish the first run reads a cold cache
        page.get_by_text("Keluarga miskin (desil 1-4)").first.wait_for(timeout=30_000)
        killed = next(w for w in state(front_door, data_dir)["workers"] if w["port"] == worker)
        opened_before = len(sockets)
        os.killpg(killed["pid"], signal.SIGKILL)  # mid-meeting: no goodbye

        # The page opens a new websocket, through the proxy to the other worker. Streamlit's
        # page keeps what it shows and reruns at the reader's next step (the new worker does
        # not know the old session): the reader goes on to another page, and it renders.
        deadline = time.monotonic() + 60
        while not [ws for ws, _ in sockets[opened_before:] if not ws.is_closed()]:
            assert time.monotonic() < deadline, "the page did not reconnect"
            page.wait_for_timeout(250)
        reconnected = next(frames for ws, frames in sockets[opened_before:] if not ws.is_closed())
        assert reconnected == []  # nothing has run over it yet
        page.click('[data-testid="stSidebarNav"] a[href*="kabupaten"]')
        page.wait_for_function(
            "() => document.querySelector('h1')?.innerText.includes('Kabupaten/Kota')",
            timeout=60_000,
        )
        wait_rendered(page)
        assert len(reconnected) >= 3, "the page ran over the new websocket"
        assert errors_on(page) == []
        now_on = int(page.request.get(f"{front_door}/_stcore/health").headers[
            serve.WORKER_HEADER.lower()
        ])  # fmt: skip
        assert now_on != worker, "the reader's cookie now names a live worker"

    # pipelines.serve started the killed worker again on its port
    deadline = time.monotonic() + 60
    while True:
        again = next(w for w in state(front_door, data_dir)["workers"] if w["port"] == worker)
        if again["pid"] != killed["pid"] and serve.healthy(f"http://127.0.0.1:{worker}"):
            break
        assert time.monotonic() < deadline, "the killed worker was not started again"
        time.sleep(0.5)
    assert again["restarts"] == killed["restarts"] + 1


def test_stopping_the_launcher_stops_the_proxy_and_every_worker(data_dir):
    with served_dashboard(data_dir, workers=2) as url:
        running = state(url, data_dir)
        pids = [running["proxy_pid"], *(w["pid"] for w in running["workers"])]
        assert all(alive(pid) for pid in pids)
    assert [pid for pid in pids if alive(pid)] == []
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_provinces_own_certificate_serves_https_on_the_public_port(data_dir, tmp_path):
    """The one change docs/operations.md gives for the province's certificate (DASBOR_TLS_CERT/KEY
    put a `tls <cert> <key>` line into the site block), through the real launcher and Caddy."""
    cert, key = self_signed(tmp_path)
    port = free_port()
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DASBOR_DASHBOARD_WORKERS": "1",
           "DASBOR_TLS_CERT": str(cert), "DASBOR_TLS_KEY": str(key)}  # fmt: skip
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "pipelines.serve", "--no-dagster", "--dashboard-port", str(port)],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while serve.READY_LINE not in log.read_text(errors="replace"):
            assert launcher.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        assert f"https://127.0.0.1:{port}" in log.read_text()
        # verified against the province's certificate (it names 127.0.0.1 here)
        trusted = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(
            f"https://127.0.0.1:{port}/_stcore/health", timeout=10, context=trusted
        ) as response:
            assert response.status == 200
            assert response.headers[serve.WORKER_HEADER]
        # and nothing is served in plain text on that port any more
        with pytest.raises(urllib.error.HTTPError) as plain:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10)
        assert plain.value.code == 400
    finally:
        os.killpg(launcher.pid, signal.SIGTERM)
        launcher.wait(timeout=40)
