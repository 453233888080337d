"""A file still being copied is read by no run (docs/contracts.md): not the sensor's, not a CLI or UI
run. A run waits a bounded time for young files and leaves one still changing for later."""

import os
import threading
import time
from pathlib import Path

import pytest

from pipelines.ingest.inbox import settled_files
from tests.conftest import drop, published, run_pipeline

KEMISKINAN = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
ROWS = [f"62.01.01.{2001 + i},2024,1000,300,45,10\n" for i in range(3)]


def _write_slowly(path: Path, chunks: list[str], pause: float) -> threading.Thread:
    """A copy over a slow link: the file grows chunk by chunk."""

    def copy() -> None:
        with path.open("a", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)
                handle.flush()
                time.sleep(pause)

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


def test_young_file_is_waited_for_and_then_taken(tmp_path):
    path = tmp_path / "baru.csv"
    path.write_text(KEMISKINAN + ROWS[0], encoding="utf-8")
    started = time.monotonic()
    assert settled_files(tmp_path, settle_seconds=0.6, max_wait_seconds=5) == [path]
    assert time.monotonic() - started >= 0.5  # it waited for the file to settle


def test_old_file_is_taken_at_once(tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(KEMISKINAN + ROWS[0], encoding="utf-8")
    old = time.time() - 60
    os.utime(path, (old, old))
    started = time.monotonic()
    assert settled_files(tmp_path, settle_seconds=5, max_wait_seconds=30) == [path]
    assert time.monotonic() - started < 1


def test_file_still_changing_is_left_for_the_next_run(tmp_path):
    path = tmp_path / "disalin.csv"
    path.write_text(KEMISKINAN, encoding="utf-8")
    writer = _write_slowly(path, ROWS * 10, pause=0.1)
    try:
        assert settled_files(tmp_path, settle_seconds=0.5, max_wait_seconds=1.0) == []
    finally:
        writer.join()
    assert settled_files(tmp_path, settle_seconds=0.5, max_wait_seconds=5) == [path]


def test_unchanged_file_with_a_future_mtime_settles_by_watching(tmp_path):
    """A copy that kept a clock-skewed mtime still settles once seen unchanged long enough."""
    path = tmp_path / "jam_maju.csv"
    path.write_text(KEMISKINAN + ROWS[0], encoding="utf-8")
    future = time.time() + 3600
    os.utime(path, (future, future))
    assert settled_files(tmp_path, settle_seconds=0.5, max_wait_seconds=3) == [path]


@pytest.fixture
def quick_settle(monkeypatch):
    monkeypatch.setenv("DASBOR_SETTLE_SECONDS", "1")
    monkeypatch.setenv("DASBOR_SETTLE_MAX_WAIT_SECONDS", "2")


def test_a_run_never_reads_a_half_written_file(data_dir, quick_settle):
    """A whole run started while a file is still being copied leaves it; the next run takes it."""
    inbox = data_dir / "inbox" / "kemiskinan_desa"
    path = inbox / "kemiskinan_2024.csv"
    path.write_text(KEMISKINAN, encoding="utf-8")  # the header has arrived, rows have not
    writer = _write_slowly(path, ROWS * 40, pause=0.1)  # still copying for about 12 s
    try:
        assert run_pipeline(data_dir).success
        assert path.exists()  # left in the inbox, neither rejected nor archived
        assert not list((data_dir / "rejected").rglob("*.csv"))
        assert published(data_dir, "select count(*) as n from ingest_log")["n"][0] == 0
    finally:
        writer.join()

    # The copy is complete: rows 2001..2003 repeated would be duplicates, so use a fresh file.
    path.unlink()
    drop(data_dir, "kemiskinan_desa", "kemiskinan_2024.csv", KEMISKINAN + "".join(ROWS))
    assert run_pipeline(data_dir).success
    log = published(data_dir, "select status, rows from ingest_log")
    assert log.rows() == [("accepted", 3)]


def test_a_file_written_just_before_a_run_is_taken_by_it(data_dir, quick_settle):
    path = data_dir / "inbox" / "kemiskinan_desa" / "kemiskinan_2024.csv"
    path.write_text(KEMISKINAN + "".join(ROWS), encoding="utf-8")  # mtime: now
    assert run_pipeline(data_dir).success
    assert not path.exists()
    assert published(data_dir, "select status from ingest_log")["status"].to_list() == ["accepted"]
