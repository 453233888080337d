"""Hostile and odd input: the run never crashes, every file is accepted or rejected with a
report, and every file stays inside the data directory exactly once."""

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.inbox import pending_files, process_file, process_files, safe_stored_name
from pipelines.ingest.reference import Reference
from pipelines.settings import Settings
from pipelines.warehouse.db import Warehouse

HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


@pytest.fixture
def env(data_dir):
    s = Settings.from_env()
    return s, Warehouse(s.warehouse_path)


def ingest_one(env, reference, dataset: str, name: str, content: bytes, s: Settings | None = None):
    settings_, warehouse = env
    s = s or settings_
    path = s.inbox(dataset) / name
    path.write_bytes(content)
    with warehouse.connect() as con:
        outcome = process_file(path, DATASETS[dataset], reference, con, s)
    assert not path.exists()
    assert outcome.stored_as.is_file()
    assert outcome.stored_as.read_bytes() == content
    assert s.data_dir in outcome.stored_as.resolve().parents
    return outcome


@HYPOTHESIS
@given(content=st.binary(max_size=4096))
def test_random_bytes_never_crash_the_run(env, reference, content):
    outcome = ingest_one(env, reference, "kemiskinan_desa", "acak.csv", content)
    assert outcome.status in {"accepted", "rejected", "duplicate"}
    if outcome.status == "rejected":
        assert "DITOLAK" in outcome.report


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@HYPOTHESIS
@given(
    rows=st.lists(st.lists(CELL, min_size=6, max_size=6), min_size=1, max_size=20),
    delimiter=st.sampled_from([",", ";"]),
)
def test_random_well_formed_csv_is_accepted_or_rejected_with_report(
    env, reference, rows, delimiter
):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(
        ["kode_desa", "tahun", "jumlah_penduduk", "jumlah_kk", "kk_miskin", "kk_miskin_ekstrem"]
    )
    writer.writerows(rows)
    outcome = ingest_one(env, reference, "kemiskinan_desa", "acak.csv", buffer.getvalue().encode())
    assert outcome.status in {"accepted", "rejected", "duplicate"}
    assert outcome.report.startswith("LAPORAN PEMERIKSAAN BERKAS")


@pytest.mark.parametrize("header", ["*", "^kode.*$", "kolom(1)"])
def test_headers_that_look_like_patterns_are_only_unknown_columns(env, reference, header):
    """`*` or a regex as a header once crashed the reader (polars took it as a pattern)."""
    content = (
        "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem,"
        f"{header}\n62.01.01.2001,2024,1000,300,45,10,x\n"
    ).encode()
    outcome = ingest_one(env, reference, "kemiskinan_desa", "pola.csv", content)
    assert outcome.status == "accepted"
    assert f"kolom yang tidak dikenal diabaikan: {header}" in outcome.report


def test_huge_field_is_rejected_with_a_reason(env, reference):
    content = (
        "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        + "62.01.01.2001,2024,"
        + "9" * 5_000_000
        + ",10,1,0\n"
    ).encode()
    outcome = ingest_one(env, reference, "kemiskinan_desa", "besar.csv", content)
    assert outcome.status == "rejected"
    assert "jumlah_penduduk" in outcome.report


@pytest.mark.parametrize(
    "name",
    [
        "data desa 2024.csv",
        "kemiskinan_ñandú_ĐÀ_数据.csv",
        "x" * 251 + ".csv",
        "..csv",
        "-rf.csv",
        "a'b\";c.csv",
    ],
)
def test_odd_file_names_stay_inside_the_data_directory(env, reference, name):
    outcome = ingest_one(env, reference, "kemiskinan_desa", name, b"kode_desa\n")
    assert outcome.status == "rejected"
    assert len(outcome.stored_as.name.encode()) <= 255
    report = outcome.stored_as.with_name(outcome.stored_as.name + ".laporan.txt")
    assert report.is_file()
    assert len(report.name.encode()) <= 255


@pytest.mark.parametrize(
    "hostile", ["../../etc/passwd", "..\\..\\boot.ini", "/abs/path.csv", "a/../../b.csv"]
)
def test_stored_names_never_carry_path_parts(hostile):
    name = safe_stored_name("20260101T000000", "ab" * 32, hostile)
    assert "/" not in name
    assert "\\" not in name
    assert Path(name).name == name


def test_file_over_the_size_limit_is_rejected_whole(env, reference):
    s, _ = env
    small = replace(s, max_file_bytes=1024)
    content = b"kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n" + (
        b"62.01.01.2001,2024,1000,300,45,10\n" * 100
    )
    outcome = ingest_one(env, reference, "kemiskinan_desa", "besar.csv", content, s=small)
    assert outcome.status == "rejected"
    assert "terlalu besar" in outcome.report


