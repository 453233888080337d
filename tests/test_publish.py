"""Publishing: atomic swap, readers never block the writer, failed checks never publish."""

import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import duckdb
import polars as pl
import pytest

import pipelines.defs.marts as marts
from pipelines.defs.resources import DasborResource
from tests.conftest import REPO, drop, kpi_value, published, run_pipeline

FILE_2024 = """kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem
62.01.01.2001,2024,1000,400,100,10
"""
CORRECTED_2024 = FILE_2024.replace("400,100,10", "400,40,4")
FILE_2023 = FILE_2024.replace("2024,1000,400,100,10", "2023,1000,400,200,20")
A_2024 = ("kemiskinan_desa", "a.csv", FILE_2024)  # many tests' first run (first_run_of)

READER = textwrap.dedent(
    """
    import sys, duckdb
    path = sys.argv[1]
    query = ("select nilai from kpi where tingkat='kabupaten' and kode_wilayah='62.01' "
             "and tahun=2024 and kpi_id='kk_miskin_pct'")
    con = duckdb.connect(path, read_only=True)
    print("open", con.sql(query).fetchall()[0][0], flush=True)
    sys.stdin.readline()  # wait while the pipeline publishes a new snapshot
    # The old connection still reads the old snapshot, completely (a full scan included).
    total = con.sql("select count(*) from kpi").fetchall()[0][0]
    print("old", con.sql(query).fetchall()[0][0], total, flush=True)
    con.close()
    con = duckdb.connect(path, read_only=True)
    print("new", con.sql(query).fetchall()[0][0], flush=True)
    """
)


def test_reader_holding_snapshot_does_not_block_publish(data_dir, first_run_of):
    first_run_of(A_2024)
    snapshot = data_dir / "published" / "dasbor.duckdb"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(snapshot)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().split() == ["open", "25.0"]
        drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
        result = run_pipeline(data_dir)
        assert result.success, "publishing failed while a reader held the snapshot"
        reader.stdin.write("go\n")
        reader.stdin.flush()
        old = reader.stdout.readline().split()
        assert old[:2] == ["old", "25.0"]
        assert int(old[2]) > 0
        assert reader.stdout.readline().split() == ["new", "10.0"]
    finally:
        reader.kill()
        reader.wait()
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 10.0


def test_every_blocking_check_ran_and_passed(first_run_of):
    result = first_run_of(A_2024)
    evaluations = result.get_asset_check_evaluations()
    names = {e.check_name for e in evaluations}
    assert names == {
        "kpi_lengkap",
        "kpi_persen_dalam_rentang",
        "kpi_kunci_unik",
        "kpi_provinsi_konsisten",
    }
    assert all(e.passed for e in evaluations)


def test_failed_blocking_check_keeps_previous_snapshot(data_dir, monkeypatch, first_run_of):
    first_run_of(A_2024)
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]

    # A bug that pushes a percentage past 100 must be caught before publishing.
    _push_kk_miskin_past_100(monkeypatch)
    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    result = run_pipeline(data_dir)
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == ["kpi_persen_dalam_rentang"]
    materialized = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert "kpi" in materialized
    assert "dasbor_terbit" not in materialized
    # The snapshot is still the first run's, with the first run's number.
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == first
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 25.0


def in_warehouse(data_dir, *statements: str) -> None:
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb")) as con:
        for statement in statements:
            con.execute(statement)


