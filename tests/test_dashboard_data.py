"""dashboards.data against a hand-built snapshot: values, filters, safety and freshness."""

import os
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pytest

from dashboards import data
from tests import snapshot_fixture as sf


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_info_and_years(data_dir: Path) -> None:
    info = data.info()
    assert info["run_id"] == "run-uji-1"
    assert info["provinsi"] == "62"
    assert info["nama_provinsi"] == "Kalimantan Tengah"
    assert data.available_years() == [2023, 2024]


def test_kpi_definitions_in_issue_order(data_dir: Path) -> None:
    d = data.kpi_definitions()
    assert list(d["kpi_id"]) == [x[0] for x in sf.DEFINITIONS]
    assert d.loc[d["kpi_id"] == "kk_miskin_pct", "arah"].item() == "turun"
    assert d["utama"].dtype == bool


def test_kpi_filters_in_sql(data_dir: Path) -> None:
    df = data.kpi(["kabupaten", "provinsi"], tahun=[2024], kpi_id=["serapan_dana_desa_pct"])
    values = dict(zip(df["kode_wilayah"], df["nilai"], strict=True))
    assert values["62"] == pytest.approx(87.456)
    assert values["62.01"] == pytest.approx(92.3)
    assert pd_isna(values["62.71"])
    reason = df.loc[df["kode_wilayah"] == "62.71", "keterangan"].item()
    assert reason == sf.REASON_PALANGKA_RAYA
    desa = data.kpi(["desa"], tahun=[2024], kode_kab="62.01")
    assert set(desa["kode_wilayah"]) == {k for k in sf.DESA if k.startswith("62.01")}
    assert set(desa["tingkat"]) == {"desa"}


def pd_isna(x: object) -> bool:
    import pandas as pd

    return bool(pd.isna(x))


def test_filter_values_never_reach_sql_as_text(data_dir: Path) -> None:
    """A hostile filter value is a value, not SQL: it matches nothing and breaks nothing."""
    hostile = "62.01' or '1'='1"
    assert data.kpi(["desa"], kode_kab=hostile).empty
    assert data.desa_list(hostile).empty
    assert data.desa_ranks("x'); drop table kpi; --").empty
    assert not data.kpi(["provinsi"]).empty  # the table is still there


def test_desa_ranks_follow_direction(data_dir: Path) -> None:
    r = data.desa_ranks("62.01.01.2001")  # Sungai Cabang
    row = r[(r["kpi_id"] == "serapan_dana_desa_pct") & (r["tahun"] == 2024)].iloc[0]
    assert (row["peringkat"], row["jumlah_desa"]) == (1, 3)  # highest absorption: best
    row = r[(r["kpi_id"] == "kk_miskin_pct") & (r["tahun"] == 2024)].iloc[0]
    assert (row["peringkat"], row["jumlah_desa"]) == (4, 4)  # most poor households: last
    teluk = data.desa_ranks("62.01.01.2002")
    row = teluk[(teluk["kpi_id"] == "kk_miskin_pct") & (teluk["tahun"] == 2024)].iloc[0]
    assert row["peringkat"] == 1


def test_desa_datasets_and_idm(data_dir: Path) -> None:
    ds = data.desa_datasets("62.01.01.2001")
    assert [d for d in ds if d != "indeks_desa"] == [
        "dana_desa", "bumdes", "umkm", "kemiskinan_desa", "idm", "profil_desa",
    ]  # fmt: skip
    assert list(ds["indeks_desa"]["skor_indeks_desa"]) == [sf.INDEKS_DESA_2024["62.01.01.2001"][0]]
    assert list(ds["dana_desa"]["tahun"]) == [2023, 2024]
    assert "sha256" not in ds["dana_desa"].columns
    status = data.idm_status_counts("62.01", 2024)
    assert dict(zip(status["status"], status["jumlah"], strict=True)) == {
        "maju": 1,
        "berkembang": 1,
        "mandiri": 1,
    }
    assert data.idm_status_counts("62.71", 2024).empty


def test_synthetic_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path / "a", monkeypatch)
    assert data.synthetic_datasets(2024, "62.01") == sf.DEFAULT_SYNTHETIC_DATASETS
    sf.prepare(tmp_path / "b", monkeypatch, synthetic=False)
    assert data.synthetic_datasets(2024, "62.01") == frozenset()
    sf.prepare(tmp_path / "c", monkeypatch, synthetic=frozenset({"idm"}))
    assert data.synthetic_datasets() == {"idm"}


def test_quality_tables(data_dir: Path) -> None:
    log = data.ingest_log()
    assert len(log) == 5
    assert list(log["received_at"]) == sorted(log["received_at"], reverse=True)
    rejected = data.rejected_files()
    assert set(rejected["file_name"]) == {sf.REJECTED_FILE, "profil_dengan_nik.csv"}
    assert sf.REJECTED_REPORT in set(rejected["report"])
    # every dataset that holds rows is a declared one (the fixture has rows in eight)
    sources = set(data.data_sources()["dataset"])
    assert sources <= set(data.datasets()["dataset"])
    assert len(sources) == 8
    assert len(data.completeness()) == 6 * 3 * 2


