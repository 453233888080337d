"""Accounts (docs/operations.md): the store, the lockout, sessions, the command line, and the
upload writer's inbox rules, held against the pipeline's own rules."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboards.akun import __main__ as cli
from dashboards.akun import unggah
from pengguna import store as st_
from pengguna.store import AccountError, AccountStore, Outcome, Session
from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.inbox import is_candidate, safe_stored_name
from pipelines.ingest.upload import SIDECAR_SUFFIX, Upload, read_upload, sidecar_of
from tests.conftest import REPO

SANDI = "kata-sandi-rahasia-1"
KAB = {"62.03": "Kabupaten Kapuas", "62.06": "Kabupaten Katingan"}


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> AccountStore:
    s = AccountStore(tmp_path / "data" / "akun", clock=clock)
    s.add("budi.kapuas", SANDI, "petugas", "62.03", KAB)
    return s


# --- the store ---------------------------------------------------------------------------------


def test_accounts_are_stored_hashed_with_argon2id_and_owner_only(store):
    raw = store.accounts_path.read_text()
    assert SANDI not in raw
    record = json.loads(raw)["akun"]["budi.kapuas"]
    assert record["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    for path in store.folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_login_with_the_right_password(store, clock):
    outcome, session = store.authenticate("Budi.Kapuas ", SANDI)
    assert outcome is Outcome.OK
    assert session == Session("budi.kapuas", "petugas", "62.03", clock.t)
    assert session.may_upload


@pytest.mark.parametrize(
    ("nama", "peran", "kab", "message"),
    [
        ("budi.kapuas", "analis", None, "sudah ada"),
        ("x", "analis", None, "3-32 karakter"),
        ("Nama Spasi", "analis", None, "3-32 karakter"),
        ("../etc", "analis", None, "3-32 karakter"),
        ("rina", "petugas", None, "memerlukan --kab"),
        ("rina", "petugas", "62.99", "tidak dikenal"),
        ("rina", "analis", "62.03", "hanya untuk peran petugas dan pimpinan"),
        ("rina", "admin", "62.03", "hanya untuk peran petugas dan pimpinan"),
        ("rina", "pimpinan", "62.99", "tidak dikenal"),
        ("rina", "raja", None, "peran harus"),
    ],
)
def test_add_refuses(store, nama, peran, kab, message):
    with pytest.raises(AccountError, match=message):
        store.add(nama, SANDI, peran, kab, KAB)


@pytest.mark.parametrize(("sandi", "message"), [("pendek", "minimal 10"), ("x" * 1025, "maks")])
def test_password_rules(store, sandi, message):
    with pytest.raises(AccountError, match=message):
        store.add("rina", sandi, "analis", None, KAB)
    with pytest.raises(AccountError, match=message):
        store.set_password("budi.kapuas", sandi)


def test_changes_to_unknown_accounts_are_refused(store):
    with pytest.raises(AccountError, match="tidak ada"):
        store.deactivate("siapa")
    with pytest.raises(AccountError, match="tidak ada"):
        store.set_password("siapa", SANDI)


def test_wrong_password_unknown_name_and_inactive_account_get_the_same_answer(store):
    store.add("sari", SANDI, "analis", None, KAB)
    store.deactivate("sari")
    assert store.authenticate("budi.kapuas", "salah-sekali-123") == (Outcome.WRONG, None)
    assert store.authenticate("tidak.ada", SANDI) == (Outcome.WRONG, None)
    assert store.authenticate("sari", SANDI) == (Outcome.WRONG, None)


@pytest.mark.parametrize("nama", ["budi.kapuas", "tidak.ada"])
def test_five_wrong_passwords_lock_any_name_for_15_minutes(store, clock, nama):
    """Known and unknown names lock alike, so the lockout tells nothing about existence."""
    outcomes = []
    for _ in range(5):
        outcomes.append(store.authenticate(nama, "salah-sekali-123")[0])
        clock.t += 60
    assert outcomes == [Outcome.WRONG] * 4 + [Outcome.LOCKED]
    # even the right password is refused while locked
    assert store.authenticate(nama, SANDI)[0] is Outcome.LOCKED
    clock.t += 15 * 60 - 60 - 1  # the fifth failure was 60 s ago: 15 minutes after it, less 1 s
    assert store.authenticate(nama, SANDI)[0] is Outcome.LOCKED
    clock.t += 2
    expected = Outcome.OK if nama == "budi.kapuas" else Outcome.WRONG
    assert store.authenticate(nama, SANDI)[0] is expected


def test_failures_older_than_15_minutes_do_not_count(store, clock):
    for _ in range(4):
        store.authenticate("budi.kapuas", "salah-sekali-123")
    clock.t += 15 * 60 + 1
    assert store.authenticate("budi.kapuas", "salah-sekali-123")[0] is Outcome.WRONG
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.OK


def test_a_good_login_clears_the_count(store):
    for _ in range(4):
        store.authenticate("budi.kapuas", "salah-sekali-123")
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.OK
    for _ in range(4):
        assert store.authenticate("budi.kapuas", "salah-sekali-123")[0] is Outcome.WRONG


def test_the_failure_ledger_keeps_no_typed_name(store):
    store.authenticate("mungkin-ini-sandi-saya", "salah-sekali-123")
    ledger = store.failures_path.read_text()
    assert store.failures("mungkin-ini-sandi-saya") == 1  # the check can see what is there
    assert "mungkin-ini-sandi-saya" not in ledger
    assert "salah-sekali" not in ledger


def test_sessions_end_after_8_hours_on_deactivation_and_on_a_new_password(store, clock):
    session = store.authenticate("budi.kapuas", SANDI)[1]
    assert store.session_valid(session)
    clock.t += 8 * 3600 - 1
    assert store.session_valid(session)
    clock.t += 1
    assert not store.session_valid(session)

    session = store.authenticate("budi.kapuas", SANDI)[1]
    clock.t += 1
    store.set_password("budi.kapuas", "kata-sandi-baru-22")
    assert not store.session_valid(session)
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.WRONG
    session = store.authenticate("budi.kapuas", "kata-sandi-baru-22")[1]
    assert store.session_valid(session)
    clock.t += 1
    store.deactivate("budi.kapuas")
    assert not store.session_valid(session)


def test_a_session_of_a_vanished_account_is_invalid(store, clock):
    assert not store.session_valid(Session("hantu", "analis", None, clock.t))


def test_the_dashboard_and_the_cli_resolve_the_same_data_directory(monkeypatch, tmp_path):
    from dashboards import data

    monkeypatch.delenv("DASBOR_DATA_DIR", raising=False)
    monkeypatch.delenv("DASBOR_REFERENCE_DIR", raising=False)
    assert st_.data_dir() == data.data_dir()
    assert st_.reference_dir() == data.reference_dir()
    monkeypatch.setenv("DASBOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(tmp_path / "ref"))
    assert st_.data_dir() == data.data_dir()
    assert st_.reference_dir() == data.reference_dir()
    assert st_.default_store().folder == tmp_path / "akun"


def test_kabupaten_codes_come_from_the_region_list():
    kab = st_.kabupaten_codes(REPO / "data" / "reference", "62")
    assert len(kab) == 14
    assert kab["62.03"] == "Kabupaten Kapuas"


# --- the command line ----------------------------------------------------------------------------


def run_cli(store, *argv, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(list(argv), store=store, stdin=io.StringIO(stdin))
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_cli_round_trip(store):
    code, out, _ = run_cli(store, "tambah", "sari", "--peran", "analis", stdin="sandi-analis-123\n")
    assert (code, out) == (0, "Akun 'sari' dibuat (peran analis).\n")
    assert store.authenticate("sari", "sandi-analis-123")[0] is Outcome.OK
    code, out, _ = run_cli(store, "ganti-sandi", "sari", stdin="sandi-baru-4567\r\n")
    assert code == 0
    assert store.authenticate("sari", "sandi-baru-4567")[0] is Outcome.OK
    assert run_cli(store, "nonaktifkan", "sari")[0] == 0
    code, out, _ = run_cli(store, "daftar")
    lines = out.splitlines()
    assert lines[0].split() == [
        "nama_pengguna", "peran", "wilayah", "status", "e-mail", "langganan", "dibuat"
    ]  # fmt: skip
    assert lines[1].split()[:5] == ["budi.kapuas", "petugas", "62.03", "Kabupaten", "Kapuas"]
    assert "aktif" in lines[1]
    assert lines[2].split()[:4] == ["sari", "analis", "semua", "nonaktif"]


def test_cli_failures_exit_2_with_a_reason(store):
    assert run_cli(store, "tambah", "rina", "--peran", "analis", stdin="pendek\n")[::2] == (
        2,
        "Gagal: kata sandi minimal 10 karakter\n",
    )
    code, _, err = run_cli(store, "tambah", "rina", "--peran", "petugas", stdin=SANDI)
    assert (code, err) == (
        2,
        "Gagal: peran petugas memerlukan --kab (kode kabupaten/kota, mis. 62.03)\n",
    )
    assert run_cli(store, "nonaktifkan", "siapa")[0] == 2
    with pytest.raises(SystemExit):
        run_cli(store, "tambah", "rina", "--peran", "raja")


def test_daftar_marks_a_locked_account_and_shows_no_secret(store):
    for _ in range(5):
        store.authenticate("budi.kapuas", "salah-sekali-123")
    out = run_cli(store, "daftar")[1]
    assert "terkunci" in out
    assert "$argon2" not in out
    assert SANDI not in out


def test_first_account_in_one_command(tmp_path):
    """The documented command (docs/operations.md), as an operator would run it, in a fresh data directory."""
    env = {**os.environ, "DASBOR_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "dashboards.akun", "tambah", "admin.pmd", "--peran", "admin"],
        input="sandi-admin-panjang\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "sandi-admin-panjang" not in done.stdout + done.stderr
    assert "$argon2" not in done.stdout + done.stderr
    fresh = AccountStore(tmp_path / "data" / "akun")
    assert fresh.authenticate("admin.pmd", "sandi-admin-panjang")[0] is Outcome.OK


# --- the upload writer keeps the inbox's rules -----------------------------------------------------

PETUGAS = Session("budi.kapuas", "petugas", "62.03", 0.0)
HOSTILE_NAMES = [
    "data desa 2024.csv",
    "../../etc/passwd.csv",
    "..\\..\\boot.XLSX",
    ".tersembunyi.csv",
    "~$kunci.xlsx",
    "..csv",
    " .  spasi.csv",
    "kontrol\x00\x1f.csv",
    "kemiskinan_ñandú_ĐÀ_数据.csv",
    "x" * 300 + ".csv",
    "数" * 120 + ".xlsx",
    "a'b\";c.csv",
    "-rf.csv",
]


@pytest.mark.parametrize("original", HOSTILE_NAMES)
def test_inbox_names_are_ones_the_pipeline_takes_as_they_are(tmp_path, original):
    name = unggah.inbox_name(original)
    assert "/" not in name
    assert "\\" not in name
    path = tmp_path / name
    path.write_bytes(b"x")
    assert is_candidate(path), name
    # the archive's name ends with the inbox name: the pipeline never shortens it further
    assert safe_stored_name("20260101T000000", "ab" * 32, name).endswith("_" + name)
    # the sidecar name fits too, and the writer and the pipeline agree where it is
    assert sidecar_of(path) == tmp_path / f".{name}{unggah.SIDECAR_SUFFIX}"


@pytest.mark.parametrize("original", ["laporan.txt", "data.csv.part", "data.xls", "data", "a.tmp"])
def test_other_types_are_refused(original):
    with pytest.raises(unggah.UploadRefused, match=r"\.csv atau \.xlsx"):
        unggah.inbox_name(original)


def test_the_sidecar_suffix_is_the_pipelines():
    assert unggah.SIDECAR_SUFFIX == SIDECAR_SUFFIX


def test_target_kpi_is_closed_to_petugas_and_published_so():
    """The page reads the rule from dataset_definisi.unggah_petugas (the ingest step enforces
    it); target_kpi must be closed to petugas (docs/operations.md)."""
    from pipelines.contracts.datasets import dataset_definitions_frame

    assert not DATASETS["target_kpi"].uploadable_by_petugas
    published = dict(dataset_definitions_frame().select("dataset", "unggah_petugas").iter_rows())
    assert published == {name: d.uploadable_by_petugas for name, d in DATASETS.items()}


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "kemiskinan_desa").mkdir(parents=True)
    return folder


def test_write_upload_leaves_the_file_and_a_sidecar_the_pipeline_trusts(inbox):
    data = b"kode_desa,tahun\n62.03.01.2011,2025\n"
    written = unggah.write_upload(
        inbox, "kemiskinan_desa", "C:\\Users\\budi\\kapuas.csv", data, PETUGAS
    )
    assert written.file_name == "kapuas.csv"
    folder = inbox / "kemiskinan_desa"
    assert sorted(p.name for p in folder.iterdir()) == [".kapuas.csv.unggah.json", "kapuas.csv"]
    assert (folder / "kapuas.csv").read_bytes() == data
    sha = hashlib.sha256(data).hexdigest()
    assert written.sha256 == sha
    key = inbox.parent / "akun" / "kunci_unggah"  # made by the writer on first use
    assert read_upload(folder / "kapuas.csv", sha, key) == Upload("budi.kapuas", "petugas", "62.03")
    # a second file of the same name waits beside the first, never over it
    again = unggah.write_upload(inbox, "kemiskinan_desa", "kapuas.csv", b"lain\n", PETUGAS)
    assert again.file_name == "kapuas_2.csv"
    assert (folder / "kapuas.csv").read_bytes() == data
    assert unggah.pending_uploads(inbox, "budi.kapuas")[0]["file_name"] in {
        "kapuas.csv",
        "kapuas_2.csv",
    }
    assert len(unggah.pending_uploads(inbox, "budi.kapuas")) == 2
    assert unggah.pending_uploads(inbox, "orang.lain") == []
    # a sidecar written into the inbox by hand, unsigned, names nobody (issue 22)
    (folder / "palsu.csv").write_bytes(b"x")
    forged = {"pengunggah": "orang.lain", "sha256": hashlib.sha256(b"x").hexdigest()}
    (folder / f".palsu.csv{SIDECAR_SUFFIX}").write_text(json.dumps(forged))
    assert unggah.pending_uploads(inbox, "orang.lain") == []
    (folder / f".palsu.csv{SIDECAR_SUFFIX}").write_text(
        json.dumps(unggah.signed(forged, key.read_bytes()))
    )
    assert [p["file_name"] for p in unggah.pending_uploads(inbox, "orang.lain")] == ["palsu.csv"]


def test_a_name_taken_by_a_folder_drop_or_a_stale_sidecar_is_skipped(inbox):
    folder = inbox / "kemiskinan_desa"
    (folder / "a.csv").write_bytes(b"folder drop")
    (folder / ".a_2.csv.unggah.json").write_text("{}")  # left by a crash
    written = unggah.write_upload(inbox, "kemiskinan_desa", "a.csv", b"baru\n", PETUGAS)
    assert written.file_name == "a_3.csv"
    assert (folder / "a.csv").read_bytes() == b"folder drop"
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("name", "data", "env", "message"),
    [
        ("a.csv", b"", None, "kosong"),
        ("a.csv", b"x" * 2048, "0.001", "terlalu besar"),
        ("a.xlsx", b"kode_desa\n", None, "bukan buku kerja Excel"),
        ("a.txt", b"x", None, "jenis berkas"),
    ],
)
def test_write_upload_refuses_before_writing(inbox, monkeypatch, name, data, env, message):
    if env:
        monkeypatch.setenv("DASBOR_MAX_FILE_MB", env)
    with pytest.raises(unggah.UploadRefused, match=message):
        unggah.write_upload(inbox, "kemiskinan_desa", name, data, PETUGAS)
    assert list((inbox / "kemiskinan_desa").iterdir()) == []


def test_the_size_limit_is_the_pipelines(monkeypatch):
    from pipelines.settings import Settings

    for value in ("512", "0.5", "3"):
        monkeypatch.setenv("DASBOR_MAX_FILE_MB", value)
        assert unggah.max_file_bytes() == Settings.from_env().max_file_bytes


@pytest.mark.parametrize(
    ("session", "dataset", "message"),
    [
        (Session("p", "pimpinan", None, 0.0), "kemiskinan_desa", "tidak dapat mengunggah"),
        (Session("a", "admin", None, 0.0), "kemiskinan_desa", "tidak dapat mengunggah"),
        (PETUGAS, "../warehouse", "tidak dikenal"),
        (PETUGAS, "tidak_ada", "tidak dikenal"),
    ],
)
def test_write_upload_refuses_roles_and_datasets(inbox, session, dataset, message):
    with pytest.raises(unggah.UploadRefused, match=message):
        unggah.write_upload(inbox, dataset, "a.csv", b"x\n", session)


def test_make_run_serves_the_dashboard_with_xsrf_on_and_the_inbox_upload_limit():
    from pipelines.serve import server_commands

    dashboard = server_commands(3000, 8501, max_file_bytes=700 * 1024**2)[1]
    flags = dict(zip(dashboard[3::2], dashboard[4::2], strict=False))
    assert dashboard[2].endswith("dashboards/app.py")
    assert flags["--server.enableXsrfProtection"] == "true"
    assert flags["--server.maxUploadSize"] == "700"
    assert flags["--runner.postScriptGC"] == "false"  # the load curve's lever (docs)
    # no config file in the repository switches the protection off behind the flag's back
    for config in REPO.rglob(".streamlit/config.toml"):
        assert "enableXsrfProtection = false" not in config.read_text()
    app = (REPO / "dashboards" / "app.py").read_text(encoding="utf-8")
    assert 'url_path="unggah"' in app
    assert 'title="Unggah Data"' in app


# --- the lockout holds under a spray, and logins do not queue (issue 22) ---------------------------

SMALL_BOUND = 300  # the ledger's bound, lowered so a spray of real logins takes seconds
SPRAY = SMALL_BOUND + 200  # more made-up names than the ledger keeps


@pytest.fixture
def cheap_unknown_names(monkeypatch):
    """A made-up name is checked against a dummy hash; a light one here, and a lower bound on
    the names kept, so a spray of hundreds of real logins takes seconds (at the shipped bound
    of 5,000 it takes many minutes). Accounts keep their own (default) hashes."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("dummy")
    monkeypatch.setattr(st_, "_dummy_hash", lambda: cheap)
    monkeypatch.setattr(st_, "MAX_TRACKED_NAMES", SMALL_BOUND)


