"""The dashboard tests' hand-built snapshot (tests/snapshot_fixture.py) keeps to the real one.

The dashboard tests assert values worked out by hand on a small, hand-built snapshot (nine
villages, square boundaries). That snapshot must not drift from what the pipeline publishes:
every table and column it has must exist in the snapshot of a real pipeline run, with a
compatible type. (The real one may have more: the dashboard must not need them.)
"""

import os
from pathlib import Path

import duckdb
import pytest

from tests import snapshot_fixture as sf
from tests.conftest import run_pipeline
from tests.small_inbox import write_small_inbox

# DuckDB types that read the same in pandas (an integer is an integer, whatever its width)
_FAMILIES = {
    "TINYINT": "integer", "SMALLINT": "integer", "INTEGER": "integer", "BIGINT": "integer",
    "UTINYINT": "integer", "USMALLINT": "integer", "UINTEGER": "integer", "UBIGINT": "integer",
    "HUGEINT": "integer",
}  # fmt: skip


def _family(duckdb_type: str) -> str:
    return _FAMILIES.get(duckdb_type, duckdb_type)


def _schema(path: Path) -> dict[str, dict[str, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    return schema


@pytest.fixture(scope="session")
def real_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The schema of a snapshot published by a real pipeline run over a small inbox."""
    root = tmp_path_factory.mktemp("echt")
    data_dir = root / "data"
    home = root / "dagster_home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASBOR_DATA_DIR", str(data_dir))
        mp.setenv("DAGSTER_HOME", str(home))
        mp.delenv("DASBOR_REFERENCE_DIR", raising=False)
        mp.delenv("DASBOR_PROVINSI", raising=False)
        os.environ.pop("DAGSTER_CLI_API_GRPC_HOST", None)
        write_small_inbox(data_dir)
        assert run_pipeline(data_dir).success
    return _schema(data_dir / "published" / "dasbor.duckdb")


def test_every_fixture_table_and_column_is_in_the_real_snapshot(real_schema, tmp_path):
    fixture = _schema(sf.build_snapshot(tmp_path / "data"))
    missing_tables = sorted(set(fixture) - set(real_schema))
    assert not missing_tables, f"tables the pipeline does not publish: {missing_tables}"
    problems = []
    for table, columns in sorted(fixture.items()):
        for column, data_type in columns.items():
            real = real_schema[table].get(column)
            if real is None:
                problems.append(f"{table}.{column}: not published")
            elif _family(real) != _family(data_type):
                problems.append(f"{table}.{column}: {data_type} here, {real} in the real snapshot")
    assert not problems, "\n".join(problems)


def test_the_fixture_has_every_table_the_dashboard_reads(real_schema, tmp_path):
    """The catalogue tables the dashboard reads are in the fixture too (built from the same
    declarations), so the dashboard tests exercise them."""
    fixture = _schema(sf.build_snapshot(tmp_path / "data"))
    for table in (
        "dataset_definisi", "status_desa", "isu_definisi", "kpi_definisi", "idm_ambang_status",
        "bobot_desa_prioritas", "kelengkapan_data", "sumber_data", "snapshot_info",
        "jadwal_pelaporan", "kepatuhan_pelaporan", "notifikasi_log", "dimensi_indeks_desa",
        "faktor_desa_prioritas", "kpi_laporan",
    ):  # fmt: skip
        assert table in fixture, table
        assert table in real_schema, table


def test_notifikasi_log_is_published_with_exactly_the_specs_columns(real_schema, tmp_path):
    """Always there (empty on a run that sent nothing), with the columns docs/operations.md names
    and no address: the admin page reads it by these names."""
    columns = [
        "dibuat_pada", "jenis", "penerima", "kode_kab", "rincian", "status", "alasan",
    ]  # fmt: skip
    assert list(real_schema["notifikasi_log"]) == columns
    assert list(_schema(sf.build_snapshot(tmp_path / "data"))["notifikasi_log"]) == columns
