"""Reads of the snapshot's areas, KPI values, dataset rows, priorities and ingest records.

Every statement is a fixed string literal, and every value reaches it through `?` placeholders
(docs/decisions.md, "The dashboard's queries: literals beside their reader"); each function is
cached per snapshot version and arguments by `@snapshot_query`.
"""

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboards.data.catalogue import has_table, village_datasets
from dashboards.data.snapshot import SnapshotUnreadable, read, read_many, snapshot_query


def _list(values: Sequence[Any] | None) -> list[Any] | None:
    return None if values is None else list(values)


# --- small, whole tables ---------------------------------------------------------------------


@snapshot_query
def info() -> dict[str, Any]:
    """The snapshot_info row: diterbitkan_pada (UTC), run_id, provinsi, nama_provinsi, ..."""
    df = read("select * from snapshot_info limit 1")
    if df.empty:
        raise SnapshotUnreadable("snapshot_info kosong")
    return {k: (None if pd.isna(x) else x) for k, x in df.iloc[0].to_dict().items()}


@snapshot_query
def available_years() -> list[int]:
    """Every year with KPI rows, ascending."""
    df = read("select distinct tahun from kpi where tahun is not null order by tahun")
    return [int(t) for t in df["tahun"]]


@snapshot_query
def _wilayah_at_tingkat(tingkat: str, kode_kab: str | None) -> pd.DataFrame:
    return read(
        """
        select kode, nama, kode_kab, kode_kec, jenis
        from wilayah
        where tingkat = ? and (?::varchar is null or kode_kab = ?)
        order by kode
        """,
        [tingkat, kode_kab, kode_kab],
    )


@snapshot_query
def wilayah() -> pd.DataFrame:
    """The whole region list (kode, tingkat, nama, kode_kab, kode_kec, jenis)."""
    return read("select kode, tingkat, nama, kode_kab, kode_kec, jenis from wilayah order by kode")


def kabupaten() -> pd.DataFrame:
    """kode, nama, jenis of every kabupaten/kota."""
    return _wilayah_at_tingkat("kabupaten", None)


def kecamatan(kode_kab: str | None = None) -> pd.DataFrame:
    return _wilayah_at_tingkat("kecamatan", kode_kab)


@snapshot_query
def desa_list(kode_kab: str | None = None) -> pd.DataFrame:
    """Villages (desa and kelurahan) with their kecamatan and kabupaten names."""
    return read(
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


# --- KPI values ------------------------------------------------------------------------------


@snapshot_query
def kpi(
    tingkat: Sequence[str],
    *,
    tahun: Sequence[int] | None = None,
    kode_kab: str | None = None,
    kode_wilayah: Sequence[str] | None = None,
    kpi_id: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of the kpi table, filtered in SQL (never the whole table unless asked for)."""
    years = None if tahun is None else [int(t) for t in tahun]
    df = read(
        """
        select tingkat, kode_wilayah, nama_wilayah, kode_kab, tahun, kpi_id, nilai,
               desa_melapor, pembilang, penyebut, keterangan
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
            years,
            years,
            kode_kab,
            kode_kab,
            *[_list(kode_wilayah)] * 2,
            *[_list(kpi_id)] * 2,
        ],
    )
    df["tahun"] = df["tahun"].astype("int64")
    return df


