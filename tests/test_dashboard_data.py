"""dashboards.data against a hand-built snapshot: values, filters, safety and freshness."""

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import snapshot_fixture as sf

from dashboards import data


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.siapkan(tmp_path, monkeypatch)


def test_info_and_years(data_dir: Path) -> None:
    info = data.info()
    assert info["run_id"] == "run-uji-1"
    assert info["provinsi"] == "62"
    assert info["nama_provinsi"] == "Kalimantan Tengah"
    assert data.tahun_tersedia() == [2023, 2024]


def test_definisi_in_issue_order(data_dir: Path) -> None:
    d = data.definisi()
    assert list(d["kpi_id"]) == [x[0] for x in sf.DEFINISI]
    assert d.loc[d["kpi_id"] == "kk_miskin_pct", "arah"].item() == "turun"
    assert d["utama"].dtype == bool


def test_kpi_filters_in_sql(data_dir: Path) -> None:
    df = data.kpi(["kabupaten", "provinsi"], tahun=[2024], kpi_id=["serapan_dana_desa_pct"])
    nilai = dict(zip(df["kode_wilayah"], df["nilai"], strict=True))
    assert nilai["62"] == pytest.approx(87.456)
    assert nilai["62.01"] == pytest.approx(92.3)
    assert pd_isna(nilai["62.71"])
    ket = df.loc[df["kode_wilayah"] == "62.71", "keterangan"].item()
    assert ket == sf.KETERANGAN_PR
    desa = data.kpi(["desa"], tahun=[2024], kode_kab="62.01")
    assert set(desa["kode_wilayah"]) == {k for k in sf.DESA if k.startswith("62.01")}
    assert set(desa["tingkat"]) == {"desa"}


def pd_isna(x: object) -> bool:
    import pandas as pd

    return bool(pd.isna(x))


def test_filter_values_never_reach_sql_as_text(data_dir: Path) -> None:
    """A hostile filter value is a value, not SQL: it matches nothing and breaks nothing."""
    jahat = "62.01' or '1'='1"
    assert data.kpi(["desa"], kode_kab=jahat).empty
    assert data.desa_daftar(jahat).empty
    assert data.peringkat_desa("x'); drop table kpi; --").empty
    assert not data.kpi(["provinsi"]).empty  # the table is still there


def test_peringkat_desa_follows_direction(data_dir: Path) -> None:
    r = data.peringkat_desa("62.01.01.2001")  # Sungai Cabang
    baris = r[(r["kpi_id"] == "serapan_dana_desa_pct") & (r["tahun"] == 2024)].iloc[0]
    assert (baris["peringkat"], baris["jumlah_desa"]) == (1, 3)  # highest absorption: best
    baris = r[(r["kpi_id"] == "kk_miskin_pct") & (r["tahun"] == 2024)].iloc[0]
    assert (baris["peringkat"], baris["jumlah_desa"]) == (4, 4)  # most poor households: last
    teluk = data.peringkat_desa("62.01.01.2002")
    baris = teluk[(teluk["kpi_id"] == "kk_miskin_pct") & (teluk["tahun"] == 2024)].iloc[0]
    assert baris["peringkat"] == 1


def test_dataset_desa_and_idm(data_dir: Path) -> None:
    ds = data.dataset_desa("62.01.01.2001")
    assert set(ds) == set(data.DATASET_DESA)
    assert list(ds["dana_desa"]["tahun"]) == [2023, 2024]
    assert "sha256" not in ds["dana_desa"].columns
    status = data.idm_status("62.01", 2024)
    assert dict(zip(status["status"], status["jumlah"], strict=True)) == {
        "maju": 1,
        "berkembang": 1,
        "mandiri": 1,
    }
    assert data.idm_status("62.71", 2024).empty


def test_dataset_sintetis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path / "a", monkeypatch)
    assert data.dataset_sintetis(2024, "62.01") == sf.DATASET_SINTETIS_BAWAAN
    sf.siapkan(tmp_path / "b", monkeypatch, sintetis=False)
    assert data.dataset_sintetis(2024, "62.01") == frozenset()
    sf.siapkan(tmp_path / "c", monkeypatch, sintetis=frozenset({"idm"}))
    assert data.dataset_sintetis() == {"idm"}


def test_quality_tables(data_dir: Path) -> None:
    log = data.ingest_log()
    assert len(log) == 5
    assert list(log["received_at"]) == sorted(log["received_at"], reverse=True)
    tolak = data.ditolak()
    assert set(tolak["file_name"]) == {sf.FILE_DITOLAK, "profil_dengan_nik.csv"}
    assert sf.REPORT_DITOLAK in set(tolak["report"])
    assert set(data.sumber_data()["dataset"]) == set(data.TABEL_DATASET)
    assert len(data.kelengkapan()) == 6 * 3 * 2


def test_missing_snapshot_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.siapkan(tmp_path, monkeypatch, snapshot=False)
    assert not data.tersedia()
    with pytest.raises(data.SnapshotTidakAda):
        data.info()


def test_unreadable_snapshot_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = sf.siapkan(tmp_path, monkeypatch, snapshot=False)
    rusak = data_dir / "published" / "dasbor.duckdb"
    rusak.parent.mkdir(parents=True)
    rusak.write_bytes(b"bukan basis data")
    with pytest.raises(data.SnapshotTidakTerbaca):
        data.info()


def test_newer_snapshot_is_seen_without_restart(data_dir: Path) -> None:
    """The pipeline os.replace()s the file; the next call reads the new one (no stale cache)."""
    assert data.info()["run_id"] == "run-uji-1"
    assert data.dataset_sintetis() == sf.DATASET_SINTETIS_BAWAAN
    versi_lama = data.versi()
    sf.buat_snapshot(
        data_dir, sintetis=False, run_id="run-uji-2", diterbitkan_pada=datetime(2025, 4, 1, 1)
    )
    assert data.versi() != versi_lama
    assert data.info()["run_id"] == "run-uji-2"
    assert data.info()["diterbitkan_pada"] == datetime(2025, 4, 1, 1)
    assert data.dataset_sintetis() == frozenset()


def test_dashboard_holds_no_lock(data_dir: Path) -> None:
    """After reading, nothing is left open: the pipeline can open the file read-write at once
    (DuckDB has no lock wait), and replace it."""
    data.info()
    data.kpi(["desa"], tahun=[2024], kode_kab="62.01")
    path = data.snapshot_path()
    con = duckdb.connect(str(path))  # read-write: fails if any reader still holds it
    con.execute("select count(*) from kpi").fetchall()
    con.close()
    salinan = path.with_name("salinan.duckdb")
    salinan.write_bytes(path.read_bytes())
    os.replace(salinan, path)


def test_geojson_overridable(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gj = data.geojson("desa", "62.01")
    assert gj is not None
    assert {f["properties"]["kode_kab"] for f in gj["features"]} == {"62.01"}
    monkeypatch.setenv("DASBOR_GEOJSON_KABUPATEN", "")
    assert data.geojson("kabupaten") is None
    monkeypatch.setenv("DASBOR_GEOJSON_KABUPATEN", "tidak_ada.geojson")
    assert data.geojson("kabupaten") is None