def test_xlsx_that_expands_enormously_is_rejected_without_reading(env, reference, tmp_path):
    s, _ = env
    # A zip bomb shaped like a workbook: 200 MB of zeros compress to about 200 KB.
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    limited = replace(s, max_xlsx_uncompressed_bytes=50 * 1024 * 1024)
    outcome = ingest_one(env, reference, "umkm", "bom.xlsx", bomb.read_bytes(), s=limited)
    assert outcome.status == "rejected"
    assert "terlalu besar setelah dibuka" in outcome.report


def test_lock_and_partial_files_are_left_in_the_inbox(env):
    s, _ = env
    for name in ("~$dana.xlsx", "dana.csv.part", "dana.tmp", ".tersembunyi.csv"):
        (s.inbox("dana_desa") / name).write_bytes(b"x")
    assert pending_files(s.inbox("dana_desa")) == []


def test_error_csv_neutralises_formula_injection(env, reference):
    content = (
        b"kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        b'=HYPERLINK("http://x"),2024,@SUM(1),+1,-1,0\n'
    )
    outcome = ingest_one(env, reference, "kemiskinan_desa", "rumus.csv", content)
    errors_csv = outcome.stored_as.with_name(outcome.stored_as.name + ".kesalahan.csv")
    text = errors_csv.read_text(encoding="utf-8-sig")
    for line in text.splitlines()[1:]:
        value = line.split(",")[2]
        assert not value.lstrip('"').startswith(("=", "+", "-", "@")), line
    assert "'=HYPERLINK" in text
    assert "'@SUM(1)" in text


@pytest.mark.parametrize("judges", [1, 2, 3, 8])
def test_files_judged_ahead_are_recorded_in_order_as_one_by_one(
    env, reference, judges, monkeypatch
):
    """process_files judges the next files while this one is written: the outcomes are those of
    process_file file by file, in order, however many are judged ahead (8: more than the
    files). A copy of a file in the same batch is judged before the first is loaded, and is
    still found a duplicate."""
    from pipelines.ingest import inbox

    monkeypatch.setattr(inbox, "JUDGES", judges)
    s, warehouse = env
    header = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
    files = {
        "a.csv": header + "62.01.01.2001,2024,1000,400,100,10\n",
        "a_lagi.csv": header + "62.01.01.2001,2024,1000,400,100,10\n",
        "c.csv": header + "62.13.01.2001,2024,1000,500,600,5\n",  # kk_miskin > jumlah_kk
        "acak.csv": "\x00\x01 bukan tabel",
        "b.csv": header + "62.06.01.2001,2024,1000,500,50,5\n62.06.01.2002,2024,900,300,30,3\n",
    }
    paths = []
    for name, content in files.items():
        path = s.inbox("kemiskinan_desa") / name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    with warehouse.connect() as con:
        outcomes = list(process_files(paths, DATASETS["kemiskinan_desa"], reference, con, s))
        loaded = con.execute("select count(*) from kemiskinan_desa").fetchall()[0][0]
    assert [(o.file_name, o.status, o.rows) for o in outcomes] == [
        ("a.csv", "accepted", 1),
        ("a_lagi.csv", "duplicate", 0),
        ("c.csv", "rejected", 0),
        ("acak.csv", "rejected", 0),
        ("b.csv", "accepted", 2),
    ]
    assert loaded == 3
    assert not any(path.exists() for path in paths)
    # The copy found within the batch names the file it repeats, recorded just before it.
    assert (
        f"tersimpan sebagai {outcomes[0].stored_as.relative_to(s.data_dir)}" in outcomes[1].report
    )
    assert [o.stored_as.read_text(encoding="utf-8") for o in outcomes] == list(files.values())


def test_a_copy_of_a_file_accepted_before_is_not_read_again(env, reference, monkeypatch):
    """A re-sent copy is known by its bytes before it is read: found a duplicate, archived,
    nothing loaded twice, and neither read nor validated (seconds for a national UMKM file)."""
    from pipelines.ingest import inbox

    s, warehouse = env
    content = (
        "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        "62.01.01.2001,2024,1000,400,100,10\n"
    )
    read: list[str] = []
    original = inbox.read_table
    monkeypatch.setattr(
        inbox, "read_table", lambda path, *a: read.append(path.name) or original(path, *a)
    )

    def send(name: str) -> list:
        path = s.inbox("kemiskinan_desa") / name
        path.write_text(content, encoding="utf-8")
        with warehouse.connect() as con:
            return list(process_files([path], DATASETS["kemiskinan_desa"], reference, con, s))

    [first] = send("a.csv")
    [again] = send("a_dikirim_ulang.csv")
    assert (first.status, again.status) == ("accepted", "duplicate")
    assert read == ["a.csv"]
    # The report names where the copy it repeats is stored.
    assert f"tersimpan sebagai {first.stored_as.relative_to(s.data_dir)}" in again.report
    assert again.stored_as.read_text(encoding="utf-8") == content
    with warehouse.connect() as con:
        assert con.execute("select count(*) from kemiskinan_desa").fetchall()[0][0] == 1
