"""The warehouse's memory budget (issue 26), and the ordered snapshot table built year by year."""

import random

import duckdb
import pytest

from pipelines.settings import DEFAULT_DUCKDB_MEMORY_LIMIT
from pipelines.warehouse.db import Warehouse
from pipelines.warehouse.kpi_guard import new_kpi_version
from pipelines.warehouse.publish import staging_path, sync_staging


def duckdb_reports(limit: str) -> str:
    """How DuckDB itself shows a memory limit given as `limit` (e.g. '2GB' as '1.8 GiB')."""
    with duckdb.connect(config={"memory_limit": limit}) as con:
        return con.execute("select current_setting('memory_limit')").fetchall()[0][0]


def test_warehouse_memory_limit_comes_from_the_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("DASBOR_DUCKDB_MEMORY_LIMIT", raising=False)
    with Warehouse(tmp_path / "a.duckdb").connect() as con:
        default = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    assert default == duckdb_reports(DEFAULT_DUCKDB_MEMORY_LIMIT) == duckdb_reports("2GB")
    monkeypatch.setenv("DASBOR_DUCKDB_MEMORY_LIMIT", "700MB")
    with Warehouse(tmp_path / "b.duckdb").connect() as con:
        chosen = con.execute(
            "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
        ).fetchall()[0]
    assert chosen == (duckdb_reports("700MB"), False)


KEY = "tahun, tingkat, kode_wilayah, kpi_id"


def stored_order(path):
    """The staging kpi table's rows as stored (a plain scan keeps storage order)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select tahun, tingkat, kode_wilayah, kpi_id, nilai from kpi").fetchall()


# Catalogue ids out of text order, and one that is a prefix of another: the sort of the
# statement (by ENUMs of the values) must still give the text order.
KPI_IDS = ("umkm_per_1000", "id_rata", "idm_rata", "id_ekonomi_rata")


def kpi_warehouse(con, rows):
    con.execute(
        "create table kpi (tingkat varchar, kode_wilayah varchar, tahun integer, "
        "kpi_id varchar, nilai double)"
    )
    con.executemany("insert into kpi values (?, ?, ?, ?, ?)", rows)


def test_ordered_kpi_table_is_written_in_key_order_year_by_year(tmp_path):
    rows = [
        (tingkat, f"{tingkat[:3]}.{code:03d}", tahun, kpi_id, float(code * tahun % 97))
        for tahun in (2021, 2022, 2023)
        for tingkat in ("provinsi", "desa", "kecamatan", "kabupaten")
        for code in range(40)
        for kpi_id in KPI_IDS
    ]
    random.Random(26).shuffle(rows)
    published = tmp_path / "published" / "dasbor.duckdb"
    with Warehouse(tmp_path / "w.duckdb").connect() as con:
        kpi_warehouse(con, rows)
        new_kpi_version(con)
        assert sync_staging(con, published, ["kpi"]) == {"kpi": "semua"}
        expected = con.execute(
            f"select tahun, tingkat, kode_wilayah, kpi_id, nilai from kpi order by {KEY}"
        ).fetchall()
    assert stored_order(staging_path(published)) == expected

    # A middle year changes and a new year arrives: 2022 and every later year are rewritten,
    # and the table reads exactly as a full rebuild would write it.
    with Warehouse(tmp_path / "w.duckdb").connect() as con:
        con.execute("update kpi set nilai = nilai + 1 where tahun = 2022 and kpi_id = 'id_rata'")
        con.execute("insert into kpi select tingkat, kode_wilayah, 2024, kpi_id, 1 from kpi "
                    "where tahun = 2021")  # fmt: skip
        new_kpi_version(con)
        assert sync_staging(con, published, ["kpi"]) == {"kpi": "2022, 2024"}
        expected = con.execute(
            f"select tahun, tingkat, kode_wilayah, kpi_id, nilai from kpi order by {KEY}"
        ).fetchall()
    assert len(expected) == 4 * 4 * 40 * len(KPI_IDS)
    assert stored_order(staging_path(published)) == expected


def test_a_kpi_id_the_catalogue_does_not_declare_stops_the_ordered_write(tmp_path):
    """The sort knows the catalogue's ids: an unknown one fails loudly rather than landing
    somewhere in the table, and the staging table keeps what it had."""
    published = tmp_path / "published" / "dasbor.duckdb"
    with Warehouse(tmp_path / "w.duckdb").connect() as con:
        kpi_warehouse(con, [("provinsi", "62", 2023, "idm_rata", 1.0)])
        new_kpi_version(con)
        sync_staging(con, published, ["kpi"])
        con.execute("insert into kpi values ('provinsi', '62', 2024, 'kpi_tak_dikenal', 2.0)")
        new_kpi_version(con)
        with pytest.raises(duckdb.ConversionException, match="kpi_tak_dikenal"):
            sync_staging(con, published, ["kpi"])
    assert stored_order(staging_path(published)) == [(2023, "provinsi", "62", "idm_rata", 1.0)]