def test_a_publish_reads_the_rows_of_no_table_whose_writer_recorded_no_change(
    data_dir, monkeypatch
):
    """A dataset's files in ingest_log say whether it changed; `kpi` and `desa_prioritas` are
    fingerprinted from what their warehouse tables recorded. So an unchanged run hashes none of
    their rows (seconds of a national publish), and a changed one still publishes the change;
    so does a column added to a dataset table."""
    from pipelines.contracts.datasets import DATASETS
    from pipelines.warehouse import publish as publish_module
    from tests.small_inbox import write_small_inbox

    write_small_inbox(data_dir)
    assert run_pipeline(data_dir).success
    hashed: list[str] = []  # tables whose rows a fingerprint read
    fingerprinting: list[str] = []
    fingerprints, render = publish_module._fingerprints, publish_module.render

    def spied_fingerprints(con, table):
        fingerprinting.append(table.name)
        try:
            return fingerprints(con, table)
        finally:
            fingerprinting.pop()

    def spied_render(name, **parts):
        if name in ("publish/fingerprint", "publish/year_fingerprints") and fingerprinting:
            hashed.append(fingerprinting[-1])
        return render(name, **parts)

    monkeypatch.setattr(publish_module, "_fingerprints", spied_fingerprints)
    monkeypatch.setattr(publish_module, "render", spied_render)
    assert run_pipeline(data_dir).success  # nothing new
    unread = {n for n in DATASETS if n not in publish_module.DERIVED_TABLES}
    unread |= {"kpi", "desa_prioritas"}
    assert not unread & set(hashed), hashed
    assert "wilayah" in hashed  # no writer records it: fingerprinted by its rows, as before

    hashed.clear()
    drop(data_dir, "kemiskinan_desa", "koreksi.csv",
         "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
         "62.01.01.2001,2024,1000,300,60,15\n62.01.01.1011,2024,2000,500,25,5\n")  # fmt: skip
    assert run_pipeline(data_dir).success
    assert "kemiskinan_desa" in hashed
    assert not (unread - {"kemiskinan_desa"}) & set(hashed), hashed
    kk = "select kk_miskin from kemiskinan_desa where kode_desa = '62.01.01.2001'"
    assert published(data_dir, kk)["kk_miskin"].to_list() == [60]
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 10.625
    ekstrem = "select kk_miskin_ekstrem_pct from desa_prioritas where kode_desa = '62.01.01.2001'"
    assert published(data_dir, ekstrem)["kk_miskin_ekstrem_pct"].to_list() == [5.0]  # 15 / 300

    # A column added to a dataset table without a new file (a declared column added in a
    # release): the columns are part of what is compared, so the table is published again.
    in_warehouse(data_dir, "alter table umkm add column catatan varchar default 'baru'")
    assert run_pipeline(data_dir).success
    assert published(data_dir, "select catatan from umkm")["catatan"].to_list() == ["baru"]


def check_alone(data_dir, name: str):
    """One check's evaluation on a run of the kpi step and its checks (no mart runs)."""
    result = run_pipeline(data_dir, "kpi")
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == name)


def kab_row(kode: str) -> str:
    return (
        f"from kpi_tujuan where tingkat = 'kabupaten' and kode_wilayah = '{kode}' "
        "and tahun = 2024 and kpi_id = 'kk_miskin_pct'"
    )


def test_a_duplicate_key_planted_in_an_unchanged_year_is_found_until_it_goes(
    data_dir, first_run_of
):
    first_run_of(A_2024)
    row = kab_row("62.01")
    # Behind the marts' back: their inputs did not change, but the key columns' did.
    in_warehouse(data_dir, f"insert into kpi_tujuan select * {row}")
    found = check_alone(data_dir, "kpi_kunci_unik")
    assert not found.passed
    assert found.metadata["pelanggaran"].value == 1
    # Nothing changed since: still found, not forgotten.
    assert not check_alone(data_dir, "kpi_kunci_unik").passed

    in_warehouse(data_dir, f"create table satu as select distinct * {row}", f"delete {row}",
                 "insert into kpi_tujuan select * from satu", "drop table satu")  # fmt: skip
    assert check_alone(data_dir, "kpi_kunci_unik").passed


def test_a_kabupaten_row_deleted_in_an_unchanged_year_is_missed_until_it_is_back(
    data_dir, first_run_of
):
    first_run_of(A_2024)
    row = kab_row("62.02")
    in_warehouse(data_dir, f"create table simpan as select * {row}", f"delete {row}")
    missing = check_alone(data_dir, "kpi_lengkap")
    assert not missing.passed
    assert missing.metadata["pelanggaran"].value == 1
    assert not check_alone(data_dir, "kpi_lengkap").passed  # still missing

    in_warehouse(data_dir, "insert into kpi_tujuan select * from simpan", "drop table simpan")
    assert check_alone(data_dir, "kpi_lengkap").passed


def _drop_one_kabupaten(frame: pl.DataFrame) -> pl.DataFrame:
    # A KPI that is not additive, so only completeness can notice.
    lost = (pl.col("tingkat") == "kabupaten") & (pl.col("kode_wilayah") == "62.02")
    return frame.filter(~(lost & (pl.col("kpi_id") == "persentase_miskin_bps")))