def test_missing_snapshot_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, snapshot=False)
    assert not data.is_available()
    with pytest.raises(data.SnapshotMissing):
        data.info()


def test_unreadable_snapshot_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = sf.prepare(tmp_path, monkeypatch, snapshot=False)
    damaged = data_dir / "published" / "dasbor.duckdb"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"bukan basis data")
    with pytest.raises(data.SnapshotUnreadable):
        data.info()


def test_newer_snapshot_is_seen_without_restart(data_dir: Path) -> None:
    """The pipeline os.replace()s the file; the next call reads the new one (no stale cache)."""
    assert data.info()["run_id"] == "run-uji-1"
    assert data.synthetic_datasets() == sf.DEFAULT_SYNTHETIC_DATASETS
    old_version = data.version()
    sf.build_snapshot(
        data_dir, synthetic=False, run_id="run-uji-2", diterbitkan_pada=datetime(2025, 4, 1, 1)
    )
    assert data.version() != old_version
    assert data.info()["run_id"] == "run-uji-2"
    assert data.info()["diterbitkan_pada"] == datetime(2025, 4, 1, 1)
    assert data.synthetic_datasets() == frozenset()


def test_dashboard_holds_no_lock(data_dir: Path) -> None:
    """After reading, nothing is left open: the pipeline can open the file read-write at once
    (DuckDB has no lock wait), and replace it."""
    data.info()
    data.kpi(["desa"], tahun=[2024], kode_kab="62.01")
    path = data.snapshot_path()
    con = duckdb.connect(str(path))  # read-write: fails if any reader still holds it
    con.execute("select count(*) from kpi").fetchall()
    con.close()
    copy_path = path.with_name("salinan.duckdb")
    copy_path.write_bytes(path.read_bytes())
    os.replace(copy_path, path)


def test_geojson_overridable(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gj = data.geojson("desa", "62.01")
    assert gj is not None
    assert {f["properties"]["kode_kab"] for f in gj["features"]} == {"62.01"}
    monkeypatch.setenv("DASBOR_GEOJSON_KABUPATEN", "")
    assert data.geojson("kabupaten") is None
    monkeypatch.setenv("DASBOR_GEOJSON_KABUPATEN", "tidak_ada.geojson")
    assert data.geojson("kabupaten") is None


def test_cached_frames_are_shared_yet_safe_to_change(data_dir: Path) -> None:
    """A cached read hands out the cached frame's data without a copy per call (no unpickling
    on every page run), and whatever a caller does to its frame leaves the next caller's alone."""
    first = data.kpi(["kabupaten"], tahun=[2024])
    second = data.kpi(["kabupaten"], tahun=[2024])
    assert first is not second
    assert np.shares_memory(first["nilai"].to_numpy(), second["nilai"].to_numpy())
    expected = second.copy(deep=True)
    first.loc[first.index[0], "nilai"] = -1.0
    first["baru"] = 1
    first.drop(columns="keterangan", inplace=True)
    first.sort_values("kode_wilayah", ascending=False, inplace=True)
    third = data.kpi(["kabupaten"], tahun=[2024])
    assert list(third.columns) == list(expected.columns)
    assert third.equals(expected)
    assert data.desa_datasets("62.01.01.2001") is not data.desa_datasets("62.01.01.2001")
    titles = data.dataset_titles()
    titles["dana_desa"] = "diubah"
    assert data.dataset_titles()["dana_desa"] != "diubah"


def test_built_views_are_kept_per_snapshot_version(data_dir: Path) -> None:
    """@snapshot_view keeps what a page builds (a figure, a display table) per snapshot version
    and arguments: the same object for the same snapshot, a new one after a publish."""
    calls: list[str] = []

    @data.snapshot_view
    def built(kode: str) -> dict:
        calls.append(kode)
        return {"kode": kode, "baris": len(data.kpi(["kabupaten"], tahun=[2024]))}

    a = built("62.01")
    assert built("62.01") is a
    assert built("62.02") is not a
    assert calls == ["62.01", "62.02"]
    snapshot = data.snapshot_path()
    os.replace(snapshot, snapshot.with_suffix(".tmp"))
    os.replace(snapshot.with_suffix(".tmp"), snapshot)  # same inode: still the same snapshot
    assert built("62.01") is a
    copy = snapshot.with_suffix(".baru")
    copy.write_bytes(snapshot.read_bytes())
    os.replace(copy, snapshot)  # a publish: a new file
    fresh = built("62.01")
    assert fresh is not a
    assert fresh == a
    assert calls == ["62.01", "62.02", "62.01"]
