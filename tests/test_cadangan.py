"""Backups and restores on real files (issue 27): `python -m pipelines.cadangan buat / periksa /
pulihkan`.

The original data directory is built once per module through real pipeline runs: the small inbox,
then a second run with a file that replaces a slice, a duplicate, a rejected folder drop, and two
uploads of a petugas of Kapuas (signed sidecars; one inside its kabupaten, one outside). The
numbers the restore must give back, worked by hand:
- kk_miskin_pct, Kotawaringin Barat (62.01), 2024: the first file has Sungai Cabang 45 of 300
  KK and a kelurahan 25 of 500 (8.75 %); the second file replaces the slice with Sungai Cabang
  alone, 60 of 300: 20.0 %. Replayed in the wrong order it would be 8.75 % again.
- kk_miskin_pct, Kapuas (62.03), 2025: the petugas's file, Pulau Telo 40 of 250: 16.0 %. Without
  the signing key restored, its sidecar would not verify, the file would be rejected, and the
  value would be NULL.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pengguna.store import AccountStore, kabupaten_codes
from pipelines.cadangan.__main__ import main as cadangan
from pipelines.cadangan.backup import create_backup
from pipelines.cadangan.manifest import MANIFEST_NAME, BackupError, verify
from pipelines.cadangan.restore import restore
from pipelines.ingest.inbox import REPORT_SUFFIXES, sha256_of
from pipelines.ingest.upload import SIGNATURE_FIELD, canonical, sidecar_of
from pipelines.notifikasi import jadwal
from pipelines.notifikasi.tugas import Logged, read_log, recipients, record, run_reminders
from pipelines.settings import Settings
from tests.conftest import REPO, drop, run_pipeline
from tests.small_inbox import DESA, FILES, write_small_inbox

KEM = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
REPLACEMENT = KEM + f"{DESA},2024,1000,300,60,10\n"  # the (62.01, 2024) slice without the kelurahan
BAD = KEM + f"{DESA},2024,1000,300,400,10\n"  # kk_miskin > jumlah_kk: rejected
KAPUAS = KEM + "62.03.01.2011,2025,900,250,40,10\n"  # Pulau Telo, Kapuas
KATINGAN = KEM + "62.06.01.2001,2025,700,180,20,4\n"  # outside the petugas's kabupaten
KEY = bytes(range(32))
# Written by each publish about itself (when, which run): never the same in two snapshots.
RUN_BOOKKEEPING = {"snapshot_info", "_sidik_terbit"}


def sign_upload(data_dir: Path, dataset: str, name: str, content: str, kode_kab: str) -> None:
    """Drop a file with the sidecar the upload page writes for a petugas, signed with the key."""
    path = drop(data_dir, dataset, name, content)
    sidecar = {
        "pengunggah": "budi.kapuas",
        "peran": "petugas",
        "kode_kab": kode_kab,
        "sha256": sha256_of(path),
        "diunggah_pada": "2026-12-01T01:00:00Z",
        "nama_asli": name,
    }
    sidecar[SIGNATURE_FIELD] = hmac.new(KEY, canonical(sidecar), "sha256").hexdigest()
    sidecar_path = sidecar_of(path)
    assert sidecar_path is not None
    sidecar_path.write_text(json.dumps(sidecar), encoding="utf-8")


def make_accounts(settings: Settings) -> None:
    """A petugas of Kapuas with an address, and a subscribed pimpinan, in the real store."""
    store = AccountStore(settings.accounts_dir)
    kabupaten = kabupaten_codes(settings.reference_dir)
    store.add("budi.kapuas", "sandi-yang-panjang", "petugas", "62.03", kabupaten,
              email="budi@kapuaskab.go.id")  # fmt: skip
    store.add("ketua", "sandi-yang-panjang", "pimpinan", None, kabupaten, email="k@prov.go.id")
    store.set_subscription("ketua", "laporan")
    settings.upload_key_path.write_bytes(KEY)


def send_messages(settings: Settings) -> None:
    """The reminder job as it runs each morning (no mail server: kotak_keluar/), and a briefing
    logged through the jobs' own write path (printing the PDF needs Chromium and a minute)."""
    sent = run_reminders(settings)
    assert [(m.penerima, m.status) for m in sent] == [("budi.kapuas", "kotak_keluar")]
    now = datetime.now(UTC).replace(tzinfo=None)
    record(settings, [Logged(now, "laporan", "ketua", "62", "laporan ringkas 2024", "terkirim",
                             None)])  # fmt: skip


