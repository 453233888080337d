"""Rematerializing one strategic issue, or one year of it, recomputes only that."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import dagster as dg
import duckdb
import pytest

from pipelines.defs import marts
from pipelines.defs.marts import ISU_ASSETS
from pipelines.defs.resources import DasborResource
from pipelines.settings import Settings
from pipelines.transforms.kpis import compute_kpis
from pipelines.warehouse import sidik
from tests.conftest import drop, run_pipeline
from tests.small_inbox import DESA, write_small_inbox

FILE = """kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem
62.01.01.2001,2023,1000,400,100,10
62.01.01.2001,2024,1000,400,80,8
"""


def kab_value(data_dir, table: str, tahun: int) -> float:
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        return con.execute(
            f"select nilai from {table} where tingkat = 'kabupaten' and kode_wilayah = '62.01' "
            "and tahun = ? and kpi_id = 'kk_miskin_pct'",
            [tahun],
        ).fetchall()[0][0]


def test_one_year_of_one_issue_recomputes_only_that_year(data_dir, first_run_of):
    first_run_of(("kemiskinan_desa", "a.csv", FILE))
    assert (kab_value(data_dir, "kpi_tujuan", 2023), kab_value(data_dir, "kpi_tujuan", 2024)) == (
        25.0,
        20.0,
    )
    # Change the inputs of both years behind the marts' back...
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb")) as con:
        con.execute(
            "update basis_desa set kk_miskin = kk_miskin * 2 where kode_desa = '62.01.01.2001'"
        )
    # ...then rematerialize the poverty issue for 2024 only.
    tujuan = next(a for a in ISU_ASSETS if a.key.path[-1] == "kpi_tujuan")
    result = dg.materialize(
        [tujuan],
        resources={"dasbor": DasborResource(data_dir=str(data_dir))},
        run_config={"ops": {"kpi_tujuan": {"config": {"tahun": 2024}}}},
    )
    assert result.success
    assert kab_value(data_dir, "kpi_tujuan", 2024) == 40.0  # recomputed
    assert kab_value(data_dir, "kpi_tujuan", 2023) == 25.0  # untouched
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*) from kpi_tujuan where tahun = 2024").fetchall()[0][0]
        dup = con.execute(
            "select count(*) from (select tingkat, kode_wilayah, tahun, kpi_id from kpi_tujuan "
            "group by all having count(*) > 1)"
        ).fetchall()[0][0]
    assert rows > 0
    assert dup == 0


def idm_file(tahun: int, iks: float) -> str:
    return f"kode_desa,tahun,iks,ike,ikl\n{DESA},{tahun},{iks},{iks},{iks}\n"


def prioritas_rows(data_dir: Path) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        return con.execute("select * from desa_prioritas order by all").fetchall()


def computed_years(result: dg.ExecuteInProcessResult, step: str) -> str:
    return result.asset_materializations_for_node(step)[0].metadata["tahun_dihitung"].value


def test_desa_prioritas_recomputes_a_changed_year_and_the_year_after_as_a_full_run_would(
    data_dir, monkeypatch
):
    """A year's reasons compare its status with the year before, so a corrected year makes
    that year and the next stale, and nothing else; the table equals a fresh full run's."""
    write_small_inbox(data_dir)  # 2024, IDM 0.7/0.6/0.65 for the desa
    drop(data_dir, "idm", "idm_2022.csv", idm_file(2022, 0.6))
    drop(data_dir, "idm", "idm_2023.csv", idm_file(2023, 0.6))
    assert run_pipeline(data_dir).success
    before = prioritas_rows(data_dir)

    # 2023's IDM corrected from 0.6 (berkembang) to 0.9 (mandiri): 2024 now comes from a better
    # status, which its reasons and `status_desa_lalu` say.
    drop(data_dir, "idm", "idm_2023_koreksi.csv", idm_file(2023, 0.9))
    rerun = run_pipeline(data_dir)
    assert rerun.success
    assert computed_years(rerun, "basis_desa") == "2023"
    assert computed_years(rerun, "desa_prioritas") == "2023, 2024"
    after = prioritas_rows(data_dir)
    lalu = {row[0]: row[19] for row in after if row[5] == DESA}  # tahun: status_desa_lalu
    assert lalu == {2022: None, 2023: "berkembang", 2024: "mandiri"}
    assert {row[0] for row in set(before) ^ set(after)} == {2023, 2024}

    fresh = data_dir.parent / "fresh"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(fresh))
    Settings.from_env().ensure_dirs()
    write_small_inbox(fresh)
    drop(fresh, "idm", "idm_2022.csv", idm_file(2022, 0.6))
    drop(fresh, "idm", "idm_2023.csv", idm_file(2023, 0.9))
    assert run_pipeline(fresh).success
    assert prioritas_rows(fresh) == after
    # Nothing changed: nothing recomputed.
    assert computed_years(run_pipeline(data_dir), "desa_prioritas") == "-"


TABLES_IN_BATCHES = ["basis_desa", "idm_hitung", *(a.key.path[-1] for a in ISU_ASSETS)]


