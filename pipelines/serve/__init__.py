"""Serve the Dagster UI (loopback port 3000) and the dashboard's front door (port 8501).

The front door is Caddy on the public port, in front of N Streamlit workers on loopback ports
(`DASBOR_DASHBOARD_WORKERS`, default one per core this process may use). A worker that dies is
started again on its port, with a growing pause; Caddy's health checks keep readers off it
meanwhile. The Dagster UI stays on loopback and is never proxied.

`dagster dev` started from a non-interactive shell with `&` ignores SIGINT and SIGTERM and
leaves orphans when killed, so each server starts in its own session with default signal
handling, and stopping this launcher (Ctrl+C, SIGTERM) stops every process group.
Usage: python -m pipelines.serve [--dagster-port 3000] [--dashboard-port 8501] [--no-dagster]
"""

import argparse
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.settings import REPO_ROOT, Settings

DAGSTER_YAML = """\
# Written by pipelines.serve. One run at a time: runs share one DuckDB warehouse file.
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
telemetry:
  enabled: false
# No "Join the Dagster community" sign-up box on an analyst's first visit (it asks for an
# e-mail address and the UI cannot reach the internet here anyway).
nux:
  enabled: false
"""
WRITTEN_BY_US = DAGSTER_YAML.splitlines()[0]
CADDYFILE_TEMPLATE = Path(__file__).with_name("Caddyfile.template")
CADDY = "/usr/bin/caddy"
# The upstream port Caddy answered from, on every proxied response.
WORKER_HEADER = "X-Dasbor-Worker"
STICKY_COOKIE = "dasbor_pekerja"
READY_LINE = "Pintu depan dasbor siap"
RESTART_PAUSE_S = (1.0, 30.0)  # first pause before a restart, and the longest
STEADY_S = 60.0  # a worker up this long is healthy again: its next restart pauses briefly


def _restore_default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # Ours from an earlier version is brought up to date; an analyst's own file is left alone.
    if not config.exists() or (
        config.read_text(encoding="utf-8").startswith(WRITTEN_BY_US)
        and config.read_text(encoding="utf-8") != DAGSTER_YAML
    ):
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def start(command: list[str], env: dict[str, str], output=None) -> subprocess.Popen:
    """One server in its own session; `output` (a file) takes its log instead of the terminal."""
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,
        preexec_fn=_restore_default_signals,  # noqa: PLW1509 - only resets signal dispositions
    )


