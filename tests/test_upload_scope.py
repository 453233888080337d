"""Uploads through the dashboard, on the pipeline side (docs/operations.md): the sidecar carries the
uploader and scope, the ingest step enforces the scope, ingest_log.pengunggah records who sent
each file, and the sidecar travels with its file. Folder drops behave as before."""

import dataclasses
import hashlib
import json
import os
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboards.akun import unggah
from pengguna.store import Session
from pipelines.contracts.datasets import DATASETS
from pipelines.defs.sensors import scan_inbox
from pipelines.ingest.inbox import pending_files
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import Upload, read_upload, sidecar_of
from pipelines.ingest.validation import ERROR, validate
from pipelines.settings import Settings
from pipelines.warehouse.db import Warehouse
from tests.conftest import drop, published, run_pipeline

MB = 1024 * 1024
KEM = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
KAPUAS_1 = "62.03.01.2011,2025,900,250,40,10\n"  # Pulau Telo, Kabupaten Kapuas
KAPUAS_2 = "62.03.01.2020,2025,800,200,30,5\n"  # Pulau Telo Baru, Kabupaten Kapuas
KATINGAN = "62.06.01.2001,2025,700,180,20,4\n"  # Galinggang, Kabupaten Katingan
PETUGAS_KAPUAS = Upload("budi.kapuas", "petugas", "62.03")


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def check(tmp_path, reference, dataset, text, upload, name="berkas.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS[dataset], reference, upload)


def errors(v) -> list[tuple]:
    return v.issues.filter(pl.col("tingkat") == ERROR).select("baris", "kolom", "alasan").rows()


# --- the scope rule -------------------------------------------------------------------------


def test_a_petugas_file_inside_its_kabupaten_is_accepted(tmp_path, reference):
    v = check(tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1 + KAPUAS_2, PETUGAS_KAPUAS)
    assert v.accepted, errors(v)


def test_one_row_outside_the_kabupaten_rejects_the_whole_file_and_names_the_row(
    tmp_path, reference
):
    v = check(
        tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1 + KATINGAN + KAPUAS_2, PETUGAS_KAPUAS
    )
    assert not v.accepted
    assert v.rows is None
    assert errors(v) == [(3, "kode_desa", "bukan wilayah Kabupaten Kapuas")]


def test_an_analis_may_send_rows_of_any_kabupaten(tmp_path, reference):
    analis = Upload("sari.provinsi", "analis", None)
    v = check(tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1 + KATINGAN, analis)
    assert v.accepted, errors(v)


def test_a_folder_drop_has_no_scope(tmp_path, reference):
    v = check(tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1 + KATINGAN, None)
    assert v.accepted, errors(v)


def test_names_only_rows_are_scoped_by_the_village_they_resolve_to(tmp_path, reference):
    text = (
        "nama_kabupaten,nama_kecamatan,nama_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,"
        "kk_miskin_ekstrem\n"
        "Kapuas,Selat,Pulau Telo,2025,900,250,40,10\n"
        "Katingan,Kamipang,Galinggang,2025,700,180,20,4\n"
    )
    v = check(tmp_path, reference, "kemiskinan_desa", text, PETUGAS_KAPUAS)
    assert errors(v) == [
        (3, "nama_desa", "wilayah ini (62.06.01.2001) bukan wilayah Kabupaten Kapuas")
    ]


@pytest.mark.parametrize(
    ("header", "other", "column", "reason"),
    [
        ("kode_wilayah", "62", "kode_wilayah", "bukan wilayah Kabupaten Kapuas"),
        ("kode_wilayah", "62.06", "kode_wilayah", "bukan wilayah Kabupaten Kapuas"),
        ("nama_wilayah", "Katingan", "nama_wilayah", "wilayah ini (62.06) bukan wilayah"),
    ],
)
def test_kemiskinan_kab_rows_of_another_area_are_rejected(
    tmp_path, reference, header, other, column, reason
):
    mine = "62.03" if header == "kode_wilayah" else "Kapuas"
    text = f"{header},tahun,persentase_miskin\n{mine},2024,5.1\n{other},2024,4.2\n"
    v = check(tmp_path, reference, "kemiskinan_kab", text, PETUGAS_KAPUAS)
    found = errors(v)
    assert [(b, k) for b, k, _ in found] == [(3, column)]
    assert found[0][2].startswith(reason)


def test_a_dataset_closed_to_petugas_is_rejected_whole_but_open_to_analis(tmp_path, reference):
    closed = dataclasses.replace(DATASETS["kemiskinan_desa"], uploadable_by_petugas=False)
    path = tmp_path / "berkas.csv"
    path.write_text(KEM + KAPUAS_1, encoding="utf-8")
    table = read_table(path, 50 * MB, 50 * MB)
    v = validate(table, closed, reference, PETUGAS_KAPUAS)
    assert not v.accepted
    assert "tidak dapat dikirim oleh petugas kabupaten" in v.file_errors[0]
    assert validate(table, closed, reference, Upload("sari", "analis", None)).accepted


def test_an_untrusted_sidecar_or_unknown_kabupaten_rejects_the_file(tmp_path, reference):
    v = check(
        tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1, Upload("x", None, None, "rusak")
    )
    assert v.file_errors == ["rusak"]
    v = check(
        tmp_path, reference, "kemiskinan_desa", KEM + KAPUAS_1, Upload("x", "petugas", "62.99")
    )
    assert "62.99" in v.file_errors[0]


# --- the sidecar ------------------------------------------------------------------------------


def write_sidecar(data_file: Path, content, key_dir: Path | None = None) -> Path:
    """A sidecar beside `data_file`; a dict is signed with the key in `key_dir` as the upload
    page signs it (unsigned when `key_dir` is None)."""
    sidecar = sidecar_of(data_file)
    sidecar.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, dict) and key_dir is not None:
        content = unggah.signed(content, unggah.signing_key(key_dir))
    sidecar.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return sidecar