def computed_tables(data_dir: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        return {
            t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES_IN_BATCHES
        }


def test_a_run_written_a_year_at_a_time_equals_one_written_at_once(data_dir, monkeypatch):
    def inbox(folder: Path) -> None:
        write_small_inbox(folder)
        drop(folder, "kemiskinan_desa", "kemiskinan_2023.csv", FILE.replace(",2024,", ",2022,"))
        drop(
            folder, "idm", "idm_2023.csv", f"kode_desa,tahun,iks,ike,ikl\n{DESA},2023,0.6,0.5,0.4\n"
        )

    inbox(data_dir)
    assert run_pipeline(data_dir).success
    at_once = computed_tables(data_dir)
    with duckdb.connect(str(data_dir / "warehouse" / "dasbor.duckdb"), read_only=True) as con:
        years = con.execute("select distinct tahun from basis_desa order by 1").fetchall()
    assert years == [(2022,), (2023,), (2024,)]

    # One village-year per batch: every year is a batch of its own.
    monkeypatch.setattr(marts, "VILLAGE_YEARS_PER_BATCH", 1)
    asked = []

    def spied(basis, kpis, areas, years, *args, **kwargs):
        asked.append(list(years))
        return compute_kpis(basis, kpis, areas, years, *args, **kwargs)

    monkeypatch.setattr(marts, "compute_kpis", spied)
    batched = data_dir.parent / "batched"
    monkeypatch.setenv("DASBOR_DATA_DIR", str(batched))
    Settings.from_env().ensure_dirs()
    inbox(batched)
    assert run_pipeline(batched).success
    assert asked[:3] == [[2022], [2023], [2024]]  # the first issue, a year at a time
    assert computed_tables(batched) == at_once


def cli_run(data_dir: Path, dagster_home: Path) -> str:
    """The analyst's CLI run of every asset, each time in a new process: what one process
    remembers (a cache, a hash seed) must not decide what the next one recomputes."""
    dagster = Path(sys.executable).parent / "dagster"
    env = {**os.environ, "DASBOR_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(dagster_home)}
    result = subprocess.run(
        [str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


INCREMENTAL = ["basis_desa", *(a.key.path[-1] for a in ISU_ASSETS), "desa_prioritas"]


def recomputed(log: str) -> dict[str, str]:
    """{step: what its log says it recomputed} for basis_desa and the issue marts."""
    said = {}
    for step in INCREMENTAL:
        if f"{step}: tidak ada masukan yang berubah; tidak dihitung ulang" in log:
            said[step] = "-"
        elif match := re.search(rf"{step}: (semua tahun|\[[0-9, ]*\]) dihitung ulang", log):
            said[step] = match[1]
    return said


@pytest.mark.e2e
def test_a_new_process_recomputes_no_year_when_nothing_changed_and_one_year_after_a_fix(
    data_dir, tmp_path, first_run_of
):
    first_run_of(("kemiskinan_desa", "a.csv", FILE))
    home = tmp_path / "dagster_home"
    # A new process on the unchanged warehouse: no year of any mart moved.
    unchanged = recomputed(cli_run(data_dir, home))
    assert unchanged == dict.fromkeys(INCREMENTAL, "-")
    # One corrected village-year (2024, 80 -> 90 poor households of 400): that year only, and
    # only in the issues that read kk_miskin.
    drop(data_dir, "kemiskinan_desa", "koreksi.csv", FILE.splitlines()[0] + "\n"
         "62.01.01.2001,2024,1000,400,90,8\n")  # fmt: skip
    fixed = recomputed(cli_run(data_dir, home))
    assert fixed["basis_desa"] == "[2024]"
    assert fixed["kpi_tujuan"] == "[2024]"
    assert set(fixed.values()) <= {"-", "[2024]"}
    assert "-" in fixed.values()  # the issues without poverty inputs were left alone
    assert kab_value(data_dir, "kpi_tujuan", 2024) == 22.5  # 90 / 400
    assert kab_value(data_dir, "kpi_tujuan", 2023) == 25.0


MART = '''"""Poor households."""


def share(poor, households):
    return 100 * poor / households
'''
MART_REWORDED = '''"""Poor households, per hundred households (docs/contracts.md)."""


def share(poor, households):  # a percentage
    """The share of poor households."""
    return (
        100 * poor / households
    )
'''


def module_from(path: Path, source: str) -> ModuleType:
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("mart", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_reworded_comment_or_docstring_is_no_code_change_but_an_edit_of_the_code_is(tmp_path):
    # Helpers rewording comments while the national benchmark ran made its rerun recompute
    # every year of every mart, as if the code had changed.
    before = module_from(tmp_path / "a.py", MART)
    reworded = module_from(tmp_path / "b.py", MART_REWORDED)
    changed = module_from(tmp_path / "c.py", MART.replace("100 *", "1000 *"))
    assert sidik.code_fingerprint(before) == sidik.code_fingerprint(reworded)
    assert sidik.function_fingerprint(before.share) == sidik.function_fingerprint(reworded.share)
    assert sidik.code_fingerprint(changed) != sidik.code_fingerprint(before)
    assert sidik.function_fingerprint(changed.share) != sidik.function_fingerprint(before.share)
