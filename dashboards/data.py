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

CACHE_TTL_S = 600
"""Cached results also expire after this many seconds; a new snapshot invalidates them at once."""

DATASET_TABLES = (
    "dana_desa",
    "bumdes",
    "umkm",
    "kemiskinan_desa",
    "kemiskinan_kab",
    "idm",
    "profil_desa",
)
DESA_DATASETS = tuple(t for t in DATASET_TABLES if t != "kemiskinan_kab")

ISU_ORDER = ("isu1", "isu2", "isu3", "isu4", "tujuan")

DEFAULT_GEOJSON = {
    "kabupaten": "kalteng_kabupaten.geojson",
    "kecamatan": "kalteng_kecamatan.geojson",
    "desa": "kalteng_desa.geojson",
}

Version = tuple[str, int, int, int]
"""(path, inode, mtime_ns, size): changes whenever os.replace puts a new snapshot in place."""


class SnapshotMissing(RuntimeError):
    """No snapshot has been published yet."""


class SnapshotUnreadable(RuntimeError):
    """The snapshot exists but could not be read (wrong schema, damaged file)."""


class SnapshotBusy(SnapshotUnreadable):
    """Another process holds a write lock on the snapshot (DuckDB has no lock wait)."""


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
    file_name = os.environ.get(f"DASBOR_GEOJSON_{tingkat.upper()}", DEFAULT_GEOJSON[tingkat])
    if not file_name:
        return None
    path = reference_dir() / file_name
    return path if path.is_file() else None


# --- one snapshot per page run ------------------------------------------------------------
# A page run makes several cached reads. If the pipeline swapped in a new snapshot between two
# of them, the page would mix two snapshots. So each run pins the snapshot it started with: a
# hard link to that file (same inode, immutable once published) under published/.pins/, and
# every read of the run goes through the link. os.replace of the published path cannot change
# what a link points to. Where the data directory is read-only, reads fall back to the path.

PIN_DIR_NAME = ".pins"
PINS_KEPT = 4
_PIN_KEY = "_snapshot_pin"


def _in_run() -> bool:
    """True inside a Streamlit script run (a page load), where a pin lives for the run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True) is not None


def _pin_dir() -> Path:
    return snapshot_path().parent / PIN_DIR_NAME


def pin() -> Version | None:
    """Pin the current snapshot for this page run; None when nothing is published yet."""
    path = snapshot_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if _in_run():
            st.session_state.pop(_PIN_KEY, None)
        return None
    pinned = _link(path)
    if pinned is not None:
        path, stat = pinned, pinned.stat()
    v = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if _in_run():
        st.session_state[_PIN_KEY] = v
    return v


def _link(path: Path) -> Path | None:
    """A hard link to the snapshot at `path`, named by its inode; None if links are impossible."""
    folder = _pin_dir()
    try:
        folder.mkdir(exist_ok=True)
        tmp = folder / f"tmp-{os.getpid()}-{id(folder)}.duckdb"
        tmp.unlink(missing_ok=True)
        os.link(path, tmp)  # the link, not the path, decides the version from here on
        stat = tmp.stat()
        target = folder / f"{stat.st_ino}-{stat.st_mtime_ns}.duckdb"
        if target.exists():
            tmp.unlink()
        else:
            os.replace(tmp, target)
        _prune(folder)
        return target
    except OSError:
        return None


def _prune(folder: Path) -> None:
    """Keep the newest pins: a run still reading an older one keeps its inode open anyway."""
    pins = sorted(folder.glob("*-*.duckdb"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in pins[PINS_KEPT:]:
        old.unlink(missing_ok=True)


def version() -> Version | None:
    """The snapshot this page run reads: the one pinned at its start, else pinned now."""
    pinned = st.session_state.get(_PIN_KEY) if _in_run() else None
    if pinned is not None and Path(pinned[0]).exists():
        return pinned
    return pin()


def is_available() -> bool:
    return version() is not None


def _required_version() -> Version:
    v = version()
    if v is None:
        raise SnapshotMissing(str(snapshot_path()))
    return v


# --- the one place that talks to DuckDB ----------------------------------------------------


def _read(v: Version, queries: Sequence[tuple[str, Sequence[Any]]]) -> list[pd.DataFrame]:
    """Run parameterised queries against the snapshot on one short-lived connection."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS snap (READ_ONLY)", [v[0]])
        con.execute("USE snap")
        return [con.execute(sql, list(params)).df() for sql, params in queries]
    except duckdb.IOException as e:
        if not Path(v[0]).exists():
            raise SnapshotMissing(v[0]) from e
        if "lock" in str(e).lower():
            raise SnapshotBusy(str(e)) from e
        raise SnapshotUnreadable(str(e)) from e
    except duckdb.Error as e:
        raise SnapshotUnreadable(str(e)) from e
    finally:
        con.close()


