"""Freshness: from a file landing in the inbox to the new figure in the published snapshot,
with the inbox sensor running under `dagster dev` (started as `make serve` does).

The figure is read the way the dashboard reads it (a short-lived read-only ATTACH of the
snapshot), so "visible" means: the dashboard's next interaction shows it.

    python -m benchmarks.bench_freshness [--runs 3]
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb

from benchmarks.common import percentiles, report

REPO = Path(__file__).resolve().parents[1]
HEADER = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"


def read_value(snapshot: Path, tahun: int) -> float | None:
    if not snapshot.exists():
        return None
    con = duckdb.connect()
    try:
        con.execute("attach ? as snap (read_only)", [str(snapshot)])
        rows = con.execute(
            "select nilai from snap.kpi where tingkat = 'kabupaten' and kode_wilayah = '62.01' "
            "and tahun = ? and kpi_id = 'kk_miskin_pct'",
            [tahun],
        ).fetchall()
        return rows[0][0] if rows else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def run(runs: int = 3, dagster_port: int = 3930, dashboard_port: int = 8930) -> dict:
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        env = {
            **os.environ,
            "DASBOR_DATA_DIR": str(data_dir),
            "DAGSTER_HOME": str(Path(tmp) / "home"),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "pipelines.serve", "--dagster-port", str(dagster_port),
             "--dashboard-port", str(dashboard_port)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_http(f"http://127.0.0.1:{dagster_port}/server_info", 120)
            snapshot = data_dir / "published" / "dasbor.duckdb"
            for i in range(runs):
                tahun = 2015 + i
                kk_miskin = 10 * (i + 1)
                staging = Path(tmp) / f"drop_{i}.csv"
                staging.write_text(HEADER + f"62.01.01.2001,{tahun},1000,100,{kk_miskin},1\n")
                target = data_dir / "inbox" / "kemiskinan_desa" / staging.name
                target.parent.mkdir(parents=True, exist_ok=True)
                start = time.perf_counter()
                shutil.move(staging, target)  # lands at once, as a finished copy would
                while read_value(snapshot, tahun) != float(kk_miskin):
                    if time.perf_counter() - start > 300:
                        raise TimeoutError("the new figure did not appear within 300 s")
                    time.sleep(0.25)
                samples.append(time.perf_counter() - start)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    stats = percentiles(samples)
    return report(
        "freshness_inbox_to_dashboard",
        {
            "runs": runs,
            "seconds": [round(s, 1) for s in samples],
            "p50_s": round(stats["p50"], 1),
            "max_s": round(max(samples), 1),
            "goal": "under 60 s from inbox to dashboard",
            "met": max(samples) < 60,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run(args.runs)
