"""SIGKILL at the worst moments: no file lost or duplicated, the snapshot stays the last good
one, the warehouse opens, and the next run publishes the right numbers."""

import hashlib
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.inbox import REPORT_SUFFIXES
from tests.conftest import drop, kpi_value, published, run_pipeline

pytestmark = pytest.mark.e2e

HEADER = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
GOOD_A = HEADER + "62.01.01.2001,2024,1000,400,100,10\n"  # 62.01: 25 %
GOOD_B = HEADER + "62.06.01.2001,2024,1000,500,50,5\n"  # 62.06: 10 %
BAD_C = HEADER + "62.13.01.2001,2024,1000,500,600,5\n"  # kk_miskin > jumlah_kk


def run_cli(data_dir: Path, home: Path, failpoint: str | None = None):
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(home)}
    env.pop("DASBOR_FAILPOINT", None)
    if failpoint:
        env["DASBOR_FAILPOINT"] = failpoint
    dagster = Path(sys.executable).parent / "dagster"
    return subprocess.run(
        [str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def stored_files(data_dir: Path) -> Counter:
    """SHA-256 of every data file in inbox/, archive/ and rejected/ (reports excluded)."""
    hashes = Counter()
    for folder in ("inbox", "archive", "rejected"):
        for path in (data_dir / folder).rglob("*"):
            if path.is_file() and not path.name.endswith(REPORT_SUFFIXES):
                hashes[hashlib.sha256(path.read_bytes()).hexdigest()] += 1
    return hashes


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    "point",
    [
        "ingest.mid_write",
        "ingest.after_commit",
        "ingest.after_reject_log",
        "publish.before_replace",
    ],
)
def test_sigkill_loses_nothing_and_keeps_last_good_snapshot(data_dir, tmp_path, point):
    home = tmp_path / "dagster_home"
    drop(data_dir, "kemiskinan_desa", "a.csv", GOOD_A)
    assert run_pipeline(data_dir).success  # the last good state; only the runs below are killed
    good_run = published(data_dir, "select run_id from snapshot_info")["run_id"][0]

    drop(data_dir, "kemiskinan_desa", "b.csv", GOOD_B)
    drop(data_dir, "kemiskinan_desa", "c.csv", BAD_C)
    killed = run_cli(data_dir, home, failpoint=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    # Every file the officers sent exists exactly once across inbox, archive and rejected.
    assert stored_files(data_dir) == Counter({sha(GOOD_A): 1, sha(GOOD_B): 1, sha(BAD_C): 1})
    # The published snapshot is still the last good one.
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == good_run
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 25.0
    # The warehouse opens.
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb")) as con:
        assert con.execute("select count(*) from kemiskinan_desa").fetchall()[0][0] >= 1

    # The next run completes and publishes the right numbers.
    rerun = run_cli(data_dir, home)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 25.0
    assert kpi_value(data_dir, "kabupaten", "62.06", 2024, "kk_miskin_pct")["nilai"] == 10.0
    assert kpi_value(data_dir, "kabupaten", "62.13", 2024, "kk_miskin_pct")["nilai"] is None
    assert stored_files(data_dir) == Counter({sha(GOOD_A): 1, sha(GOOD_B): 1, sha(BAD_C): 1})
    assert not any((data_dir / "inbox").rglob("*.csv"))
    rows = published(data_dir, "select count(*) as n from kemiskinan_desa")["n"][0]
    assert rows == 2