def sidecar_for(data: bytes, **fields) -> dict:
    return {
        "pengunggah": "budi.kapuas",
        "peran": "petugas",
        "kode_kab": "62.03",
        "sha256": hashlib.sha256(data).hexdigest(),
        "diunggah_pada": "2026-01-01T00:00:00Z",
        **fields,
    }


def test_read_upload(tmp_path):
    data_file = tmp_path / "a.csv"
    data_file.write_bytes(b"x")
    sha = hashlib.sha256(b"x").hexdigest()
    key = tmp_path / "akun" / "kunci_unggah"
    assert read_upload(data_file, sha, key) is None  # folder drop
    write_sidecar(data_file, sidecar_for(b"x"), key.parent)
    assert read_upload(data_file, sha, key) == Upload("budi.kapuas", "petugas", "62.03")
    write_sidecar(data_file, sidecar_for(b"x", peran="analis", kode_kab=None), key.parent)
    assert read_upload(data_file, sha, key) == Upload("budi.kapuas", "analis", None)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "tidak dapat dibaca"),
        ("[1, 2]", "tidak dapat dibaca"),
        (sidecar_for(b"x", pengunggah=""), "tidak menyebut pengunggah"),
        (sidecar_for(b"other bytes"), "tidak cocok dengan isi berkas"),
        (sidecar_for(b"x", peran="pimpinan"), "tidak boleh mengunggah"),
        (sidecar_for(b"x", peran="admin"), "tidak boleh mengunggah"),
        (sidecar_for(b"x", kode_kab=None), "tanpa kabupaten"),
        (sidecar_for(b"x", peran="analis", kode_kab=62), "tidak sah"),
        ("x" * (65 * 1024), "terlalu besar"),
    ],
)
def test_an_untrusted_sidecar_fails_closed(tmp_path, content, problem):
    data_file = tmp_path / "a.csv"
    data_file.write_bytes(b"x")
    write_sidecar(data_file, content, tmp_path / "akun")
    upload = read_upload(
        data_file, hashlib.sha256(b"x").hexdigest(), tmp_path / "akun" / "kunci_unggah"
    )
    assert upload is not None
    assert upload.problem is not None
    assert problem in upload.problem


def test_the_sidecar_is_never_taken_for_a_data_file(data_dir):
    data = (KEM + KAPUAS_1).encode()
    target = drop(data_dir, "kemiskinan_desa", "kapuas.csv", data)
    write_sidecar(target, sidecar_for(data))
    assert [p.name for p in pending_files(target.parent)] == ["kapuas.csv"]
    assert list(scan_inbox(Settings.from_env())) == ["kemiskinan_desa/kapuas.csv"]


# --- through a real run -----------------------------------------------------------------------


def upload_file(data_dir: Path, name: str, text: str, **fields) -> Path:
    data = text.encode()
    target = data_dir / "inbox" / "kemiskinan_desa" / name
    write_sidecar(target, sidecar_for(data, **fields), data_dir / "akun")  # first, as the page
    return drop(data_dir, "kemiskinan_desa", name, data)


