"""Reminders and briefings by e-mail (docs/operations.md): two jobs on schedules, thin shells over
pipelines.notifikasi.tugas. They read the published snapshot and the accounts, never rerun the
pipeline, and record every message in notifikasi_log.

The schedules start as running, so `make run` (the daemon of `dagster dev`) sends from the
first day; with no mail server configured the messages land in `<data dir>/kotak_keluar/`.
"""

import dagster as dg

from pipelines.defs.resources import DasborResource
from pipelines.notifikasi.kirim import FAILED
from pipelines.notifikasi.tugas import Logged, NoSnapshot, run_briefings, run_reminders

JAKARTA = "Asia/Jakarta"


def _report(context: dg.OpExecutionContext, logged: list[Logged], nothing: str) -> dict:
    """Log each message by account name and outcome (never an address); fail on none."""
    if not logged:
        context.log.info(nothing)
    for row in logged:
        where = f" ({row.path.name})" if row.path else ""
        reason = f": {row.alasan}" if row.alasan else ""
        context.log.info(
            f"{row.jenis} untuk {row.penerima} [{row.kode_kab}]: {row.status}{where}{reason}"
        )
    statuses = [row.status for row in logged]
    return {s: statuses.count(s) for s in sorted(set(statuses))}


def _run(context: dg.OpExecutionContext, dasbor: DasborResource, run, nothing: str) -> None:
    try:
        logged = run(dasbor.settings())
    except NoSnapshot as exc:
        raise dg.Failure(
            description=f"Tidak ada yang dikirim: {exc}.", allow_retries=False
        ) from exc
    counts = _report(context, logged, nothing)
    context.add_output_metadata(
        {"pesan": len(logged), **{f"status_{k}": v for k, v in counts.items()}}
    )
    if counts.get(FAILED):
        # The run succeeds: the failed messages are logged `gagal` and tried at the next run.
        context.log.warning(
            f"{counts[FAILED]} pesan gagal terkirim; dicoba lagi pada run berikutnya"
        )


@dg.op(out=dg.Out(dg.Nothing))
def kirim_pengingat_petugas(context: dg.OpExecutionContext, dasbor: DasborResource) -> None:
    """Pengingat untuk petugas yang kabupatennya punya data belum dikirim atau tenggatnya
    tinggal 7 hari, dengan templat Excel terlampir."""
    _run(context, dasbor, run_reminders, "tidak ada pengingat yang jatuh hari ini")


@dg.op(out=dg.Out(dg.Nothing))
def kirim_laporan_pelanggan(context: dg.OpExecutionContext, dasbor: DasborResource) -> None:
    """Laporan ringkas PDF wilayahnya untuk setiap pelanggan (butuh Chromium)."""
    _run(context, dasbor, run_briefings, "semua pelanggan sudah menerima laporan bulan ini")


@dg.job(
    description="Kirim pengingat ke petugas data yang kabupatennya terlambat atau hampir jatuh "
    "tempo (SMTP, atau berkas .eml di kotak_keluar/). Paling banyak satu pesan per akun per hari."
)
def kirim_pengingat():
    kirim_pengingat_petugas()


@dg.job(
    description="Kirim laporan ringkas PDF (tahun terbaru) ke pelanggan laporan, sebulan sekali."
)
def kirim_laporan():
    kirim_laporan_pelanggan()


pengingat_harian = dg.ScheduleDefinition(
    name="pengingat_harian",
    job=kirim_pengingat,
    cron_schedule="0 7 * * *",
    execution_timezone=JAKARTA,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Setiap hari pukul 07.00 WIB.",
)
laporan_bulanan = dg.ScheduleDefinition(
    name="laporan_bulanan",
    job=kirim_laporan,
    cron_schedule="0 7 5 * *",
    execution_timezone=JAKARTA,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Setiap tanggal 5 pukul 07.00 WIB.",
)
JOBS = [kirim_pengingat, kirim_laporan]
SCHEDULES = [pengingat_harian, laporan_bulanan]
