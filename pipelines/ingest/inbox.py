"""Take every pending file of one dataset's inbox: load it or reject it, and lose nothing.

The order of steps is what makes a crash harmless:
- accepted: the rows and the log entry commit in one transaction, then the file moves to
  archive/. Killed in between, the file is still in the inbox; the next run finds its SHA-256
  already accepted, logs it as a duplicate and archives it, so it is neither lost nor loaded twice.
- rejected: the report is written and logged first, then the file moves to rejected/. Killed in
  between, the next run simply rejects it again.
Moves are `os.replace` within one file system, so a file is always in exactly one folder.
"""

import hashlib
import re
import time
from collections import deque
from collections.abc import Container, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import durable
from pipelines.contracts.datasets import Dataset
from pipelines.faults import failpoint
from pipelines.ingest.reading import RawTable, UnreadableFile, read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.report import ReportInput, error_workbook, issues_csv, render
from pipelines.ingest.upload import Upload, move_sidecar, read_upload
from pipelines.ingest.validation import Validation, validate
from pipelines.settings import Settings
from pipelines.warehouse.db import accepted_files, log_file, replace_slices

# Files a data officer's tools leave while working: Excel lock files, partial downloads.
IGNORED_PREFIXES = ("~$", ".")
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
MAX_NAME_BYTES = 255
# Files judged ahead, each in a thread, while one is written: two gave 60 national UMKM files
# 13.0 s against 14.3 s for one (docs/performance.md); each holds one file in memory.
JUDGES = 2
# Beside each rejected file: the text report, its errors as CSV, and the error workbook.
REPORT_SUFFIXES = (".laporan.txt", ".kesalahan.csv", ".kesalahan.xlsx")
REPORT_TXT, ERRORS_CSV, ERRORS_XLSX = REPORT_SUFFIXES


def is_candidate(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and not name.startswith(IGNORED_PREFIXES)
        and not name.lower().endswith(IGNORED_SUFFIXES)
    )


def pending_files(inbox: Path) -> list[Path]:
    """Files waiting in one inbox folder, oldest first."""
    if not inbox.is_dir():
        return []
    files = [p for p in inbox.iterdir() if is_candidate(p)]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def settled_files(
    inbox: Path,
    settle_seconds: float,
    max_wait_seconds: float,
    clock=time.time,
    sleep=time.sleep,
) -> list[Path]:
    """The pending files that have stopped changing, oldest first (docs/contracts.md).

    A file is settled when its size and mtime have held for `settle_seconds`: either its mtime
    is that old, or this call watched it unchanged that long (a copy that kept the source's
    mtime, or a clock ahead of ours). Young files are waited for, at most `max_wait_seconds`;
    one still changing then is left in the inbox for the next run, unread and unlogged.
    """
    deadline = clock() + max_wait_seconds
    watched: dict[Path, tuple[tuple[int, int], float]] = {}
    while True:
        now = clock()
        ready, young = [], []
        for path in pending_files(inbox):
            try:
                stat = path.stat()
            except FileNotFoundError:  # taken away while we looked
                continue
            state = (stat.st_size, stat.st_mtime_ns)
            if watched.get(path, (None,))[0] != state:
                watched[path] = (state, now)
            unchanged_for = max(now - stat.st_mtime_ns / 1e9, now - watched[path][1])
            (ready if unchanged_for >= settle_seconds else young).append(path)
        if not young or now >= deadline:
            return ready
        sleep(min(0.25, max(deadline - now, 0.0)))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_stored_name(stamp: str, sha256: str, original: str, extra_suffix: str = "") -> str:
    """`<stamp>_<sha8>_<name>`: no path parts, at most 255 bytes even with a report suffix."""
    name = Path(original.replace("\\", "/")).name or "berkas"
    name = re.sub(r"[\x00-\x1f/]", "_", name)
    prefix = f"{stamp}_{sha256[:8]}_"
    # Room for the report suffixes and the "N_" that _unique_target may add.
    reserved = max(len(suffix.encode()) for suffix in REPORT_SUFFIXES) + 4
    budget = MAX_NAME_BYTES - len(prefix.encode()) - reserved - len(extra_suffix.encode())
    encoded = name.encode("utf-8")
    if len(encoded) > budget:
        stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 8 else ""
        keep = budget - len(suffix.encode())
        stem_bytes = (stem if suffix else name).encode("utf-8")[:keep]
        name = stem_bytes.decode("utf-8", errors="ignore") + suffix
    return prefix + name


