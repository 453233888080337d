"""Command line: python -m pipelines.sample_data --out DIR [--scale kalteng|national] ...

Writes DIR/<dataset>/<file> for the seven datasets (point DIR at the inbox, e.g.
data/inbox). At national scale it also writes the synthetic reference list and crosswalk into
--reference-dir (default: DIR/../reference_nasional); at Kalimantan Tengah scale
--reference-dir is where the real reference is read from (default: data/reference).
A summary (files, rows, bytes, seconds, peak memory) goes to stderr.
"""

import argparse
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.sample_data",
        description="Tulis kotak masuk contoh (data nyata + sintetis) untuk pipeline.",
    )
    parser.add_argument("--out", type=Path, help="folder kotak masuk: OUT/<dataset>/<berkas>")
    parser.add_argument("--scale", choices=("kalteng", "national"), default="kalteng")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=None,
        help="kalteng: folder referensi yang dibaca; national: folder referensi yang ditulis",
    )
    parser.add_argument(
        "--villages",
        type=int,
        default=None,
        help="national: perkiraan jumlah desa/kelurahan (bawaan 84000)",
    )
    parser.add_argument(
        "--provinces", type=int, default=None, help="national: jumlah provinsi (bawaan 38)"
    )
    parser.add_argument(
        "--describe", action="store_true", help="hanya cetak daftar berkas dan bentuknya"
    )
    args = parser.parse_args(argv)

    if args.describe:
        from pipelines.sample_data import describe

        sys.stdout.write(
            describe(args.scale, args.reference_dir if args.scale == "kalteng" else None)
        )
        sys.stdout.write("\n")
        return 0
    if args.out is None:
        parser.error("--out wajib diisi")

    started = time.perf_counter()
    if args.scale == "kalteng":
        if args.villages is not None or args.provinces is not None:
            parser.error("--villages/--provinces hanya untuk --scale national")
        from pipelines.sample_data import kalteng

        written = kalteng.generate(args.out, seed=args.seed, reference_dir=args.reference_dir)
        paths = [(w.path, w.rows) for w in written]
    else:
        from pipelines.sample_data import national

        written = national.generate(
            args.out,
            seed=args.seed,
            reference_dir=args.reference_dir,
            villages=args.villages or national.DEFAULT_VILLAGES,
            provinces=args.provinces or national.DEFAULT_PROVINCES,
        )
        paths = [(w.path, w.rows) for w in written]
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p, _ in paths)
    rows = sum(n for _, n in paths)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    sys.stderr.write(
        f"{len(paths)} berkas, {rows:,} baris, {size / 1024**2:,.1f} MB di {args.out} "
        f"dalam {seconds:,.1f} s; memori puncak {peak_mb:,.0f} MB\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
