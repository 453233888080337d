"""Put an uploaded file into the inbox, as the folder route would, plus a sidecar naming who.

The inbox is the only door into the pipeline (the README (rooms)): the page never runs the
pipeline and never writes the warehouse. So this module only writes files, in an order that
makes every run see either nothing or the whole file *with* its sidecar:

1. the bytes go to a hidden temporary file (`.unggah-<random>.part`), fsynced;
2. the sidecar `.<name>.unggah.json` is created exclusively (never over another upload's) and
   fsynced. It is signed (HMAC-SHA256 over its other fields as canonical JSON) with the key
   `<data dir>/akun/kunci_unggah`, made here on first use and readable by the owner only: the
   pipeline believes no sidecar without that signature, so writing into the inbox is not
   enough to send a file in someone else's name;
3. the temporary file is hard-linked to `<name>` and unlinked: a rename that never replaces a
   file already waiting under that name (then the next free name, `<stem>_2.csv`, is used).

The inbox's rules hold here too, checked before anything is written, because the dashboard may
not import `pipelines` (a test holds both sides together): `.csv` or `.xlsx` only, at most
`DASBOR_MAX_FILE_MB`, and a name that no run would skip (no leading `.` or `~$`, no path parts,
no control characters) and that leaves room for the archive's prefix and report suffixes.
"""

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pengguna import setelan
from pengguna.store import Session

ALLOWED_SUFFIXES = (".csv", ".xlsx")
SIDECAR_SUFFIX = setelan.SIDECAR_SUFFIX
# The archive adds "<stamp>_<sha8>_" (25 bytes) and reports add up to 16 + 4; 180 leaves room,
# so the pipeline never has to shorten the name the officer sees in the history.
MAX_NAME_BYTES = 180
DATASET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
XLSX_MAGIC = b"PK\x03\x04"
KEY_NAME = "kunci_unggah"  # in <data dir>/akun/ = pipelines.settings.Settings.upload_key_path
KEY_BYTES = 32
SIGNATURE_FIELD = "tanda_tangan"  # = pipelines.ingest.upload.SIGNATURE_FIELD


class UploadRefused(ValueError):
    """The file breaks an inbox rule; the message is for the officer, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Written:
    dataset: str
    file_name: str  # the name in the inbox = ingest_log.file_name
    sha256: str
    diunggah_pada: datetime  # naive UTC, comparable with ingest_log.received_at


def max_file_bytes() -> int:
    """The pipeline's own limit (pengguna.setelan: DASBOR_MAX_FILE_MB, default 512)."""
    return setelan.max_file_bytes()


def inbox_name(original: str) -> str:
    """The name the file gets in the inbox, or UploadRefused for a type the inbox rejects."""
    name = original.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "_", name).strip()
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused("jenis berkas tidak diterima: kirim berkas .csv atau .xlsx")
    while stem.startswith((".", "~$", " ")):  # the inbox skips such names for good
        stem = stem.lstrip(". ").removeprefix("~$")
    stem = stem.strip() or "berkas"
    keep = MAX_NAME_BYTES - len(suffix.encode())
    stem = stem.encode("utf-8")[:keep].decode("utf-8", errors="ignore")
    return stem + suffix


def check_content(name: str, data: bytes) -> None:
    limit = max_file_bytes()
    if not data:
        raise UploadRefused("berkas kosong")
    if len(data) > limit:
        raise UploadRefused(
            f"berkas terlalu besar ({len(data) / 1024**2:.1f} MB); batasnya {limit / 1024**2:g} MB"
        )
    if name.endswith(".xlsx") and not data.startswith(XLSX_MAGIC):
        raise UploadRefused("berkas .xlsx ini bukan buku kerja Excel yang sah")