@pytest.mark.parametrize("failed_before", [4, 5])
def test_a_spray_of_made_up_names_never_evicts_a_real_accounts_count(
    store, clock, cheap_unknown_names, failed_before
):
    for _ in range(failed_before):
        store.authenticate("budi.kapuas", "salah-sekali-123")
    for i in range(SPRAY):  # within the same 15 minutes
        clock.t += 0.1
        assert store.authenticate(f"karangan-{i}", "salah-sekali-123")[0] is Outcome.WRONG
    if failed_before == 4:  # the count survived: one more wrong password locks
        assert store.authenticate("budi.kapuas", "salah-sekali-123")[0] is Outcome.LOCKED
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.LOCKED
    # the ledger stays bounded for unknown names
    ledger = json.loads(store.failures_path.read_text())
    assert len(ledger["lain"]) == SMALL_BOUND
    assert len(ledger["akun"]) == 1


def test_an_unknown_name_still_locks_like_a_real_one_after_a_spray(
    store, clock, cheap_unknown_names
):
    """The lockout tells nothing about existence, before and after the ledger is full."""
    for i in range(SPRAY):
        clock.t += 0.1
        store.authenticate(f"karangan-{i}", "salah-sekali-123")
    for nama in ("budi.kapuas", "tidak.ada"):
        seen = [store.authenticate(nama, "salah-sekali-123")[0] for _ in range(5)]
        assert seen == [Outcome.WRONG] * 4 + [Outcome.LOCKED], nama


