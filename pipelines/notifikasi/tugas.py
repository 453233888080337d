"""The two notification runs, as plain functions the Dagster jobs call (pipelines/defs).

Each run reads the published snapshot (never the pipeline's work in progress, and never reruns
it) and the account store, decides with `jadwal` who is told, builds and delivers the messages,
then records every one in the warehouse's `notifikasi_log` and swaps in a snapshot carrying
the new log (`publish_table`), so the admin page sees it without waiting for a pipeline run.

The warehouse is held only to read the log and to write it, never while mail is sent (a slow
server must not hold up the pipeline). A lock of the runs' own keeps two runs (the schedule
and a manual one) from deciding on the same log at once: the second waits, then finds the
first's messages and sends nothing twice.
"""

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from laporan.templat import build_template, template_areas
from pengguna.store import AccountStore
from pipelines.contracts.datasets import Villages
from pipelines.notifikasi import jadwal, pengingat, ringkasan
from pipelines.notifikasi.kirim import FAILED, Outcome, deliver
from pipelines.notifikasi.pesan import Message
from pipelines.settings import Settings
from pipelines.warehouse.db import Warehouse, sql
from pipelines.warehouse.publish import publish_table


class NoSnapshot(RuntimeError):
    """Nothing has been published yet: there is nothing to remind of."""


@dataclass(frozen=True)
class Logged:
    """One row written to notifikasi_log."""

    dibuat_pada: datetime
    jenis: str
    penerima: str
    kode_kab: str | None
    rincian: str
    status: str
    alasan: str | None
    path: Path | None = None  # the .eml, for kotak_keluar


# --- shared steps --------------------------------------------------------------------------


@contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    path = settings.warehouse_path.parent / "notifikasi.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def snapshot(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The published snapshot as `snap`, read-only, on a connection of its own."""
    if not settings.published_path.is_file():
        raise NoSnapshot(
            f"belum ada snapshot terbit di {settings.published_path}; jalankan pipeline dulu"
        )
    con = duckdb.connect()
    try:
        con.execute(sql("snapshot/attach_read_only"), [str(settings.published_path)])
        yield con
    finally:
        con.close()


def recipients(settings: Settings) -> list[jadwal.Recipient]:
    return [
        jadwal.Recipient(a.nama, a.peran, a.kode_kab, a.email, a.aktif, a.langganan)
        for a in AccountStore(settings.accounts_dir).list()
    ]


def read_log(settings: Settings, today) -> list[jadwal.Sent]:
    with Warehouse(settings.warehouse_path).connect() as con:
        rows = con.execute(
            sql("warehouse/read_notifikasi_log"), [jadwal.log_since(today)]
        ).fetchall()
    return [jadwal.Sent(*row) for row in rows]


def record(settings: Settings, rows: list[Logged]) -> None:
    """Write the rows to notifikasi_log and publish the log with the current snapshot."""
    with Warehouse(settings.warehouse_path).connect() as con:
        con.executemany(
            sql("warehouse/insert_notifikasi_log"),
            [
                (r.dibuat_pada, r.jenis, r.penerima, r.kode_kab, r.rincian, r.status, r.alasan)
                for r in rows
            ],
        )
        publish_table(con, settings.published_path, "notifikasi_log")


def _send(settings: Settings, messages: list[Message], now: datetime) -> list[Outcome]:
    return deliver(messages, settings.smtp, settings.outbox_dir, now=now)


def _utc_naive(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(tzinfo=None)


# --- kirim_pengingat ---------------------------------------------------------------------------


def run_reminders(settings: Settings, now: datetime | None = None) -> list[Logged]:
    """Remind each active `petugas` with an address whose kabupaten has a slice due today."""
    now = now or datetime.now(UTC)
    today = jadwal.local_day(now)
    with run_lock(settings):
        with snapshot(settings) as con:
            if not _has(con, "kepatuhan_pelaporan"):  # a snapshot from before the calendar
                return []
            rows = con.execute(sql("notifikasi/kepatuhan")).fetchall()
            definitions = con.sql(sql("notifikasi/dataset_definisi")).pl()
            wilayah = con.sql(sql("notifikasi/wilayah")).pl()
        slices = [
            jadwal.Slice(ds, kab, tahun, tenggat, got) for ds, kab, _, tahun, tenggat, got in rows
        ]
        names = {kab: nama for _, kab, nama, *_ in rows}
        due = jadwal.reminders_due(recipients(settings), slices, read_log(settings, today), today)
        if not due:
            return []
        labels = dict(zip(definitions["dataset"], definitions["nama_singkat"], strict=True))
        template = _templates(definitions, wilayah)
        messages = [
            pengingat.reminder(
                r,
                listing,
                today,
                names.get(r.kode_kab, r.kode_kab),
                labels,
                settings.public_url,
                template,
            )
            for r, listing in due
        ]
        outcomes = _send(settings, messages, now)
        logged = [
            Logged(
                _utc_naive(now),
                jadwal.PENGINGAT,
                r.nama,
                r.kode_kab,
                jadwal.rincian(listing, today),
                o.status,
                o.reason,
                o.path,
            )
            for (r, listing), o in zip(due, outcomes, strict=True)
        ]
        record(settings, logged)
        return logged


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(sql("snapshot/table_exists"), [table]).fetchall()[0][0])


