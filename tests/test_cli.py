"""The analyst's CLI run, as a real process: `dagster asset materialize --select '*'`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import drop, kpi_value

pytestmark = pytest.mark.e2e

FILE = """kode_desa;tahun;jumlah_penduduk;jumlah_kk;kk_miskin;kk_miskin_ekstrem
62.06.01.2001;2025;1.200;400;100;25
"""


def materialize(data_dir: Path, dagster_home: Path) -> subprocess.CompletedProcess:
    dagster = Path(sys.executable).parent / "dagster"
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(dagster_home)}
    return subprocess.run(
        [str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_cli_run_takes_pending_files_and_publishes(data_dir, tmp_path):
    drop(data_dir, "kemiskinan_desa", "katingan_2025.csv", FILE)
    result = materialize(data_dir, tmp_path / "dagster_home")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RUN_SUCCESS" in result.stderr
    assert kpi_value(data_dir, "kabupaten", "62.06", 2025, "kk_miskin_pct")["nilai"] == 25.0
    # With an empty inbox it still rebuilds and publishes.
    snapshot = data_dir / "published" / "dasbor.duckdb"
    before = snapshot.stat().st_ino
    again = materialize(data_dir, tmp_path / "dagster_home")
    assert again.returncode == 0, again.stderr[-3000:]
    assert snapshot.stat().st_ino != before