def stop(*processes: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGTERM every process group at once, then SIGKILL what is left after `timeout`."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def server_commands(
    dagster_port: int, dashboard_port: int, max_file_bytes: int = 512 * 1024**2
) -> list[list[str]]:
    """The Dagster UI and one dashboard worker. The worker keeps Streamlit's XSRF protection on
    (said explicitly, so no config file can switch it off unnoticed: the upload page relies on
    it) and accepts uploads as large as the inbox does. Both listen on loopback only: readers
    reach the workers through the front door, and nobody reaches Dagster from outside."""
    bin_dir = Path(sys.executable).parent
    upload_mb = str(max(1, math.ceil(max_file_bytes / 1024**2)))
    return [
        [
            str(bin_dir / "dagster"), "dev", "-w", str(REPO_ROOT / "workspace.yaml"),
            "-h", "127.0.0.1", "-p", str(dagster_port),
        ],
        [
            str(bin_dir / "streamlit"), "run", str(REPO_ROOT / "dashboards" / "app.py"),
            "--server.port", str(dashboard_port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "viewer",  # readers see no developer menu ("Deploy")
            "--server.enableXsrfProtection", "true", "--server.maxUploadSize", upload_mb,
            # Streamlit's full garbage collection after every page run took ~0.2 s of this app's
            # ~1.2 M objects under the GIL, 40 % of a warm Ringkasan run, and every other reader
            # waited (py-spy, benchmarks/bench_dashboard.py); Python's own collector still runs.
            "--runner.postScriptGC", "false",
            # No source watcher on a serving worker (without watchdog it polls every module).
            "--server.fileWatcherType", "none",
        ],
    ]  # fmt: skip


def worker_count() -> int:
    """DASBOR_DASHBOARD_WORKERS, else one per core: a Streamlit process runs every session's
    script in threads under one GIL, so it keeps about one core busy; more workers than cores
    only add memory and contention."""
    raw = os.environ.get("DASBOR_DASHBOARD_WORKERS", "").strip()
    if not raw:
        return max(1, len(os.sched_getaffinity(0)))
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"DASBOR_DASHBOARD_WORKERS harus bilangan bulat ≥ 1, bukan {raw!r}")
    return int(raw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def caddyfile(public_port: int, worker_ports: list[int], run_dir: Path, cookie_secret: str) -> str:
    """The template filled in. DASBOR_SITE_ADDRESS (a domain) replaces `:<port>` and lets Caddy
    get its certificate; DASBOR_TLS_CERT and DASBOR_TLS_KEY serve the province's own instead;
    DASBOR_DASHBOARD_ADDRESS binds the public port to one interface (e.g. 127.0.0.1)."""
    site = os.environ.get("DASBOR_SITE_ADDRESS", "").strip() or f":{public_port}"
    cert, key = (os.environ.get(f"DASBOR_TLS_{part}", "").strip() for part in ("CERT", "KEY"))
    if bool(cert) != bool(key):
        raise SystemExit("DASBOR_TLS_CERT dan DASBOR_TLS_KEY harus diisi bersama")
    address = os.environ.get("DASBOR_DASHBOARD_ADDRESS", "").strip()
    fields = {
        "auto_https": "auto_https off" if site.startswith(":") else "",
        "run_dir": str(run_dir),
        "site": site,
        "bind": f"bind {address}" if address else "",
        "tls": f"tls {cert} {key}" if cert else "",
        "upstreams": " ".join(f"127.0.0.1:{p}" for p in worker_ports),
        "cookie_name": STICKY_COOKIE,
        "cookie_secret": cookie_secret,
        "worker_header": WORKER_HEADER,
    }
    lines = []
    for line in CADDYFILE_TEMPLATE.read_text(encoding="utf-8").splitlines():
        filled = string.Template(line).substitute(fields)
        if filled.strip() or not line.strip():  # a field left empty leaves no blank line
            lines.append(filled)
    return "\n".join(lines) + "\n"


def run_directory(data_dir: Path, public_port: int) -> Path:
    """Where this instance writes its Caddyfile, Caddy's state and log, and state.json: one
    directory per public port, since one port has one front door at a time."""
    run_dir = data_dir / "run" / f"front-door-{public_port}"
    try:
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
    except OSError:  # a read-only data directory (a machine that only serves the snapshot)
        run_dir = Path(tempfile.mkdtemp(prefix=f"dasbor-front-door-{public_port}-"))
    return run_dir


def healthy(url: str) -> bool:
    # The launcher's own loopback probe asks only whether the proxy answers, so it does not
    # check the certificate (which names the province's domain, not 127.0.0.1).
    unchecked = ssl.create_default_context()
    unchecked.check_hostname, unchecked.verify_mode = False, ssl.CERT_NONE
    try:
        with urllib.request.urlopen(
            f"{url}/_stcore/health", timeout=2, context=unchecked
        ) as response:
            return response.status == 200
    except OSError:
        return False


def say(message: str) -> None:
    print(f"[pipelines.serve] {message}", flush=True)  # noqa: T201 - the launcher's own output


@dataclass
class Worker:
    """One dashboard worker on a fixed loopback port, started again whenever it dies."""

    port: int
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause_s: float = RESTART_PAUSE_S[0]
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self, env: dict[str, str]) -> None:
        self.process = start(self.command, env)
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self, env: dict[str, str]) -> bool:
        """Restart a dead worker once its pause is over; True when it was (re)started."""
        now = time.monotonic()
        if self.process is not None and self.process.poll() is not None and self.restart_at is None:
            if now - self.started_at >= STEADY_S:
                self.pause_s = RESTART_PAUSE_S[0]
            say(
                f"pekerja dasbor di port {self.port} berhenti (kode {self.process.returncode}); "
                f"dimulai lagi dalam {self.pause_s:.0f} detik"
            )
            self.restart_at = now + self.pause_s
            self.pause_s = min(self.pause_s * 2, RESTART_PAUSE_S[1])
        if self.restart_at is not None and now >= self.restart_at:
            self.start(env)
            self.restarts += 1
            return True
        return False


