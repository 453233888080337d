"""Every read of the published snapshot, and nothing else.

The dashboard's only tie to the pipeline is the snapshot's schema (spec/outputs.md): this module
never imports `pipelines`. The snapshot is `<DASBOR_DATA_DIR>/published/dasbor.duckdb`, replaced
atomically by the pipeline (os.replace), so:

- each query opens a short-lived in-memory DuckDB connection, ATTACHes the file READ_ONLY,
  reads and closes. No connection outlives a query, so the dashboard never blocks the pipeline
  and never keeps an old snapshot open (DuckDB caches database instances by path while any
  connection to it is open);
- results are cached with `st.cache_data`, keyed by the snapshot's version (inode, mtime, size):
  a newer snapshot has a new version, so it shows on the next interaction without a restart;
- every value reaches SQL through `?` placeholders. Table names cannot be bound, so they come
  from the fixed `TABEL_DATASET` allow-list.
"""

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

REPO_ROOT = Path(__file__).resolve().parents[1]

TTL_DETIK = 600
"""Cached results also expire after this many seconds; a new snapshot invalidates them at once."""

TABEL_DATASET = (
    "dana_desa",
    "bumdes",
    "umkm",
    "kemiskinan_desa",
    "kemiskinan_kab",
    "idm",
    "profil_desa",
)
DATASET_DESA = tuple(t for t in TABEL_DATASET if t != "kemiskinan_kab")

URUTAN_ISU = ("isu1", "isu2", "isu3", "isu4", "tujuan")

GEOJSON_BAWAAN = {
    "kabupaten": "kalteng_kabupaten.geojson",
    "kecamatan": "kalteng_kecamatan.geojson",
    "desa": "kalteng_desa.geojson",
}

Versi = tuple[str, int, int, int]
"""(path, inode, mtime_ns, size): changes whenever os.replace puts a new snapshot in place."""


class SnapshotTidakAda(RuntimeError):
    """No snapshot has been published yet."""


class SnapshotTidakTerbaca(RuntimeError):
    """The snapshot exists but could not be read (wrong schema, damaged file)."""


# --- where things are --------------------------------------------------------------------


def data_dir() -> Path:
    return Path(os.environ.get("DASBOR_DATA_DIR") or REPO_ROOT / "data")


def snapshot_path() -> Path:
    return data_dir() / "published" / "dasbor.duckdb"


def reference_dir() -> Path:
    return Path(os.environ.get("DASBOR_REFERENCE_DIR") or REPO_ROOT / "data" / "reference")


def geojson_path(tingkat: str) -> Path | None:
    """The boundary file for 'kabupaten', 'kecamatan' or 'desa', or None when there is none.

    `DASBOR_GEOJSON_KABUPATEN` (etc.) overrides the file name (or gives an absolute path); set
    it to an empty string to switch the map off, e.g. for a national snapshot.
    """
    nama = os.environ.get(f"DASBOR_GEOJSON_{tingkat.upper()}", GEOJSON_BAWAAN[tingkat])
    if not nama:
        return None
    path = reference_dir() / nama
    return path if path.is_file() else None


def versi() -> Versi | None:
    """The current snapshot's version, or None when nothing is published yet."""
    path = snapshot_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


def tersedia() -> bool:
    return versi() is not None


def _versi_wajib() -> Versi:
    v = versi()
    if v is None:
        raise SnapshotTidakAda(str(snapshot_path()))
    return v


# --- the one place that talks to DuckDB ----------------------------------------------------


