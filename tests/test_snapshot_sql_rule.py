"""The snapshot readers' SQL rule (docs/decisions.md, "The dashboard's queries: literals beside
their reader"): every statement the dashboard or the briefing (laporan/) sends to the published
snapshot is a fixed string literal, read-only, with every value bound as `?`. Checked on the
syntax tree of every module under dashboards/ and laporan/.

A statement counts as literal when it is a string constant (implicit concatenation of constants
included), or a name whose every assignment in its scope is one. Anything else (an f-string,
`.format`, `+`, `.replace`, a name built at run time, a call) is a violation, even when the
values in it happen to be safe: a literal needs no allow-list, a built statement always does.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboards import data
from tests import snapshot_fixture as sf
from tests.conftest import REPO

READERS = (REPO / "dashboards", REPO / "laporan")

# The snapshot read helpers, with the place of their statement argument: the dashboard's
# read(sql, params) and read_many([(sql, params), ...]) (dashboards.data.snapshot), the
# briefing's _query(snapshot, sql, params). Their own bodies pass a caller's statement through.
READ_HELPERS = {"read": 0, "read_many": 0, "_query": 1}
HELPER_MODULES = {
    "dashboards/data/snapshot.py": {"read", "read_many"},
    "laporan/briefing.py": {"_query"},
}
# DuckDB's own entry points, on a connection or the module (`con.execute`, `duckdb.sql`, ...).
# pandas' DataFrame.query is held to the same rule: it evaluates its text too.
DUCKDB_METHODS = {"execute", "executemany", "sql", "query"}
DUCKDB_MODULE_FUNCTIONS = {"sql", "query", "execute"}
# Modules still being rewritten to the rule; an entry goes as soon as its module keeps the rule
# (test_every_exemption_is_still_needed says when).
EXEMPT: set[str] = set()


def _where(rel: str, node: ast.AST) -> str:
    return f"{rel}:{getattr(node, 'lineno', '?')}"


def _describe(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "a statement joined with an operator (+ or %)"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return f"a statement built by .{node.func.attr}(...)"
    if isinstance(node, ast.Call):
        return "a statement returned by a call"
    if isinstance(node, ast.Name):
        return f"the variable {node.id!r}, built at run time"
    return f"a {type(node).__name__} expression"


class _Scope:
    """The assignments of one function (or the module): name -> every value assigned to it."""

    def __init__(self, node: ast.AST, parent: "_Scope | None") -> None:
        self.parent = parent
        self.values: dict[str, list[ast.expr | None]] = {}
        for child in _own_nodes(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    self._bind(target, child.value)
            elif isinstance(child, ast.AnnAssign | ast.AugAssign):
                self._bind(child.target, None if isinstance(child, ast.AugAssign) else child.value)
            elif isinstance(child, ast.For | ast.comprehension | ast.With | ast.NamedExpr):
                targets = (
                    [item.optional_vars for item in child.items if item.optional_vars]
                    if isinstance(child, ast.With)
                    else [child.target]
                )
                for target in targets:
                    self._bind(target, None)  # bound at run time
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                self.values.setdefault(arg.arg, []).append(None)  # a caller's value

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.values.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(element, None)

    def assigned(self, name: str) -> list[ast.expr | None] | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.values:
                return scope.values[name]
            scope = scope.parent
        return None


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a scope, without those of the functions and classes nested in it."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _own_nodes(child)


def _literal_statement(node: ast.expr, scope: _Scope) -> ast.expr | None:
    """None when `node` is a fixed string literal; else the expression that is not."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return None
    if isinstance(node, ast.Name):
        values = scope.assigned(node.id)
        if not values or any(value is None for value in values):
            return node
        for value in values:
            assert value is not None
            if _literal_statement(value, scope) is not None:
                return node
        return None
    return node


def _statement_text(node: ast.expr, scope: _Scope) -> list[str]:
    """The text(s) a literal statement may take (one per assignment of a name)."""
    if isinstance(node, ast.Constant):
        return [node.value]
    values = scope.assigned(node.id) if isinstance(node, ast.Name) else None
    return [text for value in values or [] if value for text in _statement_text(value, scope)]


