"""The publish time is shown in WIB whatever the server's time zone (issue 12).

snapshot_info.diterbitkan_pada is a TIMESTAMP holding UTC (spec), or, should the pipeline store
it that way, a TIMESTAMPTZ. The reads and formatting run in a fresh interpreter per server zone,
because the process zone is fixed at start-up (DuckDB reads it when it opens a connection).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import snapshot_fixture as sf

# 2025-03-10 03:30 UTC is 10.30 in Palangka Raya (WIB, UTC+7); 2025-12-31 20:05 UTC is
# already New Year's Day there.
CASES = {
    "naive_utc": ("timestamp", "2025-03-10 03:30:00", "10 Maret 2025 pukul 10.30 WIB"),
    "aware_utc": ("timestamptz", "2025-03-10 03:30:00+00", "10 Maret 2025 pukul 10.30 WIB"),
    "aware_wib": ("timestamptz", "2025-03-10 10:30:00+07", "10 Maret 2025 pukul 10.30 WIB"),
    "new_year": ("timestamp", "2025-12-31 20:05:00", "1 Januari 2026 pukul 03.05 WIB"),
}

# Writes each case's snapshot_info, then reads it back through the dashboard's own path.
_SCRIPT = """
import json, os, sys
import duckdb
from dashboards import data
from laporan import formatting as fmt

shown = {}
for name, (data_dir, column_type, literal) in json.loads(sys.argv[1]).items():
    with duckdb.connect(os.path.join(data_dir, "published", "dasbor.duckdb")) as con:
        con.execute(
            f"create or replace table snapshot_info as select "
            f"'{literal}'::{column_type} as diterbitkan_pada, 'run' as run_id, "
            f"'62' as provinsi, 'Kalimantan Tengah' as nama_provinsi, 1 as versi_skema"
        )
    os.environ["DASBOR_DATA_DIR"] = data_dir
    value = data.info()["diterbitkan_pada"]
    shown[name] = [fmt.datetime_text(value), fmt.sortable_time(value)]
print(json.dumps(shown))
"""


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "America/New_York"])
def test_publish_time_is_shown_in_wib(
    zone: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = {}
    for name, (column_type, literal, _) in CASES.items():
        data_dir = sf.prepare(tmp_path / name, monkeypatch)
        cases[name] = [str(data_dir), column_type, literal]
    env = {**os.environ, "TZ": zone, "PYTHONPATH": str(sf.REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(cases)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    for name, (_, _, expected) in CASES.items():
        text, sortable = shown[name]
        assert text == expected, (zone, name)
        assert sortable.endswith(expected.split("pukul ")[1].removesuffix(" WIB")), (zone, name)