def _baca(v: Versi, kueri: Sequence[tuple[str, Sequence[Any]]]) -> list[pd.DataFrame]:
    """Run parameterised queries against the snapshot on one short-lived connection."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS snap (READ_ONLY)", [v[0]])
        con.execute("USE snap")
        return [con.execute(sql, list(params)).df() for sql, params in kueri]
    except duckdb.IOException as e:
        if not Path(v[0]).exists():
            raise SnapshotTidakAda(v[0]) from e
        raise SnapshotTidakTerbaca(str(e)) from e
    except duckdb.Error as e:
        raise SnapshotTidakTerbaca(str(e)) from e
    finally:
        con.close()


def _satu(v: Versi, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return _baca(v, [(sql, params)])[0]


_cache = st.cache_data(ttl=TTL_DETIK, max_entries=256, show_spinner=False)


# --- small, whole tables ---------------------------------------------------------------------


@_cache
def _info(v: Versi) -> dict[str, Any]:
    df = _satu(v, "select * from snapshot_info limit 1")
    if df.empty:
        raise SnapshotTidakTerbaca("snapshot_info kosong")
    return {k: (None if pd.isna(x) else x) for k, x in df.iloc[0].to_dict().items()}


def info() -> dict[str, Any]:
    """The snapshot_info row: diterbitkan_pada (UTC), run_id, provinsi, nama_provinsi, ..."""
    return _info(_versi_wajib())


@_cache
def _definisi(v: Versi) -> pd.DataFrame:
    df = _satu(
        v,
        """
        select kpi_id, isu, isu_nama, nama, satuan, arah, rumus, dataset_sumber, urutan, utama
        from kpi_definisi
        order by coalesce(list_position(?::varchar[], isu), 99), urutan, kpi_id
        """,
        [list(URUTAN_ISU)],
    )
    df["utama"] = df["utama"].fillna(False).astype(bool)
    return df


def definisi() -> pd.DataFrame:
    """kpi_definisi in display order (issue, then urutan)."""
    return _definisi(_versi_wajib())


@_cache
def _tahun(v: Versi) -> list[int]:
    df = _satu(v, "select distinct tahun from kpi where tahun is not null order by tahun")
    return [int(t) for t in df["tahun"]]


def tahun_tersedia() -> list[int]:
    """Every year with KPI rows, ascending."""
    return _tahun(_versi_wajib())


@_cache
def _wilayah_tingkat(v: Versi, tingkat: str, kode_kab: str | None) -> pd.DataFrame:
    return _satu(
        v,
        """
        select kode, nama, kode_kab, kode_kec, jenis
        from wilayah
        where tingkat = ? and (?::varchar is null or kode_kab = ?)
        order by kode
        """,
        [tingkat, kode_kab, kode_kab],
    )


def kabupaten() -> pd.DataFrame:
    """kode, nama, jenis of every kabupaten/kota."""
    return _wilayah_tingkat(_versi_wajib(), "kabupaten", None)


def kecamatan(kode_kab: str | None = None) -> pd.DataFrame:
    return _wilayah_tingkat(_versi_wajib(), "kecamatan", kode_kab)


@_cache
def _desa_daftar(v: Versi, kode_kab: str | None) -> pd.DataFrame:
    return _satu(
        v,
        """
        select d.kode, d.nama, d.jenis, d.kode_kec, kc.nama as nama_kec,
               d.kode_kab, kb.nama as nama_kab
        from wilayah d
        left join wilayah kc on kc.kode = d.kode_kec and kc.tingkat = 'kecamatan'
        left join wilayah kb on kb.kode = d.kode_kab and kb.tingkat = 'kabupaten'
        where d.tingkat = 'desa' and (?::varchar is null or d.kode_kab = ?)
        order by d.kode
        """,
        [kode_kab, kode_kab],
    )


def desa_daftar(kode_kab: str | None = None) -> pd.DataFrame:
    """Villages (desa and kelurahan) with their kecamatan and kabupaten names."""
    return _desa_daftar(_versi_wajib(), kode_kab)


# --- KPI values ------------------------------------------------------------------------------

_KOLOM_KPI = (
    "tingkat, kode_wilayah, nama_wilayah, kode_kab, tahun, kpi_id, nilai, desa_melapor, "
    "pembilang, penyebut, keterangan"
)


@_cache
def _kpi(
    v: Versi,
    tingkat: tuple[str, ...],
    tahun: tuple[int, ...] | None,
    kode_kab: str | None,
    kode_wilayah: tuple[str, ...] | None,
    kpi_id: tuple[str, ...] | None,
) -> pd.DataFrame:
    df = _satu(
        v,
        f"""
        select {_KOLOM_KPI}
        from kpi
        where list_contains(?::varchar[], tingkat)
          and (?::integer[] is null or list_contains(?::integer[], tahun))
          and (?::varchar is null or kode_kab = ?)
          and (?::varchar[] is null or list_contains(?::varchar[], kode_wilayah))
          and (?::varchar[] is null or list_contains(?::varchar[], kpi_id))
        order by tingkat, kode_wilayah, kpi_id, tahun
        """,
        [
            list(tingkat),
            *[list(tahun) if tahun is not None else None] * 2,
            kode_kab,
            kode_kab,
            *[list(kode_wilayah) if kode_wilayah is not None else None] * 2,
            *[list(kpi_id) if kpi_id is not None else None] * 2,
        ],
    )
    df["tahun"] = df["tahun"].astype("int64")
    return df


def kpi(
    tingkat: Sequence[str],
    *,
    tahun: Sequence[int] | None = None,
    kode_kab: str | None = None,
    kode_wilayah: Sequence[str] | None = None,
    kpi_id: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of the kpi table, filtered in SQL (never the whole table unless asked for)."""

    def tup(x: Sequence[Any] | None) -> tuple[Any, ...] | None:
        return None if x is None else tuple(x)

    return _kpi(
        _versi_wajib(),
        tuple(tingkat),
        tup([int(t) for t in tahun] if tahun is not None else None),
        kode_kab,
        tup(kode_wilayah),
        tup(kpi_id),
    )


