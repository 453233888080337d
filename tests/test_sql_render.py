"""SQL, one way (docs/decisions.md, "SQL: one renderer"): every statement of the pipeline comes
from sql/, and names reach it only through `pipelines.warehouse.db.render`, from one allow-list;
values are bound as `?`. The renderer's refusals, the names the pipeline uses being known, and a
check on the syntax tree of every module under pipelines/ that nothing builds SQL another way.
"""

import ast
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cadangan.compare import compare_snapshots
from pipelines.contracts.catalogue import published_catalogue
from pipelines.warehouse import db, sidik, tables
from pipelines.warehouse.db import Sql, known_names, render, without_order
from pipelines.warehouse.publish import PUBLISHED
from tests.conftest import REPO

PIPELINES = REPO / "pipelines"
EXCLUDED = ("pipelines/sample_data/",)  # writes the sample files; no SQL
RENDERER = "pipelines/warehouse/db.py"

# --- the renderer ----------------------------------------------------------------------------


def test_renders_a_known_statement_with_an_allowed_identifier():
    assert render("warehouse/count_rows", table="kpi") == 'select count(*) from "kpi"\n'
    assert render("warehouse/delete_year", table="basis_desa") == (
        'delete from "basis_desa" where tahun = ?\n'
    )


def test_renders_a_column_list_and_fragments():
    statement = render(
        "warehouse/read_columns",
        columns=["kode", "nama"],
        table="wilayah",
        where=render("warehouse/rows_of_years"),
    )
    body = [line for line in statement.splitlines() if not line.startswith("--")]
    assert body == [
        'select "kode", "nama" from "wilayah"',
        "where list_contains(?::integer[], tahun)",
    ]
    union = render(
        "warehouse/union_view",
        table="kpi",
        selects=[render("warehouse/union_part", table=t) for t in ("kpi_isu1", "kpi_isu2")],
    )
    body = [line for line in union.splitlines() if not line.startswith("--")]
    assert body == [
        'create or replace view "kpi" as',
        'select * from "kpi_isu1"',
        "union all by name",
        'select * from "kpi_isu2"',
    ]


def test_a_name_in_quotes_becomes_a_string_literal():
    statement = render("publish/kepatuhan_pelaporan_one_dataset", dataset="idm", wilayah="desa")
    assert statement == "select 'idm' as dataset, 'desa' as wilayah\n"


@pytest.mark.parametrize("name", ["tabel_asing", "KPI", "", "kpi2x"])
def test_refuses_an_unknown_identifier(name):
    with pytest.raises(ValueError, match="not a known table or column name"):
        render("warehouse/count_rows", table=name)


@pytest.mark.parametrize(
    "attempt",
    [
        "kpi; drop table x",
        'kpi"; drop table x; --',
        "kpi --",
        "kpi' or '1'='1",
        "main.kpi",
    ],
)
def test_refuses_an_injection_attempt(attempt):
    with pytest.raises(ValueError, match="not a known table or column name"):
        render("warehouse/count_rows", table=attempt)
    with pytest.raises(ValueError, match="not a known table or column name"):
        render(
            "warehouse/read_columns",
            columns=["kode", attempt],
            table="wilayah",
            where=render("warehouse/all_rows"),
        )
    with pytest.raises(ValueError, match="not a known table or column name"):
        render("publish/kepatuhan_pelaporan_one_dataset", dataset=attempt, wilayah="desa")


def test_refuses_sql_text_passed_as_a_name():
    """Plain text is a name, never SQL: only what render made goes in as SQL."""
    with pytest.raises(ValueError, match="not a known table or column name"):
        render("publish/describe", select="select * from kpi")
    assert render("publish/describe", select=render("warehouse/union_part", table="kpi")) == (
        '-- The columns and types a table\'s statement publishes.\ndescribe select * from "kpi"\n'
    )


