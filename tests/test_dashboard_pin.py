"""A page run reads one snapshot from start to end, even if a new one is published meanwhile."""

from pathlib import Path

import duckdb
import pytest

from dashboards import data
from dashboards.data import snapshot
from tests import snapshot_fixture as sf


def run_id(path: str) -> str:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute("select run_id from snapshot_info").fetchall()[0][0]


def test_pinned_snapshot_survives_a_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    sf.prepare(tmp_path, monkeypatch)
    first = data.pin()
    assert first is not None
    assert Path(first[0]).parent.name == data.PIN_DIR_NAME
    assert run_id(first[0]) == "run-uji-1"
    # The pipeline publishes a new snapshot (build in a new file, then os.replace).
    sf.build_snapshot(data.data_dir(), run_id="run-uji-2")
    # The pinned run still reads the snapshot it started with, whole.
    assert run_id(first[0]) == "run-uji-1"
    # The next run pins the new one.
    second = data.pin()
    assert second[1] != first[1]
    assert run_id(second[0]) == "run-uji-2"


def test_old_pins_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    sf.prepare(tmp_path, monkeypatch)
    for i in range(data.PINS_KEPT + 3):
        sf.build_snapshot(data.data_dir(), run_id=f"run-{i}")
        data.pin()
    pins = list((data.snapshot_path().parent / data.PIN_DIR_NAME).glob("*.duckdb"))
    assert len(pins) == data.PINS_KEPT


def test_read_only_data_directory_falls_back_to_the_path(tmp_path, monkeypatch):
    sf.prepare(tmp_path, monkeypatch)
    monkeypatch.setattr(snapshot, "_link", lambda path: None)
    v = data.pin()
    assert v[0] == str(data.snapshot_path())
