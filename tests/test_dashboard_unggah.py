"""The Unggah Data page with AppTest (docs/operations.md): login, lockout, upload, following the
file to its judgement, history, ending sessions, the reading gate; and no secret on the page."""

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.akun import sesi
from pengguna.store import AccountStore
from tests.conftest import REPO
from tests.snapshot_fixture import write_catalogue

PAGE = REPO / "dashboards" / "app_pages" / "unggah.py"
SANDI = "sandi-petugas-kapuas"
VALID = b"kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n62.03.01.2011,2025,900,250,40,10\n"
KAB = {"62.03": "Kabupaten Kapuas"}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data"
    for name in ("kemiskinan_desa", "idm"):
        (path / "inbox" / name).mkdir(parents=True)
    monkeypatch.setenv("DASBOR_DATA_DIR", str(path))
    monkeypatch.delenv("DASBOR_REFERENCE_DIR", raising=False)
    monkeypatch.delenv("DASBOR_WAJIB_MASUK", raising=False)
    store = AccountStore(path / "akun")
    store.add("budi.kapuas", SANDI, "petugas", "62.03", KAB)
    store.add("pak.kadis", "sandi-pimpinan-1", "pimpinan", None, KAB)
    publish_log(path, [])  # a running system: a snapshot with the catalogue, nothing sent yet
    return path


def page() -> AppTest:
    return AppTest.from_file(str(PAGE), default_timeout=60).run()


