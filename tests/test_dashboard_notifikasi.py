"""The Notifikasi page (issue 24): the outbox and notifikasi_log, for the admin login only, with
no address anywhere on it. AppTest on the page file, against the fixture snapshot, whose
notifikasi_log is snapshot_fixture.NOTIFIKASI_LOG; the outbox is written by the pipeline's own
writer (pipelines.notifikasi.kirim.deliver without a mail server)."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pengguna.store import AccountStore
from pipelines.notifikasi.kirim import deliver
from pipelines.notifikasi.pesan import Message
from tests import snapshot_fixture as sf

SANDI = "sandi-uji-notifikasi"
KAB = {"62.03": "Kabupaten Kapuas"}
ADDRESS = "budi@kapuaskab.go.id"
STRANGER = "orang@contoh.go.id"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = sf.prepare(tmp_path, monkeypatch)
    monkeypatch.delenv("DASBOR_WAJIB_MASUK", raising=False)
    store = AccountStore(path / "akun")
    store.add("admin.dinas", SANDI, "admin", None, KAB)
    store.add("budi.kapuas", SANDI, "petugas", "62.03", KAB)
    return path


def write_outbox(data_dir: Path) -> None:
    """Two .eml files as the reminder job writes them: one to an account the log names, one
    to an account it does not (its name is not shown)."""
    outbox = data_dir / "kotak_keluar"
    deliver(
        [Message("budi.kapuas", ADDRESS, "Pengingat: data BUMDes belum dikirim", "Yth. ...")],
        None,
        outbox,
        now=datetime(2025, 3, 10, 0, 0, 5, tzinfo=UTC),  # 07.00 WIB
    )
    deliver(
        [Message("orang.lain", STRANGER, "Laporan ringkas Maret 2025", "Yth. ...")],
        None,
        outbox,
        now=datetime(2025, 3, 5, 0, 0, 12, tzinfo=UTC),
    )


def page() -> AppTest:
    return AppTest.from_file(str(sf.PAGES_DIR / "notifikasi.py"), default_timeout=60).run()


def login(at: AppTest, nama: str) -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["Nama pengguna"].input(nama)
    fields["Kata sandi"].input(SANDI)
    return next(b for b in at.button if b.label == "Masuk").click().run()


def everything_shown(at: AppTest) -> str:
    cells = [sf.static_table(t).to_csv() for t in at.table]
    cells += [sf.shown_table(d).to_csv() for d in at.dataframe]
    return sf.page_text(at) + "\n".join(cells)


def _table(at: AppTest, column: str):
    for el in at.dataframe:
        df = sf.shown_table(el)
        if column in df.columns:
            return df
    for el in at.table:
        df = sf.static_table(el)
        if column in df.columns:
            return df
    raise AssertionError(column)


def test_only_an_admin_sees_it(data_dir: Path) -> None:
    write_outbox(data_dir)
    at = page()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert "Pengingat: data BUMDes" not in everything_shown(at)
    at = login(at, "budi.kapuas")
    assert "Halaman ini hanya untuk peran admin." in sf.page_text(at)
    assert "Pengingat: data BUMDes" not in everything_shown(at)
    assert "rina.kapuas" not in everything_shown(at)


def test_outbox_and_log_without_addresses(data_dir: Path) -> None:
    write_outbox(data_dir)
    at = login(page(), "admin.dinas")
    assert not at.exception
    outbox = _table(at, "Subjek")
    assert list(outbox["Subjek"]) == [
        "Pengingat: data BUMDes belum dikirim",
        "Laporan ringkas Maret 2025",
    ]
    assert list(outbox["Waktu (WIB)"]) == ["2025-03-10 07.00", "2025-03-05 07.00"]
    # budi.kapuas is in the log as kotak_keluar; orang.lain is not: no name shown for it
    assert list(outbox["Akun penerima"]) == ["budi.kapuas", "–"]
    log = _table(at, "Rincian")
    assert list(log["Penerima (akun)"]) == ["rina.kapuas", "budi.kapuas", "kadis.pmd"]
    assert list(log["Waktu (WIB)"]) == ["2025-03-10 07.00", "2025-03-10 07.00", "2025-03-05 07.00"]
    assert list(log["Status"]) == ["Gagal", "Kotak keluar", "Terkirim"]
    assert log["Alasan"].iloc[0] == "penerima ditolak server: 550 5.1.1 mailbox unavailable"
    assert list(log["Jenis"]) == ["Pengingat", "Pengingat", "Laporan bulanan"]
    assert "**1** terkirim · **1** kotak keluar · **1** gagal" in sf.page_text(at)
    shown = everything_shown(at)
    for address in (ADDRESS, STRANGER, "@"):
        assert address not in shown


def test_no_outbox_folder_and_an_empty_log(data_dir: Path) -> None:
    snapshot = data_dir / "published" / "dasbor.duckdb"
    with duckdb.connect(str(snapshot)) as con:
        con.execute("delete from notifikasi_log")
    at = login(page(), "admin.dinas")
    assert not at.exception
    text = sf.page_text(at)
    assert "Folder kotak keluar belum ada" in text
    assert "Belum ada notifikasi yang tercatat." in text
    (data_dir / "kotak_keluar").mkdir()
    at = login(page(), "admin.dinas")
    assert "Kotak keluar kosong." in sf.page_text(at)


def test_before_anything_is_published(data_dir: Path) -> None:
    write_outbox(data_dir)
    (data_dir / "published" / "dasbor.duckdb").unlink()
    at = login(page(), "admin.dinas")
    assert not at.exception
    assert "Belum ada notifikasi yang tercatat." in sf.page_text(at)
    # without a log to confirm them, no account is named
    assert list(_table(at, "Subjek")["Akun penerima"]) == ["–", "–"]