def test_a_run_enforces_the_scope_records_the_uploader_and_keeps_the_sidecar(data_dir):
    upload_file(data_dir, "kapuas_baik.csv", KEM + KAPUAS_1)
    upload_file(data_dir, "kapuas_salah.csv", KEM + KAPUAS_2 + KATINGAN)
    drop(data_dir, "kemiskinan_desa", "folder.csv", KEM + KATINGAN)
    assert run_pipeline(data_dir).success
    log = published(
        data_dir,
        "select file_name, status, pengunggah, stored_as, report from ingest_log order by 1",
    )
    assert log.select("file_name", "status", "pengunggah").rows() == [
        ("folder.csv", "accepted", None),
        ("kapuas_baik.csv", "accepted", "budi.kapuas"),
        ("kapuas_salah.csv", "rejected", "budi.kapuas"),
    ]
    rejected = log.row(2, named=True)
    assert (
        'Baris 3: kolom kode_desa = "62.06.01.2001": bukan wilayah Kabupaten Kapuas'
        in rejected["report"]
    )
    assert "Pengirim : budi.kapuas" in rejected["report"]
    # in the officer's terms: WIB, and sent again on the page (issue 22)
    assert re.search(r"^Diterima : \d+ \w+ \d{4} pukul \d\d\.\d\d WIB$", rejected["report"], re.M)
    assert "kirim ulang seluruh berkas lewat halaman Unggah Data" in rejected["report"]
    # the inbox is clean; each sidecar lies beside its stored file, so nothing is lost
    inbox = data_dir / "inbox" / "kemiskinan_desa"
    assert sorted(p.name for p in inbox.iterdir()) == []
    for row in log.iter_rows(named=True):
        sidecar = data_dir / (row["stored_as"] + ".unggah.json")
        assert sidecar.exists() == (row["pengunggah"] is not None), row["file_name"]
    # the rejected file's rows were not loaded; the folder drop's Katingan row was
    loaded = published(data_dir, "select kode_desa from kemiskinan_desa order by 1")
    assert loaded["kode_desa"].to_list() == ["62.03.01.2011", "62.06.01.2001"]


def test_a_duplicate_upload_is_logged_with_its_uploader(data_dir):
    upload_file(data_dir, "a.csv", KEM + KAPUAS_1)
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    upload_file(data_dir, "a.csv", KEM + KAPUAS_1, pengunggah="rina.kapuas")
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        rows = con.sql("select status, pengunggah from ingest_log order by received_at").fetchall()
    assert rows == [("accepted", "budi.kapuas"), ("duplicate", "rina.kapuas")]
    assert list((data_dir / "inbox" / "kemiskinan_desa").iterdir()) == []


def test_an_older_warehouse_gains_the_pengunggah_column(tmp_path):
    path = tmp_path / "warehouse" / "dasbor.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table ingest_log (file_name varchar not null, dataset varchar not null, "
            "sha256 varchar not null, received_at timestamp not null, status varchar not null, "
            "rows integer, report varchar, stored_as varchar, errors integer, warnings integer)"
        )
        con.execute(
            "insert into ingest_log values ('lama.csv', 'idm', 'abc', now(), 'accepted', "
            "1, 'r', 'archive/idm/x', 0, 0)"
        )
    with Warehouse(path).connect() as con:
        rows = con.execute("select file_name, pengunggah from ingest_log").fetchall()
    assert rows == [("lama.csv", None)]


def test_a_stale_sidecar_does_not_lend_its_scope_to_a_later_folder_drop(data_dir):
    """A sidecar left behind by a crash names other bytes: the later file is rejected, not
    loaded under a stranger's name or without the scope it claimed."""
    target = data_dir / "inbox" / "kemiskinan_desa" / "ulang.csv"
    write_sidecar(target, sidecar_for(b"earlier bytes"), data_dir / "akun")
    drop(data_dir, "kemiskinan_desa", "ulang.csv", KEM + KAPUAS_1)
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        status, report = con.sql("select status, report from ingest_log").fetchall()[0]
    assert status == "rejected"
    assert "tidak cocok dengan isi berkas" in report
    assert not os.listdir(target.parent)


# --- signed sidecars (issue 22) -----------------------------------------------------------------

KEY_NAME = "kunci_unggah"


def judged(data_dir: Path) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        return con.sql(
            "select file_name, status, pengunggah, report from ingest_log order by file_name"
        ).fetchall()