def text_of(at: AppTest) -> str:
    parts = []
    for kind in (
        "title",
        "header",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "code",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [t.label for t in at.text_input] + [b.label for b in at.button]
    return "\n".join(parts)


def login(at: AppTest, nama: str, sandi: str) -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["Nama pengguna"].input(nama)
    fields["Kata sandi"].input(sandi)
    return button(at, "Masuk").click().run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def publish_log(data_dir: Path, rows: list[tuple], wilayah: bool = False) -> None:
    """A published snapshot whose ingest_log holds the given rows (the pipeline's columns);
    with `wilayah`, the region list too (what `Unduh templat` lists)."""
    path = data_dir / "published" / "dasbor.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(tmp)) as con:
        con.execute(
            "create table ingest_log (file_name varchar, dataset varchar, sha256 varchar, "
            "received_at timestamp, status varchar, rows integer, report varchar, "
            "stored_as varchar, errors integer, warnings integer, pengunggah varchar)"
        )
        if rows:
            con.executemany("insert into ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        write_catalogue(con)  # dataset_definisi and the rest, from the declarations
        if wilayah:
            con.execute(
                "create table wilayah as select * from read_csv(?, header = true, all_varchar = true)",
                [str(REPO / "data" / "reference" / "wilayah_62.csv")],
            )
    tmp.replace(path)


def send(at: AppTest, name: str, content: bytes, dataset: str = "kemiskinan_desa") -> AppTest:
    at.selectbox[0].select(dataset).run()
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    return button(at, "Kirim").click().run()


# --- anonymous, login, lockout -------------------------------------------------------------------


def test_an_anonymous_visitor_sees_a_login_form_and_no_uploader(data_dir):
    at = page()
    assert not at.exception
    assert [t.value for t in at.title] == ["Unggah Data"]
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD
    assert [b.label for b in at.button] == ["Masuk"]
    assert len(at.file_uploader) == 0
    assert len(at.selectbox) == 0


def test_a_fresh_data_directory_without_accounts_or_snapshot_works(tmp_path, monkeypatch):
    monkeypatch.setenv("DASBOR_DATA_DIR", str(tmp_path / "kosong"))
    at = page()
    assert not at.exception
    at = login(at, "siapa.saja", "apa-saja-12345")
    assert not at.exception
    assert errors(at) == [sesi.WRONG_MESSAGE]


def test_wrong_password_and_unknown_name_get_the_same_message(data_dir):
    at = login(page(), "budi.kapuas", "salah-sekali-123")
    assert errors(at) == [sesi.WRONG_MESSAGE]
    assert len(at.file_uploader) == 0
    at = login(page(), "tidak.ada", "salah-sekali-123")
    assert errors(at) == [sesi.WRONG_MESSAGE]


@pytest.mark.parametrize("nama", ["budi.kapuas", "tidak.ada"])
def test_five_wrong_passwords_lock_and_the_message_does_not_tell_if_the_account_exists(
    data_dir, nama
):
    at = page()
    seen = []
    for _ in range(5):
        at = login(at, nama, "salah-sekali-123")
        seen.append(errors(at))
    assert seen == [[sesi.WRONG_MESSAGE]] * 4 + [[sesi.LOCKED_MESSAGE]]
    at = login(at, nama, SANDI)  # the right password is refused while locked
    assert errors(at) == [sesi.LOCKED_MESSAGE]
    assert len(at.file_uploader) == 0


def test_a_petugas_logs_in_and_sees_the_uploader_and_keluar(data_dir):
    at = login(page(), "Budi.Kapuas", SANDI)
    assert not at.exception
    assert not at.error
    assert "Masuk sebagai **budi.kapuas** (petugas, Kabupaten Kapuas)" in text_of(at)
    assert at.selectbox[0].label == "Dataset"
    assert (
        "kemiskinan_desa" in at.selectbox[0].options or "Kemiskinan desa" in at.selectbox[0].options
    )
    assert len(at.file_uploader) == 1
    assert at.file_uploader[0].allowed_type == [".csv", ".xlsx"]
    # the password is gone from the form's state and from everything kept in the session
    assert [t.value for t in at.text_input] == []
    inner = at.session_state._state._state  # every key, widget values included
    state = repr({k: inner[k] for k in inner._keys()})
    assert "budi.kapuas" in state  # the check can see what is there
    assert SANDI not in state
    assert "$argon2" not in state
    assert SANDI not in text_of(at)
    at = button(at, "Keluar").click().run()
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert len(at.file_uploader) == 0


def test_pimpinan_reads_but_may_not_upload(data_dir):
    at = login(page(), "pak.kadis", "sandi-pimpinan-1")
    assert not at.exception
    assert "tidak mengunggah berkas" in at.info[0].value
    assert len(at.file_uploader) == 0


# --- sending and following a file ------------------------------------------------------------------


def test_an_upload_lands_in_the_inbox_waits_then_shows_its_judgement(data_dir):
    at = login(page(), "budi.kapuas", SANDI)
    before = datetime.utcnow().replace(microsecond=0) - timedelta(seconds=1)
    at = send(at, "kapuas_2025.csv", VALID)
    assert not at.exception
    folder = data_dir / "inbox" / "kemiskinan_desa"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".kapuas_2025.csv.unggah.json",
        "kapuas_2025.csv",
    ]
    assert "**Menunggu** · kapuas\\_2025\\.csv · Kemiskinan desa" in text_of(at)
    table = at.dataframe[0].value
    assert table["Hasil"].tolist() == ["Menunggu"]
    assert len(at.file_uploader) == 1  # a fresh, empty uploader

    import hashlib

    sha = hashlib.sha256(VALID).hexdigest()
    # an older judgement of the same bytes does not count: only one made after the upload
    publish_log(
        data_dir,
        [("kapuas_2025.csv", "kemiskinan_desa", sha, before - timedelta(hours=1), "rejected",
          0, "lama", "rejected/x", 1, 0, "budi.kapuas")],
    )  # fmt: skip
    at.run()
    assert "**Menunggu**" in text_of(at)

    for p in folder.iterdir():  # the pipeline took the file
        p.unlink()
    publish_log(
        data_dir,
        [("kapuas_2025.csv", "kemiskinan_desa", sha, datetime.utcnow(), "accepted", 1,
          "LAPORAN PEMERIKSAAN BERKAS\nHasil    : DITERIMA", "archive/kemiskinan_desa/x.csv",
          0, 0, "budi.kapuas")],
    )  # fmt: skip
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "**Diterima** · kapuas\\_2025\\.csv · Kemiskinan desa · 1 baris"
    ]
    assert "Hasil    : DITERIMA" in text_of(at)
    assert at.dataframe[0].value["Hasil"].tolist() == ["Diterima"]


