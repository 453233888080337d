"""`buat`: one backup file of what cannot be rebuilt, taken while runs go on.

Consistency without stopping anything:
- The warehouse lock (pipelines.warehouse.db: an exclusive flock beside the database, which
  every pipeline step takes for its writes) is held only to copy the log tables to Parquet, list
  `archive/` and `rejected/`, and open the published snapshot. An ingest step moves a file into
  archive/ while it holds that lock, right after committing its log row, and publishing swaps the
  snapshot in while holding it too; so, under the lock, the log, the two folders and the
  snapshot agree with each other. That takes well under a second; a running step makes the
  backup wait for its turn, as a second run would.
- The files themselves are read after the lock is released: archive/ and rejected/ are never
  overwritten, and the snapshot is read through the handle opened under the lock, so a publish
  that replaces the path meanwhile does not change what is copied (it swaps in a new inode).
- Dashboard readers are never blocked: the snapshot is read as a plain file, never opened by
  DuckDB, and the accounts store is read without its lock (it is replaced atomically).
- The backup is written as `.<name>.part` (owner-only: it holds password hashes and the signing
  key), fsynced, and renamed: a backup is whole or absent.
"""

import io
import json
import os
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl

from laporan.formatting import number
from pipelines import durable
from pipelines.cadangan.manifest import (
    ACCOUNTS,
    FORMAT,
    FORMAT_VERSION,
    LOGS,
    MANIFEST_NAME,
    NAME_PREFIX,
    NAME_TIME,
    REFERENCE,
    SNAPSHOT_MEMBER,
    SUFFIX,
    BackupError,
    HashingReader,
    project_version,
)
from pipelines.ingest.inbox import IGNORED_SUFFIXES, sha256_of
from pipelines.settings import REPO_ROOT, Settings
from pipelines.warehouse.db import Warehouse, render, sql

# The log tables backed up (the rest of the warehouse is rebuilt from the archive).
# notifikasi_log tells the reminder and briefing jobs what was already sent; a table a
# warehouse does not have yet is skipped.
LOG_TABLES = ("ingest_log", "notifikasi_log")
REPLAYED_STATUSES = ("accepted", "duplicate")  # the log rows whose file is in archive/
SHIPPED_REFERENCE = REPO_ROOT / "data" / "reference"
COMPRESSLEVEL = 6  # tarfile's default 9 is about twice as slow for a few percent


@dataclass
class BackupResult:
    path: Path
    files: int
    bytes: int
    compressed_bytes: int
    lock_seconds: float
    seconds: float
    missing_at_source: list[str] = field(default_factory=list)
    log_rows: dict[str, int] = field(default_factory=dict)

    def report(self) -> str:
        lines = [
            f"Cadangan dibuat: {self.path}",
            f"  {number(self.files)} berkas, {number(self.bytes / 1024**2, 1)} MB "
            f"({number(self.compressed_bytes / 1024**2, 1)} MB terkompresi); "
            + ", ".join(f"{table} {number(n)} baris" for table, n in self.log_rows.items()),
            f"  kunci gudang data dipegang {number(self.lock_seconds, 2)} detik; "
            f"selesai dalam {number(self.seconds, 1)} detik.",
        ]
        lines += [
            f"  PERINGATAN: {path} tercatat di ingest_log tetapi tidak ada di archive/"
            for path in self.missing_at_source
        ]
        return "\n".join(lines)


@dataclass
class _State:
    """What was read under the warehouse lock."""

    logs: dict[str, Path] = field(default_factory=dict)
    log_rows: dict[str, int] = field(default_factory=dict)
    expected: dict[str, str] = field(default_factory=dict)  # stored_as -> sha256
    archive: list[Path] = field(default_factory=list)
    rejected: list[Path] = field(default_factory=list)
    snapshot: BinaryIO | None = None
    lock_seconds: float = 0.0


