"""The account store: `<data dir>/akun/`, readable by the owner only, never in the snapshot.

- `akun.json` holds the accounts. Passwords are stored only as argon2id hashes (argon2-cffi's
  defaults: RFC 9106's low-memory profile, 64 MiB, 3 passes), never in clear.
- `gagal.json` counts wrong passwords per typed name, for the lockout. It is keyed by a SHA-256
  of the name, because people type passwords into the name field, and it counts names that
  have no account exactly like names that do: the lockout must not tell whether one exists.
  Names of accounts (`akun`) and other names (`lain`) are kept apart: only the other names are
  bounded (the oldest dropped beyond MAX_TRACKED_NAMES), so a spray of made-up names can never
  evict the count of a real account; that section is bounded by the number of accounts.

Every change takes an exclusive `flock` on `akun/.kunci` and replaces the file atomically
(temporary file, fsync, `os.replace`), so concurrent logins of several dashboard sessions
neither lose a count nor leave half a file. Reads need no lock. A login holds the lock only to
read and update its count, never through the argon2 check (tens of milliseconds and 64 MiB),
so logins do not queue behind each other; a check in flight counts against the limit until it
is judged, so parallel guesses get no more than MAX_FAILURES checks between them.
"""

import csv
import fcntl
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pengguna import setelan

ROLES = ("pimpinan", "analis", "petugas", "admin")
UPLOAD_ROLES = ("petugas", "analis")
KAB_ROLES = ("petugas", "pimpinan")  # a pimpinan with a kabupaten gets that area's briefing
SUBSCRIPTIONS = ("laporan",)  # the monthly briefing by e-mail
SUBSCRIBER_ROLES = ("pimpinan", "analis")
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
# A plain mailbox (no display name, no comments, no quoting): what an office address looks like,
# and nothing that could smuggle a header (no spaces, no line breaks, no commas).
EMAIL_RULE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing a megabyte per attempt would be a denial of service
NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MAX_FAILURES = 5
LOCKOUT_WINDOW_S = 15 * 60  # 5 wrong passwords within 15 minutes ...
LOCKOUT_S = 15 * 60  # ... lock the name for 15 minutes
SESSION_MAX_S = 8 * 3600
REPO_ROOT = Path(__file__).resolve().parents[1]
MAX_TRACKED_NAMES = 5000  # bounds the names without an account against a spray
PENDING_S = 60  # a check in flight counts against the limit until judged, or this long
KNOWN, UNKNOWN = "akun", "lain"  # the ledger's two sections (see the module docstring)


class AccountError(ValueError):
    """A request the store refuses; the message is for the operator, in Bahasa Indonesia."""


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "salah"  # wrong name or password, or an inactive account: one message for all
    LOCKED = "terkunci"


@dataclass(frozen=True)
class Account:
    nama: str
    peran: str
    kode_kab: str | None
    hash: str
    aktif: bool
    dibuat_pada: float
    sesi_sejak: float  # sessions that began before this are over (deactivated, new password)
    # Added with the reminders (older files lack them): personal data, shown only to the
    # account itself and never written to a log or the snapshot.
    email: str | None = None
    langganan: str | None = None  # "laporan": the monthly briefing by e-mail

    def public(self) -> dict:
        """What may be shown to others: everything but the hash and the address."""
        return {k: v for k, v in asdict(self).items() if k not in ("hash", "email")}


@dataclass(frozen=True)
class Session:
    """A login, kept in the (server-side) Streamlit session state; never holds a secret."""

    nama: str
    peran: str
    kode_kab: str | None
    mulai: float

    @property
    def may_upload(self) -> bool:
        return self.peran in UPLOAD_ROLES


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id


@cache
def _dummy_hash() -> str:
    """Verified against when a name has no account, so both take the same time."""
    return _hasher().hash("tidak-ada-akun-" + os.urandom(8).hex())


def normalise_name(nama: str) -> str:
    return nama.strip().lower()