@snapshot_query
def desa_ranks(kode_desa: str) -> pd.DataFrame:
    """The village's KPI rows with its rank among the villages of its kabupaten.

    Rank 1 is best: the highest value for 'naik' KPIs, the lowest for 'turun'. Villages
    without a value are not ranked; `jumlah_desa` counts those that are.
    """
    return read(
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


# --- dataset rows ------------------------------------------------------------------------------


@snapshot_query
def desa_datasets(kode_desa: str) -> dict[str, pd.DataFrame]:
    """Every village-level dataset's rows for one village, by dataset name, in the catalogue's
    order (dataset_definisi decides which tables there are; a snapshot published before a
    dataset was declared simply lacks its table).

    The table's name is a bound value (`query_table(?)`), never formatted into the statement;
    only names that `has_table` found in this (immutable, pinned) snapshot reach it."""
    names = [name for name in village_datasets() if has_table(name)]
    statement = "select * exclude (sha256) from query_table(?) where kode_desa = ? order by tahun"
    queries = [(statement, [name, kode_desa]) for name in names]
    return dict(zip(names, read_many(queries), strict=True))


@snapshot_query
def idm_status_counts(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """How many desa have each derived IDM status (status_idm_hitung) in an area and year."""
    return read(
        """
        select status_idm_hitung as status, count(*)::integer as jumlah
        from idm
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        group by all
        """,
        [int(tahun), kode_kab, kode_kab],
    )


@snapshot_query
def idm_per_desa(kode_kab: str, tahun: int) -> pd.DataFrame:
    """Each desa's computed IDM score and status in a kabupaten and year."""
    return read(
        """
        select kode_desa, nilai_idm_hitung, status_idm_hitung
        from idm where kode_kab = ? and tahun = ?
        """,
        [kode_kab, int(tahun)],
    )


# --- desa prioritas ----------------------------------------------------------------------------


@snapshot_query
def desa_prioritas(tahun: int, kode_kab: str | None = None) -> pd.DataFrame:
    """The desa_prioritas rows of a year (and kabupaten): scored villages first, highest score
    first, then those with `status = 'data_kurang'`."""
    df = read(
        """
        select tahun, kode_kab, nama_kabupaten, kode_kec, nama_kecamatan, kode_desa, nama_desa,
               status, skor, peringkat_kab, alasan, data_kurang, kk_miskin_ekstrem_pct,
               nilai_idm_hitung, status_idm_hitung, status_desa_lalu, bumdes_aktif,
               serapan_pct, cakupan_blt_pct, skor_miskin_ekstrem, skor_idm_rendah,
               skor_idm_turun, skor_tanpa_bumdes, skor_serapan_rendah, skor_blt_rendah,
               skema_status, status_desa, skor_indeks_desa
        from desa_prioritas
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        order by status = 'data_kurang', skor desc nulls last, kode_kab, peringkat_kab,
                 kode_desa
        """,
        [int(tahun), kode_kab, kode_kab],
    )
    for column in ("peringkat_kab", "bumdes_aktif"):
        df[column] = df[column].astype("Int64")
    return df


@snapshot_query
def desa_prioritas_kabupaten(tahun: int) -> pd.DataFrame:
    """Per kabupaten and year: villages scored, mean and highest score, villages lacking data."""
    return read(
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
        [int(tahun)],
    )


# --- data quality ------------------------------------------------------------------------------


@snapshot_query
def completeness() -> pd.DataFrame:
    return read(
        """
        select dataset, kode_kab, tahun, desa_melapor, desa_total, persen_lengkap,
               diterima_pada, sintetis
        from kelengkapan_data order by dataset, kode_kab, tahun
        """
    )


@snapshot_query
def ingest_log(limit: int = 2000) -> pd.DataFrame:
    """The latest ingest-log rows, newest first, without the (long) report text."""
    return read(
        """
        select received_at, file_name, dataset, status, rows, stored_as, sha256
        from ingest_log order by received_at desc, file_name limit ?
        """,
        [int(limit)],
    )


@snapshot_query
def rejected_files(limit: int = 200) -> pd.DataFrame:
    """Rejected files with their reports, newest first."""
    return read(
        """
        select received_at, file_name, dataset, rows, report, stored_as
        from ingest_log where status = 'rejected'
        order by received_at desc, file_name limit ?
        """,
        [int(limit)],
    )


UPLOAD_COLUMNS = [
    "received_at", "file_name", "dataset", "status", "rows", "errors", "warnings", "stored_as",
]  # fmt: skip
"""upload_history's columns, for the empty table of a snapshot without ingest_log.pengunggah."""


@snapshot_query
def upload_outcome(dataset: str, file_name: str, sha256: str, since: Any) -> dict | None:
    """The pipeline's judgement of one upload (the page follows a file by its dataset, name and
    content hash, judged at or after `since`), with its report; None while it waits."""
    df = read(
        """
        select received_at, file_name, dataset, status, rows, errors, warnings, stored_as,
               report
        from ingest_log
        where dataset = ? and file_name = ? and sha256 = ? and received_at >= ?
        order by received_at limit 1
        """,
        [dataset, file_name, sha256, since],
    )
    return None if df.empty else df.iloc[0].to_dict()


@snapshot_query
def upload_history(pengunggah: str, limit: int = 200) -> pd.DataFrame:
    """An account's judged uploads, newest first. A snapshot from before ingest_log.pengunggah
    existed has none (an empty table, not an error)."""
    has_column = read(
        """
        select count(*) as n from information_schema.columns
        where table_catalog = current_database() and table_name = 'ingest_log'
          and column_name = 'pengunggah'
        """
    )
    if not has_column["n"].iloc[0]:
        return pd.DataFrame(columns=UPLOAD_COLUMNS)
    return read(
        """
        select received_at, file_name, dataset, status, rows, errors, warnings, stored_as
        from ingest_log where pengunggah = ?
        order by received_at desc, file_name limit ?
        """,
        [pengunggah, int(limit)],
    )


@snapshot_query
def data_sources() -> pd.DataFrame:
    return read(
        "select dataset, sintetis, sumber, baris from sumber_data order by dataset, sintetis"
    )


COMPLIANCE_COLUMNS = [
    "dataset", "kode_kab", "nama_kab", "tahun_data", "tenggat", "pertama_diterima", "status",
    "hari_terlambat", "kelengkapan_pct",
]  # fmt: skip
"""compliance's columns, for the empty table of a snapshot without kepatuhan_pelaporan."""


@snapshot_query
def compliance() -> pd.DataFrame:
    """kepatuhan_pelaporan: per slice of the reporting calendar (dataset, kabupaten/kota or the
    province, year), its deadline, first arrival (UTC), status and days late. A snapshot from
    before the calendar existed has none (an empty table, not an error)."""
    if not has_table("kepatuhan_pelaporan"):
        return pd.DataFrame(columns=COMPLIANCE_COLUMNS)
    return read(
        """
        select dataset, kode_kab, nama_kab, tahun_data, tenggat, pertama_diterima, status,
               hari_terlambat, kelengkapan_pct
        from kepatuhan_pelaporan
        order by tahun_data, kode_kab, dataset
        """
    )


@snapshot_query
def reporting_calendar() -> pd.DataFrame:
    """jadwal_pelaporan (dataset, tahun_data, tenggat, keterangan, asal: 'bawaan' = the
    project's example calendar, 'berkas' = the Dinas's own file); empty when absent."""
    if not has_table("jadwal_pelaporan"):
        return pd.DataFrame(columns=["dataset", "tahun_data", "tenggat", "keterangan", "asal"])
    return read(
        "select dataset, tahun_data, tenggat, keterangan, asal from jadwal_pelaporan "
        "order by tahun_data, dataset"
    )


NOTIFICATION_COLUMNS = [
    "dibuat_pada", "jenis", "penerima", "kode_kab", "rincian", "status", "alasan",
]  # fmt: skip
"""notification_log's columns, for the empty table of a snapshot without notifikasi_log."""


@snapshot_query
def notification_log(limit: int = 500) -> pd.DataFrame:
    """The latest notifikasi_log rows, newest first: every message sent (dibuat_pada UTC; the
    recipient is an account name, never an address). Empty for a snapshot without the table."""
    if not has_table("notifikasi_log"):
        return pd.DataFrame(columns=NOTIFICATION_COLUMNS)
    return read(
        """
        select dibuat_pada, jenis, penerima, kode_kab, rincian, status, alasan
        from notifikasi_log
        order by dibuat_pada desc, penerima limit ?
        """,
        [int(limit)],
    )


@snapshot_query
def synthetic_datasets(tahun: int | None = None, kode_kab: str | None = None) -> frozenset[str]:
    """Datasets with synthetic (sample) figures, for a year and kabupaten when given.

    Uses kelengkapan_data's per-slice `sintetis` flag, and sumber_data for a dataset that has
    no completeness rows. The province's own rows (kode_kab = the province code) count for
    every kabupaten.
    """
    tahun = None if tahun is None else int(tahun)
    df = read(
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
