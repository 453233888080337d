"""The reminder and briefing runs end to end: the published snapshot and real accounts in, real
mail out (an aiosmtpd server on loopback, or .eml files in kotak_keluar/), notifikasi_log
written and published.

The snapshot is the dashboard tests' hand-built one, judged on 10 March 2025 (WIB): Kapuas
(62.03) has two slices never sent, BUMDes 2023 (due 31 January 2024: 404 days late) and BUMDes
2024 (due 31 January 2025: 38 days late); UMKM 2025 is due 31 March 2025 everywhere, 21 days
ahead, too far for a reminder. So on that day only Kapuas's officers are told.
"""

import email
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pengguna.store import AccountStore
from pipelines.notifikasi.tugas import run_briefings, run_reminders
from pipelines.settings import Settings, SmtpSettings
from tests import snapshot_fixture as sf
from tests.test_notifikasi import Recorder, serving

SANDI = "sandi-petugas-panjang"
KAB = {
    "62.01": "Kabupaten Kotawaringin Barat",
    "62.03": "Kabupaten Kapuas",
    "62.71": "Kota Palangka Raya",
}
MARCH_10 = datetime(2025, 3, 10, 0, 0, tzinfo=UTC)  # 07:00 WIB, the schedule's hour
URL = "https://dasbor.kalteng.test"


