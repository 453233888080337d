"""End to end on national-scale data: files in the inbox to the published snapshot.

Generates the synthetic national inbox (about 84,000 villages in 38 provinces, ten years,
millions of UMKM rows) with its reference list, then times the analyst's CLI run
(`dagster asset materialize --select '*'`) as one process and reports its wall time, its peak
memory (RSS), and the time of every step as Dagster logged it.

    python -m benchmarks.bench_e2e [--workdir DIR] [--villages N --provinces N]
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import report

STEP = re.compile(
    r" - (?P<step>[a-z0-9_]+) - STEP_SUCCESS - Finished execution of step .* in (?P<t>[0-9.]+)(?P<unit>ms|s|m)"
)
STAGES = {
    "referensi": {"wilayah"},
    "ingest": {"dana_desa", "bumdes", "umkm", "kemiskinan_desa", "kemiskinan_kab", "idm", "profil_desa"},
    "kpi": {"basis_desa", "kpi_isu1", "kpi_isu2", "kpi_isu3", "kpi_isu4", "kpi_tujuan", "kpi", "desa_prioritas"},
    "checks": {"kpi_kpi_lengkap", "kpi_kpi_persen_dalam_rentang", "kpi_kpi_kunci_unik", "kpi_kpi_provinsi_konsisten"},
    "publish": {"dasbor_terbit"},
}  # fmt: skip


def generate(
    workdir: Path, villages: int | None, provinces: int | None
) -> tuple[float, Path, Path]:
    inbox, reference = workdir / "data" / "inbox", workdir / "reference"
    command = [sys.executable, "-m", "pipelines.sample_data", "--scale", "national",
               "--out", str(inbox), "--reference-dir", str(reference)]  # fmt: skip
    if villages:
        command += ["--villages", str(villages)]
    if provinces:
        command += ["--provinces", str(provinces)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, workdir / "data", reference


def materialize(data_dir: Path, reference: Path, home: Path) -> tuple[float, float, str]:
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DASBOR_REFERENCE_DIR": str(reference),
           "DASBOR_PROVINSI": "00", "DAGSTER_HOME": str(home)}  # fmt: skip
    home.mkdir(parents=True, exist_ok=True)
    dagster = Path(sys.executable).parent / "dagster"
    start = time.perf_counter()
    result = subprocess.run(
        [str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak_mb, result.stderr


def step_times(log: str) -> dict[str, float]:
    times = {}
    for match in STEP.finditer(log):
        value = float(match["t"])
        times[match["step"]] = (
            value / 1000 if match["unit"] == "ms" else value * (60 if match["unit"] == "m" else 1)
        )
    return times


def run(workdir: Path, villages: int | None = None, provinces: int | None = None) -> dict:
    gen_s, data_dir, reference = generate(workdir, villages, provinces)
    inbox_mb = (
        sum(p.stat().st_size for p in (data_dir / "inbox").rglob("*") if p.is_file()) / 1024**2
    )
    n_files = sum(1 for p in (data_dir / "inbox").rglob("*") if p.is_file())
    wall, peak_mb, log = materialize(data_dir, reference, workdir / "dagster_home")
    steps = step_times(log)
    stages = {
        name: round(sum(steps.get(s, 0.0) for s in members), 2) for name, members in STAGES.items()
    }
    return report(
        "end_to_end_national",
        {
            "villages": villages or 84000,
            "inbox_files": n_files,
            "inbox_mb": round(inbox_mb, 1),
            "generate_s": round(gen_s, 1),
            "pipeline_wall_s": round(wall, 1),
            "pipeline_peak_rss_mb": round(peak_mb),
            "stages_s": stages,
            "steps_s": {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
            "goal": "under 180 s wall, peak RSS under 6 GB",
            "met": wall < 180 and peak_mb < 6 * 1024,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--villages", type=int)
    parser.add_argument("--provinces", type=int)
    args = parser.parse_args()
    if args.workdir:
        run(args.workdir, args.villages, args.provinces)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), args.villages, args.provinces)