def _duplicate_one_desa(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame, frame.filter(pl.col("kode_wilayah") == "62.01.01.2001")])


def _shift_province_numerator(frame: pl.DataFrame) -> pl.DataFrame:
    shifted = (pl.col("tingkat") == "provinsi") & (pl.col("kpi_id") == "kk_miskin_pct")
    return frame.with_columns(
        pl.when(shifted).then(pl.col("pembilang") + 1).otherwise(pl.col("pembilang"))
    )


def _overflow_percentage(frame: pl.DataFrame) -> pl.DataFrame:
    overflow = pl.col("kpi_id") == "kk_miskin_pct"
    return frame.with_columns(
        pl.when(overflow).then(pl.col("nilai") * 20).otherwise(pl.col("nilai"))
    )


@pytest.mark.parametrize(
    ("corrupt", "check"),
    [
        (_drop_one_kabupaten, "kpi_lengkap"),
        (_overflow_percentage, "kpi_persen_dalam_rentang"),
        (_duplicate_one_desa, "kpi_kunci_unik"),
        (_shift_province_numerator, "kpi_provinsi_konsisten"),
    ],
)
def test_each_blocking_check_stops_the_publish(data_dir, monkeypatch, corrupt, check, first_run_of):
    first_run_of(A_2024)
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]

    original = marts.compute_kpis
    monkeypatch.setattr(marts, "compute_kpis", lambda *a, **kw: corrupt(original(*a, **kw)))
    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    result = run_pipeline(data_dir)
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == [check]
    materialized = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert "dasbor_terbit" not in materialized
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == first


def _kpi_years_written(result) -> str:
    [event] = [
        e for e in result.get_asset_materialization_events() if e.asset_key.path[-1] == "kpi"
    ]
    return event.materialization.metadata["snapshot_berikut_tahun_ditulis"].value


def test_the_run_s_staging_file_becomes_the_snapshot_and_is_never_written_again(data_dir):
    """Publishing renames the staging file into place (no copy on the way); the next run makes
    its staging file as a copy of the published one, so a reader's pin (a hard link) keeps the
    old bytes, and the copy carries the ledger: only the changed year is rewritten."""
    import hashlib

    from pipelines.warehouse.publish import staging_path

    snapshot = data_dir / "published" / "dasbor.duckdb"
    staging = staging_path(snapshot)
    drop(data_dir, "kemiskinan_desa", "a.csv", FILE_2023 + FILE_2024.split("\n", 1)[1])
    assert _kpi_years_written(run_pipeline(data_dir)) == "semua"
    assert not staging.exists()  # it is the snapshot now
    pin = data_dir / "pin.duckdb"
    os.link(snapshot, pin)
    pinned = hashlib.sha256(pin.read_bytes()).hexdigest()

    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    result = run_pipeline(data_dir)
    assert result.success
    assert _kpi_years_written(result) == "2024"  # the copy kept the ledger
    assert hashlib.sha256(pin.read_bytes()).hexdigest() == pinned
    assert os.stat(snapshot).st_ino != os.stat(pin).st_ino
    assert not staging.exists()
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 10.0
    assert kpi_value(data_dir, "kabupaten", "62.01", 2023, "kk_miskin_pct")["nilai"] == 50.0
    with duckdb.connect(str(pin), read_only=True) as old:
        query = "select nilai from kpi where kode_wilayah = '62.01' and tahun = 2024 and kpi_id = 'kk_miskin_pct'"
        assert old.sql(query).fetchall() == [(25.0,)]


def test_a_staging_copy_killed_half_way_is_made_again(data_dir, first_run_of):
    """The staging copy is made under `.tmp` and renamed whole; a `.wal` left without its
    file (a real one, with a table in it) is not replayed into the copy, and a half copy's
    `.tmp.wal` goes."""
    from pipelines.warehouse.publish import staging_path

    first_run_of(A_2024)
    staging = staging_path(data_dir / "published" / "dasbor.duckdb")
    with duckdb.connect(str(staging)) as old:  # an earlier staging file, killed mid-write
        old.execute("pragma disable_checkpoint_on_shutdown")
        old.execute("create table tersisa as select 1 as x")
    assert staging.with_name(staging.name + ".wal").exists()
    staging.unlink()
    staging.with_name(staging.name + ".tmp.wal").write_bytes(b"half-written junk")
    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    result = run_pipeline(data_dir)
    assert result.success
    assert _kpi_years_written(result) == "2024"
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 10.0
    tables = published(data_dir, "select table_name from information_schema.tables")
    assert "tersisa" not in tables["table_name"].to_list()
    assert not staging.with_name(staging.name + ".tmp.wal").exists()