def test_a_rejected_upload_shows_every_error_and_offers_the_errors_file(data_dir):
    at = login(page(), "budi.kapuas", SANDI)
    at = send(at, "campur.csv", VALID)
    import hashlib

    stored = "rejected/kemiskinan_desa/20260101T000000_abcd1234_campur.csv"
    (data_dir / stored).parent.mkdir(parents=True)
    (data_dir / f"{stored}.kesalahan.csv").write_text("baris,kolom\n3,kode_desa\n")
    report = (
        "Hasil    : DITOLAK\n"
        '  Baris 3: kolom kode_desa = "62.06.01.2001": bukan wilayah Kabupaten Kapuas'
    )
    publish_log(
        data_dir,
        [("campur.csv", "kemiskinan_desa", hashlib.sha256(VALID).hexdigest(), datetime.utcnow(),
          "rejected", 0, report, stored, 1, 0, "budi.kapuas")],
    )  # fmt: skip
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("**Ditolak** · campur\\.csv")
    assert "bukan wilayah Kabupaten Kapuas" in at.code[0].value
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Unduh kesalahan (CSV)"]


def test_history_lists_this_accounts_uploads_only(data_dir):
    publish_log(
        data_dir,
        [
            ("a.csv", "idm", "s1", datetime(2026, 1, 2, 3, 4), "accepted", 5, "r", "archive/a",
             0, 0, "budi.kapuas"),
            ("b.csv", "idm", "s2", datetime(2026, 1, 3, 3, 4), "rejected", 0, "r", "rejected/b",
             2, 0, "budi.kapuas"),
            ("c.csv", "idm", "s3", datetime(2026, 1, 4, 3, 4), "accepted", 9, "r", "archive/c",
             0, 0, None),
            ("d.csv", "idm", "s4", datetime(2026, 1, 5, 3, 4), "accepted", 9, "r", "archive/d",
             0, 0, "orang.lain"),
        ],
    )  # fmt: skip
    at = login(page(), "budi.kapuas", SANDI)
    table = at.dataframe[0].value
    assert table["Berkas"].tolist() == ["b.csv", "a.csv"]
    assert table["Hasil"].tolist() == ["Ditolak", "Diterima"]
    assert table["Waktu"].tolist()[1] == "2 Januari 2026 pukul 10.04 WIB"


def test_a_snapshot_without_pengunggah_shows_no_history_and_no_error(data_dir):
    path = data_dir / "published" / "dasbor.duckdb"
    path.unlink()
    with duckdb.connect(str(path)) as con:
        con.execute("create table ingest_log (file_name varchar, dataset varchar)")
    at = login(page(), "budi.kapuas", SANDI)
    assert not at.exception
    assert "Belum ada berkas yang dikirim dari akun ini." in text_of(at)


# --- the inbox's limits on the page ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "env", "message"),
    [
        ("besar.csv", VALID * 100, "0.001", "terlalu besar"),
        ("palsu.xlsx", VALID, None, "bukan buku kerja Excel"),
    ],
)
def test_the_page_keeps_the_inbox_limits(data_dir, monkeypatch, name, content, env, message):
    if env:
        monkeypatch.setenv("DASBOR_MAX_FILE_MB", env)
    at = send(login(page(), "budi.kapuas", SANDI), name, content)
    assert not at.exception
    assert any(message in e for e in errors(at)), errors(at)
    assert list((data_dir / "inbox" / "kemiskinan_desa").iterdir()) == []


def test_another_type_never_reaches_the_inbox(data_dir):
    """Streamlit's uploader refuses it itself (and the writer would: tests/test_akun.py)."""
    at = login(page(), "budi.kapuas", SANDI)
    at = at.file_uploader[0].set_value(("catatan.txt", VALID, "text/plain")).run()
    assert "Invalid file extension" in str(at.exception[0].value)
    assert list((data_dir / "inbox" / "kemiskinan_desa").iterdir()) == []


# --- sessions end ------------------------------------------------------------------------------------


def test_a_deactivated_accounts_open_session_ends_at_its_next_page_run(data_dir):
    at = login(page(), "budi.kapuas", SANDI)
    assert len(at.file_uploader) == 1
    AccountStore(data_dir / "akun").deactivate("budi.kapuas")
    at.run()
    assert len(at.file_uploader) == 0
    assert [w.value for w in at.warning] == [sesi.ENDED_MESSAGE]
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]
    at = login(at, "budi.kapuas", SANDI)
    assert errors(at) == [sesi.WRONG_MESSAGE]


