"""Shared helpers: timing, peak memory, and writing each benchmark's figures to a file.

Benchmarks report ratios measured side by side in one run, because this 2-core machine is
noisy: an absolute time means little, a ratio against a baseline on the same input means more.
"""

import json
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def results_dir() -> Path:
    """benchmarks/results, or DASBOR_BENCH_RESULTS (the smoke tests write to a temporary one)."""
    import os

    return Path(os.environ.get("DASBOR_BENCH_RESULTS") or RESULTS)


def machine() -> dict:
    import os

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
    }


def timed(fn: Callable, repeat: int = 1) -> tuple[float, object]:
    """Best-of-`repeat` wall time in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def report(name: str, figures: dict) -> dict:
    """Print the figures and write them to benchmarks/results/<name>.json."""
    record = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **figures,
    }
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(json.dumps(record, indent=2, default=str))  # noqa: T201 - a benchmark prints
    return record