def signing_key(folder: Path) -> bytes:
    """The sidecar signing key in `folder` (the accounts' folder), made on first use: 32 random
    bytes, mode 0600 in a 0700 folder. Made under a temporary name and linked into place, so
    two sessions racing to make it agree on one key and never read half of it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / KEY_NAME
    if not path.exists():
        tmp = folder / f".{KEY_NAME}.{secrets.token_hex(8)}.tmp"
        try:
            _write_new(tmp, secrets.token_bytes(KEY_BYTES), mode=0o600)
            with contextlib.suppress(FileExistsError):  # another session made it first
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise UploadRefused("kunci tanda tangan unggahan di server rusak; hubungi admin")
    return key


def canonical(sidecar: dict) -> bytes:
    """The bytes the signature covers (the pipeline checks the same; a test holds them)."""
    fields = {k: v for k, v in sidecar.items() if k != SIGNATURE_FIELD}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def signed(sidecar: dict, key: bytes) -> dict:
    return {**sidecar, SIGNATURE_FIELD: hmac.new(key, canonical(sidecar), "sha256").hexdigest()}


def write_upload(
    inbox: Path,
    dataset: str,
    original: str,
    data: bytes,
    session: Session,
    now=None,
    key_folder: Path | None = None,
) -> Written:
    """Write one upload into `inbox/<dataset>/` with its signed sidecar (module docstring).
    The key lives in `key_folder`, by default `akun/` beside the inbox in the data directory."""
    if not session.may_upload:
        raise UploadRefused(f"peran {session.peran} tidak dapat mengunggah berkas")
    if not DATASET_NAME.match(dataset) or not (inbox / dataset).is_dir():
        raise UploadRefused(f"dataset '{dataset}' tidak dikenal")
    name = inbox_name(original)
    check_content(name, data)
    folder = inbox / dataset
    sha256 = hashlib.sha256(data).hexdigest()
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    sidecar = {
        "pengunggah": session.nama,
        "peran": session.peran,
        "kode_kab": session.kode_kab,
        "sha256": sha256,
        "diunggah_pada": when.isoformat() + "Z",
        "nama_asli": original[:500],
    }
    sidecar = signed(sidecar, signing_key(key_folder or inbox.parent / "akun"))
    tmp = folder / f".unggah-{secrets.token_hex(8)}.part"
    try:
        _write_new(tmp, data)
        for candidate in _candidates(name):
            if _place(folder, candidate, tmp, sidecar):
                _fsync_dir(folder)
                return Written(dataset, candidate, sha256, when)
        raise UploadRefused("terlalu banyak berkas bernama sama menunggu di inbox; coba lagi nanti")
    finally:
        tmp.unlink(missing_ok=True)


def _candidates(name: str):
    stem, _, suffix = name.rpartition(".")
    yield name
    for n in range(2, 100):
        yield f"{stem}_{n}.{suffix}"


def _place(folder: Path, name: str, tmp: Path, sidecar: dict) -> bool:
    """Sidecar first (exclusively), then the data file under `name`; False if `name` is taken."""
    sidecar_path = folder / f".{name}{SIDECAR_SUFFIX}"
    if (folder / name).exists():
        return False
    try:
        _write_new(sidecar_path, json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
    except FileExistsError:
        return False
    try:
        os.link(tmp, folder / name)
    except FileExistsError:  # a folder drop took the name meanwhile
        sidecar_path.unlink(missing_ok=True)
        return False
    except BaseException:
        sidecar_path.unlink(missing_ok=True)
        raise
    return True


def _write_new(path: Path, data: bytes, mode: int = 0o640) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pending_uploads(inbox: Path, nama: str, key_folder: Path | None = None) -> list[dict]:
    """This account's files still waiting in the inbox: their signed sidecars say who sent
    them (a sidecar without the server's signature names nobody, as in the pipeline)."""
    found = []
    if not inbox.is_dir():
        return found
    key = signing_key(key_folder or inbox.parent / "akun")
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir()):
        for sidecar in folder.glob(f".*{SIDECAR_SUFFIX}"):
            file_name = sidecar.name[1 : -len(SIDECAR_SUFFIX)]
            if not (folder / file_name).is_file():
                continue
            try:
                content = json.loads(sidecar.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if (
                isinstance(content, dict)
                and content.get("pengunggah") == nama
                and hmac.compare_digest(
                    str(content.get(SIGNATURE_FIELD, "")), signed(content, key)[SIGNATURE_FIELD]
                )
            ):
                found.append(
                    {
                        "dataset": folder.name,
                        "file_name": file_name,
                        "sha256": content.get("sha256"),
                        "diunggah_pada": content.get("diunggah_pada"),
                    }
                )
    return sorted(found, key=lambda r: str(r["diunggah_pada"]), reverse=True)
