"""Rematerializing one strategic issue, or one year of it, recomputes only that."""

import dagster as dg
import duckdb

from pipelines.defs.marts import ISU_ASSETS
from pipelines.defs.resources import DasborResource
from tests.conftest import drop, run_pipeline

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


def test_one_year_of_one_issue_recomputes_only_that_year(data_dir):
    drop(data_dir, "kemiskinan_desa", "a.csv", FILE)
    assert run_pipeline(data_dir).success
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
