"""Small versions of the benchmarks, so their code keeps working. These check that each
benchmark runs and that its correctness checks hold; they assert no timing."""

import json

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("DASBOR_BENCH_RESULTS", str(tmp_path / "results"))


@pytest.mark.parametrize("milliseconds", [0.83, 533, 2_100, 59_990, 63_000, 292_000, 3_840_000])
def test_step_times_read_every_duration_dagster_writes(milliseconds):
    """A step over a minute is written `1m3s`: read whole, not as its first `1m` (the national
    UMKM step was reported as 60 s for two sessions)."""
    from dagster_shared.utils.timing import format_duration

    from benchmarks import bench_e2e

    line = (
        "2026-12-04 17:05:01 +0000 - dagster - DEBUG - __ASSET_JOB - 0496d565 - 27493 - umkm - "
        f'STEP_SUCCESS - Finished execution of step "umkm" in {format_duration(milliseconds)}.\n'
    )
    # Dagster shows whole seconds above a minute, and whole minutes above an hour.
    shown = milliseconds / 1000
    exact = {60: shown // 1, 3600: shown // 60 * 60}
    expected = next((exact[limit] for limit in (3600, 60) if shown >= limit), shown)
    assert bench_e2e.step_times(line) == {"umkm": pytest.approx(expected, abs=0.006)}


def test_end_to_end_benchmark_on_a_small_country(tmp_path):
    from benchmarks import bench_e2e

    record = bench_e2e.run(tmp_path / "work", villages=1500, provinces=2)
    assert record["inbox_files"] > 10
    assert record["stages_s"]["ingest"] > 0
    assert record["stages_s"]["publish"] > 0
    ingest_ratio = record["plain_duckdb_load_s"] / record["stages_s"]["ingest"]
    assert abs(record["ingest_throughput_to_plain_load"] - ingest_ratio) < 0.1  # both rounded
    assert record["met"]["ingest_0_5x"] == (record["ingest_throughput_to_plain_load"] >= 0.5)
    assert set(record["steps_s"]) >= {"umkm", "kpi", "dasbor_terbit"}
    # Peak memory sampled per step (issue 26): every step seen, none above the whole run's peak.
    peaks = record["steps_peak_rss_mb"]
    assert set(peaks) >= {"umkm", "basis_desa", "kpi", "dasbor_terbit"}
    assert 0 < max(peaks.values()) <= record["pipeline_peak_rss_mb"] + 1
    assert record["rerun_peak_rss_mb"] > 0
    # The rerun after one changed kabupaten-year file (2025), on the same code: that year only.
    assert record["rerun_recomputed"]["basis_desa"] == "[2025]"
    assert set(record["rerun_recomputed"].values()) <= {"-", "[2025]"}
    saved = json.loads((tmp_path / "results" / "end_to_end_national.json").read_text())
    assert saved["pipeline_wall_s"] == record["pipeline_wall_s"]


def test_provinces_benchmark_runs_two_provinces_side_by_side(tmp_path):
    from benchmarks import bench_provinces

    record = bench_provinces.run(tmp_path / "work", villages=300)
    # Each province's run published its own snapshot, in its own data directory.
    for name in ("alone", "first", "second"):
        assert (tmp_path / "work" / name / "data" / "published" / "dasbor.duckdb").is_file()
    assert set(record["each_wall_s"]) == {"first", "second"}
    assert record["two_provinces_together_wall_s"] >= max(record["each_wall_s"].values())
    # The ratio is taken from the unrounded times; the times are shown to 0.1 s, so the ratio
    # they give may differ from it by what that rounding allows, and no more.
    together, alone = record["two_provinces_together_wall_s"], record["one_province_wall_s"]
    lowest, highest = (together - 0.05) / (alone + 0.05), (together + 0.05) / (alone - 0.05)
    assert lowest - 0.005 <= record["parallel_to_one_ratio"] <= highest + 0.005
    assert min(record["peak_rss_mb"].values()) > 0


def test_kpi_benchmark_pandas_baseline_matches_polars(data_dir, tmp_path):
    from benchmarks import bench_kpi
    from tests.browser import published_sample

    published_sample(data_dir)  # the built-in sample through the pipeline
    record = bench_kpi.run(data_dir / "warehouse" / "dasbor.duckdb", repeat=2)
    assert record["identical"], record
    assert record["mismatched"] == 0
    assert record["rows"] > 1000
    # The sides take turns; each keeps its best round.
    assert len(record["polars_rounds_s"]) == len(record["pandas_rounds_s"]) == 2
    assert record["polars_s"] == min(record["polars_rounds_s"])
    assert record["pandas_s"] == min(record["pandas_rounds_s"])
    assert record["met"] == (record["pandas_s"] / record["polars_s"] >= 5)  # identical: above


def test_ingest_benchmark_accepts_the_file_and_counts_the_same_rows(tmp_path):
    from benchmarks import bench_ingest

    path = tmp_path / "umkm.csv"
    rows = [f"62.01.01.2001,2024,Usaha {i},jasa,mikro,{i % 5},{1000 * i},," for i in range(3000)]
    path.write_text(
        "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,nib,x\n"
        + "\n".join(rows)
        + "\n"
    )
    record = bench_ingest.run(path, "umkm", None, None, rounds=2)
    assert record["rows"] == 3000
    assert record["rows_match"]
    assert record["ratio_ours_to_duckdb"] > 0
    # Each side keeps its best of the alternating rounds, each round in fresh directories.
    assert len(record["ours_rounds_s"]) == len(record["duckdb_rounds_s"]) == 2
    assert record["ours_s"] == min(record["ours_rounds_s"])
    assert record["duckdb_read_csv_s"] == min(record["duckdb_rounds_s"])
    ratio = record["duckdb_read_csv_s"] / record["ours_s"]
    assert record["met"] == (ratio >= 0.5)


def test_freshness_benchmark_sees_a_dropped_file_through_the_sensor():
    from benchmarks import bench_freshness

    record = bench_freshness.run(runs=1, dagster_port=3931, dashboard_port=8931)
    assert len(record["seconds"]) == 1
    assert record["seconds"][0] > 0


@pytest.mark.browser
def test_dashboard_benchmark_times_every_page_and_the_browser(tmp_path, monkeypatch):
    from benchmarks import bench_dashboard
    from tests import snapshot_fixture as sf

    data_dir = sf.prepare(tmp_path / "dash", monkeypatch)
    record = bench_dashboard.run(data_dir, "62.01", repeat=2, name="dashboard_smoke")
    assert set(record["server_side"]) == {*bench_dashboard.PAGES, "ganti_filter"}
    assert all(v["n"] == 2 for v in record["server_side"].values())
    assert len(record["browser"]["warm_page_switch_s"]) == 4


@pytest.mark.browser
def test_dashboard_load_curve_through_the_front_door(tmp_path, monkeypatch):
    """The load curve's quick form: readers rerun a page through the real front door (Caddy
    and one worker, sticky cookie on the websocket); the JSON and the SVG plot are written."""
    from benchmarks import bench_dashboard
    from tests import snapshot_fixture as sf

    data_dir = sf.prepare(tmp_path / "dash", monkeypatch)
    record = bench_dashboard.load_curve(
        data_dir,
        pages={"ringkasan": "tahun=2024"},
        sessions=(1, 2),
        workers=(1,),
        seconds=2.0,
        baseline=None,
        name="dashboard_load_smoke",
    )
    points = record["curves"]["1_pekerja"]["ringkasan"]
    assert [p["sessions"] for p in points] == [1, 2]
    assert all(p["runs"] >= 1 and p["p50_s"] > 0 for p in points)
    saved = json.loads((tmp_path / "results" / "dashboard_load_smoke.json").read_text())
    assert saved["curves"] == record["curves"]
    svg = (tmp_path / "results" / "dashboard_load_smoke.svg").read_text()
    assert svg.startswith("<svg")
    assert "polyline" in svg
