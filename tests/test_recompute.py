"""Recomputation, one way (pipelines.warehouse.recompute), on small hand-made tables: which years
are stale, that only those are computed, and that output and bookkeeping commit together."""

import duckdb
import polars as pl
import pytest

from pipelines.warehouse import recompute, sidik, tables

# Poor households per village and year: the input. The output doubles them (a stand-in mart).
ROWS = [("62.01.01.2001", 2023, 10), ("62.01.01.2002", 2023, 20), ("62.01.01.2001", 2024, 30)]


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(
        "create table kemiskinan_desa (kode_desa varchar, tahun integer, kk_miskin integer)"
    )
    connection.executemany("insert into kemiskinan_desa values (?, ?, ?)", ROWS)
    yield connection
    connection.close()


class Mart:
    """basis_desa = kemiskinan_desa with kk_miskin doubled; remembers what it was asked."""

    def __init__(self, code: str = "v1", fail: bool = False) -> None:
        self.inputs = recompute.Inputs(by_year={"kemiskinan_desa": None}, code=(code,))
        self.fail = fail
        self.asked: list[list[int | None]] = []

    def run(self, con, **options) -> recompute.Plan:
        def write(plan: recompute.Plan) -> int:
            self.asked.append(list(plan.years))
            frame = (
                tables.read(con, "kemiskinan_desa", years=plan.years)
                .with_columns(kk_miskin=2 * pl.col("kk_miskin"))
                .collect()
            )
            recompute.write_frames(con, plan, {"basis_desa": frame})
            if self.fail:
                raise RuntimeError("gagal di tengah perhitungan")
            return frame.height

        plan, _ = recompute.bring_up_to_date(con, "basis_desa", self.inputs, write, **options)
        return plan


def output(con) -> list[tuple]:
    return con.execute(
        "select kode_desa, tahun, kk_miskin from basis_desa order by 2, 1"
    ).fetchall()


def test_first_run_computes_every_year(con):
    mart = Mart()
    plan = mart.run(con)
    assert (plan.full, plan.years, plan.gone) == (True, [2023, 2024], [])
    assert mart.asked == [[2023, 2024]]
    assert output(con) == [
        ("62.01.01.2001", 2023, 20),
        ("62.01.01.2002", 2023, 40),
        ("62.01.01.2001", 2024, 60),
    ]
    assert recompute.said("basis_desa", plan) == "basis_desa: semua tahun dihitung ulang"
    recorded = recompute.stored(con, "basis_desa")
    assert set(recorded) == {"*", "2023", "2024"}
    # One input table: a year's fingerprint is its row count and summed row hashes, combined.
    row_hash = con.execute(
        "select hash(t)::hugeint from kemiskinan_desa as t where tahun = 2024"
    ).fetchone()[0]
    assert recorded["2024"] == sidik.combine(f"1:{row_hash}")


def test_an_unchanged_rerun_computes_nothing(con):
    mart = Mart()
    mart.run(con)
    before = recompute.stored(con, "basis_desa")
    plan = mart.run(con)
    assert plan.nothing
    assert mart.asked == [[2023, 2024]]  # the first run only
    assert recompute.said("basis_desa", plan) == (
        "basis_desa: tidak ada masukan yang berubah; tidak dihitung ulang"
    )
    assert recompute.stored(con, "basis_desa") == before


def test_one_changed_input_year_recomputes_exactly_that_year(con):
    mart = Mart()
    mart.run(con)
    con.execute("update kemiskinan_desa set kk_miskin = 35 where tahun = 2024")
    plan = mart.run(con)
    assert (plan.full, plan.years, plan.gone) == (False, [2024], [])
    assert mart.asked[-1] == [2024]
    assert recompute.said("basis_desa", plan) == "basis_desa: [2024] dihitung ulang"
    assert output(con) == [
        ("62.01.01.2001", 2023, 20),
        ("62.01.01.2002", 2023, 40),
        ("62.01.01.2001", 2024, 70),
    ]
    assert mart.run(con).nothing  # recorded with the output