def check_password_rules(sandi: str) -> None:
    if len(sandi) < MIN_PASSWORD:
        raise AccountError(f"kata sandi minimal {MIN_PASSWORD} karakter")
    if len(sandi) > MAX_PASSWORD:
        raise AccountError(f"kata sandi maksimal {MAX_PASSWORD} karakter")


def check_email(alamat: str) -> str:
    """The address as stored (domain in lower case), or AccountError naming the rule."""
    alamat = alamat.strip()
    local, _, domain = alamat.rpartition("@")
    if len(alamat) > MAX_EMAIL or len(local) > 64 or not EMAIL_RULE.fullmatch(alamat):
        raise AccountError(
            "alamat e-mail tidak sah; tulis satu alamat seperti nama@kapuaskab.go.id "
            "(tanpa spasi, tanpa nama tampilan)"
        )
    return f"{local}@{domain.lower()}"


def kabupaten_codes(reference_dir: Path, provinsi: str | None = None) -> dict[str, str]:
    """{kode: nama} of the kabupaten/kota in the region list the pipeline uses."""
    provinsi = provinsi or os.environ.get("DASBOR_PROVINSI", "62")
    path = reference_dir / f"wilayah_{provinsi}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["kode"]: row["nama"]
            for row in csv.DictReader(handle)
            if row["tingkat"] == "kabupaten"
        }


