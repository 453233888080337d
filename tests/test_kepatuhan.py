"""The reporting calendar and compliance of docs/operations.md, on hand-worked fixtures.

Files go through the real inbox path (process_file) into a real DuckDB warehouse, each with the
arrival time it is given; compliance is read with the statement the publish step runs, judged
on an injected date. Times are UTC; WIB is UTC+7.
"""

from datetime import UTC, date, datetime

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.inbox import process_file
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference, read_wilayah
from pipelines.ingest.upload import Upload
from pipelines.ingest.validation import validate
from pipelines.settings import Settings
from pipelines.transforms.jadwal import read_shipped_calendar
from pipelines.warehouse import tables
from pipelines.warehouse.db import Warehouse
from pipelines.warehouse.publish import derived, set_today
from tests.conftest import drop, published, run_pipeline

DEADLINE = date(2026, 3, 31)
# 5 April 2026, 03:00 WIB: still 4 April in UTC, so "today" must be taken in Jakarta.
RUN_AT = datetime(2026, 4, 4, 20, 0, tzinfo=UTC)

CALENDAR = pl.DataFrame(
    {
        "dataset": ["kemiskinan_kab", "dana_desa", "dana_desa", "umkm"],
        "tahun_data": [2024, 2024, 2025, 2024],
        # dana_desa 2025 is due today (5 April WIB): not yet passed
        "tenggat": [DEADLINE, DEADLINE, date(2026, 4, 5), DEADLINE],
        "keterangan": ["uji", "uji", "uji", "uji"],
    },
    schema_overrides={"tahun_data": pl.Int32},
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def warehouse(data_dir):
    s = Settings.from_env()
    reference = Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")
    with Warehouse(s.warehouse_path).connect() as con:
        tables.write(con, "wilayah", read_wilayah(s.wilayah_csv).sort("kode"))
        tables.write(con, "jadwal_pelaporan_bawaan", CALENDAR)

        def send(dataset: str, name: str, content: str, at: datetime) -> str:
            path = drop(data_dir, dataset, name, content)
            return process_file(path, DATASETS[dataset], reference, con, s, now=at).status

        yield con, send


def kab_file(*rows: tuple[str, float]) -> str:
    return "kode_wilayah,tahun,persentase_miskin\n" + "".join(
        f"{kode},2024,{p}\n" for kode, p in rows
    )


def compliance(con, at: datetime = RUN_AT) -> dict[tuple[str, int, str], dict]:
    set_today(con, at)
    rows = derived(con, "kepatuhan_pelaporan")
    return {(r["dataset"], r["tahun_data"], r["kode_kab"]): r for r in rows.iter_rows(named=True)}


def test_statuses_and_days_late_worked_by_hand(warehouse):
    con, send = warehouse
    # 62.01: 31 March 23:00 WIB, on time; replaced on 3 April by a later file: still on time
    assert send("kemiskinan_kab", "a.csv", kab_file(("62.01", 5.1)), utc(2026, 3, 31, 16)) == (
        "accepted"
    )
    assert send("kemiskinan_kab", "b.csv", kab_file(("62.01", 5.2)), utc(2026, 4, 3, 2)) == (
        "accepted"
    )
    # 62.02: 31 March 18:00 UTC is 1 April 01:00 WIB: one day late
    assert send("kemiskinan_kab", "c.csv", kab_file(("62.02", 6.0)), utc(2026, 3, 31, 18)) == (
        "accepted"
    )
    # 62.03: a file before the deadline, rejected (150 % is out of range): does not count
    assert send("kemiskinan_kab", "d.csv", kab_file(("62.03", 150)), utc(2026, 3, 20, 1)) == (
        "rejected"
    )
    # 62.04: first on 2 April 10:00 WIB (two days late), replaced on 4 April: the first counts
    assert send("kemiskinan_kab", "e.csv", kab_file(("62.04", 7.0)), utc(2026, 4, 2, 3)) == (
        "accepted"
    )
    assert send("kemiskinan_kab", "f.csv", kab_file(("62.04", 7.5)), utc(2026, 4, 4, 1)) == (
        "accepted"
    )
    rows = compliance(con)

    def judged(kode):
        r = rows[("kemiskinan_kab", 2024, kode)]
        return r["status"], r["hari_terlambat"], r["pertama_diterima"]

    assert judged("62.01") == ("tepat waktu", 0, datetime(2026, 3, 31, 16))
    assert judged("62.02") == ("terlambat", 1, datetime(2026, 3, 31, 18))
    # today is 5 April WIB: 5 days past 31 March
    assert judged("62.03") == ("belum dikirim", 5, None)
    assert judged("62.04") == ("terlambat", 2, datetime(2026, 4, 2, 3))
    # kemiskinan_kab covers the province (62) too, not sent either
    assert judged("62") == ("belum dikirim", 5, None)
    assert rows[("kemiskinan_kab", 2024, "62")]["nama_kab"] == "Kalimantan Tengah"
    # a deadline that is today has not passed
    assert {
        (r["status"], r["hari_terlambat"]) for k, r in rows.items() if k[:2] == ("dana_desa", 2025)
    } == {("belum jatuh tempo", 0)}
    # judged a day later (6 April WIB), the same slice is one day overdue
    later = compliance(con, utc(2026, 4, 5, 17))
    assert (later[("dana_desa", 2025, "62.01")]["status"]) == "belum dikirim"
    assert later[("dana_desa", 2025, "62.01")]["hari_terlambat"] == 1


def test_which_areas_each_dataset_is_due_from(warehouse):
    con, _ = warehouse
    rows = compliance(con)
    areas = {
        ds: {k[2] for k in rows if k[0] == ds and k[1] == 2024} for ds in ("dana_desa", "umkm")
    }
    kab = {f"62.{n:02d}" for n in range(1, 14)}
    # Kota Palangka Raya (62.71) has only kelurahan: nothing desa-only is due from it
    assert areas["dana_desa"] == kab
    assert areas["umkm"] == kab | {"62.71"}
    assert {k[2] for k in rows if k[0] == "kemiskinan_kab"} == kab | {"62.71", "62"}
    assert len(rows) == 14 + 13 + 13 + 15  # umkm, dana_desa 2024 and 2025, kemiskinan_kab


def test_completeness_is_the_share_of_expected_villages_present(warehouse):
    con, send = warehouse
    # Sukamara (62.08) has 29 desa and 3 kelurahan in the reference list; two desa report
    content = (
        "kode_desa,tahun,pagu,salur,realisasi\n"
        "62.08.01.2001,2024,1000,900,800\n"
        "62.08.01.2002,2024,1000,900,800\n"
    )
    assert send("dana_desa", "dd.csv", content, utc(2026, 3, 30, 2)) == "accepted"
    row = compliance(con)[("dana_desa", 2024, "62.08")]
    assert row["status"] == "tepat waktu"
    assert row["kelengkapan_pct"] == pytest.approx(100 * 2 / 29)
    assert compliance(con)[("dana_desa", 2024, "62.09")]["kelengkapan_pct"] == 0


def test_a_calendar_file_replaces_its_pairs_and_bad_rows_are_named(warehouse, data_dir):
    con, send = warehouse
    bad = (
        "dataset,tahun_data,tenggat,keterangan\n"
        "sumur_bor,2024,2026-03-31,\n"
        "dana_desa,2024,31/02/2026,\n"
        "target_kpi,2024,2026-03-31,\n"
    )
    assert send("jadwal_pelaporan", "jadwal_salah.csv", bad, utc(2026, 4, 1)) == "rejected"
    [report] = (data_dir / "rejected" / "jadwal_pelaporan").glob("*.laporan.txt")
    text = report.read_text(encoding="utf-8")
    assert 'Baris 2: kolom dataset = "sumur_bor"' in text
    assert 'Baris 3: kolom tenggat = "31/02/2026": bukan tanggal yang sah' in text
    assert 'Baris 4: kolom dataset = "target_kpi"' in text  # targets have no deadline

    good = "dataset,tahun_data,tenggat,keterangan\nDana Desa,2024,15/04/2026,SE Gubernur\n"
    assert send("jadwal_pelaporan", "jadwal.csv", good, utc(2026, 4, 1)) == "accepted"
    calendar = derived(con, "jadwal_pelaporan")
    in_force = {
        (r["dataset"], r["tahun_data"]): (r["tenggat"], r["asal"])
        for r in calendar.iter_rows(named=True)
    }
    assert in_force[("dana_desa", 2024)] == (date(2026, 4, 15), "berkas")
    assert in_force[("dana_desa", 2025)] == (date(2026, 4, 5), "bawaan")
    assert calendar.height == CALENDAR.height
    # the file's deadline now rules: nothing of dana_desa 2024 is due yet on 5 April
    rows = compliance(con)
    assert rows[("dana_desa", 2024, "62.01")]["status"] == "belum jatuh tempo"


def test_a_petugas_may_not_send_the_calendar(tmp_path):
    s = Settings.from_env()
    reference = Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")
    path = tmp_path / "jadwal.csv"
    path.write_text("dataset,tahun_data,tenggat\ndana_desa,2024,2026-03-31\n", encoding="utf-8")
    table = read_table(path, 10**6, 10**6)
    officer = Upload("budi", "petugas", "62.03")
    analyst = Upload("ani", "analis", None)
    refused = validate(table, DATASETS["jadwal_pelaporan"], reference, officer)
    assert not refused.accepted
    assert "tidak dapat dikirim oleh petugas" in refused.file_errors[0]
    assert validate(table, DATASETS["jadwal_pelaporan"], reference, analyst).accepted


def test_the_shipped_calendar_reads_and_names_a_bad_row(tmp_path):
    shipped = read_shipped_calendar(Settings.from_env().calendar_csv)
    assert shipped.height > 0
    assert set(shipped["dataset"]) <= set(DATASETS) - {"jadwal_pelaporan", "target_kpi"}
    assert shipped["keterangan"].str.contains("bukan ketentuan resmi").all()
    bad = tmp_path / "jadwal_pelaporan.csv"
    bad.write_text("dataset,tahun_data,tenggat,keterangan\nidm,2024,2026/09/30,\n")
    with pytest.raises(ValueError, match="baris 2: kolom tenggat"):
        read_shipped_calendar(bad)


def test_the_pipeline_publishes_the_calendar_and_compliance(data_dir):
    assert run_pipeline(data_dir).success
    calendar = published(data_dir, "select asal, count(*) as n from jadwal_pelaporan group by 1")
    shipped = read_shipped_calendar(Settings.from_env().calendar_csv)
    assert calendar.rows() == [("bawaan", shipped.height)]
    compliance_rows = published(
        data_dir, "select status, count(*) as n from kepatuhan_pelaporan group by 1"
    )
    # nothing was sent and every shipped deadline lies before this run's date
    assert compliance_rows["status"].to_list() == ["belum dikirim"]


def test_arrivals_are_counted_again_only_for_a_dataset_whose_files_changed(warehouse):
    """kelengkapan_irisan keeps what arrived per dataset, kabupaten and year; a dataset is
    counted again only when its files changed, and the counts are those of its rows."""
    from pipelines.warehouse.publish import ARRIVALS, count_arrivals

    con, send = warehouse
    header = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
    two = "62.01.01.2001,2024,1000,400,100,10\n62.01.01.2002,2024,900,300,30,3\n"
    assert send("kemiskinan_desa", "a.csv", header + two, utc(2026, 3, 1)) == "accepted"
    assert sorted(count_arrivals(con)) == sorted(d.name for d in ARRIVALS)  # first: all
    assert count_arrivals(con) == []  # nothing changed
    arrived = "select kode_kab, tahun, n from kelengkapan_irisan where dataset = 'kemiskinan_desa'"
    assert con.execute(arrived).fetchall() == [("62.01", 2024, 2)]

    one_more = "62.06.01.2001,2024,1000,500,50,5\n"
    assert send("kemiskinan_desa", "b.csv", header + one_more, utc(2026, 3, 2)) == "accepted"
    assert count_arrivals(con) == ["kemiskinan_desa"]
    assert sorted(con.execute(arrived).fetchall()) == [("62.01", 2024, 2), ("62.06", 2024, 1)]
    # A rejected file changes ingest_log, and so counts again; the rows stay the same.
    assert (
        send("kemiskinan_desa", "c.csv", header + "x,2024,1,1,1,1\n", utc(2026, 3, 3)) == "rejected"
    )
    assert count_arrivals(con) == ["kemiskinan_desa"]
    assert sorted(con.execute(arrived).fetchall()) == [("62.01", 2024, 2), ("62.06", 2024, 1)]


def test_the_slices_of_a_dataset_no_longer_declared_go_and_come_back(warehouse, monkeypatch):
    from pipelines.warehouse import publish

    con, send = warehouse
    header = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
    send(
        "kemiskinan_desa", "a.csv", header + "62.01.01.2001,2024,1000,400,100,10\n", utc(2026, 3, 1)
    )
    publish.count_arrivals(con)
    held = "select count(*) from kelengkapan_irisan where dataset = 'kemiskinan_desa'"
    assert con.execute(held).fetchall() == [(1,)]
    others = [d for d in publish.ARRIVALS if d.name != "kemiskinan_desa"]
    monkeypatch.setattr(publish, "ARRIVALS", others)
    publish.count_arrivals(con)
    assert con.execute(held).fetchall() == [(0,)]
    monkeypatch.undo()
    assert publish.count_arrivals(con) == ["kemiskinan_desa"]
    assert con.execute(held).fetchall() == [(1,)]


def test_a_dataset_with_rows_but_no_counted_slices_is_counted_whatever_the_record(warehouse):
    """kelengkapan_irisan made again empty (dropped by hand, a migration): the record still
    matches the files, but the rows are counted again, not left out of completeness."""
    from pipelines.warehouse.publish import count_arrivals

    con, send = warehouse
    header = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
    send(
        "kemiskinan_desa", "a.csv", header + "62.01.01.2001,2024,1000,400,100,10\n", utc(2026, 3, 1)
    )
    count_arrivals(con)
    con.execute("delete from kelengkapan_irisan")
    assert count_arrivals(con) == ["kemiskinan_desa"]  # the only dataset with rows
    held = "select count(*) from kelengkapan_irisan where dataset = 'kemiskinan_desa'"
    assert con.execute(held).fetchall() == [(1,)]