class Dropping(Recorder):
    """Also drops the connection, as a failing server does, when asked for `putus@...`."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("putus@"):
            server.transport.abort()
            return "421 closing"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def smtp_server():
    with serving(Dropping()) as server:
        yield server


def make_settings(tmp_path: Path, monkeypatch, smtp: SmtpSettings | None = None) -> Settings:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    for name in ("DASBOR_SMTP_HOST", "DASBOR_URL_PUBLIK", "DASBOR_REFERENCE_DIR"):
        monkeypatch.delenv(name, raising=False)
    sf.build_snapshot(data_dir)
    return replace(Settings.from_env(), smtp=smtp, public_url=URL)


def add(store: AccountStore, nama: str, peran: str, kab: str | None, email_: str | None):
    store.add(nama, SANDI, peran, kab, KAB, email=email_)


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def text_of(mail) -> str:
    """The plain-text body, with the line ends SMTP gave it (CRLF) read as newlines."""
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def published_log(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        return con.execute(
            "select penerima, kode_kab, status, alasan is not null, rincian from notifikasi_log "
            "order by dibuat_pada, penerima"
        ).fetchall()


def addresses_in_snapshot(settings: Settings) -> int:
    """Rows of any text column of any published table holding an address of ours."""
    found = 0
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for table, column in columns:
            found += con.execute(
                f'select count(*) from "{table}" where "{column}" like \'%@%.go.id%\''
            ).fetchall()[0][0]
    return found


def test_reminders_over_smtp(tmp_path, monkeypatch, smtp_server):
    recorder, smtp = smtp_server
    settings = make_settings(tmp_path, monkeypatch, smtp)
    store = AccountStore(settings.accounts_dir)
    add(store, "andi.kapuas", "petugas", "62.03", "putus@kapuaskab.go.id")  # the server drops
    add(store, "budi.kapuas", "petugas", "62.03", "budi@kapuaskab.go.id")
    add(store, "citra.kapuas", "petugas", "62.03", "tolak@kapuaskab.go.id")  # refused
    add(store, "dewi.kapuas", "petugas", "62.03", "dewi@kapuaskab.go.id")
    add(store, "eko.kapuas", "petugas", "62.03", None)  # no address
    add(store, "fajar.kobar", "petugas", "62.01", "fajar@kotawaringinbaratkab.go.id")
    add(store, "gita.palangka", "petugas", "62.71", "gita@palangkaraya.go.id")
    add(store, "sari", "analis", None, "sari@kaltengprov.go.id")

    logged = run_reminders(settings, MARCH_10)

    assert [(r.penerima, r.status) for r in logged] == [
        ("andi.kapuas", "gagal"),
        ("budi.kapuas", "terkirim"),
        ("citra.kapuas", "gagal"),
        ("dewi.kapuas", "terkirim"),
    ]
    assert logged[0].alasan == "sambungan ke server terputus"
    assert logged[2].alasan.startswith("penerima ditolak server: 550")
    assert [rcpt for rcpt, _ in recorder.received] == [
        ["budi@kapuaskab.go.id"],
        ["dewi@kapuaskab.go.id"],
    ]
    mail = recorder.received[0][1]
    assert mail["To"] == "budi@kapuaskab.go.id"
    assert mail["From"] == "Dinas PMD Provinsi Kalimantan Tengah <dasbor@localhost>"
    assert mail["Subject"] == "Pengingat: 2 data Kabupaten Kapuas belum diterima"
    body = text_of(mail)
    assert body.startswith("Yth. Bapak/Ibu petugas data Kabupaten Kapuas,\n")
    assert (
        "1. BUMDes, data tahun 2023\n"
        "   Tenggat 31 Januari 2024: belum dikirim, terlambat 404 hari.\n"
        "2. BUMDes, data tahun 2024\n"
        "   Tenggat 31 Januari 2025: belum dikirim, terlambat 38 hari.\n"
    ) in body
    assert f"\n{URL}/unggah\n" in body
    assert "Hormat kami,\nDinas PMD Provinsi Kalimantan Tengah\n" in body
    assert "UMKM" not in body  # due in 21 days: not yet
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "templat_bumdes_62.03.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(attached.get_content()))
    header = [c.value for c in workbook["Data"][1]]
    assert header[:4] == ["kode_desa", "tahun", "nama_bumdes", "status_aktif"]
    areas = workbook["Daftar Wilayah"]
    codes = [row[0] for row in areas.iter_rows(min_row=5, values_only=True) if row[0]]
    assert codes == ["62.03.01.2011", "62.03.01.2020"]  # Kapuas's desa; BUMDes: no kelurahan

    # everything is in the published log, by account name only
    rows = published_log(settings)
    assert [(p, k, s, has_reason) for p, k, s, has_reason, _ in rows] == [
        ("andi.kapuas", "62.03", "gagal", True),
        ("budi.kapuas", "62.03", "terkirim", False),
        ("citra.kapuas", "62.03", "gagal", True),
        ("dewi.kapuas", "62.03", "terkirim", False),
    ]
    assert rows[1][4] == "bumdes 2023 (terlambat 404 hari); bumdes 2024 (terlambat 38 hari)"
    assert addresses_in_snapshot(settings) == 0

    # a rerun an hour later: the two reached get nothing twice, the two failed are tried again;
    # citra's address was corrected meanwhile, andi's server still drops
    store.set_email("citra.kapuas", "citra@kapuaskab.go.id")
    again = run_reminders(settings, MARCH_10 + timedelta(hours=1))
    assert [(r.penerima, r.status) for r in again] == [
        ("andi.kapuas", "gagal"),
        ("citra.kapuas", "terkirim"),
    ]
    assert [rcpt for rcpt, _ in recorder.received][2:] == [["citra@kapuaskab.go.id"]]
    third = run_reminders(settings, MARCH_10 + timedelta(hours=2))
    assert [(r.penerima, r.status) for r in third] == [("andi.kapuas", "gagal")]

    # 12 March is BUMDes 2023's next reminder day (31 January 2024 - 7 days + 59 weeks);
    # dewi was deactivated in between and gets nothing
    store.deactivate("dewi.kapuas")
    store.set_email("andi.kapuas", "andi@kapuaskab.go.id")
    before = len(recorder.received)
    march_12 = run_reminders(settings, MARCH_10 + timedelta(days=2))
    assert [(r.penerima, r.status) for r in march_12] == [
        ("andi.kapuas", "terkirim"),
        ("budi.kapuas", "terkirim"),
        ("citra.kapuas", "terkirim"),
    ]
    assert sorted(rcpt[0] for rcpt, _ in recorder.received[before:]) == [
        "andi@kapuaskab.go.id", "budi@kapuaskab.go.id", "citra@kapuaskab.go.id",
    ]  # fmt: skip
    assert "terlambat 406 hari" in text_of(recorder.received[-1][1])
    assert run_reminders(settings, MARCH_10 + timedelta(days=3)) == []  # 13 March: no point


def test_without_a_mail_server_reminders_go_to_kotak_keluar(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    store = AccountStore(settings.accounts_dir)
    add(store, "budi.kapuas", "petugas", "62.03", "budi@kapuaskab.go.id")
    add(store, "fajar.kobar", "petugas", "62.01", "fajar@kotawaringinbaratkab.go.id")
    [row] = run_reminders(settings, MARCH_10)
    assert (row.penerima, row.status) == ("budi.kapuas", "kotak_keluar")
    [eml] = sorted(settings.outbox_dir.glob("*.eml"))
    assert eml == row.path
    mail = parsed(eml.read_bytes())
    assert mail["To"] == "budi@kapuaskab.go.id"
    assert [a.get_filename() for a in mail.iter_attachments()] == ["templat_bumdes_62.03.xlsx"]
    assert run_reminders(settings, MARCH_10 + timedelta(hours=3)) == []
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 1
    assert [r[2] for r in published_log(settings)] == ["kotak_keluar"]


def test_nothing_published_yet_is_said_plainly(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    settings.published_path.unlink()
    from pipelines.notifikasi.tugas import NoSnapshot

    with pytest.raises(NoSnapshot, match="belum ada snapshot terbit"):
        run_reminders(settings, MARCH_10)


@pytest.mark.browser
def test_briefings_reach_subscribers_with_their_areas_pdf(tmp_path, monkeypatch, smtp_server):
    recorder, smtp = smtp_server
    settings = make_settings(tmp_path, monkeypatch, smtp)
    store = AccountStore(settings.accounts_dir)
    add(store, "bupati.kapuas", "pimpinan", "62.03", "bupati@kapuaskab.go.id")
    add(store, "kadis", "pimpinan", None, "kadis@kaltengprov.go.id")
    add(store, "sari", "analis", None, "sari@kaltengprov.go.id")  # not subscribed
    add(store, "wakil", "pimpinan", None, None)  # subscribed, no address
    for nama in ("bupati.kapuas", "kadis", "wakil"):
        store.set_subscription(nama, "laporan")
    fifth = datetime(2025, 4, 5, 0, 0, tzinfo=UTC)

    logged = run_briefings(settings, fifth)

    assert [(r.penerima, r.kode_kab, r.status, r.rincian) for r in logged] == [
        ("bupati.kapuas", "62.03", "terkirim", "laporan ringkas Kabupaten Kapuas 2024"),
        ("kadis", "62", "terkirim", "laporan ringkas Kalimantan Tengah 2024"),
    ]
    by_rcpt = {rcpt[0]: mail for rcpt, mail in recorder.received}
    assert sorted(by_rcpt) == ["bupati@kapuaskab.go.id", "kadis@kaltengprov.go.id"]
    mail = by_rcpt["bupati@kapuaskab.go.id"]
    assert mail["Subject"] == "Laporan ringkas Kabupaten Kapuas 2024"
    body = text_of(mail)
    assert "data terbit 10 Maret 2025" in body
    assert f"{URL}/kabupaten?tahun=2024&kab=62.03" in body
    assert "Indikator utama:\n- " in body
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_filename() == "laporan_ringkas_62.03_2024.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    province = by_rcpt["kadis@kaltengprov.go.id"]
    assert f"{URL}/ringkasan?tahun=2024" in text_of(province)
    assert [a.get_filename() for a in province.iter_attachments()] == [
        "laporan_ringkas_62_2024.pdf"
    ]
    # a rerun that month sends nothing twice
    assert run_briefings(settings, fifth + timedelta(days=1)) == []
    assert len(recorder.received) == 2
    assert addresses_in_snapshot(settings) == 0
