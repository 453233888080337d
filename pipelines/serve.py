"""Serve the Dagster UI (port 3000) and the dashboard (port 8501) until stopped.

`dagster dev` started from a non-interactive shell with `&` ignores SIGINT and SIGTERM and
leaves orphans when killed (platform notes), so each server starts in its own session with
default signal handling, and stopping this launcher stops both process groups.
Usage: python -m pipelines.serve [--dagster-port 3000] [--dashboard-port 8501]
"""

import argparse
import contextlib
import math
import os
import signal
import subprocess
import sys
import time
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
"""


def _restore_default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
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


def stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def server_commands(
    dagster_port: int, dashboard_port: int, max_file_bytes: int = 512 * 1024**2
) -> list[list[str]]:
    """The two servers. The dashboard keeps Streamlit's XSRF protection on (said explicitly,
    so no config file can switch it off unnoticed: the upload page relies on it) and accepts
    uploads as large as the inbox does."""
    bin_dir = Path(sys.executable).parent
    upload_mb = str(max(1, math.ceil(max_file_bytes / 1024**2)))
    return [
        [
            str(bin_dir / "dagster"), "dev", "-w", str(REPO_ROOT / "workspace.yaml"),
            "-h", "127.0.0.1", "-p", str(dagster_port),
        ],
        [
            str(bin_dir / "streamlit"), "run", str(REPO_ROOT / "dashboards" / "app.py"),
            "--server.port", str(dashboard_port),
            # Loopback by default; a province serving officers over the network puts a reverse
            # proxy (TLS) in front, or sets DASBOR_DASHBOARD_ADDRESS=0.0.0.0 on a closed network.
            "--server.address", os.environ.get("DASBOR_DASHBOARD_ADDRESS", "127.0.0.1"),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "viewer",  # readers see no developer menu ("Deploy")
            "--server.enableXsrfProtection", "true", "--server.maxUploadSize", upload_mb,
        ],
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dagster-port", type=int, default=3000)
    parser.add_argument("--dashboard-port", type=int, default=8501)
    args = parser.parse_args()
    settings = Settings.from_env()
    settings.ensure_dirs()
    env = {
        **os.environ,
        "DASBOR_DATA_DIR": str(settings.data_dir),
        "DAGSTER_HOME": str(dagster_home()),
    }
    commands = server_commands(args.dagster_port, args.dashboard_port, settings.max_file_bytes)
    processes = [start(cmd, env) for cmd in commands]
    print(  # noqa: T201 - this is the launcher's own output
        f"Dagster UI: http://127.0.0.1:{args.dagster_port}  |  "
        f"Dasbor: http://127.0.0.1:{args.dashboard_port}  |  Ctrl+C untuk berhenti",
        flush=True,
    )
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        for process in processes:
            stop(process)


if __name__ == "__main__":
    main()
