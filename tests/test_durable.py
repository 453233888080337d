"""pipelines.durable: a file is written whole and flushed to the disk, or left as it was."""

import os
from pathlib import Path

import pytest

from pipelines import durable


def synced_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths os.fsync is called on, in order (read from the descriptor as it is synced)."""
    paths: list[str] = []
    real = os.fsync

    def recording(fd: int) -> None:
        paths.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return paths


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "rejected"
    path.mkdir()
    return path


def test_write_replaces_the_file_whole_and_flushes_it_and_its_folder(folder, monkeypatch):
    target = folder / "laporan.txt"
    target.write_text("lama")
    synced = synced_paths(monkeypatch)
    durable.write(target, b"Baris 3: kolom kk_miskin")
    assert target.read_text() == "Baris 3: kolom kk_miskin"
    assert [p.name for p in folder.iterdir()] == ["laporan.txt"]  # no temporary file stays
    # The new bytes were flushed under their temporary name, then the folder's entry.
    assert len(synced) == 2
    assert Path(synced[0]).parent == folder
    assert Path(synced[0]).name.startswith(".")
    assert synced[1] == str(folder)


def test_a_failed_write_leaves_the_old_file_and_nothing_else(folder, monkeypatch):
    target = folder / "laporan.txt"
    target.write_text("lama")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        durable.write(target, b"baru")
    assert target.read_text() == "lama"
    assert [p.name for p in folder.iterdir()] == ["laporan.txt"]


def test_a_long_name_still_gets_its_temporary_file(folder):
    # A stored name may already be as long as the file system allows (255 bytes).
    target = folder / ("x" * 240 + ".kesalahan.xlsx")
    durable.write(target, b"PK")
    assert target.read_bytes() == b"PK"


def test_a_written_file_gets_the_mode_any_new_file_gets(folder):
    # An officer reads the report beside a rejected file: it is as readable as the file itself.
    plain = folder / "biasa.txt"
    plain.write_bytes(b"x")
    target = folder / "laporan.txt"
    durable.write(target, b"x")
    assert target.stat().st_mode == plain.stat().st_mode
