"""Manage dashboard accounts from the server's command line (docs/operations.md).

    python -m dashboards.akun tambah <nama> --peran petugas --kab 62.03   # sandi dari stdin
    python -m dashboards.akun tambah <nama> --peran analis --email <alamat>
    python -m dashboards.akun ubah <nama> --email <alamat>     # atau --tanpa-email
    python -m dashboards.akun ubah <nama> --langganan laporan  # atau --tanpa-langganan
    python -m dashboards.akun daftar
    python -m dashboards.akun nonaktifkan <nama>
    python -m dashboards.akun ganti-sandi <nama>                          # sandi dari stdin

The password is one line of standard input, so scripts can pipe it and it never appears in
the process list or the shell history; on a terminal it is asked for without echo. Nothing
this command prints contains a password or a hash, nor an e-mail address (`daftar` says only
whether an account has one): addresses are personal data.
"""

import argparse
import getpass
import sys
from datetime import datetime

from pengguna.store import (
    ROLES,
    SUBSCRIPTIONS,
    AccountError,
    AccountStore,
    check_email,
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
    header = (
        f"{'nama_pengguna':<24} {'peran':<9} {'wilayah':<32} {'status':<10} "
        f"{'e-mail':<7} {'langganan':<10} dibuat"
    )
    _say(header)
    for a in accounts:
        wilayah = f"{a.kode_kab} {kabupaten.get(a.kode_kab, '')}" if a.kode_kab else "semua"
        status = "aktif" if a.aktif else "nonaktif"
        if a.aktif and store.locked_until(a.nama):
            status = "terkunci"
        email = "ada" if a.email else "-"  # never the address itself
        _say(
            f"{a.nama:<24} {a.peran:<9} {wilayah:<32} {status:<10} {email:<7} "
            f"{a.langganan or '-':<10} {_when(a.dibuat_pada)}"
        )


def _change(store: AccountStore, args: argparse.Namespace) -> None:
    """`ubah`: the address and the subscription; each change said in one line."""
    wants_email = args.email is not None or args.tanpa_email
    wants_subscription = args.langganan is not None or args.tanpa_langganan
    if not (wants_email or wants_subscription):
        raise AccountError(
            "sebutkan yang diubah: --email, --tanpa-email, --langganan atau --tanpa-langganan"
        )
    if args.email is not None:
        check_email(args.email)  # refused before anything changes
    if wants_subscription:  # may be refused for the role: before the address changes
        account = store.set_subscription(
            args.nama, None if args.tanpa_langganan else args.langganan
        )
        if args.tanpa_langganan:
            _say(f"Akun '{account.nama}' berhenti berlangganan laporan.")
        else:
            _say(f"Akun '{account.nama}' berlangganan laporan bulanan lewat e-mail.")
    if wants_email:
        account = store.set_email(args.nama, None if args.tanpa_email else args.email)
        _say(
            f"Alamat e-mail akun '{account.nama}' "
            + ("dihapus." if args.tanpa_email else "disimpan.")
        )
    if account.langganan and not account.email:
        _say("Catatan: akun ini belum punya alamat e-mail; laporan baru terkirim setelah --email.")


def main(argv: list[str] | None = None, store: AccountStore | None = None, stdin=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboards.akun", description="Kelola akun Dasbor Desa Kalteng."
    )
    commands = parser.add_subparsers(dest="perintah", required=True)
    add = commands.add_parser("tambah", help="buat akun baru (kata sandi dari stdin)")
    add.add_argument("nama")
    add.add_argument("--peran", required=True, choices=ROLES)
    add.add_argument(
        "--kab", help="kode kabupaten/kota (petugas: wajib; pimpinan: boleh), mis. 62.03"
    )
    add.add_argument("--email", help="alamat e-mail untuk pengingat dan laporan (boleh kosong)")
    change = commands.add_parser("ubah", help="ubah alamat e-mail atau langganan laporan")
    change.add_argument("nama")
    email = change.add_mutually_exclusive_group()
    email.add_argument("--email", help="alamat e-mail baru")
    email.add_argument("--tanpa-email", action="store_true", help="hapus alamat e-mail")
    subscription = change.add_mutually_exclusive_group()
    subscription.add_argument(
        "--langganan", choices=SUBSCRIPTIONS, help="laporan: ringkasan bulanan lewat e-mail"
    )
    subscription.add_argument(
        "--tanpa-langganan", action="store_true", help="berhenti berlangganan"
    )
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
            account = store.add(
                args.nama, read_password(stdin), args.peran, args.kab, kabupaten, args.email
            )
            where = f", {kabupaten[account.kode_kab]}" if account.kode_kab else ""
            _say(f"Akun '{account.nama}' dibuat (peran {account.peran}{where}).")
        elif args.perintah == "daftar":
            _list(store, default_kabupaten())
        elif args.perintah == "ubah":
            _change(store, args)
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
