"""The warehouse's own tables: every connection makes sure they are there, and an older
warehouse gains what a newer declaration added, its rows kept."""

import duckdb
import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.warehouse.db import Warehouse, registered


def columns(path, table: str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select column_name from duckdb_columns() where table_name = ? order by column_index",
            [table],
        ).fetchall()
    return [r[0] for r in rows]


def test_a_new_warehouse_gets_every_table_with_every_declared_column(tmp_path):
    path = tmp_path / "dasbor.duckdb"
    with Warehouse(path).connect():
        pass
    for dataset in DATASETS.values():
        assert set(columns(path, dataset.name)) >= {c.name for c in dataset.all_columns}
    for table in ("ingest_log", "kpi_versi", "kpi_pemeriksaan", "irisan_diterima",
                  "jadwal_pelaporan_bawaan", "notifikasi_log"):  # fmt: skip
        assert columns(path, table), table
    assert "pengunggah" in columns(path, "ingest_log")


def test_an_older_warehouse_gains_the_missing_columns_and_tables_and_keeps_its_rows(tmp_path):
    path = tmp_path / "dasbor.duckdb"
    with Warehouse(path).connect():
        pass
    with duckdb.connect(str(path)) as con:
        # As before uploads through the dashboard, and before a column of umkm was declared.
        con.execute("alter table ingest_log drop column pengunggah")
        con.execute("alter table umkm drop column nib")
        con.execute("drop table notifikasi_log")
        con.execute(
            "insert into ingest_log (file_name, dataset, sha256, received_at, status) "
            "values ('a.csv', 'umkm', 'abc', timestamp '2026-01-02 03:04:05', 'accepted')"
        )
    assert "pengunggah" not in columns(path, "ingest_log")

    with Warehouse(path).connect() as con:
        kept = con.execute("select file_name, status, pengunggah from ingest_log").fetchall()
    assert kept == [("a.csv", "accepted", None)]
    assert "pengunggah" in columns(path, "ingest_log")
    assert "nib" in columns(path, "umkm")
    assert columns(path, "notifikasi_log")


@pytest.mark.parametrize(("height", "chunks"), [(0, 1), (1, 1), (2, 1), (10, 1), (10, 2), (10, 5)])
def test_a_registered_frame_reads_every_row_once_however_it_is_cut(height, chunks, monkeypatch):
    """A frame of fewer chunks than DuckDB's threads (3 here) is cut into one batch per thread
    (batches of one row group at least: one row here), one of more chunks is registered as its
    chunks: either way every row is read once, with its values, whatever the height; an empty
    frame still has its columns."""
    from pipelines.warehouse import db

    monkeypatch.setattr(db, "ROW_GROUP_ROWS", 1)
    whole = pl.DataFrame(
        {"n": range(height), "teks": [f"baris {i}" for i in range(height)]},
        schema={"n": pl.Int64, "teks": pl.String},
    )
    size = -(-height // chunks)
    frame = pl.concat([whole.slice(i * size, size) for i in range(chunks)], rechunk=False)
    assert frame.n_chunks() == chunks
    with duckdb.connect() as con:
        con.execute("set threads = 3")
        with registered(con, "bingkai", frame):
            rows = con.execute("select n, teks from bingkai order by n").fetchall()
            columns = [name for name, *_ in con.execute("describe bingkai").fetchall()]
    assert rows == [(i, f"baris {i}") for i in range(height)]
    assert columns == ["n", "teks"]


class RegisteringConnection:
    """What `registered` asks of a connection: DuckDB's threads, and the table it registers."""

    def __init__(self, threads: int):
        self.threads, self.registered = threads, {}

    def execute(self, statement):
        return self

    def fetchall(self):
        return [(self.threads,)]

    def register(self, name, table):
        self.registered[name] = table

    def unregister(self, name):
        pass


@pytest.mark.parametrize(
    ("row_group", "chunks", "batches"),
    [(1, 1, [4, 4, 2]), (5, 1, [5, 5]), (10, 1, [10]), (1, 4, [3, 3, 3, 1])],
)
def test_a_large_frame_of_one_chunk_is_cut_into_a_batch_per_thread(
    row_group, chunks, batches, monkeypatch
):
    """10 rows, 3 threads: one batch per thread when a row group is one row; batches of a row
    group when that is more than a third; whole when the frame is no larger than a row group;
    a frame of more chunks than threads is registered as its chunks."""
    from pipelines.warehouse import db

    monkeypatch.setattr(db, "ROW_GROUP_ROWS", row_group)
    size = -(-10 // chunks)
    whole = pl.DataFrame({"n": range(10)})
    frame = pl.concat([whole.slice(i * size, size) for i in range(chunks)], rechunk=False)
    con = RegisteringConnection(threads=3)
    with registered(con, "bingkai", frame):
        table = con.registered["bingkai"]
    assert [batch.num_rows for batch in table.to_batches()] == batches
    assert table.column("n").to_pylist() == list(range(10))