@pytest.mark.parametrize("value", [2024, 62.0, None, ["kpi", 1], [], {"kpi"}])
def test_refuses_a_value(value):
    """Values are bound as ?, never filled in."""
    with pytest.raises(ValueError, match="takes a name"):
        render("warehouse/count_rows", table=value)


def test_refuses_an_undeclared_type():
    for column_type in ("VARCHAR; drop table x", "kpi", "TEXT"):
        with pytest.raises(ValueError, match="not a declared type"):
            render("warehouse/add_column", table="idm", column="ike", column_type=column_type)
    statement = render("warehouse/add_column", table="idm", column="ike", column_type="DOUBLE")
    assert statement.splitlines()[-1] == 'alter table "idm" add column "ike" DOUBLE'


def test_refuses_a_placeholder_with_nothing_to_fill_it():
    with pytest.raises(ValueError, match=r"nothing to fill \{table\}"):
        render("warehouse/count_rows")


def test_refuses_a_part_no_placeholder_takes():
    """A filter given to a statement without {where} would quietly select everything."""
    with pytest.raises(ValueError, match="no placeholder for"):
        render("warehouse/count_rows", table="kpi", where=render("warehouse/all_rows"))


@pytest.fixture
def sql_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(db, "SQL_DIR", tmp_path)
    db.sql.cache_clear()
    yield tmp_path
    db.sql.cache_clear()


def test_refuses_a_leftover_placeholder(sql_dir):
    (sql_dir / "odd.sql").write_text("select * from {table} where {Kolom} = ?\n")
    with pytest.raises(ValueError, match=r"placeholder \{Kolom\} left unfilled"):
        render("odd", table="kpi")
    (sql_dir / "spaced.sql").write_text("select * from { table }\n")
    with pytest.raises(ValueError, match="left unfilled"):
        render("spaced", table="kpi")


def test_refuses_fragments_without_a_joiner_and_one_ending_in_a_comment(sql_dir):
    (sql_dir / "parts.sql").write_text("select * from {table} where {tests}\n")
    (sql_dir / "part.sql").write_text("{column} is not null\n")
    (sql_dir / "commented.sql").write_text("{column} is not null -- why\n")
    parts = [render("part", column=c) for c in ("kode", "nama")]
    with pytest.raises(ValueError, match="does not say how to join"):
        render("parts", table="wilayah", tests=parts)
    with pytest.raises(ValueError, match="ends with a comment"):
        render("parts", table="wilayah", tests=render("commented", column="kode"))


def test_every_name_the_pipeline_writes_or_publishes_is_known():
    published = {table.name for table in PUBLISHED} | set(published_catalogue())
    assert published - known_names() == set()
    # Literal table names given to the warehouse helpers anywhere in pipelines/.
    used = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("tables", "sidik")
                and node.func.attr != "query"  # its second argument names a statement
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                used.add(node.args[1].value)
    assert {"wilayah", "basis_desa", "kpi_definisi"} <= used  # the scan sees them
    assert used - known_names() == set()


# --- behaviour kept: the rendered statements do what the hand-built ones did ----------------


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_read_filters_years_as_bound_values(con):
    frame = pl.DataFrame(
        {"kode": ["62.01", "62.02", "62.03"], "nama": ["a", "b", "c"], "tahun": [2023, 2024, None]}
    )
    tables.write(con, "wilayah", frame)
    assert tables.read(con, "wilayah", ["kode"], years=[2024]).collect()["kode"].to_list() == [
        "62.02"
    ]
    assert tables.read(con, "wilayah", years=[]).collect().height == 0
    assert tables.read(con, "wilayah").collect().height == 3