def _files(folder: Path) -> list[Path]:
    """Every stored file under `folder`, in name order; not the temporary files of a writer."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.lower().endswith(IGNORED_SUFFIXES)
    )


def _table_exists(con, table: str) -> bool:
    return bool(con.execute(sql("cadangan/table_exists"), [table]).fetchall()[0][0])


def _take_state(settings: Settings, tmp: Path) -> _State:
    state = _State()
    if not settings.warehouse_path.exists():
        # Never run: no log, nothing archived by a run; the folders are listed as they are.
        state.archive = _files(settings.archive_dir)
        state.rejected = _files(settings.rejected_dir)
        return state
    with Warehouse(settings.warehouse_path).connect() as con:
        locked_at = time.monotonic()
        for table in LOG_TABLES:
            if not _table_exists(con, table):
                continue
            frame = con.sql(render("cadangan/read_table", table=table)).pl()
            path = tmp / f"{table}.parquet"
            frame.write_parquet(path)
            state.logs[table], state.log_rows[table] = path, frame.height
            if table == "ingest_log":
                stored = frame.filter(pl.col("status").is_in(REPLAYED_STATUSES))
                state.expected = dict(stored.select("stored_as", "sha256").iter_rows())
        state.archive = _files(settings.archive_dir)
        state.rejected = _files(settings.rejected_dir)
        if settings.published_path.exists():
            state.snapshot = settings.published_path.open("rb")
        state.lock_seconds = time.monotonic() - locked_at
    return state


def _reference_differs(reference_dir: Path) -> bool:
    """True when the reference folder in use is not the shipped one as committed."""
    if reference_dir.resolve() == SHIPPED_REFERENCE.resolve():
        try:  # the shipped folder, edited in place (own weights, say)?
            changed = subprocess.run(
                ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "data/reference"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return False
        return bool(changed)
    ours = {p.relative_to(reference_dir): sha256_of(p) for p in _files(reference_dir)}
    shipped = {p.relative_to(SHIPPED_REFERENCE): sha256_of(p) for p in _files(SHIPPED_REFERENCE)}
    return ours != shipped


def _free_name(folder: Path, stem: str) -> Path:
    target, n = folder / f"{stem}{SUFFIX}", 1
    while target.exists() or (folder / f".{target.name}.part").exists():
        target, n = folder / f"{stem}_{n}{SUFFIX}", n + 1
    return target


class _Writer:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.entries: list[dict] = []

    def add(self, name: str, handle: BinaryIO) -> str:
        """Stream one open file into the tar; return its SHA-256."""
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = HashingReader(handle)
        self.tar.addfile(info, reader)
        self.entries.append({"path": name, "ukuran": reader.size, "sha256": reader.hexdigest()})
        return reader.hexdigest()

    def add_path(self, name: str, path: Path) -> str:
        try:
            with path.open("rb") as handle:
                return self.add(name, handle)
        except FileNotFoundError:
            raise BackupError(f"berkas {path} hilang saat dicadangkan") from None

    def add_bytes(self, name: str, content: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(content), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(content))


def create_backup(settings: Settings, dest_dir: Path, now: datetime | None = None) -> BackupResult:
    """Write one backup of `settings.data_dir` into `dest_dir`; return what it holds."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(dest_dir, f"{NAME_PREFIX}{now:{NAME_TIME}}")
    partial = dest_dir / f".{target.name}.part"
    with tempfile.TemporaryDirectory(prefix=".cadangan-", dir=dest_dir) as tmp:
        state = _take_state(settings, Path(tmp))
        try:
            manifest = _write(settings, state, partial, now)
            durable.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            if state.snapshot is not None:
                state.snapshot.close()
    return BackupResult(
        path=target,
        files=len(manifest["berkas"]),
        bytes=sum(entry["ukuran"] for entry in manifest["berkas"]),
        compressed_bytes=target.stat().st_size,
        lock_seconds=state.lock_seconds,
        seconds=time.monotonic() - started,
        missing_at_source=manifest["hilang_di_sumber"],
        log_rows=state.log_rows,
    )


def _write(settings: Settings, state: _State, partial: Path, now: datetime) -> dict:
    data_dir = settings.data_dir
    include_reference = _reference_differs(settings.reference_dir)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with (
        os.fdopen(fd, "wb") as raw,
        tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESSLEVEL) as tar,
    ):
        writer = _Writer(tar)
        for table, path in state.logs.items():
            writer.add_path(f"{LOGS}/{table}.parquet", path)
        accounts = settings.accounts_dir
        for path in _files(accounts):
            writer.add_path(f"{ACCOUNTS}/{path.relative_to(accounts).as_posix()}", path)
        if state.snapshot is not None:
            writer.add(SNAPSHOT_MEMBER, state.snapshot)
        if include_reference:
            for path in _files(settings.reference_dir):
                name = path.relative_to(settings.reference_dir).as_posix()
                writer.add_path(f"{REFERENCE}/{name}", path)
        for path in state.rejected:
            writer.add_path(path.relative_to(data_dir).as_posix(), path)
        for path in state.archive:
            name = path.relative_to(data_dir).as_posix()
            digest = writer.add_path(name, path)
            # The archive is the source of truth: a file whose bytes no longer match its
            # log row has rotted on disk, and a backup must not carry it on silently.
            if name in state.expected and digest != state.expected[name]:
                raise BackupError(
                    f"berkas arsip {name} rusak di disk: SHA-256-nya tidak cocok dengan "
                    "ingest_log. Pulihkan berkas itu dari cadangan sebelumnya, lalu ulangi."
                )
        archived = {path.relative_to(data_dir).as_posix() for path in state.archive}
        manifest = {
            "format": FORMAT,
            "versi_format": FORMAT_VERSION,
            "proyek": project_version(),
            "dibuat_pada": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "provinsi": settings.provinsi,
            "referensi": "ikut" if include_reference else "bawaan",
            "tabel": state.log_rows,
            "hilang_di_sumber": sorted(set(state.expected) - archived),
            "berkas": writer.entries,
        }
        writer.add_bytes(MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    return manifest