def _read_many_statements(node: ast.expr, scope: _Scope) -> list[ast.expr] | None:
    """The statements of a read_many argument: a list or tuple of (sql, params) pairs, or a
    comprehension making such pairs, or a name assigned one of these; None when unknowable."""
    if isinstance(node, ast.List | ast.Tuple):
        pairs = node.elts
    elif isinstance(node, ast.ListComp | ast.GeneratorExp):
        pairs = [node.elt]
    elif isinstance(node, ast.Name):
        values = scope.assigned(node.id)
        if not values or any(value is None for value in values):
            return None
        found: list[ast.expr] = []
        for value in values:
            assert value is not None
            statements = _read_many_statements(value, scope)
            if statements is None:
                return None
            found.extend(statements)
        return found
    else:
        return None
    if not all(isinstance(pair, ast.Tuple) and pair.elts for pair in pairs):
        return None
    return [pair.elts[0] for pair in pairs]  # type: ignore[attr-defined]


def _callee(call: ast.Call) -> tuple[str, str] | None:
    """('helper', name) for read/read_many, ('duckdb', name) for a DuckDB entry point."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in READ_HELPERS:
        return "helper", func.id
    if isinstance(func, ast.Attribute):
        if func.attr in READ_HELPERS:
            return "helper", func.attr  # snapshot.read(...)
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "duckdb":
            return ("duckdb", func.attr) if func.attr in DUCKDB_MODULE_FUNCTIONS else None
        if func.attr in DUCKDB_METHODS:
            return "duckdb", func.attr
    return None


def _statement_argument(call: ast.Call, position: int, names: tuple[str, ...]) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg in names), None)


def violations(source: str, rel: str) -> list[str]:
    """Every statement sent to the snapshot in `source` that is not a read-only literal."""
    tree = ast.parse(source)
    found: list[str] = []

    def visit(node: ast.AST, scope: _Scope, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                name = getattr(child, "name", function)
                visit(child, _Scope(child, scope), name)
                continue
            if isinstance(child, ast.Call):
                check(child, scope, function)
            visit(child, scope, function)

    def check(call: ast.Call, scope: _Scope, function: str | None) -> None:
        callee = _callee(call)
        if callee is None:
            return
        kind, name = callee
        if function in HELPER_MODULES.get(rel, ()):
            return  # the helpers themselves pass their caller's statement on
        position = READ_HELPERS[name] if kind == "helper" else 0
        argument = _statement_argument(call, position, ("sql", "query", "queries"))
        if argument is None:
            return
        if kind == "helper" and name == "read_many":
            statements = _read_many_statements(argument, scope)
            if statements is None:
                found.append(f"{_where(rel, call)}: read_many gets pairs it cannot be shown")
                return
        else:
            statements = [argument]
        for statement in statements:
            bad = _literal_statement(statement, scope)
            if bad is not None:
                found.append(f"{_where(rel, call)}: {name}() gets {_describe(bad)}")
                continue
            if kind != "helper":
                continue
            for text in _statement_text(statement, scope):
                first = text.split(None, 1)[0].lower() if text.strip() else ""
                if first not in ("select", "with", "from"):
                    found.append(f"{_where(rel, call)}: {name}() gets a statement that writes")

    visit(tree, _Scope(tree, None), None)
    return found


def reader_modules() -> list[Path]:
    return sorted(path for folder in READERS for path in folder.rglob("*.py"))


def test_every_snapshot_statement_is_a_read_only_literal() -> None:
    found = []
    for path in reader_modules():
        rel = path.relative_to(REPO).as_posix()
        if rel not in EXEMPT:
            found.extend(violations(path.read_text(encoding="utf-8"), rel))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("rel", sorted(EXEMPT))
def test_every_exemption_is_still_needed(rel: str) -> None:
    source = (REPO / rel).read_text(encoding="utf-8")
    assert violations(source, rel), f"{rel} keeps the rule now: remove it from EXEMPT"


def test_the_rule_sees_the_snapshot_reads() -> None:
    """The check is not vacuous: it finds the readers' reads, through every helper."""
    seen = dict.fromkeys(READ_HELPERS, 0)
    for path in reader_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (callee := _callee(node)) and callee[0] == "helper":
                seen[callee[1]] += 1
    assert seen["read"] >= 30
    assert seen["read_many"] >= 2  # desa_datasets, and read() itself
    assert seen["_query"] >= 20  # the briefing