def test_a_forged_sidecar_is_rejected(data_dir):
    """Anyone who can write into the inbox can write a sidecar: one naming an analyst (every
    kabupaten) or another kabupaten's officer, without the server's signature, loads nothing."""
    unggah.signing_key(data_dir / "akun")  # the server has a key: the forger does not know it
    for name, fields in [
        (
            "sebagai_analis.csv",
            {"pengunggah": "sari.provinsi", "peran": "analis", "kode_kab": None},
        ),
        ("sebagai_katingan.csv", {"pengunggah": "rina.katingan", "kode_kab": "62.06"}),
    ]:
        target = data_dir / "inbox" / "kemiskinan_desa" / name
        write_sidecar(target, sidecar_for((KEM + KATINGAN).encode(), **fields))  # unsigned
        drop(data_dir, "kemiskinan_desa", name, KEM + KATINGAN)
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    rows = judged(data_dir)
    assert [(f, s, p) for f, s, p, _ in rows] == [
        ("sebagai_analis.csv", "rejected", None),  # the claimed name is not believed
        ("sebagai_katingan.csv", "rejected", None),
    ]
    for *_, report in rows:
        assert "tidak bertanda tangan yang sah" in report
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from kemiskinan_desa").fetchall() == [(0,)]


def test_a_tampered_field_or_another_key_breaks_the_signature(tmp_path):
    data_file = tmp_path / "a.csv"
    data_file.write_bytes(b"x")
    sha = hashlib.sha256(b"x").hexdigest()
    key_dir = tmp_path / "akun"
    genuine = unggah.signed(sidecar_for(b"x"), unggah.signing_key(key_dir))
    for tampered in [
        {**genuine, "kode_kab": "62.06"},
        {**genuine, "pengunggah": "rina.katingan"},
        {**genuine, "peran": "analis", "kode_kab": None},
        {**genuine, "tanda_tangan": genuine["tanda_tangan"].upper()},
        {**genuine, "tambahan": "x"},
        {k: v for k, v in genuine.items() if k != "tanda_tangan"},
        unggah.signed(sidecar_for(b"x"), b"k" * 32),  # signed, but not with the server's key
    ]:
        write_sidecar(data_file, tampered)
        upload = read_upload(data_file, sha, key_dir / KEY_NAME)
        assert upload == Upload(None, None, None, upload.problem), tampered
        assert "tidak bertanda tangan yang sah" in upload.problem
    write_sidecar(data_file, genuine)  # the same content, untouched, passes
    assert read_upload(data_file, sha, key_dir / KEY_NAME) == PETUGAS_KAPUAS


def test_without_a_key_on_the_server_no_sidecar_is_trusted(tmp_path):
    data_file = tmp_path / "a.csv"
    data_file.write_bytes(b"x")
    write_sidecar(data_file, unggah.signed(sidecar_for(b"x"), b"k" * 32))
    upload = read_upload(data_file, hashlib.sha256(b"x").hexdigest(), tmp_path / "akun" / KEY_NAME)
    assert (
        upload.problem == "kunci tanda tangan unggahan di server tidak ada atau tidak dapat dibaca"
    )


def test_a_genuine_upload_passes_end_to_end(data_dir):
    """The page's own writer, then a real run: the key the page made is the one the pipeline
    reads (Settings.upload_key_path), and the file loads under its uploader."""
    session = Session("budi.kapuas", "petugas", "62.03", 0.0)
    written = unggah.write_upload(
        data_dir / "inbox", "kemiskinan_desa", "kapuas.csv", (KEM + KAPUAS_1).encode(), session
    )
    assert Settings.from_env().upload_key_path == data_dir / "akun" / KEY_NAME
    sidecar = json.loads(
        sidecar_of(data_dir / "inbox" / "kemiskinan_desa" / written.file_name).read_text()
    )
    assert len(sidecar["tanda_tangan"]) == 64  # HMAC-SHA256, hex
    target = data_dir / "inbox" / "kemiskinan_desa" / written.file_name
    os.utime(target, (target.stat().st_mtime - 60,) * 2)  # settled, as drop() leaves files
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    assert [(f, s, p) for f, s, p, _ in judged(data_dir)] == [
        ("kapuas.csv", "accepted", "budi.kapuas")
    ]


def test_the_signing_key_is_made_once_owner_only(tmp_path):
    import stat

    folder = tmp_path / "data" / "akun"
    key = unggah.signing_key(folder)
    assert len(key) == 32
    assert unggah.signing_key(folder) == key  # made on first use, then kept
    assert stat.S_IMODE((folder / KEY_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [KEY_NAME]  # no temporary file left


def test_the_page_and_the_pipeline_sign_the_same_bytes():
    from pipelines.ingest import upload

    content = {"pengunggah": "budi", "kode_kab": None, "nama_asli": "dæta ñ.csv", "a": "1"}
    assert unggah.canonical(content) == upload.canonical(content)
    assert unggah.canonical({**content, "tanda_tangan": "x"}) == unggah.canonical(content)
    assert unggah.SIGNATURE_FIELD == upload.SIGNATURE_FIELD