def test_fingerprints_are_those_the_hand_built_statements_gave(con):
    """A warehouse keeps the fingerprints it stored: the same text for the same rows."""
    con.execute(
        "create table basis_desa as select * from (values "
        "('62.01.01.2001', 2023, 1.5, true), ('62.01.01.2002', 2023, -0.0, false), "
        "('62.01.01.2001', 2024, null, true)) as t(kode_desa, tahun, ike, is_desa)"
    )
    columns = ["kode_desa", "tahun", "ike"]
    old_whole = con.execute(
        "select count(*), coalesce(sum(hash(struct_pack(kode_desa := t.kode_desa, "
        "tahun := t.tahun, ike := t.ike))::hugeint), 0) from basis_desa as t"
    ).fetchall()[0]
    assert sidik.table_fingerprint(con, "basis_desa", columns) == f"{old_whole[0]}:{old_whole[1]}"
    old_years = con.execute(
        "select tahun, count(*), coalesce(sum(hash(struct_pack(kode_desa := t.kode_desa, "
        "tahun := t.tahun, ike := t.ike))::hugeint), 0) from basis_desa as t "
        "where tahun is not null group by tahun"
    ).fetchall()
    assert sidik.year_fingerprints(con, "basis_desa", columns) == {
        t: f"{n}:{h}" for t, n, h in old_years
    }
    assert set(sidik.year_fingerprints(con, "basis_desa")) == {2023, 2024}
    assert sidik.table_fingerprint(con, "basis_desa").startswith("3:")


def _snapshot(path: Path, kpi_rows: str, wilayah_rows: str) -> Path:
    with duckdb.connect(str(path)) as snapshot:
        snapshot.execute(
            "create table kpi as select * from (values " + kpi_rows + ") "
            "as t(tingkat, kode_wilayah, tahun, kpi_id, nilai)"
        )
        snapshot.execute(
            "create table wilayah as select * from (values " + wilayah_rows + ") as t(kode, nama)"
        )
    return path


def test_comparing_snapshots_names_the_first_difference(tmp_path):
    """The comparison's statements, now rendered: -0.0 is not 0.0 in kpi, and a row only in one
    snapshot is named; the same tables compare equal."""
    rows = "('provinsi', '62', 2024, 'a', 1.5::double), ('provinsi', '62', 2024, 'b', {b}::double)"
    old = _snapshot(tmp_path / "lama.duckdb", rows.format(b="-0.0"), "('62', 'Kalteng')")
    new = _snapshot(
        tmp_path / "baru.duckdb", rows.format(b="0.0"), "('62', 'Kalteng'), ('62.01', 'Kobar')"
    )
    same = _snapshot(tmp_path / "sama.duckdb", rows.format(b="-0.0"), "('62', 'Kalteng')")
    assert compare_snapshots(old, new) == {
        "kpi": "baris pertama yang berbeda (tingkat=provinsi, kode_wilayah=62, tahun=2024, "
        "kpi_id=b): nilai: cadangan -0.0, bangun ulang 0.0",
        "wilayah": "jumlah baris: cadangan 1, bangun ulang 2",
    }
    assert compare_snapshots(old, same) == {"kpi": None, "wilayah": None}
    swapped = _snapshot(tmp_path / "tukar.duckdb", rows.format(b="-0.0"), "('62', 'Kalimantan')")
    assert (
        compare_snapshots(old, swapped)["wilayah"]
        == "ada baris yang hanya di cadangan: (62, Kalteng)"
    )


# --- nothing under pipelines/ builds SQL another way ------------------------------------------

# Text that is SQL: a statement's opening words, or a clause.
SQL_TEXT = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b"
    r"|\bcreate\s+(or\s+replace\s+)?(temp\s+)?(table|view)\b|\balter\s+table\b"
    r"|\bdrop\s+(table|view)\b|\bupdate\s+\w+\s+set\b|\battach\b[\s\S]*\bas\b"
    r"|\bdetach\s|\bdescribe\s|\bcheckpoint\s|\bunion(\s+all)?\s|\bwhere\s+\w+\s*(=|<|>|\bin\b|\bis\b)",
    re.IGNORECASE,
)
# A separator that joins SQL clauses or statements.
SQL_JOINER = re.compile(r"^\s*(union(\s+all)?(\s+by\s+name)?|and|or|except|intersect)\s*$", re.I)
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}")  # not a regex's {2}
DUCKDB_METHODS = {"execute", "executemany", "sql"}
POLARS = {"pl", "polars"}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PIPELINES.rglob("*.py")
        if not path.relative_to(REPO).as_posix().startswith(EXCLUDED)
    )