@_cache
def _peringkat_desa(v: Versi, kode_desa: str) -> pd.DataFrame:
    return _satu(
        v,
        """
        with sekab as (
            select k.kode_wilayah, k.tahun, k.kpi_id, k.nilai, k.keterangan, d.arah
            from kpi k
            join kpi_definisi d using (kpi_id)
            where k.tingkat = 'desa'
              and k.kode_kab = (select kode_kab from wilayah where kode = ? limit 1)
        ),
        berperingkat as (
            select *,
                case when nilai is null then null else rank() over (
                    partition by tahun, kpi_id
                    order by case when arah = 'turun' then nilai else -nilai end asc nulls last
                ) end as peringkat,
                count(nilai) over (partition by tahun, kpi_id) as jumlah_desa
            from sekab
        )
        select kpi_id, tahun, nilai, keterangan, peringkat, jumlah_desa
        from berperingkat
        where kode_wilayah = ?
        order by kpi_id, tahun
        """,
        [kode_desa, kode_desa],
    )


def peringkat_desa(kode_desa: str) -> pd.DataFrame:
    """The village's KPI rows with its rank among the villages of its kabupaten.

    Rank 1 is best: the highest value for 'naik' KPIs, the lowest for 'turun'. Villages
    without a value are not ranked; `jumlah_desa` counts those that are.
    """
    return _peringkat_desa(_versi_wajib(), kode_desa)


# --- dataset rows ------------------------------------------------------------------------------


@_cache
def _dataset_desa(v: Versi, kode_desa: str) -> dict[str, pd.DataFrame]:
    kueri = [
        (f"select * exclude (sha256) from {tabel} where kode_desa = ? order by tahun", [kode_desa])
        for tabel in DATASET_DESA
    ]
    return dict(zip(DATASET_DESA, _baca(v, kueri), strict=True))


def dataset_desa(kode_desa: str) -> dict[str, pd.DataFrame]:
    """Every desa-level dataset's rows for one village, by dataset name."""
    return _dataset_desa(_versi_wajib(), kode_desa)


@_cache
def _idm_status(v: Versi, kode_kab: str | None, tahun: int) -> pd.DataFrame:
    return _satu(
        v,
        """
        select status_idm_hitung as status, count(*)::integer as jumlah
        from idm
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        group by all
        """,
        [tahun, kode_kab, kode_kab],
    )


