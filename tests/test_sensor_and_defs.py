"""The inbox sensor and the code location as Dagster loads it."""

import os

import dagster as dg

from pipelines.contracts.datasets import DATASETS
from pipelines.defs.sensors import inbox_sensor
from tests.conftest import drop


def tick(cursor: str | None):
    context = dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=cursor)
    result = inbox_sensor(context)
    return result, result.cursor


def test_sensor_waits_until_a_file_is_stable_then_runs_once(data_dir):
    drop(data_dir, "kemiskinan_desa", "a.csv", "kode_desa,tahun\n")
    first, cursor = tick(None)
    assert not first.run_requests  # seen once: it may still be being copied
    second, cursor = tick(cursor)
    assert len(second.run_requests) == 1
    third, cursor = tick(cursor)
    assert not third.run_requests  # same file, same bytes: launched already


def test_sensor_does_not_read_a_file_that_is_still_growing(data_dir):
    path = drop(data_dir, "dana_desa", "besar.csv", "kode_desa,tahun\n")
    _, cursor = tick(None)
    with path.open("a") as handle:
        handle.write("62.01.01.2001,2024\n")
    second, cursor = tick(cursor)
    assert not second.run_requests
    third, _ = tick(cursor)
    assert len(third.run_requests) == 1


def test_sensor_ignores_lock_and_partial_files(data_dir):
    drop(data_dir, "umkm", "~$umkm.xlsx", b"lock")
    drop(data_dir, "umkm", "umkm.csv.part", b"half")
    drop(data_dir, "umkm", "umkm.tmp", b"half")
    _, cursor = tick(None)
    second, _ = tick(cursor)
    assert not second.run_requests
    assert "inbox kosong" in (second.skip_reason or "")


def test_corrected_file_with_the_same_name_runs_again(data_dir):
    path = drop(data_dir, "idm", "idm.csv", "v1\n")
    _, cursor = tick(None)
    first, cursor = tick(cursor)
    key1 = first.run_requests[0].run_key
    path.write_text("v2 dengan perbaikan\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    _, cursor = tick(cursor)
    again, _ = tick(cursor)
    assert len(again.run_requests) == 1
    assert again.run_requests[0].run_key != key1


def test_definitions_load_with_lineage_groups_and_sensor_on(data_dir):
    from pipelines.definitions import defs

    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    graph = definitions.resolve_asset_graph()
    groups = {}
    for key in graph.get_all_asset_keys():
        groups.setdefault(graph.get(key).group_name, set()).add(key.path[-1])
    assert groups["ingest"] == set(DATASETS)  # one asset per declaration
    assert {"kpi_isu1", "kpi_isu2", "kpi_isu3", "kpi_isu4", "kpi_tujuan", "kpi"} <= groups["kpi"]
    assert groups["terbit"] == {"dasbor_terbit"}
    sensor = definitions.get_sensor_def("inbox_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    # Rematerializing one issue touches only what depends on it.
    selection = dg.AssetSelection.assets("kpi_isu1").downstream().resolve(graph)
    # laporan_ringkas is downstream too, but skips itself in a run that also publishes.
    assert {k.path[-1] for k in selection} == {
        "kpi_isu1",
        "kpi",
        "capaian_target",
        "dasbor_terbit",
        "laporan_ringkas",
    }
