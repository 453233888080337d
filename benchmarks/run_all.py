"""Run all six benchmarks on national-scale data (and the dashboard on Kalteng as well).

    make bench        # = python -m benchmarks.run_all [--workdir DIR]

Results go to benchmarks/results/*.json (and the dashboard's load curve as .svg);
docs/performance.md quotes them. Takes about 40 minutes, half of it the dashboard's load curve.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

from benchmarks import (
    bench_dashboard,
    bench_e2e,
    bench_freshness,
    bench_ingest,
    bench_kpi,
    bench_provinces,
)


def large_umkm_file(inbox: Path, target: Path) -> Path:
    """One large file: every province's UMKM rows of the latest year, as one CSV."""
    files = sorted((inbox.parent / "archive" / "umkm").glob("*_2025.csv"))
    frames = [pl.read_csv(f, infer_schema=False) for f in files]
    pl.concat(frames).write_csv(target)
    return target


def kalteng_sample(workdir: Path) -> Path:
    data_dir = workdir / "kalteng" / "data"
    subprocess.run(
        [sys.executable, "-m", "pipelines.sample_data", "--out", str(data_dir / "inbox")],
        check=True,
    )
    env_cmd = [str(Path(sys.executable).parent / "dagster"), "asset", "materialize", "-m",
               "pipelines.definitions", "--select", "*"]  # fmt: skip
    import os

    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(workdir / "home")}
    (workdir / "home").mkdir(parents=True, exist_ok=True)
    subprocess.run(env_cmd, check=True, env=env, capture_output=True)
    return data_dir


def main(workdir: Path) -> None:
    national = workdir / "national"
    bench_e2e.run(national)
    bench_provinces.run(workdir / "provinces")  # the scale-out design, measured on one machine
    data_dir, reference = national / "data", national / "reference"
    big = large_umkm_file(data_dir / "inbox", workdir / "umkm_nasional_2025.csv")
    bench_ingest.run(big, "umkm", reference, "00")
    bench_kpi.run(data_dir / "warehouse" / "dasbor.duckdb")
    kalteng = kalteng_sample(workdir)
    bench_dashboard.run(kalteng, "62.06", name="dashboard_kalteng")
    bench_dashboard.load_curve(kalteng)  # N readers at once, 1 and 2 workers, vs the baseline
    import os

    os.environ["DASBOR_REFERENCE_DIR"] = str(reference)  # no boundaries: maps are skipped
    bench_dashboard.run(data_dir, "11.01", name="dashboard_national")
    os.environ.pop("DASBOR_REFERENCE_DIR")
    bench_freshness.run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.workdir:
        main(args.workdir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