def _text(node: ast.expr) -> str | None:
    """The literal text of a string constant or f-string (an f-string's values as `x`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    return None


def _built(node: ast.expr) -> str | None:
    """Why `node`, given as a statement, is not one from sql/ (None: it may be)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "a statement written in Python (it belongs in sql/)"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "a statement joined with + or %"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "replace", "join", "strip", "upper", "lower")
    ):
        return f"a statement built by .{node.func.attr}(...)"
    return None


def _calls_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
    )


def violations(source: str, rel: str) -> list[str]:
    """Every place in `source` that builds SQL other than through `render`."""
    tree = ast.parse(source)
    found: list[str] = []

    def flag(node: ast.AST, why: str) -> None:
        found.append(f"{rel}:{getattr(node, 'lineno', '?')}: {why}")

    # name -> every value assigned to it, per function (or the module)
    scopes: dict[ast.AST, dict[str, list[ast.expr]]] = {}
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                assigned.setdefault(node.target.id, []).append(
                    ast.BinOp(node.target, node.op, node.value)
                )
        scopes[scope] = assigned

    def enclosing(target: ast.AST) -> dict[str, list[ast.expr]]:
        best = scopes[tree]
        for scope, assigned in scopes.items():
            if scope is not tree and any(n is target for n in ast.walk(scope)):
                best = assigned  # the innermost wins: ast.walk lists outer functions first
        return best

    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = _text(node)
            if text and SQL_TEXT.search(text):
                flag(node, "SQL in an f-string")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            for side in (node.left, node.right):
                text = _text(side)
                if text and SQL_TEXT.search(text):
                    flag(node, "SQL joined with + or %")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Sql" and rel != RENDERER:
            flag(node, "Sql(...) made outside the renderer")
        if not isinstance(func, ast.Attribute):
            continue
        owner = func.value
        if func.attr == "format" and not (isinstance(owner, ast.Name) and owner.id in POLARS):
            text = _text(owner)
            if text is None or SQL_TEXT.search(text):
                flag(node, "str.format (only Polars' pl.format is used under pipelines/)")
        if func.attr == "replace" and node.args:
            pattern = _text(node.args[0])
            if (
                isinstance(node.args[0], ast.JoinedStr)
                or (pattern is not None and PLACEHOLDER.search(pattern))
                or _calls_of(owner, "sql")
                or _calls_of(owner, "render")
            ):
                flag(node, "a placeholder filled with .replace")
        if func.attr == "join":
            text = _text(owner)
            if text is not None and SQL_JOINER.match(text):
                flag(node, f"SQL clauses joined with {text.strip()!r}")
        if func.attr in DUCKDB_METHODS and not (isinstance(owner, ast.Name) and owner.id in POLARS):
            argument = node.args[0] if node.args else None
            if argument is None:
                argument = next((k.value for k in node.keywords if k.arg == "query"), None)
            if argument is None:
                continue
            why = _built(argument)
            if why is None and isinstance(argument, ast.Name):
                for value in enclosing(node).get(argument.id, []):
                    why = why or _built(value)
            if why:
                flag(node, f".{func.attr}() gets {why}")
    return found


def test_no_module_builds_sql_another_way():
    found = []
    for path in _modules():
        rel = path.relative_to(REPO).as_posix()
        found.extend(violations(path.read_text(encoding="utf-8"), rel))
    assert not found, "\n".join(found)


def test_the_check_sees_the_statements():
    """Not vacuous: it walks the modules that run the most statements."""
    rels = {path.relative_to(REPO).as_posix() for path in _modules()}
    assert {"pipelines/warehouse/publish.py", "pipelines/cadangan/compare.py"} <= rels
    assert not any(rel.startswith("pipelines/sample_data/") for rel in rels)
    executes = sum(
        1
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in DUCKDB_METHODS
    )
    assert executes >= 60