def test_a_snapshot_put_in_place_from_elsewhere_can_be_rebuilt_whole(data_dir, first_run_of):
    """After a restore the staging file starts empty: the rebuild writes every table, not only
    what the restored snapshot's record says changed."""
    from pipelines.warehouse.publish import start_staging_empty

    first_run_of(A_2024)
    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    start_staging_empty(data_dir / "published" / "dasbor.duckdb")
    result = run_pipeline(data_dir)
    assert _kpi_years_written(result) == "semua"
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 10.0


@pytest.mark.parametrize("leftover", [".tmp", ".tmp.wal"])
def test_stale_temporary_files_from_a_killed_publish_are_ignored(data_dir, leftover):
    (data_dir / "published").mkdir(parents=True, exist_ok=True)
    (data_dir / "published" / f"dasbor.duckdb{leftover}").write_bytes(b"half-written junk")
    drop(data_dir, "kemiskinan_desa", "a.csv", FILE_2024)
    assert run_pipeline(data_dir).success
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 25.0
    assert not (data_dir / "published" / f"dasbor.duckdb{leftover}").exists()


def _push_kk_miskin_past_100(monkeypatch) -> None:
    original = marts.compute_kpis
    monkeypatch.setattr(
        marts, "compute_kpis", lambda *a, **kw: _overflow_percentage(original(*a, **kw))
    )


def _publish_alone_fails(data_dir, expected_state: str) -> None:
    result = run_pipeline(data_dir, "dasbor_terbit")
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message + str(
        failure.step_failure_data.user_failure_data
    )
    assert expected_state in message


def test_publish_alone_refuses_kpis_that_failed_a_blocking_check(
    data_dir, monkeypatch, first_run_of
):
    first_run_of(A_2024)
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]

    _push_kk_miskin_past_100(monkeypatch)
    drop(data_dir, "kemiskinan_desa", "b.csv", CORRECTED_2024)
    assert not run_pipeline(data_dir).success  # the check fails, nothing published

    _publish_alone_fails(data_dir, "kpi_persen_dalam_rentang: gagal")
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == first
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 25.0


def test_publish_alone_refuses_kpis_no_check_has_seen(data_dir, monkeypatch, first_run_of):
    first_run_of(A_2024)
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]

    # One issue recomputed by itself, wrongly: the kpi asset and its checks never ran on it.
    _push_kk_miskin_past_100(monkeypatch)
    assert run_pipeline(data_dir, "kpi_tujuan").success

    _publish_alone_fails(data_dir, "belum dijalankan")
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == first


def test_a_check_that_cannot_judge_fails_with_those_after_it(data_dir, monkeypatch, first_run_of):
    import dagster as dg

    import pipelines.defs.checks as checks
    from pipelines.definitions import ASSETS, KPI_CHECKS

    first_run_of(A_2024)  # every check passed on these KPIs
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]
    # The range check's query loses its parameter: it raises instead of judging.
    broken = [
        replace(c, params=[]) if c.name == "kpi_persen_dalam_rentang" else c for c in checks.CHECKS
    ]
    monkeypatch.setattr(checks, "CHECKS", broken)
    checks_alone = dg.materialize(
        [*ASSETS, *KPI_CHECKS],
        selection=dg.AssetSelection.checks_for_assets("kpi"),
        resources={"dasbor": DasborResource(data_dir=str(data_dir))},
        raise_on_error=False,
    )
    assert not checks_alone.success

    # The same KPI version: the passes of the first run no longer stand for the broken check
    # and the two after it; the one before it judged and passed.
    monkeypatch.undo()
    result = run_pipeline(data_dir, "dasbor_terbit")
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message + str(
        failure.step_failure_data.user_failure_data
    )
    for name in ("kpi_persen_dalam_rentang", "kpi_kunci_unik", "kpi_provinsi_konsisten"):
        assert f"{name}: gagal" in message
    assert "kpi_lengkap" not in message
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] == first


