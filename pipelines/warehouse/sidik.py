"""Fingerprints (sidik) of table contents and of code: what lets a run redo only what changed.

A fingerprint is the row count and the sum of DuckDB's row hashes, so it depends on the rows and
never on their order or on who wrote them (an ingest, a manual fix, a migration); per year, or
of the whole table. Code is fingerprinted by its syntax tree. What is stale, and the bookkeeping
of what each table was computed from, is pipelines.warehouse.recompute's. Hashing is cheap next
to recomputing: about 25 M rows per second on this machine.
"""

import ast
import hashlib
import inspect
import textwrap
from collections.abc import Callable
from functools import cache
from types import ModuleType

import duckdb

from pipelines.warehouse.db import Sql, render


def _hashed(table: str, columns: list[str] | None) -> str | Sql:
    """The table, or only some of its columns: a row hashes as the struct of its columns."""
    return render("sidik/columns", columns=columns, table=table) if columns else table


def table_fingerprint(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | None = None
) -> str:
    """The whole table (or some of its columns), as one short text."""
    statement = render("sidik/table_fingerprint", source=_hashed(table, columns))
    count, total = con.execute(statement).fetchall()[0]
    return f"{count}:{total}"


def year_fingerprints(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | None = None
) -> dict[int, str]:
    """{tahun: fingerprint of that year's rows}; `columns`, if given, include `tahun`."""
    statement = render("sidik/year_fingerprints", source=_hashed(table, columns))
    rows = con.execute(statement).fetchall()
    return {tahun: f"{count}:{total}" for tahun, count, total in rows}


def combine(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def merge_years(*per_table: dict[int, str]) -> dict[int, str]:
    """One fingerprint per year over several tables (a year missing in one counts as empty)."""
    years = sorted(set().union(*per_table))
    return {y: combine(*(p.get(y, "-") for p in per_table)) for y in years}


@cache
def code_fingerprint(*modules: ModuleType) -> str:
    """The code of the modules that compute a table: changed code means a full recompute."""
    return combine(*(_code(inspect.getsource(m)) for m in modules))


def function_fingerprint(*functions: Callable) -> str:
    """The functions actually called (the module attribute at call time): a replaced or
    wrapped function counts as changed code."""
    return combine(*(f"{f.__module__}.{f.__qualname__}:{_source(f)}" for f in functions))


def _source(function: Callable) -> str:
    try:
        return _code(inspect.getsource(function))
    except (OSError, TypeError):
        return function.__code__.co_code.hex()


def _code(source: str) -> str:
    """The syntax tree without comments, docstrings and layout: editing those (a reworded
    comment, a reformatted line) recomputes nothing; on the national warehouse a full
    recompute of the marts takes minutes."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", 0), str):
                node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)