def write_state(run_dir: Path, workers: list[Worker], proxy: subprocess.Popen | None) -> None:
    """state.json: the proxy's and each worker's process id and port, for operators and tests."""
    state = {
        "proxy_pid": proxy.pid if proxy is not None else None,
        "workers": [
            {"port": w.port, "pid": w.process.pid, "restarts": w.restarts} for w in workers
        ],
    }
    tmp = run_dir / "state.json.tmp"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, run_dir / "state.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dagster-port", type=int, default=3000)
    parser.add_argument("--dashboard-port", type=int, default=8501, help="the public port")
    parser.add_argument(
        "--no-dagster", action="store_true", help="serve only the dashboard's front door"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    settings.ensure_dirs()
    run_dir = run_directory(settings.data_dir, args.dashboard_port)
    env = {**os.environ, "DASBOR_DATA_DIR": str(settings.data_dir)}
    if not args.no_dagster:
        env["DAGSTER_HOME"] = str(dagster_home())
    # Workers share one cookie secret, so a reader moved to another worker keeps valid cookies.
    worker_env = {
        **env,
        "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
        or secrets.token_hex(32),
    }
    dagster_cmd, worker_cmd = server_commands(
        args.dagster_port, 0, settings.max_file_bytes
    )  # the worker's port is filled in per worker below
    port_flag = worker_cmd.index("--server.port") + 1
    workers = []
    for port in (free_port() for _ in range(worker_count())):
        command = list(worker_cmd)
        command[port_flag] = str(port)
        workers.append(Worker(port, command))
    config = run_dir / "Caddyfile"
    config.write_text(
        caddyfile(args.dashboard_port, [w.port for w in workers], run_dir, secrets.token_hex(16)),
        encoding="utf-8",
    )
    config.chmod(0o600)  # it holds the cookie secret
    caddy_env = {
        **env,
        "XDG_DATA_HOME": str(run_dir / "xdg-data"),
        "XDG_CONFIG_HOME": str(run_dir / "xdg-config"),
    }

    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    dagster = start(dagster_cmd, env) if not args.no_dagster else None
    proxy = None
    caddy_log = (run_dir / "caddy.log").open("ab")
    for worker in workers:
        worker.start(worker_env)
    write_state(run_dir, workers, proxy)
    # A domain as the site address answers only that name on 443: the probe then waits for
    # the workers alone. With the province's certificate on the port, it asks over HTTPS.
    domain = os.environ.get("DASBOR_SITE_ADDRESS", "").strip()
    scheme = "https" if os.environ.get("DASBOR_TLS_CERT", "").strip() else "http"
    public = f"https://{domain}" if domain else f"{scheme}://127.0.0.1:{args.dashboard_port}"
    try:
        # The proxy opens once every worker answers (or after 90 s with those that do), so
        # /_stcore/health through it says 200 only when a worker is there to serve.
        opens_by = time.monotonic() + 90
        ready = False
        while not stopping:
            if any(w.check(worker_env) for w in workers):
                write_state(run_dir, workers, proxy)
            if dagster is not None and dagster.poll() is not None:
                say(f"Dagster berhenti (kode {dagster.returncode}); semua layanan dihentikan")
                return 1
            if proxy is None and (
                all(healthy(f"http://127.0.0.1:{w.port}") for w in workers)
                or time.monotonic() > opens_by
            ):
                proxy = start([CADDY, "run", "--config", str(config), "--adapter", "caddyfile"],
                              caddy_env, output=caddy_log)  # fmt: skip
                write_state(run_dir, workers, proxy)
            if proxy is not None and proxy.poll() is not None:
                say(f"Caddy berhenti (kode {proxy.returncode}); lihat {run_dir / 'caddy.log'}")
                return 1
            if proxy is not None and not ready and (domain or healthy(public)):
                ready = True
                dagster_note = (
                    f"Dagster UI (hanya loopback): http://127.0.0.1:{args.dagster_port}  |  "
                    if dagster is not None
                    else ""
                )
                say(
                    f"{READY_LINE}: {public} ({len(workers)} pekerja, port "
                    f"{', '.join(str(w.port) for w in workers)})  |  {dagster_note}"
                    "Ctrl+C untuk berhenti"
                )
            time.sleep(0.25 if not ready else 0.5)
        return 0
    finally:
        stop(*[p for p in (proxy, *(w.process for w in workers), dagster) if p is not None])
        caddy_log.close()
