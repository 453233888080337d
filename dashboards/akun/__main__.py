"""Manage dashboard accounts from the server's command line (spec/access.md).

    python -m dashboards.akun tambah <nama> --peran petugas --kab 62.03   # sandi dari stdin
    python -m dashboards.akun tambah <nama> --peran analis
    python -m dashboards.akun daftar
    python -m dashboards.akun nonaktifkan <nama>
    python -m dashboards.akun ganti-sandi <nama>                          # sandi dari stdin

The password is one line of standard input, so scripts can pipe it and it never appears in
the process list or the shell history; on a terminal it is asked for without echo. Nothing
this command prints contains a password or a hash.
"""

import argparse
import getpass
import sys
from datetime import datetime

from akun.store import (
    ROLES,
    AccountError,
    AccountStore,
    default_kabupaten,
    default_store,
)


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise AccountError("kedua kata sandi tidak sama")
        return first
    line = stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _say(text: str, stream=None) -> None:
    """The command's own output (ruff's T201 guards against stray prints elsewhere)."""
    (stream or sys.stdout).write(text + "\n")


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


def _list(store: AccountStore, kabupaten: dict[str, str]) -> None:
    accounts = store.list()
    if not accounts:
        _say("Belum ada akun.")
        return
    header = f"{'nama_pengguna':<24} {'peran':<9} {'wilayah':<32} {'status':<10} dibuat"
    _say(header)
    for a in accounts:
        wilayah = f"{a.kode_kab} {kabupaten.get(a.kode_kab, '')}" if a.kode_kab else "semua"
        status = "aktif" if a.aktif else "nonaktif"
        if a.aktif and store.locked_until(a.nama):
            status = "terkunci"
        _say(f"{a.nama:<24} {a.peran:<9} {wilayah:<32} {status:<10} {_when(a.dibuat_pada)}")


def main(argv: list[str] | None = None, store: AccountStore | None = None, stdin=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboards.akun", description="Kelola akun Dasbor Desa Kalteng."
    )
    commands = parser.add_subparsers(dest="perintah", required=True)
    add = commands.add_parser("tambah", help="buat akun baru (kata sandi dari stdin)")
    add.add_argument("nama")
    add.add_argument("--peran", required=True, choices=ROLES)
    add.add_argument("--kab", help="kode kabupaten/kota untuk peran petugas, mis. 62.03")
    commands.add_parser("daftar", help="tampilkan semua akun")
    off = commands.add_parser("nonaktifkan", help="nonaktifkan akun; sesinya berakhir")
    off.add_argument("nama")
    password = commands.add_parser("ganti-sandi", help="ganti kata sandi (dari stdin)")
    password.add_argument("nama")
    args = parser.parse_args(argv)

    store = store or default_store()
    try:
        if args.perintah == "tambah":
            kabupaten = default_kabupaten()
            account = store.add(args.nama, read_password(stdin), args.peran, args.kab, kabupaten)
            where = f", {kabupaten[account.kode_kab]}" if account.kode_kab else ""
            _say(f"Akun '{account.nama}' dibuat (peran {account.peran}{where}).")
        elif args.perintah == "daftar":
            _list(store, default_kabupaten())
        elif args.perintah == "nonaktifkan":
            account = store.deactivate(args.nama)
            _say(f"Akun '{account.nama}' dinonaktifkan; sesinya yang terbuka berakhir.")
        else:
            account = store.set_password(args.nama, read_password(stdin))
            _say(f"Kata sandi akun '{account.nama}' diganti; sesinya yang terbuka berakhir.")
    except AccountError as e:
        _say(f"Gagal: {e}", sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