def _lock_is_free(folder: Path) -> bool:
    """Try the store's file lock from a file description of our own, without waiting."""
    import fcntl

    fd = os.open(folder / ".kunci", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_two_logins_check_their_passwords_at_the_same_time(store, monkeypatch):
    """Real threads, real argon2: each password check waits (at a barrier) until the other
    login's check has begun too, which only happens if neither holds the store's lock while
    hashing. With one lock held through the check, the barrier breaks and the test fails."""
    import threading

    store.add("sari", SANDI, "analis", None, KAB)
    real_verify = st_._verify
    both_checking = threading.Barrier(2, timeout=20)

    def verify(hashed, sandi):
        both_checking.wait()
        return real_verify(hashed, sandi)

    monkeypatch.setattr(st_, "_verify", verify)
    results: dict[str, object] = {}

    def login(nama: str, sandi: str) -> None:
        try:
            results[nama] = store.authenticate(nama, sandi)[0]
        except Exception as e:  # a broken barrier shows up here
            results[nama] = e

    threads = [
        threading.Thread(target=login, args=("budi.kapuas", SANDI)),
        threading.Thread(target=login, args=("sari", "salah-sekali-123")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {"budi.kapuas": Outcome.OK, "sari": Outcome.WRONG}
    # the counts were still kept: sari's failure is recorded, budi's is clear
    assert (store.failures("sari"), store.failures("budi.kapuas")) == (1, 0)


def test_the_store_lock_is_free_while_a_password_is_checked(store, monkeypatch):
    real_verify = st_._verify
    seen = []

    def verify(hashed, sandi):
        seen.append(_lock_is_free(store.folder))
        return real_verify(hashed, sandi)

    monkeypatch.setattr(st_, "_verify", verify)
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.OK
    assert store.authenticate("tidak.ada", SANDI)[0] is Outcome.WRONG
    assert seen == [True, True]


def test_concurrent_guesses_get_no_more_than_five_checks(store, monkeypatch):
    """Checking outside the lock must not let a burst of parallel guesses past the lockout:
    a guess being checked counts against the limit until it is judged."""
    import threading

    real_verify = st_._verify
    checks = []
    started = threading.Event()
    release = threading.Event()

    def verify(hashed, sandi):
        checks.append(sandi)
        if len(checks) >= 5:
            started.set()
        release.wait(20)
        return real_verify(hashed, sandi)

    monkeypatch.setattr(st_, "_verify", verify)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(store.authenticate("budi.kapuas", "salah-sekali-123")[0])
        )
        for _ in range(5)
    ]
    for t in threads:
        t.start()
    assert started.wait(20)  # five checks are running at once (none holds the lock)
    # a sixth guess, even the right password, is refused while five are being checked
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.LOCKED
    release.set()
    for t in threads:
        t.join(60)
    assert len(checks) == 5
    assert sorted(results) == sorted([Outcome.WRONG] * 4 + [Outcome.LOCKED])
    assert store.authenticate("budi.kapuas", SANDI)[0] is Outcome.LOCKED


# --- addresses and the briefing subscription (docs/operations.md) ----------------------------------

ALAMAT = "budi.santoso@kapuaskab.go.id"


def test_an_address_is_stored_with_the_account_and_kept_off_what_others_see(store, clock):
    account = store.add("sari", SANDI, "analis", None, KAB, email=" Sari.W@PMD.KaltengProv.go.id ")
    assert account.email == "Sari.W@pmd.kaltengprov.go.id"  # the domain is case-blind
    assert store.get("sari").email == "Sari.W@pmd.kaltengprov.go.id"
    assert "email" not in account.public()
    assert account.public()["nama"] == "sari"
    assert store.get("budi.kapuas").email is None  # optional for every role


@pytest.mark.parametrize(
    "alamat",
    [
        "budi",
        "budi@",
        "@kapuaskab.go.id",
        "budi@kapuaskab",
        "budi@@kapuaskab.go.id",
        "budi santoso@kapuaskab.go.id",
        "Budi <budi@kapuaskab.go.id>",
        "budi@kapuaskab.go.id, lain@kapuaskab.go.id",
        "budi@kapuaskab.go.id\nBcc: lain@contoh.id",
        ".budi@kapuaskab.go.id",
        "budi..s@kapuaskab.go.id",
        "budi@-kapuas.go.id",
        "budi@kapuas_kab.go.id",
        "budi@kapuaskab.go.i",
        "x" * 65 + "@kapuaskab.go.id",
        "b@" + "a" * 250 + ".id",
    ],
)
def test_a_malformed_address_is_refused(store, alamat):
    with pytest.raises(AccountError, match="alamat e-mail tidak sah"):
        store.add("rina", SANDI, "analis", None, KAB, email=alamat)
    assert store.get("rina") is None
    with pytest.raises(AccountError, match="alamat e-mail tidak sah"):
        store.set_email("budi.kapuas", alamat)
    assert store.get("budi.kapuas").email is None


def test_a_pimpinan_may_have_a_kabupaten(store):
    account = store.add("bupati.kapuas", SANDI, "pimpinan", "62.03", KAB)
    assert (account.peran, account.kode_kab) == ("pimpinan", "62.03")
    assert store.add("gubernur", SANDI, "pimpinan", None, KAB).kode_kab is None


def test_the_subscription_is_for_pimpinan_and_analis_only(store):
    store.add("sari", SANDI, "analis", None, KAB)
    store.add("bupati.kapuas", SANDI, "pimpinan", "62.03", KAB)
    store.add("admin.pmd", SANDI, "admin", None, KAB)
    assert store.set_subscription("sari", "laporan").langganan == "laporan"
    assert store.set_subscription("bupati.kapuas", "laporan").langganan == "laporan"
    for nama, peran in (("budi.kapuas", "petugas"), ("admin.pmd", "admin")):
        with pytest.raises(
            AccountError,
            match=f"langganan laporan hanya untuk peran pimpinan dan analis; akun '{nama}' "
            f"berperan {peran}",
        ):
            store.set_subscription(nama, "laporan")
        assert store.get(nama).langganan is None
    assert store.set_subscription("sari", None).langganan is None
    with pytest.raises(AccountError, match="langganan harus"):
        store.set_subscription("sari", "harian")
    with pytest.raises(AccountError, match="tidak ada"):
        store.set_email("siapa", ALAMAT)


def test_changing_the_address_or_subscription_keeps_the_session(store, clock):
    session = store.authenticate("budi.kapuas", SANDI)[1]
    clock.t += 1
    store.set_email("budi.kapuas", ALAMAT)
    store.set_email("budi.kapuas", None)
    assert store.session_valid(session)


def test_an_account_file_from_before_addresses_still_loads(tmp_path):
    """A store written before this change: records without `email` and `langganan`."""
    folder = tmp_path / "akun"
    folder.mkdir()
    old = {
        "nama": "lama",
        "peran": "petugas",
        "kode_kab": "62.03",
        "hash": "$argon2id$v=19$m=65536,t=3,p=4$bm90aGluZw$bm90aGluZw",
        "aktif": True,
        "dibuat_pada": 1_700_000_000.0,
        "sesi_sejak": 1_700_000_000.0,
    }
    (folder / "akun.json").write_text(json.dumps({"versi": 1, "akun": {"lama": old}}))
    s = AccountStore(folder)
    account = s.get("lama")
    assert (account.nama, account.email, account.langganan) == ("lama", None, None)
    assert s.set_email("lama", ALAMAT).email == ALAMAT
    assert json.loads((folder / "akun.json").read_text())["akun"]["lama"]["hash"] == old["hash"]


def test_cli_addresses_and_subscriptions(store):
    code, out, _ = run_cli(
        store, "tambah", "sari", "--peran", "analis", "--email", "sari@kaltengprov.go.id",
        stdin=SANDI,
    )  # fmt: skip
    assert (code, out) == (0, "Akun 'sari' dibuat (peran analis).\n")
    assert store.get("sari").email == "sari@kaltengprov.go.id"
    code, out, _ = run_cli(store, "tambah", "bupati.kapuas", "--peran", "pimpinan", "--kab",
                           "62.03", stdin=SANDI)  # fmt: skip
    assert (code, out) == (0, "Akun 'bupati.kapuas' dibuat (peran pimpinan, Kabupaten Kapuas).\n")

    code, out, err = run_cli(store, "ubah", "budi.kapuas", "--email", ALAMAT)
    assert (code, out, err) == (0, "Alamat e-mail akun 'budi.kapuas' disimpan.\n", "")
    assert store.get("budi.kapuas").email == ALAMAT
    code, out, _ = run_cli(store, "ubah", "bupati.kapuas", "--langganan", "laporan")
    assert code == 0
    assert out.splitlines() == [
        "Akun 'bupati.kapuas' berlangganan laporan bulanan lewat e-mail.",
        "Catatan: akun ini belum punya alamat e-mail; laporan baru terkirim setelah --email.",
    ]
    # a petugas is refused, and the address given in the same command is left as it was
    code, out, err = run_cli(
        store, "ubah", "budi.kapuas", "--langganan", "laporan", "--tanpa-email"
    )
    assert (code, out) == (2, "")
    assert err == (
        "Gagal: langganan laporan hanya untuk peran pimpinan dan analis; akun 'budi.kapuas' "
        "berperan petugas\n"
    )
    assert store.get("budi.kapuas").email == ALAMAT
    code, _, err = run_cli(store, "ubah", "sari", "--langganan", "laporan", "--email", "sari@")
    assert (code, err) == (
        2,
        "Gagal: alamat e-mail tidak sah; tulis satu alamat seperti nama@kapuaskab.go.id "
        "(tanpa spasi, tanpa nama tampilan)\n",
    )
    assert store.get("sari").langganan is None  # refused before anything changed
    assert run_cli(store, "ubah", "sari")[::2] == (
        2,
        "Gagal: sebutkan yang diubah: --email, --tanpa-email, --langganan atau --tanpa-langganan\n",
    )
    assert run_cli(store, "ubah", "budi.kapuas", "--tanpa-email")[1] == (
        "Alamat e-mail akun 'budi.kapuas' dihapus.\n"
    )
    assert store.get("budi.kapuas").email is None
    assert run_cli(store, "ubah", "bupati.kapuas", "--tanpa-langganan")[1] == (
        "Akun 'bupati.kapuas' berhenti berlangganan laporan.\n"
    )
    with pytest.raises(SystemExit):  # one or the other, not both
        run_cli(store, "ubah", "sari", "--email", ALAMAT, "--tanpa-email")


def test_daftar_says_whether_there_is_an_address_but_never_shows_it(store):
    store.set_email("budi.kapuas", ALAMAT)
    store.add("sari", SANDI, "analis", None, KAB, email="sari@kaltengprov.go.id")
    store.set_subscription("sari", "laporan")
    store.add("gubernur", SANDI, "pimpinan", None, KAB)
    out = run_cli(store, "daftar")[1]
    assert "@" not in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["budi.kapuas"][5:8] == ["aktif", "ada", "-"]
    assert rows["sari"][3:6] == ["aktif", "ada", "laporan"]
    assert rows["gubernur"][3:6] == ["aktif", "-", "-"]