def build_original(data_dir: Path) -> None:
    settings = Settings.from_env()
    settings.ensure_dirs()
    make_accounts(settings)
    write_small_inbox(data_dir)
    assert run_pipeline(data_dir).success
    send_messages(settings)  # between the runs: the second run publishes the log too
    drop(data_dir, "kemiskinan_desa", "kemiskinan_desa_2024_revisi.csv", REPLACEMENT)
    drop(data_dir, "dana_desa", "dana_desa_lagi.csv", FILES["dana_desa"])  # same bytes
    drop(data_dir, "kemiskinan_desa", "salah.csv", BAD)
    sign_upload(data_dir, "kemiskinan_desa", "kapuas_2025.csv", KAPUAS, "62.03")
    sign_upload(data_dir, "kemiskinan_desa", "katingan_2025.csv", KATINGAN, "62.03")
    assert run_pipeline(data_dir).success


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The original data directory, one backup of it, and its restore into a fresh one."""
    root = tmp_path_factory.mktemp("cadangan")
    original = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASBOR_DATA_DIR", str(original))
        # A copy of the shipped reference folder: the same content, so not backed up (a
        # checkout with uncommitted edits in data/reference would otherwise count as its own).
        shutil.copytree(REPO / "data" / "reference", root / "reference")
        mp.setenv("DASBOR_REFERENCE_DIR", str(root / "reference"))
        mp.delenv("DASBOR_PROVINSI", raising=False)
        build_original(original)
        backup = create_backup(Settings.from_env(), root / "cadangan")
        restored = restore(backup.path, root / "pulih")
    return {"root": root, "original": original, "backup": backup, "restored": restored}


def snapshot(data_dir: Path) -> Path:
    return data_dir / "published" / "dasbor.duckdb"


def members(backup: Path) -> dict[str, bytes]:
    with tarfile.open(backup, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def rewrite(backup: Path, target: Path, change) -> None:
    """A copy of `backup` with `change(name, data)` applied to each member (None drops it)."""
    with tarfile.open(backup, "r:gz") as src, tarfile.open(target, "w:gz") as out:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))


def stored_files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def table(path: Path, name: str) -> pl.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(f"select * from {name}").pl()


# --- the manifest -----------------------------------------------------------------------------


def test_the_manifest_lists_every_file_with_its_size_and_sha256(world):
    original, backup = world["original"], world["backup"].path
    content = members(backup)
    manifest = json.loads(content.pop(MANIFEST_NAME))
    listed = {e["path"]: (e["ukuran"], e["sha256"]) for e in manifest["berkas"]}
    assert listed == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in content.items()
    }
    with (REPO / "pyproject.toml").open("rb") as handle:
        assert manifest["proyek"]["versi"] == tomllib.load(handle)["project"]["version"]
    assert manifest["referensi"] == "bawaan"
    # What cannot be rebuilt, byte for byte: every archived and rejected file with its
    # sidecar and reports, the accounts and the key (not the store's lock file), the logs.
    expected = {
        f"{folder}/{name}": digest
        for folder in ("archive", "rejected")
        for name, digest in stored_files(original / folder).items()
    }
    expected |= {f"akun/{n}": d for n, d in stored_files(original / "akun").items() if n[0] != "."}
    expected["published/dasbor.duckdb"] = sha256_of(snapshot(original))
    assert {n: d for n, (_, d) in listed.items() if not n.startswith("log/")} == expected
    assert {n for n in listed if n.startswith("log/")} == {
        "log/ingest_log.parquet",
        "log/notifikasi_log.parquet",
    }
    # 9 accepted (8 + the replacement + the petugas file), 1 duplicate; 2 rejected, each
    # with its three reports; the two uploads' sidecars beside them.
    archived = [n for n in listed if n.startswith("archive/")]
    assert sum(n.endswith(".unggah.json") for n in archived) == 1
    rejected = [n for n in listed if n.startswith("rejected/")]
    assert sum(n.endswith(REPORT_SUFFIXES) for n in rejected) == 6
    assert manifest["tabel"] == {"ingest_log": len(FILES) + 5, "notifikasi_log": 2}
    # The accounts and the key; not the store's lock file.
    assert {n for n in listed if n.startswith("akun/")} == {"akun/akun.json", "akun/kunci_unggah"}
    assert (original / "akun" / ".kunci").exists()


def test_the_backup_is_owner_only_and_leaves_no_temporary_file(world):
    backup = world["backup"].path
    assert backup.stat().st_mode & 0o777 == 0o600  # password hashes and the signing key
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]


def test_periksa_says_a_whole_backup_is_whole(world, capsys):
    assert cadangan(["periksa", str(world["backup"].path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cadangan utuh:")
    assert f"{world['backup'].files} berkas" in out


# --- damaged backups are refused, and nothing is written --------------------------------------


def refused_without_writing(backup: Path, tmp_path: Path, capsys) -> str:
    target = tmp_path / "pulih"
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cadangan(["pulihkan", str(backup), "--ke", str(target)]) == 2
    err = capsys.readouterr().err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert "tidak ada yang ditulis" in err
    return err


def test_a_corrupted_archived_file_is_named_and_the_backup_refused(world, tmp_path, capsys):
    damaged = tmp_path / "rusak.tar.gz"
    victim = next(n for n in members(world["backup"].path) if n.startswith("archive/umkm/"))

    def flip(name, data):
        return bytes([data[0] ^ 1]) + data[1:] if name == victim else data

    rewrite(world["backup"].path, damaged, flip)
    checked = verify(damaged)
    assert [p.message() for p in checked.problems] == [
        f"rusak: {victim} (isinya tidak cocok dengan SHA-256 di manifest)"
    ]
    assert cadangan(["periksa", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert "Cadangan RUSAK" in err
    assert f"rusak: {victim}" in err
    assert f"rusak: {victim}" in refused_without_writing(damaged, tmp_path, capsys)


def test_a_missing_file_is_named(world, tmp_path, capsys):
    partial = tmp_path / "kurang.tar.gz"
    rewrite(world["backup"].path, partial, lambda n, d: None if n == "akun/kunci_unggah" else d)
    assert cadangan(["periksa", str(partial)]) == 1
    assert "hilang: akun/kunci_unggah (tercantum di manifest" in capsys.readouterr().err
    assert "hilang: akun/kunci_unggah" in refused_without_writing(partial, tmp_path, capsys)


def test_a_backup_cut_short_is_refused(world, tmp_path, capsys):
    cut = tmp_path / "terpotong.tar.gz"
    data = world["backup"].path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    checked = verify(cut)
    assert not checked.ok
    assert [p.kind for p in checked.problems] == ["tidak_utuh"]
    assert "cadangan tidak utuh" in refused_without_writing(cut, tmp_path, capsys)


def test_a_flipped_byte_in_the_compressed_stream_is_refused(world, tmp_path, capsys):
    flipped = tmp_path / "bit.tar.gz"
    data = bytearray(world["backup"].path.read_bytes())
    data[len(data) // 3] ^= 0x10
    flipped.write_bytes(bytes(data))
    assert not verify(flipped).ok
    refused_without_writing(flipped, tmp_path, capsys)


def test_a_non_empty_target_is_refused_and_left_alone(world, tmp_path, capsys):
    target = tmp_path / "terpakai"
    target.mkdir()
    (target / "catatan.txt").write_text("milik orang lain")
    assert cadangan(["pulihkan", str(world["backup"].path), "--ke", str(target)]) == 2
    assert "tidak kosong" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["catatan.txt"]


def test_an_archived_file_rotten_on_disk_stops_the_backup(world, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(world["original"], copy)
    victim = next((copy / "archive" / "idm").iterdir())
    victim.write_bytes(victim.read_bytes().replace(b"0.7", b"0.9"))
    settings = Settings.from_env()
    from dataclasses import replace

    with pytest.raises(BackupError, match=f"berkas arsip archive/idm/{victim.name} rusak"):
        create_backup(replace(settings, data_dir=copy), tmp_path / "cadangan")
    assert list((tmp_path / "cadangan").iterdir()) == []  # whole or absent


def test_a_reference_folder_of_its_own_is_backed_up(world, tmp_path, monkeypatch):
    own = tmp_path / "referensi_sendiri"
    shutil.copytree(world["root"] / "reference", own)
    weights = own / "bobot_desa_prioritas.csv"
    weights.write_text(weights.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setenv("DASBOR_DATA_DIR", str(world["original"]))
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(own))
    made = create_backup(Settings.from_env(), tmp_path / "cadangan")
    content = members(made.path)
    assert json.loads(content[MANIFEST_NAME])["referensi"] == "ikut"
    assert content["referensi/bobot_desa_prioritas.csv"] == weights.read_bytes()


# --- the restore ------------------------------------------------------------------------------


def test_the_restore_says_kpi_is_bit_identical(world):
    restored = world["restored"]
    assert restored.mismatches == []
    assert restored.compared
    assert restored.kpi is None
    assert restored.replayed == len(FILES) + 3  # 8 + replacement + duplicate + petugas file
    assert restored.rejected_logged == 2
    assert "IDENTIK bit demi bit" in restored.report()


def test_every_published_table_is_rebuilt_as_it_was(world):
    old, new = snapshot(world["original"]), snapshot(world["restored"].data_dir)
    con = duckdb.connect()
    try:
        con.execute("attach ? as lama (read_only)", [str(old)])
        con.execute("attach ? as baru (read_only)", [str(new)])
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'lama'"
        ).fetchall()]  # fmt: skip
        compared = [n for n in names if n not in RUN_BOOKKEEPING]
        assert {"kpi", "ingest_log", "kemiskinan_desa", "notifikasi_log"} <= set(compared)
        for name in compared:
            for a, b in (("lama", "baru"), ("baru", "lama")):
                extra = con.execute(
                    f"select count(*) from (select * from {a}.{name} "
                    f"except all select * from {b}.{name})"
                ).fetchall()[0][0]
                assert extra == 0, f"{name}: {extra} baris di {a} saja"
        # kpi in the same order, value for value
        assert (
            con.execute("select * from lama.kpi").fetchall()
            == con.execute("select * from baru.kpi").fetchall()
        )
    finally:
        con.close()


def test_the_rebuilt_numbers_are_the_hand_worked_ones(world):
    kpi = table(snapshot(world["restored"].data_dir), "kpi").filter(
        (pl.col("tingkat") == "kabupaten") & (pl.col("kpi_id") == "kk_miskin_pct")
    )
    value = dict(zip(zip(kpi["kode_wilayah"], kpi["tahun"], strict=True), kpi["nilai"],
                     strict=True))  # fmt: skip
    assert value[("62.01", 2024)] == 20.0  # the replacement won: arrival order kept
    assert value[("62.03", 2025)] == 16.0  # the petugas's upload, its sidecar verified


def test_files_accounts_and_logs_come_back_byte_for_byte(world):
    original, restored = world["original"], world["restored"].data_dir
    for folder in ("archive", "rejected"):
        assert stored_files(restored / folder) == stored_files(original / folder)
    assert stored_files(restored / "akun") == {
        n: d for n, d in stored_files(original / "akun").items() if not n.startswith(".")
    }
    assert (restored / "akun").stat().st_mode & 0o777 == 0o700
    assert (restored / "akun" / "kunci_unggah").stat().st_mode & 0o777 == 0o600
    assert not (restored / ".pulihkan").exists()
    warehouse = lambda d: d / "warehouse" / "dasbor.duckdb"  # noqa: E731
    for name in ("ingest_log", "notifikasi_log"):
        a, b = table(warehouse(original), name), table(warehouse(restored), name)
        assert a.sort(a.columns).equals(b.sort(b.columns)), name
    uploads = table(warehouse(restored), "ingest_log").filter(pl.col("pengunggah").is_not_null())
    assert sorted(zip(uploads["file_name"], uploads["status"], strict=True)) == [
        ("kapuas_2025.csv", "accepted"),
        ("katingan_2025.csv", "rejected"),
    ]


def restored_settings(world, monkeypatch) -> Settings:
    monkeypatch.setenv("DASBOR_DATA_DIR", str(world["restored"].data_dir))
    return Settings.from_env()


def test_a_restore_sends_no_reminder_or_briefing_again(world, monkeypatch):
    """notifikasi_log comes back with the backup, and the jobs read it to know what was sent."""
    settings = restored_settings(world, monkeypatch)
    today = jadwal.local_day(datetime.now(UTC))
    assert sorted((m.jenis, m.penerima) for m in read_log(settings, today)) == [
        ("laporan", "ketua"),
        ("pengingat", "budi.kapuas"),
    ]
    assert run_reminders(settings) == []  # the morning's reminder went before the disk failed
    assert jadwal.briefings_due(recipients(settings), read_log(settings, today), today) == []
    assert not settings.outbox_dir.exists()  # the restore itself wrote no message


def test_without_the_log_the_jobs_would_send_again(world, tmp_path, monkeypatch):
    """The check above can fail: the same restore with an empty notifikasi_log reminds and
    briefs the same people again."""
    copy = tmp_path / "data"
    shutil.copytree(world["restored"].data_dir, copy)
    with duckdb.connect(str(copy / "warehouse" / "dasbor.duckdb")) as con:
        con.execute("delete from notifikasi_log")
    monkeypatch.setenv("DASBOR_DATA_DIR", str(copy))
    settings = Settings.from_env()
    today = jadwal.local_day(datetime.now(UTC))
    due = jadwal.briefings_due(recipients(settings), read_log(settings, today), today)
    assert [r.nama for r in due] == ["ketua"]
    assert [m.penerima for m in run_reminders(settings)] == ["budi.kapuas"]


# --- backing up while a run goes on ------------------------------------------------------------


def arrivals(content: dict[str, bytes]) -> tuple[set[str], set[str], pl.DataFrame]:
    """(archived files named by a backup's ingest_log, archived files in it, that log)."""
    log = pl.read_parquet(io.BytesIO(content["log/ingest_log.parquet"]))
    logged = set(log.filter(pl.col("status") != "rejected")["stored_as"])
    archived = {n for n in content if n.startswith("archive/") and not n.endswith(".unggah.json")}
    return logged, archived, log


@pytest.mark.e2e
def test_a_backup_taken_during_a_running_pipeline_is_consistent(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DASBOR_REFERENCE_DIR", raising=False)
    Settings.from_env().ensure_dirs()
    write_small_inbox(data_dir)
    assert run_pipeline(data_dir).success
    for n in range(6):  # a second run with work to do: six new kemiskinan_desa files
        row = f"62.0{n + 1}.01.2001,2025,1000,300,{10 * (n + 1)},1\n"
        drop(data_dir, "kemiskinan_desa", f"kab_{n}.csv", KEM + row)
    (tmp_path / "home").mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    run = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "asset", "materialize",
         "-m", "pipelines.definitions", "--select", "*"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    reader = duckdb.connect(str(snapshot(data_dir)), read_only=True)  # a dashboard reader
    taken = []
    try:
        while run.poll() is None:
            made = create_backup(Settings.from_env(), tmp_path / "cadangan")
            taken.append((made, run.poll() is None))
            assert reader.execute("select count(*) from kpi").fetchall()[0][0] > 0
            time.sleep(1.0)  # leave the run most of the two cores
    finally:
        reader.close()
        output = run.communicate(timeout=300)[0]
    assert run.returncode == 0, output[-3000:]
    sys.stderr.write(f"\n{len(taken)} backups during the run\n")
    during = [made for made, running in taken if running]
    assert len(during) >= 2, f"only {len(during)} backups finished while the run went on"
    mid_run = []
    for made in during:
        assert made.lock_seconds < 2.0
        assert verify(made.path).ok
        content = members(made.path)
        logged, archived, log = arrivals(content)
        assert logged == archived  # no file logged but not archived, or the other way
        snap = tmp_path / "snap.duckdb"
        snap.write_bytes(content["published/dasbor.duckdb"])
        if table(snap, "ingest_log").height < log.height:
            mid_run.append(made)
    # At least one backup caught the run between ingesting and publishing: its log holds files
    # its snapshot has not published yet. Restored, the published part is compared bit for bit,
    # then the rest is replayed and published.
    assert mid_run, "no backup fell between the ingest and the publish of the run"
    chosen = mid_run[-1]
    result = restore(chosen.path, tmp_path / "pulih")
    assert result.late_files > 0
    assert result.runs == 2
    assert result.kpi is None, result.kpi
    assert result.mismatches == []
    logged, _, log = arrivals(members(chosen.path))
    rebuilt = table(snapshot(tmp_path / "pulih"), "ingest_log")
    assert rebuilt.height == log.height
    assert set(rebuilt.filter(pl.col("status") != "rejected")["stored_as"]) == logged


# --- the sample, end to end, timed --------------------------------------------------------------


@pytest.mark.e2e
def test_the_kalteng_sample_round_trip(tmp_path, monkeypatch, capsys):
    from tests.browser import published_sample

    monkeypatch.delenv("DASBOR_REFERENCE_DIR", raising=False)
    data_dir = published_sample(tmp_path / "data")
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    started = time.monotonic()
    assert cadangan(["buat", "--ke", str(tmp_path / "cadangan")]) == 0
    backup = next((tmp_path / "cadangan").glob("*.tar.gz"))
    made = time.monotonic() - started
    started = time.monotonic()
    assert cadangan(["pulihkan", str(backup), "--ke", str(tmp_path / "pulih")]) == 0
    took = time.monotonic() - started
    out = capsys.readouterr().out
    assert "IDENTIK bit demi bit" in out
    sys.stderr.write(f"\nsampel Kalteng: buat {made:.1f} s, pulihkan {took:.1f} s\n")
    assert backup.read_bytes()[:2] == b"\x1f\x8b"  # one gzip file
