"""Renames that survive a crash or a power cut: after one, `target` is the old file or the new
one, never a part of either. The new file's bytes reach the disk before the rename, and the
folder's entry after it (without that, a rename can be lost with the power)."""

import os
import secrets
from pathlib import Path


def replace(source: Path, target: Path) -> None:
    """Rename `source` over `target` (in the same folder or file system), durably. A move
    between folders flushes both: the file must not come back in the one it left."""
    fsync(source)
    os.replace(source, target)
    fsync(target.parent)
    if source.parent != target.parent:
        fsync(source.parent)


def write(target: Path, content: bytes) -> None:
    """`target` holds `content`, whole and on the disk, or is as it was: written beside it
    under a hidden temporary name, then renamed durably; the temporary file never stays."""
    # A short name (the target's may already be as long as the file system allows), and the
    # mode any new file gets (mkstemp's 0600 would hide an officer's report from the officer).
    partial = target.with_name(f".{secrets.token_hex(8)}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def fsync(path: Path) -> None:
    """Flush a file's bytes, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
