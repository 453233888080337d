"""Two provinces at once against one: what a second province costs on the same machine.

The scale-out design (docs/performance.md, "Beyond one machine") runs each province in its own
data directory and warehouse. This measures that on one machine, in one run: one province's
whole CLI run alone, then two provinces' runs started together, each in its own data directory,
DuckDB file and Dagster home. The second province is the first's synthetic inbox in a directory
of its own, so both runs do the same work and their times compare directly.

Reported: `parallel_to_one_ratio`, the wall time of both together against one alone (1.0 would
be two provinces for the price of one, 2.0 no gain over running them one after the other), and
the peak memory of each run, which decides how many provinces a machine can hold at once.

    python -m benchmarks.bench_provinces [--workdir DIR] [--villages N]
"""

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.bench_e2e import generate, materialize
from benchmarks.common import report
from pipelines.settings import duckdb_memory_limit

VILLAGES = 8000  # about a large province (Jawa Tengah has 8,500 desa and kelurahan)


def province_copy(source: Path, target: Path) -> Path:
    """A province's data directory with only its inbox: nothing ingested yet."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source / "inbox", target / "inbox")
    return target


def run(workdir: Path, villages: int = VILLAGES) -> dict:
    _, generated, reference = generate(workdir, villages, provinces=1)
    names = ("alone", "first", "second")
    data = {name: province_copy(generated, workdir / name / "data") for name in names}
    for path in generated.rglob("*.csv"):  # the page cache warm for every run alike
        path.read_bytes()

    alone_s, _, _, alone_peaks = materialize(data["alone"], reference, workdir / "alone" / "home")

    results: dict[str, tuple] = {}

    def one(name: str) -> None:
        results[name] = materialize(data[name], reference, workdir / name / "home")

    start = time.perf_counter()
    threads = [threading.Thread(target=one, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both_s = time.perf_counter() - start
    if set(results) != {"first", "second"}:
        raise RuntimeError("a province's run failed: see the error above")

    def peak(peaks: dict) -> int:
        return max(peaks.values(), default=0)

    ratio = both_s / alone_s
    return report(
        "provinces_in_parallel",
        {
            "villages_per_province": villages,
            "duckdb_memory_limit": duckdb_memory_limit(),
            "one_province_wall_s": round(alone_s, 1),
            "two_provinces_together_wall_s": round(both_s, 1),
            "each_wall_s": {name: round(results[name][0], 1) for name in ("first", "second")},
            "parallel_to_one_ratio": round(ratio, 2),
            "speedup_over_one_after_the_other": round(2 * alone_s / both_s, 2),
            "peak_rss_mb": {
                "alone": peak(alone_peaks),
                **{name: peak(results[name][3]) for name in ("first", "second")},
            },
            "reading": (
                "1.0 = the second province is free; 2.0 = no gain over one after the other. "
                "Each run's peak memory bounds how many provinces run at once."
            ),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--villages", type=int, default=VILLAGES)
    args = parser.parse_args()
    if args.workdir:
        run(args.workdir, args.villages)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), args.villages)