def test_publish_alone_after_a_passing_run_republishes(data_dir, first_run_of):
    first_run_of(A_2024)
    first = published(data_dir, "select run_id from snapshot_info")["run_id"][0]
    assert run_pipeline(data_dir, "dasbor_terbit").success
    assert published(data_dir, "select run_id from snapshot_info")["run_id"][0] != first


def test_priority_weights_and_idm_thresholds_are_read_from_the_reference_dir_and_published(
    data_dir, tmp_path, monkeypatch
):
    import shutil

    from pipelines.settings import REPO_ROOT

    shipped = REPO_ROOT / "data" / "reference"
    reference = tmp_path / "reference"
    reference.mkdir()
    for name in ("wilayah_62.csv", "kode_bps_kemendagri_62.csv"):
        shutil.copy(shipped / name, reference)
    weights = (shipped / "bobot_desa_prioritas.csv").read_text()
    (reference / "bobot_desa_prioritas.csv").write_text(
        weights.replace("miskin_ekstrem,0.30,", "miskin_ekstrem,0.60,")
    )
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(reference))
    desa = "62.01.01.2001"
    # One desa with every input: 3 % extreme poor is its only need (IDM 0.9 is mandiri, an
    # active BUMDes, 100 % absorption, BLT reaching all 3 extreme-poor households).
    drop(data_dir, "kemiskinan_desa", "k.csv", KEM + f"{desa},2024,400,100,40,3\n")
    drop(data_dir, "idm", "i.csv", f"kode_desa,tahun,iks,ike,ikl\n{desa},2024,0.9,0.9,0.9\n")
    drop(data_dir, "bumdes", "b.csv", BUMDES + f"{desa},2024,Maju Jaya,ya,ya\n")
    drop(data_dir, "dana_desa", "d.csv", DANA + f"{desa},2024,1000,1000,1000,3\n")
    assert run_pipeline(data_dir).success

    row = published(data_dir, f"select * from desa_prioritas where kode_desa = '{desa}'").row(
        0, named=True
    )
    # the reference dir's weights: 0.60 x (3 / 30) over a total weight of 1.3
    assert (row["status"], row["skor"]) == ("dinilai", pytest.approx(100 * 0.06 / 1.3))
    used = published(data_dir, "select faktor, bobot, nilai_penuh from bobot_desa_prioritas")
    assert dict(zip(used["faktor"], used["bobot"], strict=True))["miskin_ekstrem"] == 0.60
    shipped_weights = len((shipped / "bobot_desa_prioritas.csv").read_text().splitlines()) - 1
    assert used.height == shipped_weights
    ambang = published(
        data_dir, "select skema, status, batas_atas from idm_ambang_status order by urutan"
    )
    assert ambang.filter(pl.col("skema") == "idm")["status"].to_list() == [
        "sangat_tertinggal", "tertinggal", "berkembang", "maju", "mandiri",
    ]  # fmt: skip


KEM = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
BUMDES = "kode_desa,tahun,nama_bumdes,status_aktif,badan_hukum\n"
DANA = "kode_desa,tahun,pagu,salur,realisasi,blt_kpm\n"


PUBLISH_UNDER_TZ = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.conftest import drop, published, run_pipeline
    data_dir = Path(sys.argv[1])
    drop(data_dir, "kemiskinan_desa", "a.csv", sys.argv[2])
    assert run_pipeline(data_dir).success
    print(published(data_dir, "select diterbitkan_pada from snapshot_info")[0, 0].isoformat())
    """
)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/New_York"])
def test_publish_time_is_stored_as_utc_whatever_the_server_zone(tmp_path, zone):
    from datetime import UTC, datetime

    env = {**os.environ, "TZ": zone, "DASBOR_DATA_DIR": str(tmp_path / "data")}
    env["DAGSTER_HOME"] = str(tmp_path)
    before = datetime.now(UTC).replace(tzinfo=None)
    out = subprocess.run(
        [sys.executable, "-c", PUBLISH_UNDER_TZ, str(tmp_path / "data"), FILE_2024],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    after = datetime.now(UTC).replace(tzinfo=None)
    stored = datetime.fromisoformat(out.stdout.strip().splitlines()[-1])
    assert before <= stored <= after
