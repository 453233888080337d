"""`pulihkan`: rebuild a data directory from a backup, through the normal ingest path.

1. The target must be empty, and the backup must pass `periksa` in a first, read-only pass:
   a damaged or partial backup is refused before anything is written.
2. Accounts, the signing key, `rejected/` (with reports) and the reference folder go back in
   place; the backed-up snapshot is put in `published/` at once, so the dashboard can serve
   the last published state while the rest is rebuilt.
3. `notifikasi_log` goes back into the warehouse before any run. It is what the reminder and
   briefing jobs read to know what was already sent (one message per account per day, a
   briefing per period): restored, the next scheduled run sends nothing that already went.
   The restore itself never runs those jobs.
4. Every archived file is replayed in its order of arrival through `process_file`, the same
   function the ingest step calls: the same replacement rules, the same duplicate check, the
   same uploader scope, checked from the signed sidecar against the restored signing key. Each
   file keeps its original arrival time, so the archive names, the load times and the
   on-time judgements come out as they were. Rejected files are not judged again (a rejection
   changes nothing but the log, and today's rules might judge them otherwise): their log rows
   go back as they were.
5. The pipeline runs, and the rebuilt `kpi` is compared bit for bit with the backed-up
   snapshot's. When the log holds files that arrived after that snapshot was published (a
   backup taken mid-run), those are replayed after the comparison, with a second run.
"""

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import duckdb
import polars as pl

from laporan.formatting import number
from pipelines import durable
from pipelines.cadangan.backup import LOG_TABLES, REPLAYED_STATUSES, SHIPPED_REFERENCE
from pipelines.cadangan.compare import compare_snapshots
from pipelines.cadangan.manifest import (
    ACCOUNTS,
    ARCHIVE,
    LOGS,
    REFERENCE,
    REJECTED,
    SNAPSHOT_MEMBER,
    BackupError,
    verify,
)
from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.inbox import process_file
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import sidecar_of, stored_sidecar_of
from pipelines.settings import Settings
from pipelines.warehouse import tables
from pipelines.warehouse.db import Warehouse, registered, render, sql
from pipelines.warehouse.publish import start_staging_empty

STAGING = ".pulihkan"  # inside the target: the archive and logs until they are replayed
# The columns that identify one arrival in ingest_log.
ARRIVAL = ("file_name", "dataset", "sha256", "received_at", "status")
# A data directory that holds only the shipped reference folder (the repository's data/) is
# still empty for a restore.
ALLOWED_IN_EMPTY = ("reference",)


class RestoreRefused(Exception):
    """Nothing was written; the message says why (Bahasa Indonesia)."""


@dataclass
class RestoreResult:
    data_dir: Path
    replayed: int = 0
    rejected_logged: int = 0
    runs: int = 0
    compared: bool = False  # False when the backup holds no snapshot (nothing was published)
    kpi: str | None = None  # None: bit-identical; else the first difference
    kpi_rows: int = 0
    tables: dict[str, str | None] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    late_files: int = 0  # arrived after the backed-up snapshot was published
    reference_dir: Path | None = None
    provinsi: str = "62"
    seconds: float = 0.0

    @property
    def identical(self) -> bool:
        return self.kpi is None and not self.mismatches

    def report(self) -> str:
        lines = [
            f"Dipulihkan ke {self.data_dir} dalam {number(self.seconds, 1)} detik: "
            f"{number(self.replayed)} berkas arsip diputar ulang sesuai urutan kedatangan, "
            f"{number(self.rejected_logged)} catatan berkas ditolak dikembalikan, "
            f"{number(self.runs)} kali run pipeline.",
        ]
        lines += [f"  BERBEDA saat diputar ulang: {m}" for m in self.mismatches]
        if not self.compared:
            lines.append("Cadangan tidak memuat snapshot terbit: kpi tidak dibandingkan.")
        elif self.kpi is None:
            lines.append(
                f"Tabel kpi hasil bangun ulang IDENTIK bit demi bit dengan snapshot di cadangan "
                f"({number(self.kpi_rows)} baris)."
            )
        else:
            lines.append(f"Tabel kpi hasil bangun ulang BERBEDA dari snapshot cadangan: {self.kpi}")
        others = {t: d for t, d in self.tables.items() if t != "kpi"}
        if others:
            differ = sorted(t for t, d in others.items() if d is not None)
            lines.append(
                f"Tabel terbit lain: {number(len(others) - len(differ))} sama"
                + (f"; berbeda: {', '.join(differ)}" if differ else "")
                + (
                    " (kepatuhan_pelaporan dinilai pada tanggal run, jadi berbeda bila "
                    "dipulihkan pada hari lain)"
                    if "kepatuhan_pelaporan" in differ
                    else ""
                )
            )
        if self.late_files:
            lines.append(
                f"{number(self.late_files)} berkas tiba setelah snapshot cadangan terbit: "
                "diputar ulang sesudah perbandingan, lalu pipeline dijalankan lagi."
            )
        env = [f"DASBOR_DATA_DIR={self.data_dir}"]
        if self.reference_dir is not None:
            env.append(f"DASBOR_REFERENCE_DIR={self.reference_dir}")
        if self.provinsi != "62":
            env.append(f"DASBOR_PROVINSI={self.provinsi}")
        lines.append("Jalankan pipeline dan dasbor dengan " + " ".join(env) + ".")
        return "\n".join(lines)


