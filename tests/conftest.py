"""Shared fixtures: a temporary data directory and a real in-process Dagster run over it."""

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from hypothesis import settings as hypothesis_settings

from pipelines.defs.resources import DasborResource
from pipelines.settings import Settings

REPO = Path(__file__).resolve().parents[1]

# Property tests check what is computed, not how fast: no per-example time limit (Hypothesis'
# 200 ms default failed once on a loaded machine). Speed is measured in benchmarks/.
hypothesis_settings.register_profile("dasbor", deadline=None)
hypothesis_settings.load_profile("dasbor")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(path))
    monkeypatch.delenv("DASBOR_REFERENCE_DIR", raising=False)
    monkeypatch.delenv("DASBOR_PROVINSI", raising=False)
    Settings.from_env().ensure_dirs()
    return path


def drop(data_dir: Path, dataset: str, name: str, content: str | bytes, encoding="utf-8") -> Path:
    """Put a file into an inbox folder, as a data officer would."""
    target = data_dir / "inbox" / dataset / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    # Dropped a while ago: the run need not wait for it to settle (tests of that wait set mtime).
    settled = time.time() - 60
    os.utime(target, (settled, settled))
    return target


def run_pipeline(data_dir: Path, selection: str | None = None) -> dg.ExecuteInProcessResult:
    """Materialize every asset and its checks in-process, as the CLI run does; or, like
    `--select <selection>`, that one asset (with its own checks, if it has any)."""
    from pipelines.definitions import ASSETS, KPI_CHECKS, defs

    resources = {"dasbor": DasborResource(data_dir=str(data_dir))}
    if selection is not None:
        return dg.materialize(
            [*ASSETS, *KPI_CHECKS],
            selection=dg.AssetSelection.assets(selection),
            resources=resources,
            raise_on_error=False,
        )
    job = defs().resolve_implicit_global_asset_job_def()
    return job.execute_in_process(resources=resources, raise_on_error=False)


Dropped = tuple[str, str, str]  # (dataset, file name, content), as `drop` takes them


@pytest.fixture(scope="session")
def _first_runs(tmp_path_factory) -> dict:
    return {"root": tmp_path_factory.mktemp("first_runs"), "done": {}}


@pytest.fixture
def first_run_of(data_dir, _first_runs) -> Callable[..., dg.ExecuteInProcessResult]:
    """`first_run_of(*files)`: drop the files into an empty data directory and run the
    pipeline, as many tests begin. Run for real the first time this worker meets those files
    (and DASBOR_* settings); later the data directory that run left is copied in, with its
    result: the same tables, archive and logs (nothing in them names the directory), only
    its times and run id are the earlier run's (and the result's metadata names the first
    directory). Call it first, before any file or patch: patched code is not in the key.
    Saves a pipeline run (~5 s) per test that starts this way."""

    def first_run(*files: Dropped) -> dg.ExecuteInProcessResult:
        assert not any(p.is_file() for p in data_dir.rglob("*")), "first_run_of comes first"
        settings = sorted(
            (name, value)
            for name, value in os.environ.items()
            if name.startswith("DASBOR_") and name != "DASBOR_DATA_DIR"
        )
        key = (files, tuple(settings))
        done = _first_runs["done"]
        if key in done:
            template, result = done[key]
            shutil.rmtree(data_dir)
            shutil.copytree(template, data_dir)
            return result
        for file in files:
            drop(data_dir, *file)
        result = run_pipeline(data_dir)
        assert result.success
        template = _first_runs["root"] / f"run_{len(done)}"
        shutil.copytree(data_dir, template)
        done[key] = (template, result)
        return result

    return first_run


def published(data_dir: Path, query: str, params: list | None = None) -> pl.DataFrame:
    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb"), read_only=True) as con:
        return con.sql(query, params=params).pl()


def kpi_value(data_dir: Path, tingkat: str, kode: str, tahun: int, kpi_id: str):
    rows = published(
        data_dir,
        "select nilai, desa_melapor, keterangan from kpi "
        "where tingkat = ? and kode_wilayah = ? and tahun = ? and kpi_id = ?",
        [tingkat, kode, tahun, kpi_id],
    )
    assert rows.height == 1, f"expected one kpi row, got {rows.height}"
    return rows.row(0, named=True)


@pytest.fixture(scope="session", autouse=True)
def _run_shared_dir(tmp_path_factory) -> None:
    """A folder the xdist workers of this run share, removed with the run's other temporary
    folders by pytest: what is built once per run (tests/browser.py's published sample)."""
    from tests import browser

    base = tmp_path_factory.getbasetemp()
    browser.RUN_SHARED_DIR = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / (
        "shared"
    )


@pytest.fixture(autouse=True)
def _isolated_dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    os.environ.pop("DAGSTER_CLI_API_GRPC_HOST", None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` is one `pytest -n 2 --dist loadfile --no-loadscope-reorder` run: a module's
    tests stay on one worker (a served dashboard, its ports and run directory are the module's),
    and modules are handed out in this order. The modules with browser or end-to-end tests come
    first, each in its own order, so the longest work starts early and the unit tests fill the
    time it spends waiting on servers and Chromium, instead of one long test running alone at
    the end."""
    slow = {
        item.module.__name__
        for item in items
        if item.get_closest_marker("browser") or item.get_closest_marker("e2e")
    }
    items.sort(key=lambda item: item.module.__name__ not in slow)  # stable: order kept within