VIOLATIONS = {
    "f-string": 'def f(t):\n    return read(f"select * from {t}")\n',
    "format": 'def f(t):\n    return read("select * from {}".format(t))\n',
    "concatenation": 'def f(t):\n    return read("select * from " + t)\n',
    "percent": 'def f(t):\n    return read("select * from %s" % t)\n',
    "replace": 'def f(t):\n    return read("select * from T".replace("T", t))\n',
    "runtime variable": 'def f(t):\n    sql = "select 1"\n    sql += t\n    return read(sql)\n',
    "argument": "def f(sql):\n    return read(sql)\n",
    "call": "def f():\n    return read(statement())\n",
    "read_many f-string": 'def f(ts):\n    return read_many([(f"select * from {t}", []) for t in ts])\n',
    "read_many unknowable": "def f(pairs):\n    return read_many(pairs)\n",
    "con.execute": 'def f(con, t):\n    return con.execute(f"select * from {t}")\n',
    "con.sql": 'def f(con, t):\n    return con.sql("select * from " + t)\n',
    "duckdb.sql": 'import duckdb\ndef f(t):\n    return duckdb.sql(f"select {t}")\n',
    "keyword": 'def f(t):\n    return read(sql=f"select {t}")\n',
    "writes": 'def f():\n    return read("delete from kpi")\n',
    "briefing f-string": 'def f(s, n):\n    return _query(s, f"select * from kpi limit {n}")\n',
    "briefing keyword": 'def f(s, w):\n    return _query(s, sql="select 1 " + w)\n',
    "module variable": 'SQL = "select 1"\nSQL = SQL.upper()\ndef f():\n    return read(SQL)\n',
}


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_the_rule_catches(case: str) -> None:
    assert len(violations(VIOLATIONS[case], "dashboards/data/x.py")) == 1


def test_the_rule_allows_literals_with_bound_values() -> None:
    source = '''
COLUMNS = ["a", "b"]
ONE = "select a, b from t where a = ?"


def f(a, names, con):
    statement = "select * from query_table(?) where kode_desa = ? order by tahun"
    read(ONE, [a])
    read("select a " "from t where b = ?", [a])
    read("""
        with x as (select 1) select * from x
    """)
    read_many([(statement, [name, a]) for name in names])
    read_many([("select 1", []), (ONE, [a])])
    con.execute("ATTACH ? AS snap (READ_ONLY)", [a])
    frame.query("utama")
    return pd.DataFrame(columns=COLUMNS)
'''
    assert violations(source, "dashboards/data/x.py") == []


# --- the reads that were built, now literal: same results on new and old snapshots -----------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _alter(data_dir: Path, *statements: str) -> None:
    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb")) as con:
        for statement in statements:
            con.execute(statement)


def test_kpi_definitions_of_a_snapshot_without_the_program_column(data_dir: Path) -> None:
    """kpi_definisi from before `program`: every KPI reads as an outcome (program False), with
    the same columns as a new snapshot gives."""
    new = data.kpi_definitions()
    assert new["program"].sum() == len(sf.PROGRAM_KPIS) > 0
    _alter(data_dir, "alter table kpi_definisi drop column program")
    old = data.kpi_definitions()
    assert list(old.columns) == list(new.columns)
    assert list(old["kpi_id"]) == list(new["kpi_id"])
    assert old["program"].dtype == bool
    assert not old["program"].any()


def test_desa_datasets_binds_the_table_name(data_dir: Path) -> None:
    """A declared dataset without a table is skipped; the names reach SQL as values."""
    before = data.desa_datasets("62.01.01.2001")
    assert "umkm" in before
    _alter(data_dir, "drop table umkm")
    after = data.desa_datasets("62.01.01.2001")
    assert list(after) == [name for name in before if name != "umkm"]
    assert list(after["dana_desa"]["tahun"]) == [2023, 2024]
    assert "sha256" not in after["dana_desa"].columns
    hostile = data.desa_datasets("62.01.01.2001' or '1'='1")
    assert list(hostile) == list(after)
    assert all(frame.empty for frame in hostile.values())