def test_a_session_ends_after_8_hours(data_dir):
    at = login(page(), "budi.kapuas", SANDI)
    session = at.session_state[sesi.SESSION_KEY]
    at.session_state[sesi.SESSION_KEY] = type(session)(
        session.nama, session.peran, session.kode_kab, session.mulai - 8 * 3600
    )
    at.run()
    assert len(at.file_uploader) == 0
    assert [w.value for w in at.warning] == [sesi.ENDED_MESSAGE]


# --- reading stays open, unless DASBOR_WAJIB_MASUK=1 -----------------------------------------------


@pytest.fixture
def snapshot(tmp_path, monkeypatch) -> Path:
    import snapshot_fixture as sf

    path = sf.prepare(tmp_path, monkeypatch)
    AccountStore(path / "akun").add("pak.kadis", "sandi-pimpinan-1", "pimpinan", None, KAB)
    return path


def app() -> AppTest:
    return AppTest.from_file(str(REPO / "dashboards" / "app.py"), default_timeout=60)


def test_reading_is_open_by_default(snapshot, monkeypatch):
    monkeypatch.delenv("DASBOR_WAJIB_MASUK", raising=False)
    at = app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Ringkasan Provinsi"]


def test_with_wajib_masuk_every_page_asks_for_a_login_first(snapshot, monkeypatch):
    monkeypatch.setenv("DASBOR_WAJIB_MASUK", "1")
    at = app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk"]
    assert len(at.get("plotly_chart")) == 0
    assert not at.metric
    at = login(at, "pak.kadis", "salah-sekali-123")
    assert errors(at) == [sesi.WRONG_MESSAGE]
    at = login(at, "pak.kadis", "sandi-pimpinan-1")
    assert not at.exception
    assert [t.value for t in at.title] == ["Ringkasan Provinsi"]
    assert any("pak.kadis" in c.value for c in at.sidebar.caption)
    assert [b.label for b in at.sidebar.button] == ["Keluar"]
    # deactivation ends the reading session too
    AccountStore(snapshot / "akun").deactivate("pak.kadis")
    at.run()
    assert [t.value for t in at.title] == ["Masuk"]


def test_logins_log_no_password_or_hash(data_dir, caplog):
    caplog.set_level("DEBUG")
    at = login(page(), "budi.kapuas", "salah-sekali-123")
    at = login(at, "budi.kapuas", SANDI)
    assert len(at.file_uploader) == 1
    logged = caplog.text
    assert SANDI not in logged
    assert "salah-sekali-123" not in logged
    assert "$argon2" not in logged


def test_before_the_first_publish_the_inbox_folders_are_the_list(data_dir):
    """A fresh install: no snapshot yet, so no catalogue; the sensor has made the folders."""
    (data_dir / "published" / "dasbor.duckdb").unlink()
    at = login(page(), "budi.kapuas", SANDI)
    assert at.selectbox[0].options == ["idm", "kemiskinan_desa"]
    at = send(at, "idm.csv", VALID, dataset="idm")
    assert not at.exception
    assert (data_dir / "inbox" / "idm" / "idm.csv").read_bytes() == VALID


# --- issue 22: fragments check the session, read errors show as errors, the report speaks WIB ---


def run_fragments(at: AppTest) -> AppTest:
    """Run only the page's fragments, as their own reruns do (`run_every`, or a widget inside
    one): the rest of the page script does not run. AppTest has no public way to do this, so
    the run's request names every registered fragment, as Streamlit's auto-rerun does."""
    from unittest import mock

    from streamlit.testing.v1 import local_script_runner

    ids = list(at._fragment_storage._fragments)
    assert ids, "the page registered no fragment"
    real = local_script_runner.RerunData

    def fragment_run(**kwargs):
        return real(**kwargs, fragment_id_queue=ids, is_auto_rerun=True)

    with mock.patch.object(local_script_runner, "RerunData", fragment_run):
        return at.run()