def _read_one(v: Version, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return _read(v, [(sql, params)])[0]


_cache = st.cache_data(ttl=CACHE_TTL_S, max_entries=256, show_spinner=False)


# --- small, whole tables ---------------------------------------------------------------------


@_cache
def _info(v: Version) -> dict[str, Any]:
    df = _read_one(v, "select * from snapshot_info limit 1")
    if df.empty:
        raise SnapshotUnreadable("snapshot_info kosong")
    return {k: (None if pd.isna(x) else x) for k, x in df.iloc[0].to_dict().items()}


def info() -> dict[str, Any]:
    """The snapshot_info row: diterbitkan_pada (UTC), run_id, provinsi, nama_provinsi, ..."""
    return _info(_required_version())


@_cache
def _kpi_definitions(v: Version) -> pd.DataFrame:
    df = _read_one(
        v,
        """
        select kpi_id, isu, isu_nama, nama, satuan, arah, rumus, dataset_sumber, urutan, utama
        from kpi_definisi
        order by coalesce(list_position(?::varchar[], isu), 99), urutan, kpi_id
        """,
        [list(ISU_ORDER)],
    )
    df["utama"] = df["utama"].fillna(False).astype(bool)
    return df


def kpi_definitions() -> pd.DataFrame:
    """kpi_definisi in display order (issue, then urutan)."""
    return _kpi_definitions(_required_version())


@_cache
def _years(v: Version) -> list[int]:
    df = _read_one(v, "select distinct tahun from kpi where tahun is not null order by tahun")
    return [int(t) for t in df["tahun"]]


def available_years() -> list[int]:
    """Every year with KPI rows, ascending."""
    return _years(_required_version())


@_cache
def _wilayah_at_tingkat(v: Version, tingkat: str, kode_kab: str | None) -> pd.DataFrame:
    return _read_one(
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
    return _wilayah_at_tingkat(_required_version(), "kabupaten", None)


def kecamatan(kode_kab: str | None = None) -> pd.DataFrame:
    return _wilayah_at_tingkat(_required_version(), "kecamatan", kode_kab)


@_cache
def _desa_list(v: Version, kode_kab: str | None) -> pd.DataFrame:
    return _read_one(
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


def desa_list(kode_kab: str | None = None) -> pd.DataFrame:
    """Villages (desa and kelurahan) with their kecamatan and kabupaten names."""
    return _desa_list(_required_version(), kode_kab)


# --- KPI values ------------------------------------------------------------------------------

_KPI_COLUMNS = (
    "tingkat, kode_wilayah, nama_wilayah, kode_kab, tahun, kpi_id, nilai, desa_melapor, "
    "pembilang, penyebut, keterangan"
)


@_cache
def _kpi(
    v: Version,
    tingkat: tuple[str, ...],
    tahun: tuple[int, ...] | None,
    kode_kab: str | None,
    kode_wilayah: tuple[str, ...] | None,
    kpi_id: tuple[str, ...] | None,
) -> pd.DataFrame:
    df = _read_one(
        v,
        f"""
        select {_KPI_COLUMNS}
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
        _required_version(),
        tuple(tingkat),
        tup([int(t) for t in tahun] if tahun is not None else None),
        kode_kab,
        tup(kode_wilayah),
        tup(kpi_id),
    )


@_cache
def _desa_ranks(v: Version, kode_desa: str) -> pd.DataFrame:
    return _read_one(
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


def desa_ranks(kode_desa: str) -> pd.DataFrame:
    """The village's KPI rows with its rank among the villages of its kabupaten.

    Rank 1 is best: the highest value for 'naik' KPIs, the lowest for 'turun'. Villages
    without a value are not ranked; `jumlah_desa` counts those that are.
    """
    return _desa_ranks(_required_version(), kode_desa)


# --- dataset rows ------------------------------------------------------------------------------


@_cache
def _desa_datasets(v: Version, kode_desa: str) -> dict[str, pd.DataFrame]:
    queries = [
        (f"select * exclude (sha256) from {table} where kode_desa = ? order by tahun", [kode_desa])
        for table in DESA_DATASETS
    ]
    return dict(zip(DESA_DATASETS, _read(v, queries), strict=True))


def desa_datasets(kode_desa: str) -> dict[str, pd.DataFrame]:
    """Every desa-level dataset's rows for one village, by dataset name."""
    return _desa_datasets(_required_version(), kode_desa)


@_cache
def _idm_status_counts(v: Version, kode_kab: str | None, tahun: int) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select status_idm_hitung as status, count(*)::integer as jumlah
        from idm
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        group by all
        """,
        [tahun, kode_kab, kode_kab],
    )


def idm_status_counts(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """How many desa have each derived IDM status (status_idm_hitung) in an area and year."""
    return _idm_status_counts(_required_version(), kode_kab, int(tahun))


@_cache
def _idm_per_desa(v: Version, kode_kab: str, tahun: int) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select kode_desa, nilai_idm_hitung, status_idm_hitung
        from idm where kode_kab = ? and tahun = ?
        """,
        [kode_kab, tahun],
    )


def idm_per_desa(kode_kab: str, tahun: int) -> pd.DataFrame:
    """Each desa's computed IDM score and status in a kabupaten and year."""
    return _idm_per_desa(_required_version(), kode_kab, int(tahun))


# --- desa prioritas ----------------------------------------------------------------------------

PRIORITY_WEIGHTS_FILE = "bobot_desa_prioritas.csv"

_PRIORITY_COLUMNS = (
    "tahun, kode_kab, nama_kabupaten, kode_kec, nama_kecamatan, kode_desa, nama_desa, status, "
    "skor, peringkat_kab, alasan, data_kurang, kk_miskin_ekstrem_pct, nilai_idm_hitung, "
    "status_idm_hitung, status_idm_lalu, bumdes_aktif, serapan_pct, cakupan_blt_pct, "
    "skor_miskin_ekstrem, skor_idm_rendah, skor_idm_turun, skor_tanpa_bumdes, "
    "skor_serapan_rendah, skor_blt_rendah"
)


@_cache
def _has_table(v: Version, name: str) -> bool:
    df = _read_one(
        v,
        """
        select count(*) as n from information_schema.tables
        where table_catalog = current_database() and table_name = ?
        """,
        [name],
    )
    return bool(df["n"].iloc[0])


def has_table(name: str) -> bool:
    """Whether the snapshot has this table (an older snapshot may lack a newer one)."""
    return _has_table(_required_version(), name)


@_cache
def _desa_prioritas(v: Version, tahun: int, kode_kab: str | None) -> pd.DataFrame:
    df = _read_one(
        v,
        f"""
        select {_PRIORITY_COLUMNS}
        from desa_prioritas
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        order by status = 'data_kurang', skor desc nulls last, kode_kab, peringkat_kab,
                 kode_desa
        """,
        [tahun, kode_kab, kode_kab],
    )
    for column in ("peringkat_kab", "bumdes_aktif"):
        df[column] = df[column].astype("Int64")
    return df


def desa_prioritas(tahun: int, kode_kab: str | None = None) -> pd.DataFrame:
    """The desa_prioritas rows of a year (and kabupaten): scored villages first, highest score
    first, then those with `status = 'data_kurang'`."""
    return _desa_prioritas(_required_version(), int(tahun), kode_kab)


@_cache
def _desa_prioritas_kabupaten(v: Version, tahun: int) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select kode_kab,
               count(*) filter (where status = 'dinilai')::integer as desa_dinilai,
               avg(skor) filter (where status = 'dinilai') as skor_rata,
               max(skor) filter (where status = 'dinilai') as skor_maks,
               arg_max(nama_desa, skor) filter (where status = 'dinilai') as desa_skor_maks,
               count(*) filter (where status = 'data_kurang')::integer as desa_data_kurang
        from desa_prioritas
        where tahun = ?
        group by kode_kab
        order by kode_kab
        """,
        [tahun],
    )


def desa_prioritas_kabupaten(tahun: int) -> pd.DataFrame:
    """Per kabupaten and year: villages scored, mean and highest score, villages lacking data."""
    return _desa_prioritas_kabupaten(_required_version(), int(tahun))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=8, show_spinner=False)
def _priority_weights(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"faktor": str, "keterangan": str})


def priority_weights_path() -> Path | None:
    """bobot_desa_prioritas.csv under DASBOR_REFERENCE_DIR, else the repository's copy (the
    one the pipeline reads)."""
    for folder in (reference_dir(), REPO_ROOT / "data" / "reference"):
        path = folder / PRIORITY_WEIGHTS_FILE
        if path.is_file():
            return path
    return None


def priority_weights() -> pd.DataFrame | None:
    """The desa prioritas weights (faktor, bobot, nilai_penuh, keterangan), or None."""
    path = priority_weights_path()
    if path is None:
        return None
    return _priority_weights(str(path), path.stat().st_mtime_ns)


# --- briefing PDF -------------------------------------------------------------------------------


class BriefingUnavailable(RuntimeError):
    """The briefing PDF cannot be made on this server: Chromium is not installed."""


class BriefingFailed(RuntimeError):
    """Chromium is there but rendering the briefing PDF failed."""


@st.cache_data(ttl=CACHE_TTL_S, max_entries=16, show_spinner=False)
def _briefing_pdf(v: Version, kode: str, tahun: int) -> bytes:
    from laporan import briefing

    return briefing.pdf_bytes(Path(v[0]), kode, tahun)


def briefing_pdf(kode: str, tahun: int) -> bytes:
    """The briefing PDF of an area (a kabupaten, or the province) and year, made with Chromium
    on first request (a few seconds) and cached per snapshot version."""
    from laporan import briefing

    if not Path(briefing.CHROMIUM).is_file():
        raise BriefingUnavailable(f"Chromium tidak ditemukan di {briefing.CHROMIUM}")
    try:
        return _briefing_pdf(_required_version(), kode, int(tahun))
    except (SnapshotMissing, SnapshotUnreadable):
        raise
    except Exception as e:  # Playwright, Chromium or a query: the page shows a message instead
        raise BriefingFailed(f"{type(e).__name__}: {e}") from e


# --- data quality ------------------------------------------------------------------------------


@_cache
def _completeness(v: Version) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select dataset, kode_kab, tahun, desa_melapor, desa_total, persen_lengkap,
               diterima_pada, sintetis
        from kelengkapan_data order by dataset, kode_kab, tahun
        """,
    )


def completeness() -> pd.DataFrame:
    return _completeness(_required_version())


@_cache
def _ingest_log(v: Version, limit: int) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select received_at, file_name, dataset, status, rows, stored_as, sha256
        from ingest_log order by received_at desc, file_name limit ?
        """,
        [limit],
    )


def ingest_log(limit: int = 2000) -> pd.DataFrame:
    """The latest ingest-log rows, newest first, without the (long) report text."""
    return _ingest_log(_required_version(), int(limit))


@_cache
def _rejected_files(v: Version, limit: int) -> pd.DataFrame:
    return _read_one(
        v,
        """
        select received_at, file_name, dataset, rows, report, stored_as
        from ingest_log where status = 'rejected'
        order by received_at desc, file_name limit ?
        """,
        [limit],
    )


def rejected_files(limit: int = 200) -> pd.DataFrame:
    """Rejected files with their reports, newest first."""
    return _rejected_files(_required_version(), int(limit))


@_cache
def _data_sources(v: Version) -> pd.DataFrame:
    return _read_one(
        v, "select dataset, sintetis, sumber, baris from sumber_data order by dataset, sintetis"
    )


def data_sources() -> pd.DataFrame:
    return _data_sources(_required_version())


@_cache
def _synthetic_datasets(v: Version, tahun: int | None, kode_kab: str | None) -> frozenset[str]:
    df = _read_one(
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


def synthetic_datasets(tahun: int | None = None, kode_kab: str | None = None) -> frozenset[str]:
    """Datasets with synthetic (sample) figures, for a year and kabupaten when given.

    Uses kelengkapan_data's per-slice `sintetis` flag, and sumber_data for a dataset that has
    no completeness rows. The province's own rows (kode_kab = the province code) count for
    every kabupaten.
    """
    return _synthetic_datasets(_required_version(), None if tahun is None else int(tahun), kode_kab)


# --- boundaries --------------------------------------------------------------------------------


@st.cache_resource(ttl=CACHE_TTL_S, max_entries=64, show_spinner=False)
def _geojson(path: str, mtime_ns: int, kode_kab: str | None) -> dict[str, Any]:
    # cache_resource, not cache_data: a copy of a 230-village GeoJSON costs 0.1 s to unpickle
    # on every run. Callers only read it (charts.area_map never changes it).
    with open(path, encoding="utf-8") as f:
        gj = json.load(f)
    features = gj.get("features", [])
    if kode_kab is not None:
        features = [
            feature
            for feature in features
            if (feature.get("properties") or {}).get("kode_kab") == kode_kab
        ]
    return {"type": "FeatureCollection", "features": features}


def geojson(tingkat: str, kode_kab: str | None = None) -> dict[str, Any] | None:
    """Boundaries of one level (optionally of one kabupaten), or None when there is no file."""
    path = geojson_path(tingkat)
    if path is None:
        return None
    gj = _geojson(str(path), path.stat().st_mtime_ns, kode_kab)
    return gj if gj["features"] else None
