"""Renames that survive a crash or a power cut: after one, `target` is the old file or the new
one, never a part of either. The new file's bytes reach the disk before the rename, and the
folder's entry after it (without that, a rename can be lost with the power)."""

import os
from pathlib import Path


def replace(source: Path, target: Path) -> None:
    """Rename `source` over `target` (in the same folder or file system), durably. A move
    between folders flushes both: the file must not come back in the one it left."""
    fsync(source)
    os.replace(source, target)
    fsync(target.parent)
    if source.parent != target.parent:
        fsync(source.parent)


def fsync(path: Path) -> None:
    """Flush a file's bytes, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