def _require_empty(data_dir: Path) -> None:
    if not data_dir.exists():
        return
    if not data_dir.is_dir():
        raise RestoreRefused(f"{data_dir} bukan direktori")
    others = sorted(p.name for p in data_dir.iterdir() if p.name not in ALLOWED_IN_EMPTY)
    if others:
        raise RestoreRefused(
            f"Direktori data {data_dir} tidak kosong (berisi {', '.join(others[:5])}"
            f"{' …' if len(others) > 5 else ''}). Pemulihan hanya ke direktori kosong, agar "
            "tidak ada data yang tertimpa; tidak ada yang ditulis."
        )


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """The settings of the restored directory for this process (the in-process run reads them
    from the environment, as every run does), put back as they were afterwards."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def restore(backup: Path, data_dir: Path, say=lambda line: None) -> RestoreResult:
    """Restore `backup` into the empty `data_dir` and rebuild; see the module docstring."""
    started = time.monotonic()
    data_dir = data_dir.absolute()
    _require_empty(data_dir)
    say(f"Memeriksa {backup} ...")
    checked = verify(backup)
    if not checked.ok:
        raise RestoreRefused(
            checked.report(backup)
            + f"\nPemulihan dibatalkan; tidak ada yang ditulis ke {data_dir}."
        )
    manifest = checked.manifest
    assert manifest is not None
    say(f"Cadangan utuh ({number(checked.members)} berkas). Memulihkan akun, kunci dan log ...")

    staging = data_dir / STAGING
    data_dir.mkdir(parents=True, exist_ok=True)
    extracted = verify(backup, extract=lambda name: _destination(name, data_dir, staging))
    if not extracted.ok:  # the file changed between the two passes
        raise BackupError(extracted.report(backup))
    _owner_only(data_dir / ACCOUNTS)

    result = RestoreResult(data_dir=data_dir, provinsi=manifest.get("provinsi", "62"))
    env = {"DASBOR_DATA_DIR": str(data_dir), "DASBOR_PROVINSI": result.provinsi}
    if manifest.get("referensi") == "ikut":
        result.reference_dir = data_dir / REFERENCE
        env["DASBOR_REFERENCE_DIR"] = str(result.reference_dir)
    else:
        env["DASBOR_REFERENCE_DIR"] = str(SHIPPED_REFERENCE)

    with _environment(env):
        settings = Settings.from_env()
        settings.ensure_dirs()
        snapshot = staging / SNAPSHOT_MEMBER
        if snapshot.exists():
            _place_snapshot(snapshot, settings.published_path)
            start_staging_empty(settings.published_path)  # the rebuild computes every table
            say("Snapshot dari cadangan dipasang di published/: dasbor sudah dapat dibaca.")
        _restore_logs(settings, staging)
        log = _arrivals(staging)
        phases = _phases(log, snapshot if snapshot.exists() else None)
        result.late_files = phases[1].height if len(phases) > 1 else 0
        reference = Reference.load(
            settings.wilayah_csv,
            settings.bps_crosswalk_csv,
            settings.idm_thresholds_csv,
            settings.provinsi,
        )
        for n, phase in enumerate(phases):
            say(f"Memutar ulang {number(phase.height)} catatan ingest_log ...")
            _replay(phase, settings, staging, reference, result)
            say("Menjalankan pipeline ...")
            _run_pipeline(data_dir)
            result.runs += 1
            if n == 0 and snapshot.exists():
                result.compared = True
                result.tables = compare_snapshots(snapshot, settings.published_path)
                result.kpi = result.tables.get("kpi", "tabel kpi tidak ada di cadangan")
                result.kpi_rows = _row_count(settings.published_path, "kpi")
        _keep_unlogged(staging, data_dir)
    shutil.rmtree(staging)
    result.seconds = time.monotonic() - started
    return result


def _destination(name: str, data_dir: Path, staging: Path) -> Path:
    """Where a member goes: accounts, rejected files and the reference folder to their place;
    the archive, the logs and the snapshot to the staging folder until they are used."""
    top = PurePosixPath(name).parts[0]
    if top in (ACCOUNTS, REJECTED, REFERENCE):
        return data_dir / name
    return staging / name


def _owner_only(folder: Path) -> None:
    """The accounts' folder as the store keeps it: 0700, its files 0600."""
    if not folder.is_dir():
        return
    os.chmod(folder, 0o700)
    for path in folder.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _place_snapshot(snapshot: Path, published: Path) -> None:
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    shutil.copyfile(snapshot, tmp)
    durable.replace(tmp, published)


