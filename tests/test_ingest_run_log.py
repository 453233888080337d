"""The ingest step's run log: one line per file, gathered into few Dagster events."""

from pathlib import Path

import pytest

from pipelines.defs.ingest import log_outcomes
from pipelines.ingest.inbox import FileOutcome


class RecordingLog:
    def __init__(self):
        self.events: list[tuple[str, str]] = []

    def info(self, message: str) -> None:
        self.events.append(("info", message))

    def warning(self, message: str) -> None:
        self.events.append(("warning", message))


def outcome(name: str, status: str = "accepted", rows: int = 10) -> FileOutcome:
    return FileOutcome(name, status, rows, Path(name), f"laporan {name}")


def test_file_outcomes_are_logged_once_each_in_few_events_and_a_rejection_at_once():
    # A clock that moves 0.4 s per reading: the lines gather until a second has passed.
    ticks = iter(x * 0.4 for x in range(100))
    log = RecordingLog()
    outcomes = [outcome("a.csv"), outcome("b.csv"), outcome("c.csv"), outcome("d.csv")]
    outcomes += [outcome("buruk.csv", "rejected", 0), outcome("e.csv", "duplicate", 0)]
    passed = list(log_outcomes(log, outcomes, every_s=1.0, clock=lambda: next(ticks)))

    assert passed == outcomes  # every outcome passes through, in order
    assert log.events == [
        (
            "info",
            "accepted: a.csv (10 baris)\naccepted: b.csv (10 baris)\naccepted: c.csv (10 baris)",
        ),
        ("info", "accepted: d.csv (10 baris)\nrejected: buruk.csv (0 baris)"),
        ("warning", "laporan buruk.csv"),
        ("info", "duplicate: e.csv (0 baris)"),
    ]


def test_no_files_log_nothing():
    log = RecordingLog()
    assert list(log_outcomes(log, [])) == []
    assert log.events == []


def test_the_files_recorded_before_a_failure_are_logged_and_the_failure_passes():
    def failing_after_two():
        yield outcome("a.csv")
        yield outcome("b.csv")
        raise OSError("disk penuh")

    log = RecordingLog()
    with pytest.raises(OSError, match="disk penuh"):
        list(log_outcomes(log, failing_after_two(), every_s=60.0))
    assert log.events == [("info", "accepted: a.csv (10 baris)\naccepted: b.csv (10 baris)")]
