"""Recomputation, one way: bring the stale years of a table up to date from its inputs.

Every step that derives a table from others (`basis_desa`, the `kpi_*` marts, each table of the
next snapshot) does the same: it fingerprints its inputs per year and as a whole
(pipelines.warehouse.sidik), compares them with what it recorded the last time, computes only
the stale years, and records the new fingerprints in the same transaction as its output, so the
output and what it was computed from never disagree. Stale are:

- every year on the first run (nothing recorded, or the table missing), when the whole
  fingerprint moved (the reference list, the thresholds, the code), or with `penuh`;
- otherwise the years whose fingerprints moved, and the years recorded before that the inputs
  no longer hold (their rows go);
- with `tahun`, that one year whatever moved; the other years keep what was recorded for them.

The bookkeeping is a ledger of rows (table, key, fingerprint), the key being `*` for the whole,
a year, `null` for the rows without one, or `#versi` for a stamp that, when it has not changed,
spares fingerprinting at all. The warehouse keeps its ledger in `sidik_masukan`, the next
snapshot in `_sidik_terbit`: the same rows, so a warehouse or a staging file from before this
module reads as it is.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import duckdb
import polars as pl

from pipelines.warehouse import sidik
from pipelines.warehouse.db import Sql, registered, render, sql, transaction

ALL = "*"  # the key of the whole fingerprint
STAMP = "#versi"  # the key of the stamp
NO_YEAR = "null"  # the key of the rows without a year

Year = int | None
T = TypeVar("T")


@dataclass(frozen=True)
class Ledger:
    """Where a database records what its tables were computed from."""

    table: str
    owner: str  # the column naming the table a row is about
    exists_statement: str  # whether a table is there (sql/<name>.sql, its name bound)
    in_snapshot: bool = False  # in the attached snapshot (`snap`), not the warehouse

    def ref(self) -> str | Sql:
        return render("sidik/in_snapshot", table=self.table) if self.in_snapshot else self.table


WAREHOUSE = Ledger("sidik_masukan", "konsumen", "warehouse/table_exists")
SNAPSHOT = Ledger("_sidik_terbit", "tabel", "snapshot/table_exists", in_snapshot=True)


@dataclass(frozen=True)
class Fingerprints:
    whole: str  # the global inputs: when it moves, every year is stale
    years: dict[Year, str]  # each year's inputs


@dataclass(frozen=True)
class Inputs:
    """What a warehouse table is computed from: `by_year` tables (or some of their columns),
    fingerprinted year by year; `whole` tables and the `code` fingerprints (of the code, and
    of any other global input that is no warehouse table, such as a weights file), which make
    every year stale when they move; and, with `years`, only those years (a year no input
    holds fingerprints as '-')."""

    by_year: Mapping[str, list[str] | None]
    whole: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    years: list[int] | None = None
    # A year's rows also read the year before (a change from last year): a year is stale when
    # its own inputs or those of the year before moved.
    reads_year_before: bool = False

    def __call__(self, con: duckdb.DuckDBPyConnection) -> Fingerprints:
        per_year = sidik.merge_years(
            *(sidik.year_fingerprints(con, t, columns) for t, columns in self.by_year.items())
        )
        if self.reads_year_before:
            per_year = {
                y: sidik.combine(f, per_year.get(y - 1, "-") if y is not None else "-")
                for y, f in per_year.items()
            }
        if self.years is not None:
            per_year = {y: per_year.get(y, "-") for y in self.years}
        return Fingerprints(self.whole_fingerprint(con), dict(per_year))

    def whole_fingerprint(self, con: duckdb.DuckDBPyConnection) -> str:
        """The global inputs' fingerprint alone, for a caller that holds the years' already."""
        return sidik.combine(*(sidik.table_fingerprint(con, t) for t in self.whole), *self.code)


@dataclass(frozen=True)
class Plan:
    full: bool  # every year, the table written whole
    years: list[Year]  # the years to compute: every year when full
    gone: list[Year]  # years recorded before that the inputs no longer hold
    held: list[Year] = field(default_factory=list)  # every year the inputs hold now

    @property
    def nothing(self) -> bool:
        return not (self.full or self.years or self.gone)

    @property
    def rewritten(self) -> list[Year]:
        """The years whose rows are replaced (or deleted, when gone) on a run that is not full."""
        return [*self.years, *self.gone]


def year_key(tahun: Year) -> str:
    return NO_YEAR if tahun is None else str(tahun)


def _year(key: str) -> Year:
    return None if key == NO_YEAR else int(key)


def _in_order(years) -> list[Year]:
    return sorted(years, key=lambda y: (y is None, y))


def decide(
    previous: dict[str, str],
    now: Fingerprints,
    exists: bool = True,
    penuh: bool = False,
    tahun: int | None = None,
) -> Plan:
    """What is stale, against what was recorded (`previous`)."""
    held = _in_order(now.years)
    keys = {year_key(y) for y in held}
    gone = _in_order(_year(k) for k in previous if k not in (ALL, STAMP) and k not in keys)
    if not exists or penuh or previous.get(ALL) != now.whole:
        return Plan(True, held, gone, held)
    if tahun is not None:
        return Plan(False, [tahun], [], held)
    changed = [y for y in held if previous.get(year_key(y)) != now.years[y]]
    return Plan(False, changed, gone, held)


def _recorded(
    previous: dict[str, str], now: Fingerprints, plan: Plan, tahun: int | None, stamp: str | None
) -> dict[str, str]:
    if tahun is not None and not plan.full:
        # One year recomputed: the others were computed from what was recorded for them.
        kept = {k: v for k, v in previous.items() if k not in (ALL, STAMP)}
        years = {**kept, year_key(tahun): now.years.get(tahun, "-")}
    else:
        years = {year_key(y): s for y, s in now.years.items()}
    recorded = {ALL: now.whole, **years}
    if stamp is not None:
        recorded[STAMP] = stamp
    return recorded


def bring_up_to_date(
    con: duckdb.DuckDBPyConnection,
    table: str,
    inputs: Callable[[duckdb.DuckDBPyConnection], Fingerprints],
    write: Callable[[Plan], T],
    *,
    ledger: Ledger = WAREHOUSE,
    penuh: bool = False,
    tahun: int | None = None,
    stamp: str | None = None,
) -> tuple[Plan, T | None]:
    """Bring the stale years of `table` up to date from `inputs`.

    `write(plan)` computes and writes the plan's years (every year when `plan.full`; and
    deletes the rows of `plan.gone`), inside one transaction with the new fingerprints: if it
    fails, the table and its bookkeeping stay as they were. It is not called when nothing is
    stale. `stamp`, when recorded unchanged and the table is there, means nothing changed,
    without fingerprinting. Returns the plan and what `write` returned (None if not called)."""
    previous = stored(con, table, ledger)
    exists = bool(con.execute(sql(ledger.exists_statement), [table]).fetchall()[0][0])
    if stamp is not None and exists and previous.get(STAMP) == stamp:
        return Plan(False, [], []), None
    now = inputs(con)
    plan = decide(previous, now, exists, penuh, tahun)
    recorded = _recorded(previous, now, plan, tahun, stamp)
    if plan.nothing and recorded == previous:
        return plan, None
    with transaction(con):
        output = None if plan.nothing else write(plan)
        _store(con, table, recorded, ledger)
    return plan, output


def refresh_stamped(
    con: duckdb.DuckDBPyConnection,
    name: str,
    stamp: str,
    write: Callable[[], None],
    ledger: Ledger = WAREHOUSE,
) -> bool:
    """Rewrite `name` (a table, or a part of one) whenever `stamp` moved: for outputs computed
    from inputs whose writers record them (see `bring_up_to_date`'s stamp), with no years to
    tell apart. `write` runs in one transaction with the new stamp. True when it ran."""
    if stored(con, name, ledger).get(STAMP) == stamp:
        return False
    with transaction(con):
        write()
        _store(con, name, {STAMP: stamp}, ledger)
    return True


def forget(con: duckdb.DuckDBPyConnection, name: str, ledger: Ledger = WAREHOUSE) -> None:
    """Drop what `name` was computed from: it is computed again when next asked for."""
    ensure(con, ledger)
    con.execute(render("sidik/forget", ledger=ledger.ref(), owner=ledger.owner), [name])


def write_frames(
    con: duckdb.DuckDBPyConnection, plan: Plan, frames: Mapping[str, pl.DataFrame]
) -> None:
    """Write computed frames as `plan` says, inside `bring_up_to_date`'s transaction: each
    table whole on a full run, otherwise its rows of the plan's years (those of gone years are
    deleted)."""
    write_batches(con, plan, [frames])


def write_batches(
    con: duckdb.DuckDBPyConnection, plan: Plan, batches: Iterable[Mapping[str, pl.DataFrame]]
) -> None:
    """`write_frames` with the frames coming in batches (a year or a few at a time), so that
    only one batch is held: on a full run a table's first batch replaces it and the others are
    appended; otherwise the plan's years are deleted before its first batch. `batches` yields
    at least one batch (an empty frame still gives a full run its table)."""
    started: set[str] = set()
    for frames in batches:
        for table, frame in frames.items():
            first = table not in started
            started.add(table)
            if first and not plan.full:
                for tahun in plan.rewritten:
                    con.execute(render("warehouse/delete_year", table=table), [tahun])
            with registered(con, "_frame", frame):
                if first and plan.full:
                    con.execute(render("warehouse/write_table", table=table))
                else:
                    con.execute(render("warehouse/append_frame", table=table))


def year_batches(years: list[Year], size: int) -> list[list[Year]]:
    """`years` in batches of `size`, in order; one empty batch when there is none (a full run
    over no data still writes its empty table)."""
    return [years[i : i + size] for i in range(0, len(years), size)] or [[]]


def said(table: str, plan: Plan) -> str:
    """The log line of a recomputation (benchmarks/bench_e2e.py reads these texts)."""
    if plan.nothing:
        return f"{table}: tidak ada masukan yang berubah; tidak dihitung ulang"
    return f"{table}: {'semua tahun' if plan.full else plan.years} dihitung ulang"


def recorded_inputs(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> Fingerprints | None:
    """What `tables`, written through this module, were computed from, as their ledgers
    recorded it, combined per year: a fingerprint of their rows (or of a union of them) that
    reads none of the rows, since those change only here, with the ledger, in one transaction.
    None when one of them has recorded nothing (it was not written here)."""
    ledgers = [stored(con, table) for table in tables]
    if not all(ALL in ledger for ledger in ledgers):
        return None
    keys = {key for ledger in ledgers for key in ledger if key not in (ALL, STAMP)}
    years = {_year(k): sidik.combine(*(ledger.get(k, "-") for ledger in ledgers)) for k in keys}
    return Fingerprints(sidik.combine(*(ledger.get(ALL, "-") for ledger in ledgers)), years)


def years_said(plan: Plan) -> str:
    """The years a step computed, for its materialization: '-', 'semua' or the years."""
    if plan.nothing:
        return "-"
    return "semua" if plan.full else ", ".join(map(year_key, plan.years))


def ensure(con: duckdb.DuckDBPyConnection, ledger: Ledger = WAREHOUSE) -> None:
    con.execute(render("sidik/create", ledger=ledger.ref(), owner=ledger.owner))


def stored(
    con: duckdb.DuckDBPyConnection, table: str, ledger: Ledger = WAREHOUSE
) -> dict[str, str]:
    """What `table` was last computed from: {key: fingerprint}."""
    ensure(con, ledger)
    statement = render("sidik/stored", ledger=ledger.ref(), owner=ledger.owner)
    return dict(con.execute(statement, [table]).fetchall())


def _store(
    con: duckdb.DuckDBPyConnection, table: str, recorded: dict[str, str], ledger: Ledger
) -> None:
    con.execute(render("sidik/forget", ledger=ledger.ref(), owner=ledger.owner), [table])
    rows = [(table, key, value) for key, value in recorded.items()]
    con.executemany(render("sidik/store", ledger=ledger.ref()), rows)
