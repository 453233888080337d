"""Failpoints: named places where the crash tests kill the pipeline process.

`DASBOR_FAILPOINT=<name>` makes the process SIGKILL itself when it reaches that place, which is
how tests/test_crash.py proves that a kill at the worst moment loses no file and leaves the
published snapshot intact. Unset (always, outside those tests), a failpoint does nothing.
"""

import os
import signal

POINTS = (
    "ingest.mid_write",  # inside the warehouse transaction, old slice deleted, new rows not in
    "ingest.after_commit",  # rows committed, file not yet moved to archive/
    "ingest.after_reject_log",  # rejection logged, file not yet moved to rejected/
    "publish.before_replace",  # new snapshot written to .tmp, not yet swapped in
)


def failpoint(name: str) -> None:
    if os.environ.get("DASBOR_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