def _unique_target(folder: Path, name: str) -> Path:
    """Never overwrite: archive/ and rejected/ keep every file byte for byte."""
    target = folder / name
    counter = 1
    while target.exists():
        target = folder / f"{counter}_{name}"
        counter += 1
    return target


@dataclass
class FileOutcome:
    file_name: str
    status: str  # accepted / rejected / duplicate
    rows: int
    stored_as: Path
    report: str


@dataclass
class Judged:
    """A file read and validated, without the warehouse: what recording it needs."""

    path: Path
    sha256: str
    upload: Upload | None
    table: RawTable | None
    validation: Validation | None
    unreadable: str | None  # why the file could not be read at all


def judge_file(
    path: Path,
    dataset: Dataset,
    reference: Reference,
    settings: Settings,
    accepted: Container[str] = frozenset(),
) -> Judged:
    """Hash, sidecar, read and validate one file. Touches neither the warehouse nor the
    folders, so the next file can be judged while this one is recorded. A copy of a file
    already accepted (its sha256 in `accepted`) is not read: recording finds it a duplicate."""
    sha256 = sha256_of(path)
    upload = read_upload(path, sha256, settings.upload_key_path)
    table = validation = unreadable = None
    if sha256 in accepted:
        return Judged(path, sha256, upload, table, validation, unreadable)
    try:
        table = read_table(path, settings.max_file_bytes, settings.max_xlsx_uncompressed_bytes)
        validation = validate(table, dataset, reference, upload)
    except UnreadableFile as exc:
        unreadable = str(exc)
    return Judged(path, sha256, upload, table, validation, unreadable)


def process_file(
    path: Path,
    dataset: Dataset,
    reference: Reference,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    now: datetime | None = None,
) -> FileOutcome:
    """Judge one inbox file and record it; an uploaded file's sidecar (uploader, scope)
    travels with it."""
    accepted = accepted_files(con, dataset.name)
    judged = judge_file(path, dataset, reference, settings, accepted)
    return record_file(judged, dataset, con, settings, accepted, now)


def process_files(
    paths: Sequence[Path],
    dataset: Dataset,
    reference: Reference,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
) -> Iterator[FileOutcome]:
    """Every file in order, as process_file does; the next `JUDGES` files are judged in threads
    while this one is written (Polars and DuckDB both release the GIL). Recording stays in
    order, one file at a time, and at most `JUDGES` + 1 files are in memory. A re-sent copy of
    a file accepted before this batch is not validated again (a 70 MB file took seconds)."""
    accepted = accepted_files(con, dataset.name)  # grows as the files are recorded
    before = frozenset(accepted)  # what the judges know: the batch's own copies are found later

    def judge(path: Path) -> Future[Judged]:
        return pool.submit(judge_file, path, dataset, reference, settings, before)

    with ThreadPoolExecutor(max_workers=JUDGES, thread_name_prefix="judge") as pool:
        ahead = deque(judge(path) for path in paths[:JUDGES])
        for following in paths[JUDGES:]:
            current = ahead.popleft()
            ahead.append(judge(following))
            yield record_file(current.result(), dataset, con, settings, accepted)
        while ahead:
            yield record_file(ahead.popleft().result(), dataset, con, settings, accepted)


def record_file(
    judged: Judged,
    dataset: Dataset,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    accepted: dict[str, str],
    now: datetime | None = None,
) -> FileOutcome:
    """Load or reject a judged file, log it and move it; then its sidecar. `accepted`: the
    files of the dataset loaded before (`accepted_files`, read under the warehouse lock the
    caller holds), to which an accepted file is added: a copy of one is a duplicate.

    The sidecar moves after the file, so a crash in between leaves the file stored and logged
    (with its uploader) and only a hidden sidecar behind: never a scoped file without its scope.
    """
    outcome = _record_file(judged, dataset, con, settings, accepted, now)
    move_sidecar(judged.path, outcome.stored_as)
    return outcome


