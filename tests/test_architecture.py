"""The rooms of the README (rooms) keep to themselves: checked on the imports of every module."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, drop

# room -> the top-level packages of ours it may import (besides itself)
ALLOWED = {
    "pipelines": {"laporan", "pengguna"},
    "dashboards": {"laporan", "pengguna"},
    "laporan": set(),
    "pengguna": set(),  # the accounts: both halves read them (the notification jobs, the login)
}
# Inside the pipeline: the plain-Python rooms know nothing of Dagster or of the shell.
CORE_ROOMS = (
    "pipelines/contracts",
    "pipelines/ingest",
    "pipelines/transforms",
    "pipelines/warehouse",
    "pipelines/notifikasi",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_of(room: str) -> list[Path]:
    return sorted((REPO / room).rglob("*.py"))


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_a_room_imports_only_what_it_may(room):
    ours = set(ALLOWED)
    crossings = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in modules_of(room)
        for name in imported_modules(path)
        if name.split(".")[0] in ours - {room} - ALLOWED[room]
    ]
    assert crossings == []


@pytest.mark.parametrize("room", CORE_ROOMS)
def test_core_rooms_know_nothing_of_dagster_or_the_shell(room):
    crossings = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in modules_of(room)
        for name in imported_modules(path)
        if name.split(".")[0] == "dagster" or name.startswith("pipelines.defs")
    ]
    assert crossings == []


def test_contracts_import_nothing_of_ours():
    crossings = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in modules_of("pipelines/contracts")
        for name in imported_modules(path)
        if name.split(".")[0] in ALLOWED and not name.startswith("pipelines.contracts")
    ]
    assert crossings == []


def test_the_checker_sees_a_crossing(tmp_path):
    planted = tmp_path / "page.py"
    planted.write_text("from pipelines.settings import Settings\nimport dashboards.data\n")
    assert imported_modules(planted) == {"pipelines.settings", "dashboards.data"}


def test_no_package_of_ours_shares_a_name_with_a_dashboard_module():
    """Streamlit puts dashboards/ first on sys.path on every page run: a module there named like
    one of our packages stands in for it, and under many first runs at once an import of that
    package finds the wrong one (CI, 2026-12-03: "cannot import name 'setelan' from 'akun'")."""
    ours = {path.parent.name for path in REPO.glob("*/__init__.py")}
    beside_app = {path.stem for path in (REPO / "dashboards").iterdir()}
    assert ours & beside_app == set()
    assert {"pipelines", "dashboards", "laporan", "pengguna"} <= ours


def test_loading_the_definitions_imports_no_library_only_some_steps_need():
    """Every code-server start, sensor tick and run start imports the definitions: NumPy (0.4 s)
    and xlsxwriter (0.25 s) are loaded where a step needs them (Arrow for a load, a rejected
    file's workbook, a template), pandas and Plotly where a briefing is printed."""
    script = (
        "import sys; import pipelines.definitions; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'numpy', 'pandas', 'plotly', 'xlsxwriter'}))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip().splitlines()[-1] == "[]"


def test_a_pipeline_run_loads_neither_pandas_nor_plotly(tmp_path):
    """Every CLI run, sensor run and code-server start imports the definitions, and a run
    previews its tables: pandas and Plotly, some 3 s of import between them, are loaded only to
    print a briefing; xlsxwriter only for a rejected file's workbook or a template."""
    data_dir = tmp_path / "data"
    drop(data_dir, "kemiskinan_desa", "a.csv", "kode_desa,tahun,jumlah_penduduk,jumlah_kk,"
         "kk_miskin,kk_miskin_ekstrem\n62.01.01.2001,2024,1000,400,100,10\n")  # fmt: skip
    script = (
        "import sys; from pathlib import Path; from tests.conftest import run_pipeline; "
        f"ok = run_pipeline(Path({str(data_dir)!r})).success; "
        "print(ok, sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pandas', 'plotly', 'xlsxwriter'}))"
    )
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir)}
    ran = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip().splitlines()[-1] == "True []"