def _restore_logs(settings: Settings, staging: Path) -> None:
    """Every backed-up log but ingest_log (which the replay rebuilds), back into the warehouse."""
    with Warehouse(settings.warehouse_path).connect() as con:
        for table in LOG_TABLES:
            path = staging / LOGS / f"{table}.parquet"
            if table == "ingest_log" or not path.exists():
                continue
            exists = con.execute(sql("cadangan/table_exists"), [table]).fetchall()[0][0]
            statement = "cadangan/restore_log" if exists else "cadangan/create_log"
            con.execute(render(statement, table=table), [str(path)])


def _arrivals(staging: Path) -> pl.DataFrame:
    """The backed-up ingest_log in order of arrival."""
    path = staging / LOGS / "ingest_log.parquet"
    if not path.exists():
        return pl.DataFrame()
    log = pl.read_parquet(path)
    return log.with_row_index("_urutan").sort(["received_at", "_urutan"]).drop("_urutan")


def _phases(log: pl.DataFrame, snapshot: Path | None) -> list[pl.DataFrame]:
    """The arrivals the backed-up snapshot had seen, then the later ones (if any)."""
    if snapshot is None or log.is_empty():
        return [log]
    with duckdb.connect(str(snapshot), read_only=True) as con:
        seen = (
            con.sql(render("cadangan/read_table", table="ingest_log")).pl().select(ARRIVAL).unique()
        )
    flags = log.join(
        seen.with_columns(pl.lit(True).alias("_terbit")), on=list(ARRIVAL), how="left"
    )["_terbit"].fill_null(False)
    n_seen = int(flags.sum())
    if n_seen == log.height or not bool(flags[:n_seen].all()):
        # Everything was published, or the published arrivals are not the earliest ones
        # (a clock that went back): one replay, compared at the end.
        return [log]
    return [log[:n_seen], log[n_seen:]]


def _replay(
    rows: pl.DataFrame,
    settings: Settings,
    staging: Path,
    reference: Reference,
    result: RestoreResult,
) -> None:
    if rows.is_empty():
        return
    with Warehouse(settings.warehouse_path).connect() as con:
        for row in rows.iter_rows(named=True):
            if row["status"] in REPLAYED_STATUSES:
                _replay_file(row, settings, staging, reference, con, result)
        rejected = rows.filter(pl.col("status") == "rejected")
        if rejected.height:
            with registered(con, "_rows", rejected):
                con.execute(render("cadangan/insert_log_rows", table="ingest_log"))
            result.rejected_logged += rejected.height


def _replay_file(row: dict, settings, staging, reference, con, result: RestoreResult) -> None:
    stored_as = row["stored_as"]
    source = staging / stored_as if stored_as else None
    dataset = DATASETS.get(row["dataset"])
    if dataset is None or source is None or not source.is_file():
        reason = "dataset tidak dikenal" if dataset is None else "berkas tidak ada di cadangan"
        result.mismatches.append(f"{stored_as}: tidak dapat diputar ulang ({reason})")
        return
    name = row["file_name"]
    if PurePosixPath(name).name != name or name.startswith("."):
        name = PurePosixPath(stored_as).name  # never a path, never a hidden name
    inbox_file = settings.inbox(dataset.name) / name
    os.replace(source, inbox_file)
    sidecar, inbox_sidecar = stored_sidecar_of(source), sidecar_of(inbox_file)
    if sidecar.exists() and inbox_sidecar is not None:
        os.replace(sidecar, inbox_sidecar)
    outcome = process_file(inbox_file, dataset, reference, con, settings, now=row["received_at"])
    result.replayed += 1
    now_stored = outcome.stored_as.relative_to(settings.data_dir).as_posix()
    if outcome.status != row["status"]:
        result.mismatches.append(
            f"{stored_as}: dulu {row['status']}, kini {outcome.status} ({now_stored})"
        )
    elif now_stored != stored_as:
        result.mismatches.append(f"{stored_as}: kini tersimpan sebagai {now_stored}")


def _keep_unlogged(staging: Path, data_dir: Path) -> None:
    """Archived files no log row names (put there by hand, say) go back as they were."""
    left = staging / ARCHIVE
    if not left.is_dir():
        return
    for path in sorted(p for p in left.rglob("*") if p.is_file()):
        target = data_dir / path.relative_to(staging)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


def _run_pipeline(data_dir: Path) -> None:
    """The whole pipeline once, in this process, as `dagster asset materialize --select '*'`."""
    from pipelines.definitions import defs
    from pipelines.defs.resources import DasborResource

    job = defs().resolve_job_def("dasbor_lengkap")
    outcome = job.execute_in_process(
        resources={"dasbor": DasborResource(data_dir=str(data_dir))}, raise_on_error=False
    )
    if not outcome.success:
        failed = [e.step_key for e in outcome.all_events if e.event_type_value == "STEP_FAILURE"]
        raise BackupError(
            "run pipeline pada data yang dipulihkan gagal (langkah: "
            + (", ".join(filter(None, failed)) or "?")
            + "); lihat log di atas"
        )


def _row_count(snapshot: Path, table: str) -> int:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return tables.row_count(con, table)