def _record_file(
    judged: Judged,
    dataset: Dataset,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    accepted: dict[str, str],
    now: datetime | None,
) -> FileOutcome:
    path, sha256, upload = judged.path, judged.sha256, judged.upload
    received_at = (now or datetime.now(UTC)).replace(tzinfo=None)
    stamp = received_at.strftime("%Y%m%dT%H%M%S")
    base = ReportInput(path.name, dataset, sha256, received_at, "accepted")
    base.pengunggah = upload.pengunggah if upload is not None else None
    relative = settings.data_dir

    previous = accepted.get(sha256)
    if previous is not None:
        target = _unique_target(
            settings.archive_dir / dataset.name, safe_stored_name(stamp, sha256, path.name)
        )
        base.status, base.duplicate_of = "duplicate", previous
        text = render(base)
        log_file(con, _entry(base, text, target.relative_to(relative), rows=0))
        _move(path, target)
        return FileOutcome(path.name, "duplicate", 0, target, text)

    table, validation = judged.table, judged.validation
    if table is not None:
        base.details = table.details
    if judged.unreadable is not None:
        base.file_errors = [judged.unreadable]

    if validation is not None:
        base.file_errors = validation.file_errors
        base.file_warnings = validation.file_warnings
        base.issues = validation.issues
        base.matches = validation.matches
        base.personal_columns = validation.personal_columns

    if validation is not None and validation.accepted and validation.rows is not None:
        rows = validation.rows.drop("_baris")
        target = _unique_target(
            settings.archive_dir / dataset.name, safe_stored_name(stamp, sha256, path.name)
        )
        base.rows = rows.height
        text = render(base)
        entry = _entry(base, text, target.relative_to(relative), rows=rows.height)
        replace_slices(con, dataset, rows, sha256, received_at, entry)
        accepted[sha256] = entry["stored_as"]
        failpoint("ingest.after_commit")
        _move(path, target)
        return FileOutcome(path.name, "accepted", rows.height, target, text)

    base.status = "rejected"
    base.table = table
    target = _unique_target(
        settings.rejected_dir / dataset.name, safe_stored_name(stamp, sha256, path.name)
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook_note = _write_error_workbook(base, target.with_name(target.name + ERRORS_XLSX))
    text = render(base) + workbook_note
    # The officer's report beside the file: whole and on the disk before the file moves there.
    durable.write(target.with_name(target.name + REPORT_TXT), text.encode("utf-8"))
    durable.write(target.with_name(target.name + ERRORS_CSV), issues_csv(base).encode("utf-8"))
    log_file(con, _entry(base, text, target.relative_to(relative), rows=0))
    failpoint("ingest.after_reject_log")
    _move(path, target)
    return FileOutcome(path.name, "rejected", 0, target, text)


def _write_error_workbook(report: ReportInput, target: Path) -> str:
    """Write the error workbook whole and durably; on any failure return a line for the report.

    The workbook is a convenience: failing to build it must never lose the file or stop the
    rejection being logged. The note names the error type only, never a message that could
    quote a cell.
    """
    try:
        durable.write(target, error_workbook(report))
    except Exception as exc:
        return (
            f"\nCatatan: buku kerja kesalahan ({ERRORS_XLSX}) tidak dapat dibuat "
            f"({type(exc).__name__}); daftar kesalahan di atas tetap lengkap.\n"
        )
    return ""


def _entry(report: ReportInput, text: str, stored_as: Path, rows: int) -> dict:
    issues = report.issues
    n_errors = len(report.file_errors)
    n_warnings = len(report.file_warnings)
    if issues is not None and issues.height:
        n_errors += issues.filter(issues["tingkat"] == "kesalahan").height
        n_warnings += issues.filter(issues["tingkat"] == "peringatan").height
    return {
        "file_name": report.file_name,
        "dataset": report.dataset.name,
        "sha256": report.sha256,
        "received_at": report.received_at,
        "status": report.status,
        "rows": rows,
        "report": text,
        "stored_as": str(stored_as),
        "errors": n_errors,
        "warnings": n_warnings,
        "pengunggah": report.pengunggah,
    }


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Durable before the next file: a crash must not resurrect or drop it.
    durable.replace(source, target)
