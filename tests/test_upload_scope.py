"""Uploads through the dashboard, on the pipeline side (spec/access.md): the sidecar carries the
uploader and scope, the ingest step enforces the scope, ingest_log.pengunggah records who sent
each file, and the sidecar travels with its file. Folder drops behave as before."""

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

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


def write_sidecar(data_file: Path, content) -> Path:
    sidecar = sidecar_of(data_file)
    sidecar.parent.mkdir(parents=True, exist_ok=True)
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
    assert read_upload(data_file, sha) is None  # folder drop
    write_sidecar(data_file, sidecar_for(b"x"))
    assert read_upload(data_file, sha) == Upload("budi.kapuas", "petugas", "62.03")
    write_sidecar(data_file, sidecar_for(b"x", peran="analis", kode_kab=None))
    assert read_upload(data_file, sha) == Upload("budi.kapuas", "analis", None)


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
    write_sidecar(data_file, content)
    upload = read_upload(data_file, hashlib.sha256(b"x").hexdigest())
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
    write_sidecar(target, sidecar_for(data, **fields))  # before the file, as the page does
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
    write_sidecar(target, sidecar_for(b"earlier bytes"))
    drop(data_dir, "kemiskinan_desa", "ulang.csv", KEM + KAPUAS_1)
    assert run_pipeline(data_dir, "kemiskinan_desa").success
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        status, report = con.sql("select status, report from ingest_log").fetchall()[0]
    assert status == "rejected"
    assert "tidak cocok dengan isi berkas" in report
    assert not os.listdir(target.parent)
