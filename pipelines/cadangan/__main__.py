"""Command line:

    python -m pipelines.cadangan buat --ke DIR             # one backup file into DIR
    python -m pipelines.cadangan periksa FILE              # check a backup against its manifest
    python -m pipelines.cadangan pulihkan FILE --ke DATA_DIR   # restore and rebuild
    python -m pipelines.cadangan pangkas DIR [--harian 7 --mingguan 13]   # delete old backups

`buat` backs up the data directory of DASBOR_DATA_DIR (default data/). Exit status: 0 done
(a whole backup; a rebuilt kpi bit-identical), 1 a damaged backup or a rebuild that differs,
2 refused (a non-empty target, a backup that cannot be made, no folder to prune).
"""

import argparse
import sys
from pathlib import Path

from pipelines.cadangan.backup import create_backup
from pipelines.cadangan.manifest import BackupError, verify
from pipelines.cadangan.prune import KEEP_DAILY, KEEP_WEEKLY, prune
from pipelines.cadangan.restore import RestoreRefused, restore
from pipelines.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.cadangan",
        description="Cadangan data yang tidak dapat dibangun ulang, dan pemulihannya.",
    )
    commands = parser.add_subparsers(dest="perintah", required=True)
    make = commands.add_parser("buat", help="buat satu berkas cadangan")
    make.add_argument("--ke", type=Path, required=True, help="folder tujuan berkas cadangan")
    check = commands.add_parser("periksa", help="periksa cadangan terhadap manifestnya")
    check.add_argument("berkas", type=Path)
    back = commands.add_parser("pulihkan", help="pulihkan ke direktori data kosong")
    back.add_argument("berkas", type=Path)
    back.add_argument("--ke", type=Path, required=True, help="direktori data baru (kosong)")
    trim = commands.add_parser("pangkas", help="hapus cadangan lama, simpan yang terbaru")
    trim.add_argument("folder", type=Path)
    trim.add_argument("--harian", type=int, default=KEEP_DAILY, help="hari terakhir yang disimpan")
    trim.add_argument(
        "--mingguan", type=int, default=KEEP_WEEKLY, help="minggu terakhir yang disimpan"
    )
    args = parser.parse_args(argv)

    if args.perintah == "buat":
        try:
            result = create_backup(Settings.from_env(), args.ke)
        except BackupError as exc:
            sys.stderr.write(f"Cadangan tidak dibuat: {exc}\n")
            return 2
        sys.stdout.write(result.report() + "\n")
        return 0
    if args.perintah == "pangkas":
        if not args.folder.is_dir():
            sys.stderr.write(f"Folder cadangan {args.folder} tidak ada.\n")
            return 2
        if args.harian < 1 or args.mingguan < 0:
            sys.stderr.write("--harian paling sedikit 1, --mingguan paling sedikit 0.\n")
            return 2
        pruned = prune(args.folder, args.harian, args.mingguan)
        sys.stdout.write(pruned.report(args.folder) + "\n")
        return 0
    if args.perintah == "periksa":
        checked = verify(args.berkas)
        (sys.stdout if checked.ok else sys.stderr).write(checked.report(args.berkas) + "\n")
        return 0 if checked.ok else 1
    try:
        result = restore(args.berkas, args.ke, say=lambda line: sys.stdout.write(line + "\n"))
    except RestoreRefused as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except BackupError as exc:
        sys.stderr.write(f"Pemulihan gagal: {exc}\n")
        return 1
    sys.stdout.write(result.report() + "\n")
    return 0 if result.identical else 1


if __name__ == "__main__":
    sys.exit(main())
