"""The backup file: a gzip-compressed tar whose last member is a manifest, and its check.

The manifest (`MANIFEST.json`) lists every other member with its size and SHA-256, the project
version and what the backup holds. It comes last because the hashes are worked out while the
files stream into the tar (each file is read once); a backup cut short therefore has no
manifest, and is refused as incomplete.

`verify` reads the whole file once, as a stream, and names every member that is damaged,
missing, of the wrong size or not in the manifest. Given `extract`, it also writes each member
where `extract` says, hashing as it goes: the restore uses that after a first, read-only pass.
"""

import hashlib
import json
import subprocess
import tarfile
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from laporan.formatting import number
from pipelines.settings import REPO_ROOT

FORMAT = "dasbor-cadangan"
FORMAT_VERSION = 1
MANIFEST_NAME = "MANIFEST.json"
SUFFIX = ".tar.gz"
# A backup file is named by its UTC time: cadangan_dasbor_20261203T021500Z.tar.gz (a second one
# in the same second gets _1, _2, ...).
NAME_PREFIX = "cadangan_dasbor_"
NAME_TIME = "%Y%m%dT%H%M%SZ"
BLOCK = 1 << 20

# The top folders of a backup, and what each holds.
ARCHIVE, REJECTED, ACCOUNTS, LOGS, SNAPSHOT, REFERENCE = (
    "archive",  # accepted files and their upload sidecars, as in <data dir>/archive/
    "rejected",  # rejected files with their reports, as in <data dir>/rejected/
    "akun",  # the accounts store and the upload signing key, as in <data dir>/akun/
    "log",  # the log tables, one Parquet file each
    "published",  # the published snapshot, published/dasbor.duckdb
    "referensi",  # the reference folder, only when it is not the shipped one
)
TOP_FOLDERS = (ARCHIVE, REJECTED, ACCOUNTS, LOGS, SNAPSHOT, REFERENCE)
SNAPSHOT_MEMBER = f"{SNAPSHOT}/dasbor.duckdb"


class BackupError(Exception):
    """A backup that cannot be made or used; the message is for the operator (Indonesian)."""


def project_version() -> dict[str, str]:
    """The version in pyproject.toml, and the git commit when the checkout has one."""
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        version = {"versi": tomllib.load(handle)["project"]["version"]}
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    if commit:
        version["commit"] = commit
    return version


class HashingReader:
    """Reads a file object and keeps the SHA-256 and size of what was read."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def safe_member(name: str) -> bool:
    """A relative path under one of the known top folders, with no `..`: nothing a restore
    writes can land outside the data directory."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and len(path.parts) >= 2
        and path.parts[0] in TOP_FOLDERS
        and "\\" not in name
    )


@dataclass(frozen=True)
class Problem:
    kind: str  # rusak, hilang, ukuran, asing, tidak_utuh
    path: str | None
    detail: str = ""

    def message(self) -> str:
        if self.kind == "rusak":
            return f"rusak: {self.path} (isinya tidak cocok dengan SHA-256 di manifest)"
        if self.kind == "hilang":
            return f"hilang: {self.path} (tercantum di manifest, tidak ada di cadangan)"
        if self.kind == "ukuran":
            return f"rusak: {self.path} ({self.detail})"
        if self.kind == "asing":
            return f"tidak dikenal: {self.path} ({self.detail})"
        return f"cadangan tidak utuh: {self.detail}"


@dataclass
class Verified:
    manifest: dict | None
    problems: list[Problem] = field(default_factory=list)
    members: int = 0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems

    def report(self, backup: Path) -> str:
        """What `periksa` prints, in Bahasa Indonesia."""
        if self.ok:
            assert self.manifest is not None
            made = self.manifest.get("dibuat_pada", "?")
            version = self.manifest.get("proyek", {}).get("versi", "?")
            return (
                f"Cadangan utuh: {backup.name}\n"
                f"  {number(self.members)} berkas, {number(self.bytes / 1024**2, 1)} MB "
                f"sebelum kompresi; dibuat {made}, versi proyek {version}."
            )
        lines = [f"Cadangan RUSAK, jangan dipakai: {backup.name}"]
        lines += [f"  - {problem.message()}" for problem in self.problems]
        return "\n".join(lines)


def _read_manifest(stream: BinaryIO) -> dict:
    content = json.loads(stream.read().decode("utf-8"))
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise ValueError("bukan manifest cadangan dasbor")
    if content.get("versi_format") != FORMAT_VERSION:
        raise ValueError(f"versi format {content.get('versi_format')!r} tidak dikenal")
    return content


def verify(backup: Path, extract: Callable[[str], Path | None] | None = None) -> Verified:
    """Check `backup` against its manifest; with `extract`, also write each member to the path
    it returns (None: skip that member). Never raises for a damaged file: it names problems."""
    result = Verified(manifest=None)
    seen: dict[str, tuple[int, str]] = {}
    current = None
    try:
        with tarfile.open(backup, mode="r|gz") as tar:
            for member in tar:
                current = member.name
                if member.name == MANIFEST_NAME and member.isfile():
                    stream = tar.extractfile(member)
                    assert stream is not None
                    try:
                        result.manifest = _read_manifest(stream)
                    except (ValueError, UnicodeDecodeError) as exc:
                        result.problems.append(Problem("tidak_utuh", None, f"manifest: {exc}"))
                    continue
                if not member.isfile() or not safe_member(member.name):
                    result.problems.append(
                        Problem("asing", member.name, "bukan berkas biasa di folder yang dikenal")
                    )
                    continue
                stream = tar.extractfile(member)
                assert stream is not None
                seen[member.name] = _copy(stream, extract(member.name) if extract else None)
            current = None
    except FileNotFoundError:
        result.problems.append(Problem("tidak_utuh", None, f"berkas {backup} tidak ada"))
        return result
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        where = f" saat membaca {current}" if current else ""
        result.problems.append(
            Problem(
                "tidak_utuh",
                current,
                f"berkas terpotong atau rusak{where} ({type(exc).__name__})",
            )
        )
    if result.manifest is None:
        if not any(p.kind == "tidak_utuh" for p in result.problems):
            result.problems.append(
                Problem("tidak_utuh", None, "manifest tidak ada (cadangan terpotong?)")
            )
        return result
    listed = {entry["path"]: entry for entry in result.manifest.get("berkas", [])}
    for path, entry in listed.items():
        if path not in seen:
            result.problems.append(Problem("hilang", path))
            continue
        size, digest = seen[path]
        if size != entry["ukuran"]:
            result.problems.append(
                Problem("ukuran", path, f"{size} bita, manifest menyebut {entry['ukuran']}")
            )
        elif digest != entry["sha256"]:
            result.problems.append(Problem("rusak", path))
    result.problems += [
        Problem("asing", path, "tidak tercantum di manifest") for path in seen if path not in listed
    ]
    result.members = len(seen)
    result.bytes = sum(size for size, _ in seen.values())
    return result


def _copy(stream: BinaryIO, target: Path | None) -> tuple[int, str]:
    """Read a member to its end (hashing it), writing it to `target` when given."""
    reader = HashingReader(stream)
    if target is None:
        while reader.read(BLOCK):
            pass
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as out:
            while block := reader.read(BLOCK):
                out.write(block)
    return reader.size, reader.hexdigest()