def test_a_fragment_run_after_deactivation_shows_nothing_of_the_account(data_dir):
    """The tracker polls every 2 s without a page run; a deactivated account's open tab must
    stop seeing its reports at the next poll, as it would at the next page run."""
    import hashlib

    publish_log(data_dir, [], wilayah=True)
    at = login(page(), "budi.kapuas", SANDI)
    assert "Unduh templat" in [d.proto.label for d in at.get("download_button")]
    at = send(at, "satu.csv", VALID)
    at = send(at, "dua.csv", VALID + b"62.03.01.2020,2025,800,200,30,5\n")
    assert text_of(at).count("**Menunggu**") == 2  # both followed by the polling fragment
    # the fragment alone, while the account is active: it polls and shows what it finds
    publish_log(
        data_dir,
        [("satu.csv", "kemiskinan_desa", hashlib.sha256(VALID).hexdigest(), datetime.utcnow(),
          "rejected", 0, "Hasil    : DITOLAK\n  Baris 2: rahasia kantor", "rejected/x", 1, 0,
          "budi.kapuas")],
        wilayah=True,
    )  # fmt: skip
    at = run_fragments(at)
    assert not at.exception
    assert "rahasia kantor" in text_of(at)
    assert len(at.file_uploader) == 0  # only the fragments ran: the page's uploader was not drawn
    assert "Unduh templat" in [d.proto.label for d in at.get("download_button")]

    AccountStore(data_dir / "akun").deactivate("budi.kapuas")
    at = run_fragments(at)
    assert not at.exception
    shown = text_of(at)
    assert "rahasia kantor" not in shown
    assert "satu\\.csv" not in shown
    assert "dua\\.csv" not in shown
    assert "Unduh templat" not in [d.proto.label for d in at.get("download_button")]
    assert [w.value for w in at.warning] == [sesi.ENDED_MESSAGE]
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]


def damage_snapshot(data_dir: Path) -> None:
    """A published snapshot whose ingest_log has lost columns (a damaged or foreign file)."""
    path = data_dir / "published" / "dasbor.duckdb"
    tmp = path.with_suffix(".tmp")
    with duckdb.connect(str(tmp)) as con:
        con.execute("create table ingest_log (file_name varchar, pengunggah varchar)")
        write_catalogue(con)
    tmp.replace(path)


def test_an_unreadable_snapshot_shows_as_an_error_not_as_waiting(data_dir):
    at = login(page(), "budi.kapuas", SANDI)
    at = send(at, "kapuas.csv", VALID)
    assert "**Menunggu**" in text_of(at)
    damage_snapshot(data_dir)
    at.run()
    assert not at.exception
    shown = text_of(at)
    assert "**Menunggu**" not in shown
    assert any("tidak dapat dibaca" in e for e in errors(at)), errors(at)
    # the history says so too, instead of claiming nothing was ever sent
    assert "Belum ada berkas yang dikirim" not in shown
    assert any("Riwayat unggahan tidak dapat dibaca" in e for e in errors(at)), errors(at)


def test_the_snapshot_is_read_only_through_dashboards_data():
    """dashboards/data is the one reader of the snapshot (its module docstring): no other
    module of the dashboard opens DuckDB itself."""
    import ast

    readers = []
    for path in sorted((REPO / "dashboards").rglob("*.py")):
        if path.is_relative_to(REPO / "dashboards" / "data"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            readers += [str(path.relative_to(REPO)) for n in names if n.split(".")[0] == "duckdb"]
    assert readers == []


def test_a_report_on_the_upload_page_speaks_wib_and_of_this_page(data_dir):
    """The pipeline's own report text, as a rejected upload gets it: the time in WIB, and the
    officer is told to send the corrected file again here, not to a folder they do not have."""
    import hashlib

    from pipelines.contracts.datasets import DATASETS
    from pipelines.ingest.report import ReportInput, render

    at = login(page(), "budi.kapuas", SANDI)
    at = send(at, "campur.csv", VALID)
    report = render(
        ReportInput(
            "campur.csv", DATASETS["kemiskinan_desa"], "ab" * 32, datetime(2026, 1, 2, 3, 4, 5),
            "rejected", file_errors=["contoh kesalahan"], pengunggah="budi.kapuas",
        )
    )  # fmt: skip
    publish_log(
        data_dir,
        [("campur.csv", "kemiskinan_desa", hashlib.sha256(VALID).hexdigest(), datetime.utcnow(),
          "rejected", 0, report, "rejected/x", 1, 0, "budi.kapuas")],
    )  # fmt: skip
    at.run()
    shown = at.code[0].value
    assert "Diterima : 2 Januari 2026 pukul 10.04 WIB" in shown
    assert "UTC" not in shown
    assert "folder" not in shown
    assert "kirim ulang seluruh berkas lewat halaman Unggah Data" in shown