class AccountStore:
    def __init__(self, folder: Path, clock=time.time) -> None:
        self.folder = folder
        self.clock = clock

    @property
    def accounts_path(self) -> Path:
        return self.folder / "akun.json"

    @property
    def failures_path(self) -> Path:
        return self.folder / "gagal.json"

    # --- files ---------------------------------------------------------------------------

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._ensure_folder()
        fd = os.open(self.folder / ".kunci", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self, path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, path: Path, content: dict, indent: int | None = 1) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            text = json.dumps(content, ensure_ascii=False, indent=indent, separators=(",", ":"))
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        dir_fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _accounts(self) -> dict[str, dict]:
        return self._read(self.accounts_path).get("akun", {})

    def _save_accounts(self, accounts: dict[str, dict]) -> None:
        self._write(self.accounts_path, {"versi": 1, "akun": accounts})

    def _ledger(self) -> dict[str, dict[str, dict]]:
        content = self._read(self.failures_path)
        if "versi" not in content:  # the first ledger: one flat map of every name
            return {KNOWN: {}, UNKNOWN: content}
        return {KNOWN: content.get(KNOWN, {}), UNKNOWN: content.get(UNKNOWN, {})}

    def _save_ledger(self, ledger: dict[str, dict[str, dict]], now: float) -> None:
        # compact: a full ledger is thousands of names, rewritten at every attempt
        self._write(self.failures_path, {"versi": 2, **_pruned(ledger, now)}, indent=None)

    # --- reading ---------------------------------------------------------------------------

    def get(self, nama: str) -> Account | None:
        record = self._accounts().get(normalise_name(nama))
        return Account(**record) if record else None

    def list(self) -> list[Account]:
        return [Account(**r) for _, r in sorted(self._accounts().items())]

    def locked_until(self, nama: str) -> float | None:
        key, ledger = _failure_key(nama), self._ledger()
        record = ledger[KNOWN].get(key) or ledger[UNKNOWN].get(key) or {}
        until = record.get("terkunci_sampai", 0)
        return until if until > self.clock() else None

    def failures(self, nama: str) -> int:
        """Wrong passwords counted for this name within the window (for tests and `daftar`)."""
        key, ledger, now = _failure_key(nama), self._ledger(), self.clock()
        record = ledger[KNOWN].get(key) or ledger[UNKNOWN].get(key) or {}
        return sum(t > now - LOCKOUT_WINDOW_S for t in record.get("gagal", []))

    # --- the CLI's changes ---------------------------------------------------------------------

    def add(
        self,
        nama: str,
        sandi: str,
        peran: str,
        kode_kab: str | None,
        kabupaten: dict[str, str],
        email: str | None = None,
    ) -> Account:
        nama = normalise_name(nama)
        if not NAME_RULE.match(nama):
            raise AccountError(
                "nama pengguna: 3-32 karakter, huruf kecil, angka, titik, garis bawah atau "
                "tanda hubung, diawali huruf atau angka"
            )
        if peran not in ROLES:
            raise AccountError(f"peran harus salah satu dari: {', '.join(ROLES)}")
        if peran == "petugas" and not kode_kab:
            raise AccountError("peran petugas memerlukan --kab (kode kabupaten/kota, mis. 62.03)")
        if peran not in KAB_ROLES and kode_kab:
            raise AccountError("--kab hanya untuk peran petugas dan pimpinan")
        if kode_kab and kode_kab not in kabupaten:
            raise AccountError(
                f"kode kabupaten/kota '{kode_kab}' tidak dikenal; pilih salah satu: "
                + ", ".join(sorted(kabupaten))
            )
        email = check_email(email) if email is not None else None
        check_password_rules(sandi)
        hashed = _hasher().hash(sandi)
        with self._locked():
            accounts = self._accounts()
            if nama in accounts:
                raise AccountError(f"akun '{nama}' sudah ada")
            now = self.clock()
            account = Account(nama, peran, kode_kab or None, hashed, True, now, now, email)
            accounts[nama] = asdict(account)
            self._save_accounts(accounts)
        return account

    def deactivate(self, nama: str) -> Account:
        return self._change(nama, aktif=False)

    def set_password(self, nama: str, sandi: str) -> Account:
        check_password_rules(sandi)
        return self._change(nama, hash=_hasher().hash(sandi))

    def set_email(self, nama: str, email: str | None) -> Account:
        """Set (or, with None, remove) the address; open sessions go on."""
        email = check_email(email) if email is not None else None
        return self._change(nama, end_sessions=False, email=email)

    def set_subscription(self, nama: str, langganan: str | None) -> Account:
        """Subscribe to (or, with None, leave) the briefing by e-mail; open sessions go on."""
        if langganan is not None and langganan not in SUBSCRIPTIONS:
            raise AccountError(f"langganan harus salah satu dari: {', '.join(SUBSCRIPTIONS)}")

        def allowed(account: dict) -> None:
            if langganan is not None and account["peran"] not in SUBSCRIBER_ROLES:
                raise AccountError(
                    f"langganan laporan hanya untuk peran pimpinan dan analis; akun "
                    f"'{account['nama']}' berperan {account['peran']}"
                )

        return self._change(nama, end_sessions=False, check=allowed, langganan=langganan)

    def _change(self, nama: str, end_sessions: bool = True, check=None, **fields) -> Account:
        """Change an account and (unless told otherwise) end its open sessions at their next
        page run. `check` sees the stored record under the lock and may refuse the change."""
        nama = normalise_name(nama)
        with self._locked():
            accounts = self._accounts()
            if nama not in accounts:
                raise AccountError(f"akun '{nama}' tidak ada")
            if check is not None:
                check(accounts[nama])
            accounts[nama] |= fields | ({"sesi_sejak": self.clock()} if end_sessions else {})
            self._save_accounts(accounts)
            return Account(**accounts[nama])

    # --- login ---------------------------------------------------------------------------------

    def authenticate(self, nama: str, sandi: str) -> tuple[Outcome, Session | None]:
        """Check a login. WRONG for an unknown name, a wrong password and an inactive account
        alike; LOCKED for any name (known or not) with 5 failures in 15 minutes.

        Both kinds of name take the same steps (two short locked ledger updates around one
        argon2 check, against a dummy hash when there is no account), so neither the answer
        nor the time tells whether an account exists."""
        key, token = _failure_key(nama), secrets.token_hex(8)
        account = self.get(nama)
        section = KNOWN if account is not None else UNKNOWN
        with self._locked():  # refuse a locked name, else reserve a place for this check
            now = self.clock()
            ledger = self._ledger()
            record = _record(ledger, key, section, now)
            if record.get("terkunci_sampai", 0) > now or (
                len(record["gagal"]) + len(record["proses"]) >= MAX_FAILURES
            ):
                return Outcome.LOCKED, None
            record["proses"][token] = now
            self._save_ledger(ledger, now)
        ok = _verify(account.hash if account else _dummy_hash(), sandi)  # outside the lock
        with self._locked():  # judge the check: clear the count, or count the failure
            now = self.clock()
            ledger = self._ledger()
            record = _record(ledger, key, section, now)
            record["proses"].pop(token, None)
            outcome, session = Outcome.WRONG, None
            if ok and account is not None and account.aktif:
                del ledger[section][key]
                outcome = Outcome.OK
                session = Session(account.nama, account.peran, account.kode_kab, now)
            elif not ok:  # the right password of an inactive account: no count, same answer
                record["gagal"].append(now)
                if len(record["gagal"]) >= MAX_FAILURES:
                    record |= {"gagal": [], "terkunci_sampai": now + LOCKOUT_S}
                    outcome = Outcome.LOCKED
            self._save_ledger(ledger, now)
            return outcome, session

    def session_valid(self, session: Session) -> bool:
        """Checked at every page run: the account still exists and is active, the session began
        after the last deactivation or password change, and it is at most 8 hours old."""
        account = self.get(session.nama)
        now = self.clock()
        return (
            account is not None
            and account.aktif
            and session.mulai >= account.sesi_sejak
            and now - session.mulai < SESSION_MAX_S
        )