CAUGHT = {
    "f-string": 'def f(con, t):\n    con.execute(f"select * from {t}")\n',
    "f-string elsewhere": 'def f(t):\n    return f"delete from {t} where tahun = 1"\n',
    "format on a statement": 'def f(t):\n    return sql("x").format(table=t)\n',
    "format on a constant": 'def f(t):\n    return "select * from {}".format(t)\n',
    "format on a name": "def f(template, t):\n    return template.format(table=t)\n",
    "replace a placeholder": 'def f(t):\n    return sql("x").replace("{table}", t)\n',
    "replace from an f-string": 'def f(s, k, v):\n    return s.replace(f"{{{k}}}", v)\n',
    "replace on a statement": 'def f(t):\n    return render("x", table="kpi").replace("kpi", t)\n',
    "joined clauses": 'def f(parts):\n    return "\\nunion all\\n".join(parts)\n',
    "joined conditions": 'def f(parts):\n    return " and ".join(parts)\n',
    "concatenation": 'def f(s, ys):\n    return s + " where tahun in (" + ys + ")"\n',
    "literal statement": 'def f(con):\n    con.execute("select versi from kpi_versi")\n',
    "literal in a name": 'def f(con):\n    q = "checkpoint snap"\n    con.execute(q)\n',
    "built name": 'def f(con, t):\n    q = sql("x")\n    q += t\n    con.sql(q)\n',
    "keyword argument": 'def f(con, t):\n    con.sql(query=f"select {t}")\n',
    "forged Sql": 'def f(t):\n    return Sql("select * from " + t)\n',
}


@pytest.mark.parametrize("case", sorted(CAUGHT))
def test_the_check_catches(case):
    assert violations(CAUGHT[case], "pipelines/x.py")


def test_the_check_allows_what_the_pipeline_does():
    source = """
import polars as pl


def f(con, table, isu, name, frame):
    con.execute(render("warehouse/count_rows", table=table))
    con.execute(sql(f"checks/{name}"), [1])
    statement = render(f"publish/{table}", where=render("warehouse/all_rows"))
    con.execute(statement, [[2024]])
    rows = con.sql(_select(table)).pl()
    label = pl.format("wilayah ini ({}) bukan wilayah {}", pl.col("kode"), pl.lit(name))
    shown = ", ".join(f"{c}={v}" for c, v in frame.items())
    clean = name.replace("\\ufeff", "").strip()
    table_name = f"kpi_{isu}"
    message = f"ada baris yang hanya di {name}: ({shown})"
    return rows, label, clean, table_name, message
"""
    assert violations(source, "pipelines/x.py") == []


def test_an_enum_placeholder_takes_distinct_plain_values_in_order(sql_dir):
    (sql_dir / "x.sql").write_text("select a::{a_enum} from t\n")
    assert render("x", a_enum=["desa", "kabupaten", "id_rata_2"]) == (
        "select a::ENUM('desa', 'kabupaten', 'id_rata_2') from t\n"
    )
    for value in (["desa", "desa"], [], "desa", ["o'brien"], ["Desa"], ["a b"], [1], None):
        with pytest.raises(ValueError, match="takes distinct plain values"):
            render("x", a_enum=value)


@pytest.mark.parametrize(
    ("statement", "kept"),
    [
        ("select * from t order by a, b", "select * from t"),
        ("select * from t order by a::ENUM('x', 'y'), b", "select * from t"),
        ("select row_number() over (order by a) from t", None),
        ("select * from (select * from t order by a)", None),
        ("select * from (select * from t order by a::ENUM('x'))", None),
    ],
)
def test_without_order_drops_only_the_statement_s_own_final_order_by(statement, kept):
    assert without_order(Sql(statement)).strip() == (statement if kept is None else kept)
