"""The sidecar of an uploaded file: who sent it and for which kabupaten (docs/operations.md).

The pipeline never reads accounts (the README (rooms)). The dashboard's upload page writes
`inbox/<dataset>/.<name>.unggah.json` *before* it renames the data file into place, so a run
that sees the file always sees its sidecar too. The sidecar is hidden (leading dot), so no run
and no sensor takes it for a data file. A file without a sidecar was dropped into the folder on
the server: no uploader, no scope, as before.

A sidecar that cannot be trusted (unreadable, unsigned or wrongly signed, an unknown role, a
petugas without a kabupaten, or written for other bytes than the file beside it) rejects the
file whole: failing open would load a scoped officer's file without its scope.

The signature: anyone who may write into the inbox could write a sidecar naming any account. So
the upload page signs each sidecar with HMAC-SHA256 under a key only the server's owner can
read (`<data dir>/akun/kunci_unggah`, made by the page on first use), over the sidecar's other
fields as canonical JSON (sorted keys, no spaces, ASCII). This module reads the key by path
(settings) and checks the signature before it believes a single field.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from pipelines import durable
from pipelines.settings import SIDECAR_SUFFIX

UPLOAD_ROLES = ("petugas", "analis")  # the roles that may upload at all (docs/operations.md)
MAX_SIDECAR_BYTES = 64 * 1024
MAX_NAME_BYTES = 255
SIGNATURE_FIELD = "tanda_tangan"  # = dashboards.akun.unggah.SIGNATURE_FIELD
MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class Upload:
    """What the sidecar says; `problem` is set when the file must be rejected for it."""

    pengunggah: str | None
    peran: str | None
    kode_kab: str | None  # the uploader's scope; None for an analis (every kabupaten)
    problem: str | None = None


def sidecar_of(path: Path) -> Path | None:
    """Where the sidecar of an inbox file lives: hidden, beside it. None for a name too long
    to have one (the upload page keeps names far shorter, so only a folder drop has those)."""
    name = f".{path.name}{SIDECAR_SUFFIX}"
    return path.with_name(name) if len(name.encode("utf-8")) <= MAX_NAME_BYTES else None


def stored_sidecar_of(stored: Path) -> Path:
    """Where the sidecar goes once the file is in archive/ or rejected/: visible, beside it."""
    return stored.with_name(stored.name + SIDECAR_SUFFIX)


def canonical(sidecar: dict) -> bytes:
    """The bytes a signature covers: every field but the signature, as canonical JSON (the
    upload page signs the same bytes; a test holds the two together)."""
    fields = {k: v for k, v in sidecar.items() if k != SIGNATURE_FIELD}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _signed(content: dict, key_path: Path) -> str | None:
    """None when the sidecar carries a valid signature, else the reason it does not."""
    try:
        key = key_path.read_bytes()
    except OSError:
        key = b""
    if len(key) < MIN_KEY_BYTES:
        return "kunci tanda tangan unggahan di server tidak ada atau tidak dapat dibaca"
    signature = content.get(SIGNATURE_FIELD)
    expected = hmac.new(key, canonical(content), hashlib.sha256).hexdigest()
    if not isinstance(signature, str) or not hmac.compare_digest(signature, expected):
        return "berkas pendamping unggahan tidak bertanda tangan yang sah (bukan dari dasbor)"
    return None


def read_upload(path: Path, sha256: str, key_path: Path) -> Upload | None:
    """The sidecar of `path`, checked against the signing key at `key_path`; None when the file
    was dropped into the folder."""
    sidecar = sidecar_of(path)
    if sidecar is None:
        return None
    try:
        if sidecar.stat().st_size > MAX_SIDECAR_BYTES:
            return _untrusted(None, "berkas pendamping unggahan terlalu besar")
        content = json.loads(sidecar.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return _untrusted(None, "berkas pendamping unggahan tidak dapat dibaca")
    if not isinstance(content, dict):
        return _untrusted(None, "berkas pendamping unggahan tidak dapat dibaca")
    problem = _signed(content, key_path)
    if problem is not None:  # no field of it is believed, not even the uploader's name
        return _untrusted(None, problem)
    pengunggah = content.get("pengunggah")
    pengunggah = pengunggah if isinstance(pengunggah, str) and pengunggah else None
    peran, kode_kab = content.get("peran"), content.get("kode_kab")
    if pengunggah is None:
        return _untrusted(None, "berkas pendamping unggahan tidak menyebut pengunggah")
    if content.get("sha256") != sha256:
        return _untrusted(
            pengunggah, "berkas pendamping unggahan tidak cocok dengan isi berkas (SHA-256 beda)"
        )
    if peran not in UPLOAD_ROLES:
        return _untrusted(pengunggah, f"peran '{peran}' tidak boleh mengunggah berkas")
    if peran == "petugas" and not (isinstance(kode_kab, str) and kode_kab):
        return _untrusted(pengunggah, "unggahan petugas tanpa kabupaten (kode_kab)")
    if kode_kab is not None and not isinstance(kode_kab, str):
        return _untrusted(pengunggah, "kode_kab pada berkas pendamping tidak sah")
    return Upload(pengunggah, peran, kode_kab or None)


def _untrusted(pengunggah: str | None, problem: str) -> Upload:
    return Upload(pengunggah, None, None, problem)


def move_sidecar(path: Path, stored: Path) -> None:
    """Move the sidecar of `path` beside the stored file, if there is one.

    Called after the data file has moved: killed in between, the file is safely stored and only
    a hidden sidecar is left behind, which no run reads (a later file of the same name carries
    other bytes, so a stale sidecar rejects it rather than lending it a scope).
    """
    sidecar = sidecar_of(path)
    if sidecar is not None and sidecar.exists():
        durable.replace(sidecar, stored_sidecar_of(stored))