def _verify(hashed: str, sandi: str) -> bool:
    if len(sandi) > MAX_PASSWORD:
        return False
    try:
        return _hasher().verify(hashed, sandi)
    except (VerificationError, InvalidHashError):
        return False


def _failure_key(nama: str) -> str:
    return hashlib.sha256(normalise_name(nama).encode("utf-8")).hexdigest()


def _record(ledger: dict[str, dict[str, dict]], key: str, section: str, now: float) -> dict:
    """The live record of `key`, placed in `section` (a name counted before its account was
    made moves to the accounts' section): failures within the window, checks in flight."""
    other = ledger[UNKNOWN if section == KNOWN else KNOWN].pop(key, None)
    record = ledger[section].get(key) or other or {}
    record = {
        "gagal": [t for t in record.get("gagal", []) if t > now - LOCKOUT_WINDOW_S],
        "proses": {k: t for k, t in record.get("proses", {}).items() if t > now - PENDING_S},
        **({"terkunci_sampai": record["terkunci_sampai"]} if "terkunci_sampai" in record else {}),
    }
    ledger[section][key] = record
    return record


def _live(record: dict, now: float) -> bool:
    return (
        record.get("terkunci_sampai", 0) > now
        or any(t > now - LOCKOUT_WINDOW_S for t in record.get("gagal", []))
        or any(t > now - PENDING_S for t in record.get("proses", {}).values())
    )


def _pruned(ledger: dict[str, dict[str, dict]], now: float) -> dict[str, dict[str, dict]]:
    """Drop names with nothing recent, no running lock and no check in flight. Only names
    without an account are bounded (the oldest go beyond MAX_TRACKED_NAMES): the accounts'
    counts can never be evicted, and that section is as long as the list of accounts."""
    known = {k: r for k, r in ledger[KNOWN].items() if _live(r, now)}
    unknown = {k: r for k, r in ledger[UNKNOWN].items() if _live(r, now)}
    if len(unknown) > MAX_TRACKED_NAMES:
        newest = sorted(
            unknown.items(),
            key=lambda kv: max(
                [kv[1].get("terkunci_sampai", 0), *kv[1].get("gagal", []),
                 *kv[1].get("proses", {}).values()]
            ),
        )  # fmt: skip
        unknown = dict(newest[-MAX_TRACKED_NAMES:])
    return {KNOWN: known, UNKNOWN: unknown}


def data_dir() -> Path:
    """DASBOR_DATA_DIR, else data/ in the repository: as dashboards.data resolves it (a test
    holds the two together). Not imported from there: that module loads Streamlit, pandas and
    DuckDB, seconds the command line should not spend."""
    return setelan.data_dir()


def reference_dir() -> Path:
    return setelan.reference_dir()


def default_store() -> AccountStore:
    return AccountStore(data_dir() / "akun")


def default_kabupaten() -> dict[str, str]:
    return kabupaten_codes(reference_dir())
