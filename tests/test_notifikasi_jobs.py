"""The notification jobs as Dagster runs them: the schedules in the code location, one real
in-process run of each job, and the built-in sample with one officer per kabupaten."""

import email
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pengguna.store import AccountStore, default_kabupaten
from pipelines.defs.resources import DasborResource
from tests import snapshot_fixture as sf

SANDI = "sandi-petugas-panjang"
KAB = {"62.03": "Kabupaten Kapuas"}


def run_job(name: str, data_dir: Path) -> dg.ExecuteInProcessResult:
    from pipelines.definitions import defs

    job = defs().resolve_job_def(name)
    return job.execute_in_process(resources={"dasbor": DasborResource(data_dir=str(data_dir))})


def outbox(data_dir: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted((data_dir / "kotak_keluar").glob("*.eml"))
    ]


def log_rows(data_dir: Path) -> list[tuple]:
    path = data_dir / "published" / "dasbor.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select jenis, penerima, kode_kab, status from notifikasi_log order by penerima"
        ).fetchall()


@pytest.fixture
def fixture_data_dir(tmp_path, monkeypatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    for name in ("DASBOR_SMTP_HOST", "DASBOR_REFERENCE_DIR", "DASBOR_URL_PUBLIK"):
        monkeypatch.delenv(name, raising=False)
    sf.build_snapshot(data_dir)
    return data_dir


def test_the_schedules_are_in_the_code_location_and_start_running():
    from pipelines.definitions import defs

    schedules = {s.name: s for s in defs().schedules}
    assert sorted(schedules) == ["laporan_bulanan", "pengingat_harian"]
    daily, monthly = schedules["pengingat_harian"], schedules["laporan_bulanan"]
    assert (daily.job_name, daily.cron_schedule) == ("kirim_pengingat", "0 7 * * *")
    assert (monthly.job_name, monthly.cron_schedule) == ("kirim_laporan", "0 7 5 * *")
    for schedule in (daily, monthly):
        assert schedule.execution_timezone == "Asia/Jakarta"
        assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_kirim_pengingat_runs_in_process_and_a_rerun_sends_nothing(fixture_data_dir):
    """Kapuas's BUMDes 2023 and 2024 were never sent: whatever today is, they are late and
    were never reminded, so its officer is told; the rerun finds the message in the log."""
    store = AccountStore(fixture_data_dir / "akun")
    store.add("budi.kapuas", SANDI, "petugas", "62.03", KAB, email="budi@kapuaskab.go.id")
    assert run_job("kirim_pengingat", fixture_data_dir).success
    [mail] = outbox(fixture_data_dir)
    assert mail["To"] == "budi@kapuaskab.go.id"
    assert mail["Subject"].endswith("data Kabupaten Kapuas belum diterima")
    assert ("pengingat", "budi.kapuas", "62.03", "kotak_keluar") in log_rows(fixture_data_dir)
    assert run_job("kirim_pengingat", fixture_data_dir).success
    assert len(outbox(fixture_data_dir)) == 1


@pytest.mark.browser
def test_kirim_laporan_runs_in_process(fixture_data_dir):
    store = AccountStore(fixture_data_dir / "akun")
    store.add("kadis", SANDI, "pimpinan", None, KAB, email="kadis@kaltengprov.go.id")
    store.set_subscription("kadis", "laporan")
    assert run_job("kirim_laporan", fixture_data_dir).success
    [mail] = outbox(fixture_data_dir)
    assert mail["Subject"] == "Laporan ringkas Kalimantan Tengah 2024"
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content().startswith(b"%PDF")
    assert log_rows(fixture_data_dir) == [("laporan", "kadis", "62", "kotak_keluar")]


@pytest.mark.e2e
def test_on_the_sample_each_late_kabupaten_gets_one_reminder(tmp_path, monkeypatch):
    """The built-in sample and the shipped calendar, one officer with an address per
    kabupaten, no mail server: one .eml per kabupaten that has a slice not sent whose
    deadline is at most 7 days ahead (or past), and nothing for the others."""
    from tests.browser import published_sample

    for name in ("DASBOR_SMTP_HOST", "DASBOR_REFERENCE_DIR", "DASBOR_URL_PUBLIK"):
        monkeypatch.delenv(name, raising=False)
    data_dir = published_sample(tmp_path / "data")
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    kabupaten = default_kabupaten()
    store = AccountStore(data_dir / "akun")
    for kode in sorted(kabupaten):
        digits = kode.replace(".", "")
        store.add(f"petugas.{digits}", SANDI, "petugas", kode, kabupaten,
                  email=f"data{digits}@contoh.go.id")  # fmt: skip
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb"), read_only=True) as con:
        late = {
            kode
            for (kode,) in con.execute(
                "select distinct kode_kab from kepatuhan_pelaporan "
                "where pertama_diterima is null and tenggat - 7 <= ?",
                [today],
            ).fetchall()
        }
    assert late, "the shipped calendar finds somebody late on the sample"

    assert run_job("kirim_pengingat", data_dir).success

    mails = outbox(data_dir)
    told = sorted(m["To"] for m in mails)
    expected = sorted(f"data{k.replace('.', '')}@contoh.go.id" for k in kabupaten if k in late)
    assert told == expected  # one each, and none for a kabupaten with nothing late
    for mail in mails:
        [kode] = [k for k in kabupaten if mail["To"] == f"data{k.replace('.', '')}@contoh.go.id"]
        assert mail["Subject"].startswith("Pengingat:")
        assert kabupaten[kode] in mail["Subject"]
        names = [a.get_filename() for a in mail.iter_attachments()]
        assert names, "each reminder carries the templates"
        assert all(n.startswith("templat_") and n.endswith(".xlsx") for n in names)
    assert run_job("kirim_pengingat", data_dir).success  # a rerun that day
    assert len(outbox(data_dir)) == len(mails)