def _templates(definitions: pl.DataFrame, wilayah: pl.DataFrame):
    """`template(dataset, kode_kab) -> (file name, bytes)`, each built once per run: a village
    dataset lists the kabupaten's desa, a kabupaten-level one every kabupaten/kota."""
    rows = {row["dataset"]: row for row in definitions.iter_rows(named=True)}

    @cache
    def template(dataset: str, kode_kab: str) -> tuple[str, bytes]:
        definition = rows[dataset]
        village = Villages(definition["wilayah"]) in (Villages.DESA, Villages.DESA_KELURAHAN)
        kab = kode_kab if village else None
        areas, title = template_areas(definition, wilayah, kab)
        return pengingat.template_name(dataset, kab), build_template(definition, areas, title)

    return template


# --- kirim_laporan -----------------------------------------------------------------------------


def run_briefings(settings: Settings, now: datetime | None = None) -> list[Logged]:
    """Send each active subscriber with an address its area's briefing for the latest year,
    once a month."""
    from laporan import briefing as laporan_briefing  # pandas and Plotly: only when sending

    now = now or datetime.now(UTC)
    today = jadwal.local_day(now)
    with run_lock(settings):
        due = jadwal.briefings_due(recipients(settings), read_log(settings, today), today)
        if not due:
            return []
        with snapshot(settings) as con:
            provinsi, published_at, tahun = con.execute(sql("notifikasi/snapshot")).fetchall()[0]
            wilayah = con.sql(sql("notifikasi/wilayah")).pl()
        names = dict(zip(wilayah["kode"], wilayah["nama"], strict=True))
        area = {r.nama: r.kode_kab or provinsi for r in due}
        pdfs, failure = _print(settings, sorted(set(area.values())), tahun)
        headline = {
            kode: laporan_briefing.load(settings.published_path, kode, tahun).headline
            for kode in (set() if failure else set(area.values()))
        }
        messages = [
            ringkasan.briefing(
                r,
                area[r.nama],
                names.get(area[r.nama], area[r.nama]),
                tahun,
                headline[area[r.nama]].to_dict("records"),
                pdfs[area[r.nama]],
                jadwal.local_day(published_at),
                _area_link(settings.public_url, area[r.nama], provinsi, tahun),
            )
            for r in ([] if failure else due)
        ]
        outcomes = (
            _send(settings, messages, now)
            if not failure
            else [Outcome(r.nama, FAILED, failure) for r in due]
        )
        logged = [
            Logged(
                _utc_naive(now),
                jadwal.LAPORAN,
                r.nama,
                area[r.nama],
                f"laporan ringkas {names.get(area[r.nama], area[r.nama])} {tahun}",
                o.status,
                o.reason,
                o.path,
            )
            for r, o in zip(due, outcomes, strict=True)
        ]
        record(settings, logged)
        return logged


def _area_link(public_url: str, kode: str, provinsi: str, tahun: int) -> str:
    """The dashboard page of the area and year: Ringkasan for the province."""
    if kode == provinsi:
        return f"{public_url}/ringkasan?tahun={tahun}"
    return f"{public_url}/kabupaten?tahun={tahun}&kab={kode}"


def _print(settings: Settings, areas: list[str], tahun: int) -> tuple[dict[str, bytes], str | None]:
    """The areas' briefing PDFs with one browser; or the reason they could not be printed
    (every message then fails with it, and the next run tries again)."""
    from laporan import briefing as laporan_briefing  # pandas and Plotly: only when printing

    try:
        with tempfile.TemporaryDirectory() as folder:
            written = laporan_briefing.write_pdfs(
                settings.published_path, areas, tahun, Path(folder), settings.reference_dir
            )
            return {
                kode: path.read_bytes() for kode, path in zip(areas, written, strict=True)
            }, None
    except Exception as exc:  # Chromium missing or crashed: a reason to log, not a crash
        return {}, f"laporan PDF tidak dapat dicetak: {type(exc).__name__}: {exc}"[:500]