def test_reading_the_year_before_makes_a_changed_year_and_the_next_stale(con):
    con.execute("insert into kemiskinan_desa values ('62.01.01.2001', 2025, 40)")
    inputs = recompute.Inputs(by_year={"kemiskinan_desa": None}, reads_year_before=True)
    before = inputs(con)
    con.execute("update kemiskinan_desa set kk_miskin = 35 where tahun = 2024")
    plan = recompute.decide({"*": before.whole, **{str(y): f for y, f in before.years.items()}},
                            inputs(con))  # fmt: skip
    assert (plan.full, plan.years) == (False, [2024, 2025])
    # Without it, the year alone.
    alone = recompute.Inputs(by_year={"kemiskinan_desa": None})
    con.execute("update kemiskinan_desa set kk_miskin = 36 where tahun = 2024")
    now = alone(con)
    con.execute("update kemiskinan_desa set kk_miskin = 37 where tahun = 2024")
    plan = recompute.decide({"*": now.whole, **{str(y): f for y, f in now.years.items()}},
                            alone(con))  # fmt: skip
    assert plan.years == [2024]


def test_a_year_no_input_holds_any_more_is_deleted(con):
    mart = Mart()
    mart.run(con)
    con.execute("delete from kemiskinan_desa where tahun = 2023")
    plan = mart.run(con)
    assert (plan.full, plan.years, plan.gone) == (False, [], [2023])
    assert output(con) == [("62.01.01.2001", 2024, 60)]
    assert set(recompute.stored(con, "basis_desa")) == {"*", "2024"}


def test_a_code_fingerprint_change_recomputes_every_year(con):
    Mart("v1").run(con)
    changed = Mart("v2")
    plan = changed.run(con)
    assert plan.full
    assert changed.asked == [[2023, 2024]]
    assert changed.run(con).nothing


def test_penuh_recomputes_every_year_and_tahun_only_that_one(con):
    mart = Mart()
    mart.run(con)
    assert mart.run(con, penuh=True).full
    con.execute("update kemiskinan_desa set kk_miskin = 35 where tahun = 2024")
    con.execute(
        "update kemiskinan_desa set kk_miskin = 11 where kode_desa = '62.01.01.2001' and tahun = 2023"
    )
    plan = mart.run(con, tahun=2023)
    assert (plan.full, plan.years) == (False, [2023])
    assert output(con) == [
        ("62.01.01.2001", 2023, 22),
        ("62.01.01.2002", 2023, 40),
        ("62.01.01.2001", 2024, 60),  # 2024 moved too, but was not asked for
    ]
    # 2024 kept what it was computed from: the next run still sees it moved.
    assert mart.run(con).years == [2024]
    assert output(con)[-1] == ("62.01.01.2001", 2024, 70)


def test_a_missing_output_table_is_a_first_run(con):
    mart = Mart()
    mart.run(con)
    con.execute("drop table basis_desa")
    assert mart.run(con).full
    assert len(output(con)) == 3


def test_a_failure_inside_compute_leaves_output_and_bookkeeping_as_before(con):
    failing = Mart(fail=True)
    with pytest.raises(RuntimeError, match="gagal"):
        failing.run(con)  # the first run: nothing is left behind
    assert not tables.exists(con, "basis_desa")
    assert recompute.stored(con, "basis_desa") == {}

    Mart().run(con)
    rows, recorded = output(con), recompute.stored(con, "basis_desa")
    con.execute("update kemiskinan_desa set kk_miskin = 99 where tahun = 2023")
    with pytest.raises(RuntimeError, match="gagal"):
        failing.run(con)  # 2023 deleted and rewritten, then the failure: all rolled back
    assert failing.asked[-1] == [2023]
    assert output(con) == rows
    assert recompute.stored(con, "basis_desa") == recorded
    assert Mart().run(con).years == [2023]  # still stale, as nothing was recorded
    assert output(con)[:2] == [("62.01.01.2001", 2023, 198), ("62.01.01.2002", 2023, 198)]


class BatchedMart(Mart):
    """The same mart written a year at a time (pipelines/defs/marts.py's KPI assets), failing,
    when asked, after its first batch is written."""

    def run(self, con, **options) -> recompute.Plan:
        def batches(plan: recompute.Plan):
            for number, years in enumerate(recompute.year_batches(plan.years, 1)):
                if self.fail and number == 1:
                    raise RuntimeError("gagal di tengah perhitungan")
                self.asked.append(list(years))
                yield (
                    tables.read(con, "kemiskinan_desa", years=years)
                    .with_columns(kk_miskin=2 * pl.col("kk_miskin"))
                    .collect()
                )

        def write(plan: recompute.Plan) -> None:
            recompute.write_batches(con, plan, ({"basis_desa": frame} for frame in batches(plan)))

        plan, _ = recompute.bring_up_to_date(con, "basis_desa", self.inputs, write, **options)
        return plan