def idm_status(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """How many desa have each derived IDM status (status_idm_hitung) in an area and year."""
    return _idm_status(_versi_wajib(), kode_kab, int(tahun))


@_cache
def _idm_desa(v: Versi, kode_kab: str, tahun: int) -> pd.DataFrame:
    return _satu(
        v,
        """
        select kode_desa, nilai_idm_hitung, status_idm_hitung
        from idm where kode_kab = ? and tahun = ?
        """,
        [kode_kab, tahun],
    )


def idm_desa(kode_kab: str, tahun: int) -> pd.DataFrame:
    """Each desa's computed IDM score and status in a kabupaten and year."""
    return _idm_desa(_versi_wajib(), kode_kab, int(tahun))


# --- data quality ------------------------------------------------------------------------------


@_cache
def _kelengkapan(v: Versi) -> pd.DataFrame:
    return _satu(
        v,
        """
        select dataset, kode_kab, tahun, desa_melapor, desa_total, persen_lengkap,
               diterima_pada, sintetis
        from kelengkapan_data order by dataset, kode_kab, tahun
        """,
    )


def kelengkapan() -> pd.DataFrame:
    return _kelengkapan(_versi_wajib())


@_cache
def _ingest_log(v: Versi, batas: int) -> pd.DataFrame:
    return _satu(
        v,
        """
        select received_at, file_name, dataset, status, rows, stored_as, sha256
        from ingest_log order by received_at desc, file_name limit ?
        """,
        [batas],
    )


def ingest_log(batas: int = 2000) -> pd.DataFrame:
    """The latest ingest-log rows, newest first, without the (long) report text."""
    return _ingest_log(_versi_wajib(), int(batas))


@_cache
def _ditolak(v: Versi, batas: int) -> pd.DataFrame:
    return _satu(
        v,
        """
        select received_at, file_name, dataset, rows, report, stored_as
        from ingest_log where status = 'rejected'
        order by received_at desc, file_name limit ?
        """,
        [batas],
    )


def ditolak(batas: int = 200) -> pd.DataFrame:
    """Rejected files with their reports, newest first."""
    return _ditolak(_versi_wajib(), int(batas))


@_cache
def _sumber_data(v: Versi) -> pd.DataFrame:
    return _satu(
        v, "select dataset, sintetis, sumber, baris from sumber_data order by dataset, sintetis"
    )


def sumber_data() -> pd.DataFrame:
    return _sumber_data(_versi_wajib())


@_cache
def _dataset_sintetis(v: Versi, tahun: int | None, kode_kab: str | None) -> frozenset[str]:
    df = _satu(
        v,
        """
        select distinct dataset from kelengkapan_data
        where sintetis
          and (?::integer is null or tahun = ?)
          and (?::varchar is null or kode_kab = ? or kode_kab = ?)
        union
        select distinct dataset from sumber_data
        where sintetis and coalesce(baris, 1) > 0
          and dataset not in (select dataset from kelengkapan_data)
        """,
        [tahun, tahun, kode_kab, kode_kab, (kode_kab or "")[:2] or None],
    )
    return frozenset(df["dataset"].dropna())


def dataset_sintetis(tahun: int | None = None, kode_kab: str | None = None) -> frozenset[str]:
    """Datasets with synthetic (sample) figures, for a year and kabupaten when given.

    Uses kelengkapan_data's per-slice `sintetis` flag, and sumber_data for a dataset that has
    no completeness rows. The province's own rows (kode_kab = the province code) count for
    every kabupaten.
    """
    return _dataset_sintetis(_versi_wajib(), None if tahun is None else int(tahun), kode_kab)


# --- boundaries --------------------------------------------------------------------------------


@st.cache_resource(ttl=TTL_DETIK, max_entries=64, show_spinner=False)
def _geojson(path: str, mtime_ns: int, kode_kab: str | None) -> dict[str, Any]:
    # cache_resource, not cache_data: a copy of a 230-village GeoJSON costs 0.1 s to unpickle
    # on every run. Callers only read it (charts.peta never changes it).
    with open(path, encoding="utf-8") as f:
        gj = json.load(f)
    fitur = gj.get("features", [])
    if kode_kab is not None:
        fitur = [ft for ft in fitur if (ft.get("properties") or {}).get("kode_kab") == kode_kab]
    return {"type": "FeatureCollection", "features": fitur}


def geojson(tingkat: str, kode_kab: str | None = None) -> dict[str, Any] | None:
    """Boundaries of one level (optionally of one kabupaten), or None when there is no file."""
    path = geojson_path(tingkat)
    if path is None:
        return None
    gj = _geojson(str(path), path.stat().st_mtime_ns, kode_kab)
    return gj if gj["features"] else None