def test_year_batches_split_the_years_in_order_and_leave_one_empty_batch_for_no_year():
    years = [2020, 2021, 2022, 2023, 2024]
    assert recompute.year_batches(years, 2) == [[2020, 2021], [2022, 2023], [2024]]
    assert recompute.year_batches(years, 10) == [[2020, 2021, 2022, 2023, 2024]]
    assert recompute.year_batches([], 2) == [[]]


def test_written_in_batches_the_output_is_the_same_as_in_one(con):
    batched = BatchedMart()
    assert batched.run(con).full
    assert batched.asked == [[2023], [2024]]
    batched_rows = output(con)
    con.execute("drop table basis_desa")
    Mart().run(con)
    assert output(con) == batched_rows

    # A rerun in batches: the changed year replaced, a year no input holds deleted.
    con.execute("update kemiskinan_desa set kk_miskin = 35 where tahun = 2024")
    con.execute("delete from kemiskinan_desa where tahun = 2023")
    plan = batched.run(con)
    assert (plan.full, plan.years, plan.gone) == (False, [2024], [2023])
    assert output(con) == [("62.01.01.2001", 2024, 70)]


def test_a_full_run_over_no_year_still_writes_its_empty_table(con):
    con.execute("delete from kemiskinan_desa")
    BatchedMart().run(con)
    assert tables.exists(con, "basis_desa")
    assert output(con) == []


def test_a_failure_after_the_first_batch_leaves_output_and_bookkeeping_as_before(con):
    with pytest.raises(RuntimeError, match="gagal"):
        BatchedMart(fail=True).run(con)  # 2023 written, then the failure
    assert not tables.exists(con, "basis_desa")
    assert recompute.stored(con, "basis_desa") == {}

    Mart().run(con)
    rows, recorded = output(con), recompute.stored(con, "basis_desa")
    with pytest.raises(RuntimeError, match="gagal"):
        BatchedMart(fail=True).run(con, penuh=True)
    assert output(con) == rows
    assert recompute.stored(con, "basis_desa") == recorded


def test_an_unchanged_stamp_spares_the_fingerprints_and_a_new_one_is_recorded(con):
    fingerprinted = []

    def inputs(c):
        fingerprinted.append(1)
        return recompute.Fingerprints(
            sidik.combine("v1"), sidik.year_fingerprints(c, "kemiskinan_desa")
        )

    def write(plan):
        frame = tables.read(con, "kemiskinan_desa", years=plan.years).collect()
        recompute.write_frames(con, plan, {"basis_desa": frame})

    def run(stamp):
        return recompute.bring_up_to_date(con, "basis_desa", inputs, write, stamp=stamp)[0]

    assert run("a").full
    assert run("a").nothing
    assert len(fingerprinted) == 1  # not even fingerprinted
    assert run("b").nothing
    assert len(fingerprinted) == 2  # fingerprinted: nothing moved
    assert recompute.stored(con, "basis_desa")[recompute.STAMP] == "b"


def test_a_ledger_written_before_this_module_reads_as_it_is(con):
    """The warehouse's sidik_masukan as the earlier code created and filled it: no recompute."""
    con.execute(
        "create table sidik_masukan "
        "(konsumen varchar not null, kunci varchar not null, sidik varchar not null)"
    )
    per_year = sidik.merge_years(sidik.year_fingerprints(con, "kemiskinan_desa"))
    con.executemany(
        "insert into sidik_masukan values (?, ?, ?)",
        [
            ("basis_desa", "*", sidik.combine("v1")),
            *(("basis_desa", str(y), s) for y, s in per_year.items()),
        ],
    )
    con.execute("create table basis_desa as select * from kemiskinan_desa")
    mart = Mart()
    assert mart.run(con).nothing
    assert mart.asked == []


def test_rows_without_a_year_are_a_year_of_their_own():
    """The snapshot's tables may hold rows without a year: keyed 'null', listed last."""
    previous = {"*": "w", "2023": "a", "null": "n"}
    now = recompute.Fingerprints("w", {2024: "b", 2023: "a"})
    plan = recompute.decide(previous, now)
    assert (plan.full, plan.years, plan.gone, plan.held) == (False, [2024], [None], [2023, 2024])
    plan = recompute.decide({"*": "w"}, recompute.Fingerprints("w", {None: "n", 2022: "c"}))
    assert plan.years == [2022, None]
