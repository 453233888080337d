"""Builds a small published snapshot by hand, for the dashboard tests.

The snapshot schema (spec/outputs.md plus the dashboard brief) is the dashboard's only tie to
the pipeline, so these tests build the file themselves rather than running the pipeline:
three kabupaten/kota (Kotawaringin Barat, Kapuas and Kota Palangka Raya, which has only
kelurahan), four kecamatan, nine villages, two years, eleven KPIs with known values, NULLs with
their reasons, a few dataset rows, an ingest log with rejected files, and completeness rows.

`buat_snapshot(data_dir)` writes `<data_dir>/published/dasbor.duckdb` the way the pipeline does
(build a temporary file, then os.replace); `tulis_geojson(dir)` writes matching square
boundaries. The constants below are the values the tests expect the pages to show.
"""

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

PROVINSI = "62"
NAMA_PROVINSI = "Kalimantan Tengah"
TAHUN = (2023, 2024)
DITERBITKAN_PADA = datetime(2025, 3, 10, 3, 30)  # UTC -> "10 Maret 2025 pukul 10.30 WIB"
STEMPEL = "10 Maret 2025 pukul 10.30 WIB"

KAB = {
    "62.01": ("Kabupaten Kotawaringin Barat", "kabupaten"),
    "62.03": ("Kabupaten Kapuas", "kabupaten"),
    "62.71": ("Kota Palangka Raya", "kota"),
}
KEC = {
    "62.01.01": ("Kumai", "62.01"),
    "62.01.02": ("Arut Selatan", "62.01"),
    "62.03.01": ("Selat", "62.03"),
    "62.71.01": ("Pahandut", "62.71"),
}
# kode: (nama, kode_kec, jenis)
DESA = {
    "62.01.01.2001": ("Sungai Cabang", "62.01.01", "desa"),
    "62.01.01.2002": ("Teluk Pulai", "62.01.01", "desa"),
    "62.01.02.2001": ("Tanjung Putri", "62.01.02", "desa"),
    "62.01.02.1002": ("Mendawai Seberang", "62.01.02", "kelurahan"),
    "62.03.01.2011": ("Pulau Telo", "62.03.01", "desa"),
    "62.03.01.2020": ("Pulau Telo Baru", "62.03.01", "desa"),
    "62.03.01.1007": ("Selat Hilir", "62.03.01", "kelurahan"),
    "62.71.01.1001": ("Pahandut", "62.71.01", "kelurahan"),
    "62.71.01.1002": ("Panarung", "62.71.01", "kelurahan"),
}

ISU_NAMA = {
    "isu1": "Kapasitas aparatur desa",
    "isu2": "Partisipasi masyarakat",
    "isu3": "Lembaga desa dan UMKM",
    "isu4": "Pemanfaatan potensi desa",
    "tujuan": "Kebutuhan dasar dan pengurangan kemiskinan",
}

# kpi_id, isu, nama, satuan, arah, rumus, dataset_sumber, urutan, utama, ikut_kelurahan
DEFINISI = [
    (
        "serapan_dana_desa_pct",
        "isu1",
        "Serapan Dana Desa",
        "%",
        "naik",
        "100 x jumlah realisasi / jumlah pagu",
        "dana_desa",
        1,
        True,
        False,
    ),
    (
        "aparatur_terlatih_pct",
        "isu1",
        "Aparatur desa terlatih",
        "%",
        "naik",
        "100 x jumlah aparatur_terlatih / jumlah aparatur_total",
        "profil_desa",
        2,
        False,
        False,
    ),
    (
        "swadaya_per_kapita_rp",
        "isu2",
        "Swadaya masyarakat per jiwa",
        "Rp per jiwa",
        "naik",
        "jumlah swadaya_rp / jumlah jumlah_penduduk",
        "profil_desa,kemiskinan_desa",
        1,
        True,
        False,
    ),
    (
        "musdes_per_desa",
        "isu2",
        "Musyawarah desa per desa",
        "kali",
        "naik",
        "jumlah musdes_jumlah / desa melapor",
        "profil_desa",
        2,
        False,
        False,
    ),
    (
        "padat_karya_tk_per_desa",
        "isu2",
        "Tenaga kerja padat karya per desa",
        "jiwa",
        "naik",
        "jumlah padat_karya_tk / desa yang mengisi",
        "dana_desa",
        3,
        False,
        False,
    ),
    (
        "kontribusi_pades_rp",
        "isu3",
        "Kontribusi BUMDes ke PADes",
        "Rp",
        "naik",
        "jumlah kontribusi_pades BUMDes aktif",
        "bumdes",
        1,
        True,
        False,
    ),
    (
        "umkm_per_1000",
        "isu3",
        "UMKM per 1.000 jiwa",
        "per 1.000 jiwa",
        "naik",
        "1000 x jumlah UMKM / jumlah jumlah_penduduk",
        "umkm,kemiskinan_desa",
        2,
        False,
        True,
    ),
    (
        "ike_rata",
        "isu4",
        "Rata-rata Indeks Ketahanan Ekonomi",
        "indeks 0-1",
        "naik",
        "rata-rata ike desa melapor",
        "idm",
        1,
        True,
        False,
    ),
    (
        "kk_miskin_pct",
        "tujuan",
        "Keluarga miskin",
        "%",
        "turun",
        "100 x jumlah kk_miskin / jumlah jumlah_kk",
        "kemiskinan_desa",
        1,
        True,
        True,
    ),
    (
        "persentase_miskin_bps",
        "tujuan",
        "Penduduk miskin (BPS)",
        "%",
        "turun",
        "P0 yang diterbitkan BPS",
        "kemiskinan_kab",
        2,
        True,
        True,
    ),
    (
        "idm_rata",
        "tujuan",
        "Rata-rata skor IDM",
        "indeks 0-1",
        "naik",
        "rata-rata (iks + ike + ikl) / 3 desa melapor",
        "idm",
        3,
        False,
        False,
    ),
]
SATUAN = {d[0]: d[3] for d in DEFINISI}
ARAH = {d[0]: d[4] for d in DEFINISI}

KETERANGAN_PR = "Kota Palangka Raya tidak memiliki desa"
KETERANGAN_KOSONG = "Tidak ada data yang dilaporkan"
KETERANGAN_KELURAHAN = "Kelurahan tidak dihitung untuk indikator berbasis desa"
KETERANGAN_KEC_PR = "Kecamatan Pahandut hanya memiliki kelurahan"

# (kode_wilayah, kpi_id) -> (nilai 2023, nilai 2024); None = NULL
NILAI_ATAS: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("62", "serapan_dana_desa_pct"): (85.0, 87.456),
    ("62.01", "serapan_dana_desa_pct"): (90.1, 92.3),
    ("62.03", "serapan_dana_desa_pct"): (80.2, 84.75),
    ("62", "aparatur_terlatih_pct"): (40.0, 45.5),
    ("62.01", "aparatur_terlatih_pct"): (42.0, 50.0),
    ("62.03", "aparatur_terlatih_pct"): (38.0, 41.0),
    ("62", "swadaya_per_kapita_rp"): (15234.4, 16000.0),
    ("62.01", "swadaya_per_kapita_rp"): (18000.0, 19500.5),
    ("62.03", "swadaya_per_kapita_rp"): (12000.0, 12500.0),
    ("62", "musdes_per_desa"): (3.2, 3.5),
    ("62.01", "musdes_per_desa"): (3.5, 4.0),
    ("62.03", "musdes_per_desa"): (3.0, 3.1),
    ("62", "padat_karya_tk_per_desa"): (20.0, 22.5),
    ("62.01", "padat_karya_tk_per_desa"): (24.0, 25.0),
    ("62.03", "padat_karya_tk_per_desa"): (16.0, 20.0),
    ("62", "kontribusi_pades_rp"): (1.1e9, 1.234e9),
    ("62.01", "kontribusi_pades_rp"): (7.0e8, 8.5e8),
    ("62.03", "kontribusi_pades_rp"): (None, 3.84e8),
    ("62", "umkm_per_1000"): (10.5, 12.25),
    ("62.01", "umkm_per_1000"): (11.0, 13.0),
    ("62.03", "umkm_per_1000"): (9.5, 11.0),
    ("62.71", "umkm_per_1000"): (14.0, 15.5),
    ("62", "ike_rata"): (0.6123, 0.6345),
    ("62.01", "ike_rata"): (0.65, 0.6712),
    ("62.03", "ike_rata"): (0.58, 0.6),
    ("62", "kk_miskin_pct"): (13.3, 12.5),
    ("62.01", "kk_miskin_pct"): (10.0, 9.5),
    ("62.03", "kk_miskin_pct"): (14.2, 15.0),
    ("62.71", "kk_miskin_pct"): (8.0, 7.5),
    ("62", "persentase_miskin_bps"): (5.13, 4.93),
    ("62.01", "persentase_miskin_bps"): (3.9, 3.8),
    ("62.03", "persentase_miskin_bps"): (5.4, 5.2),
    ("62.71", "persentase_miskin_bps"): (3.5, 3.45),
    ("62", "idm_rata"): (0.65, 0.66),
    ("62.01", "idm_rata"): (0.7, 0.71),
    ("62.03", "idm_rata"): (0.6, 0.62),
}

# Hand-set village values, (kode_desa, kpi_id) -> (2023, 2024); other villages' values follow
# a formula below. 62.01 ranking for serapan 2024: Sungai Cabang 1, Tanjung Putri 2, Teluk Pulai 3.
NILAI_DESA: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("62.01.01.2001", "serapan_dana_desa_pct"): (91.0, 95.0),
    ("62.01.01.2002", "serapan_dana_desa_pct"): (89.5, 88.0),
    ("62.01.02.2001", "serapan_dana_desa_pct"): (90.0, 93.9),
    ("62.01.01.2001", "kk_miskin_pct"): (12.5, 12.0),
    ("62.01.01.2002", "kk_miskin_pct"): (6.5, 6.0),
    ("62.01.02.2001", "kk_miskin_pct"): (9.2, 9.0),
    ("62.01.02.1002", "kk_miskin_pct"): (8.1, 8.0),
    ("62.01.01.2002", "kontribusi_pades_rp"): (None, 2.5e8),
}

DATASET_SINTETIS_BAWAAN = frozenset(
    {"dana_desa", "bumdes", "umkm", "kemiskinan_desa", "profil_desa"}
)
"""Which datasets are sample data in the default fixture: IDM and BPS poverty are 'real'."""

STATUS_IDM_2024 = {
    "62.01.01.2001": "maju",
    "62.01.01.2002": "berkembang",
    "62.01.02.2001": "mandiri",
    "62.03.01.2011": "tertinggal",
    "62.03.01.2020": "berkembang",
}

REPORT_DITOLAK = (
    "Berkas ditolak: 2 baris bermasalah.\n"
    "Baris 3, kolom pagu: nilai '12a' bukan angka.\n"
    "Baris 5, kolom kode_desa: kode '62.03.99.2001' tidak ada dalam daftar wilayah."
)
FILE_DITOLAK = "dana_desa_kapuas_2024_salah.csv"


def _kab_dari(kode: str) -> str:
    return kode[:5] if len(kode) >= 5 else kode


def _nilai_desa(kode: str, kpi_id: str, i_tahun: int) -> tuple[float | None, str | None]:
    _nama, _kec, jenis = DESA[kode]
    ikut_kelurahan = next(d[9] for d in DEFINISI if d[0] == kpi_id)
    if kpi_id == "persentase_miskin_bps":
        raise KeyError(kpi_id)
    if jenis == "kelurahan" and not ikut_kelurahan:
        return None, KETERANGAN_KELURAHAN
    if (kode, kpi_id) in NILAI_DESA:
        nilai = NILAI_DESA[(kode, kpi_id)][i_tahun]
        return nilai, None if nilai is not None else KETERANGAN_KOSONG
    dasar = NILAI_ATAS.get((_kab_dari(kode), kpi_id), NILAI_ATAS[("62", kpi_id)])[i_tahun]
    if dasar is None:
        return None, KETERANGAN_KOSONG
    faktor = 0.9 + (int(kode[-2:]) % 5) * 0.05
    nilai = dasar * faktor
    if SATUAN[kpi_id] == "%":
        nilai = min(nilai, 100.0)
    if SATUAN[kpi_id].startswith("indeks"):
        nilai = min(nilai, 1.0)
    return nilai, None


def baris_kpi() -> list[tuple[Any, ...]]:
    """Every kpi row of the fixture (tingkat, kode, nama, kode_kab, tahun, kpi_id, nilai,
    desa_melapor, pembilang, penyebut, keterangan)."""
    rows: list[tuple[Any, ...]] = []
    desa_per_kab = {
        k: sum(1 for d in DESA.values() if d[1][:5] == k and d[2] == "desa") for k in KAB
    }
    for i, tahun in enumerate(TAHUN):
        for kpi_id, *_ in DEFINISI:
            # province and kabupaten
            for kode, (nama, _jenis) in [("62", (NAMA_PROVINSI, "")), *KAB.items()]:
                nilai = NILAI_ATAS.get((kode, kpi_id), (None, None))[i]
                if nilai is None:
                    ket = KETERANGAN_PR if kode == "62.71" else KETERANGAN_KOSONG
                else:
                    ket = None
                melapor = sum(desa_per_kab.values()) if kode == "62" else desa_per_kab[kode]
                if kpi_id == "persentase_miskin_bps":
                    melapor = None
                tingkat = "provinsi" if kode == "62" else "kabupaten"
                kode_kab = "62" if kode == "62" else kode
                rows.append(
                    (tingkat, kode, nama, kode_kab, tahun, kpi_id, nilai, melapor, None, None, ket)
                )
            if kpi_id == "persentase_miskin_bps":
                continue
            # kecamatan: the mean of its villages' values, enough for a fixture
            for kode_kec, (nama_kec, kode_kab) in KEC.items():
                nilai_desa = []
                for kode_desa, (_n, kec, _j) in DESA.items():
                    if kec == kode_kec:
                        v, _ket = _nilai_desa(kode_desa, kpi_id, i)
                        if v is not None:
                            nilai_desa.append(v)
                nilai = sum(nilai_desa) / len(nilai_desa) if nilai_desa else None
                ket = None
                if nilai is None:
                    ket = KETERANGAN_KEC_PR if kode_kec == "62.71.01" else KETERANGAN_KOSONG
                rows.append(
                    (
                        "kecamatan",
                        kode_kec,
                        nama_kec,
                        kode_kab,
                        tahun,
                        kpi_id,
                        nilai,
                        len(nilai_desa),
                        None,
                        None,
                        ket,
                    )
                )
            for kode_desa, (nama_desa, _kec, _jenis) in DESA.items():
                v, ket = _nilai_desa(kode_desa, kpi_id, i)
                rows.append(
                    (
                        "desa",
                        kode_desa,
                        nama_desa,
                        kode_desa[:5],
                        tahun,
                        kpi_id,
                        v,
                        1 if v is not None else 0,
                        None,
                        None,
                        ket,
                    )
                )
    return rows


def nilai_kpi(kode_wilayah: str, kpi_id: str, tahun: int) -> float | None:
    """The fixture's nilai for one area, KPI and year (what the pages should show)."""
    for r in baris_kpi():
        if r[1] == kode_wilayah and r[5] == kpi_id and r[4] == tahun:
            return r[6]
    raise KeyError((kode_wilayah, kpi_id, tahun))


_DDL = [
    """create table kpi (tingkat varchar, kode_wilayah varchar, nama_wilayah varchar,
        kode_kab varchar, tahun integer, kpi_id varchar, nilai double, desa_melapor integer,
        pembilang double, penyebut double, keterangan varchar)""",
    """create table kpi_definisi (kpi_id varchar, isu varchar, isu_nama varchar, nama varchar,
        satuan varchar, arah varchar, rumus varchar, dataset_sumber varchar, urutan integer,
        utama boolean)""",
    """create table wilayah (kode varchar, tingkat varchar, nama varchar, kode_kab varchar,
        kode_kec varchar, jenis varchar)""",
    """create table ingest_log (file_name varchar, dataset varchar, sha256 varchar,
        received_at timestamp, status varchar, rows integer, report varchar,
        stored_as varchar)""",
    """create table kelengkapan_data (dataset varchar, kode_kab varchar, tahun integer,
        desa_melapor integer, desa_total integer, persen_lengkap double,
        diterima_pada timestamp, sintetis boolean)""",
    """create table sumber_data (dataset varchar, sintetis boolean, sumber varchar,
        baris integer)""",
    """create table snapshot_info (diterbitkan_pada timestamp, run_id varchar,
        provinsi varchar, nama_provinsi varchar, versi_skema integer)""",
    """create table dana_desa (kode_desa varchar, nama_desa varchar, tahun integer,
        pagu decimal(18,2), salur decimal(18,2), realisasi decimal(18,2), blt_kpm integer,
        blt_rp decimal(18,2), padat_karya_tk integer, belanja_pemberdayaan decimal(18,2),
        kode_kab varchar, sumber varchar, sintetis boolean, sha256 varchar)""",
    """create table bumdes (kode_desa varchar, tahun integer, nama_bumdes varchar,
        status_aktif boolean, badan_hukum boolean, klasifikasi varchar, unit_usaha integer,
        modal decimal(18,2), omzet decimal(18,2), laba decimal(18,2),
        kontribusi_pades decimal(18,2), tenaga_kerja integer,
        kode_kab varchar, sumber varchar, sintetis boolean, sha256 varchar)""",
    """create table umkm (kode_desa varchar, tahun integer, nama_usaha varchar, sektor varchar,
        skala varchar, tenaga_kerja integer, omzet_tahunan decimal(18,2), nib varchar,
        kode_kab varchar, sumber varchar, sintetis boolean, sha256 varchar)""",
    """create table kemiskinan_desa (kode_desa varchar, tahun integer, jumlah_penduduk integer,
        jumlah_kk integer, kk_miskin integer, kk_miskin_ekstrem integer,
        kode_kab varchar, sumber varchar, sintetis boolean, sha256 varchar)""",
    """create table kemiskinan_kab (kode_wilayah varchar, tahun integer,
        persentase_miskin double, jumlah_miskin_ribu double, garis_kemiskinan decimal(18,2),
        p1 double, p2 double, kode_kab varchar, sumber varchar, sintetis boolean,
        sha256 varchar)""",
    """create table idm (kode_desa varchar, tahun integer, iks double, ike double, ikl double,
        nilai_idm double, status_idm varchar, nilai_idm_hitung double,
        status_idm_hitung varchar, kode_kab varchar, sumber varchar, sintetis boolean,
        sha256 varchar)""",
    """create table profil_desa (kode_desa varchar, tahun integer, aparatur_total integer,
        aparatur_terlatih integer, aparatur_pendidikan_sma integer, apbdes_tepat_waktu boolean,
        musdes_jumlah integer, musdes_peserta integer, musdes_peserta_perempuan integer,
        swadaya_rp decimal(18,2), produk_unggulan varchar, desa_wisata varchar,
        lahan_potensial_ha double, lahan_dimanfaatkan_ha double,
        kode_kab varchar, sumber varchar, sintetis boolean, sha256 varchar)""",
]

_SKOR_STATUS = {
    "sangat_tertinggal": 0.45,
    "tertinggal": 0.55,
    "berkembang": 0.65,
    "maju": 0.75,
    "mandiri": 0.85,
}


def _sisip(con: duckdb.DuckDBPyConnection, tabel: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows through a DataFrame: executemany is far too slow for large fixtures."""
    if not rows:
        return
    kolom = [r[0] for r in con.execute(f"describe {tabel}").fetchall()]
    bingkai = pd.DataFrame.from_records(rows, columns=kolom)  # noqa: F841 (read by DuckDB)
    con.execute(f"insert into {tabel} select * from bingkai")


def _isi(con: duckdb.DuckDBPyConnection, sintetis: frozenset[str]) -> None:
    def sumber(ds: str) -> tuple[str, bool]:
        if ds in sintetis:
            return "Data contoh sintetis (uji dasbor)", True
        return "Kemendesa / BPS", False

    def ins(tabel: str, rows: list[tuple[Any, ...]]) -> None:
        _sisip(con, tabel, rows)

    ins("kpi", baris_kpi())
    ins(
        "kpi_definisi",
        [(d[0], d[1], ISU_NAMA[d[1]], d[2], d[3], d[4], d[5], d[6], d[7], d[8]) for d in DEFINISI],
    )
    wil = [(PROVINSI, "provinsi", NAMA_PROVINSI, None, None, None)]
    wil += [(k, "kabupaten", n, k, None, j) for k, (n, j) in KAB.items()]
    wil += [(k, "kecamatan", n, kab, k, None) for k, (n, kab) in KEC.items()]
    wil += [(k, "desa", n, k[:5], kec, j) for k, (n, kec, j) in DESA.items()]
    ins("wilayah", wil)

    desa_saja = [k for k, d in DESA.items() if d[2] == "desa"]
    rows_dd, rows_pd, rows_km, rows_idm, rows_bum, rows_umkm = [], [], [], [], [], []
    for i, tahun in enumerate(TAHUN):
        for n, kode in enumerate(desa_saja):
            s, sin = sumber("dana_desa")
            pagu = 1_000_000_000 + 50_000_000 * n
            real = round(pagu * (0.85 + 0.01 * n + 0.02 * i), 2)
            rows_dd.append(
                (
                    kode,
                    DESA[kode][0],
                    tahun,
                    pagu,
                    real,
                    real,
                    10 + n,
                    3_600_000.0,
                    20 + n,
                    50_000_000.0,
                    kode[:5],
                    s,
                    sin,
                    f"sha-dd-{tahun}",
                )
            )
            s, sin = sumber("profil_desa")
            rows_pd.append(
                (
                    kode,
                    tahun,
                    12,
                    5 + n + i,
                    9,
                    n % 2 == 0,
                    3 + i,
                    120 + 10 * n,
                    40 + n,
                    15_000_000.0 + n,
                    "Rotan" if n % 2 else None,
                    "rintisan" if n == 0 else "tidak",
                    100.0,
                    40.0 + n,
                    kode[:5],
                    s,
                    sin,
                    f"sha-pd-{tahun}",
                )
            )
            s, sin = sumber("idm")
            status = STATUS_IDM_2024[kode] if tahun == 2024 else "berkembang"
            skor = _SKOR_STATUS[status]
            rows_idm.append(
                (
                    kode,
                    tahun,
                    skor,
                    skor,
                    skor,
                    skor,
                    status,
                    skor,
                    status,
                    kode[:5],
                    s,
                    sin,
                    f"sha-idm-{tahun}",
                )
            )
            s, sin = sumber("bumdes")
            rows_bum.append(
                (
                    kode,
                    tahun,
                    f"BUMDes {DESA[kode][0]}",
                    True,
                    n % 2 == 0,
                    "berkembang",
                    2,
                    100_000_000.0,
                    300_000_000.0,
                    20_000_000.0,
                    125_000_000.0,
                    4,
                    kode[:5],
                    s,
                    sin,
                    f"sha-bum-{tahun}",
                )
            )
        for n, kode in enumerate(DESA):
            s, sin = sumber("kemiskinan_desa")
            rows_km.append(
                (
                    kode,
                    tahun,
                    1500 + 100 * n,
                    450 + 30 * n,
                    60 + n,
                    10 + i,
                    kode[:5],
                    s,
                    sin,
                    f"sha-km-{tahun}",
                )
            )
            s, sin = sumber("umkm")
            rows_umkm.append(
                (
                    kode,
                    tahun,
                    f'=HYPERLINK("x") Usaha {n}',
                    "kuliner",
                    "mikro",
                    2,
                    24_000_000.0,
                    None,
                    kode[:5],
                    s,
                    sin,
                    f"sha-umkm-{tahun}",
                )
            )
    ins("dana_desa", rows_dd)
    ins("profil_desa", rows_pd)
    ins("idm", rows_idm)
    ins("bumdes", rows_bum)
    ins("kemiskinan_desa", rows_km)
    ins("umkm", rows_umkm)
    s, sin = sumber("kemiskinan_kab")
    ins(
        "kemiskinan_kab",
        [
            (
                k,
                t,
                NILAI_ATAS[(k, "persentase_miskin_bps")][i],
                10.0,
                550_000.0,
                0.8,
                0.2,
                k,
                s,
                sin,
                f"sha-kk-{t}",
            )
            for i, t in enumerate(TAHUN)
            for k in ("62", *KAB)
        ],
    )

    kel = []
    for ds in ("dana_desa", "bumdes", "umkm", "kemiskinan_desa", "idm", "profil_desa"):
        for kab in KAB:
            for tahun in TAHUN:
                ikut_kel = ds in ("kemiskinan_desa", "umkm")
                total = sum(
                    1 for k, d in DESA.items() if k[:5] == kab and (ikut_kel or d[2] == "desa")
                )
                melapor = total
                if ds == "bumdes" and kab == "62.03" and tahun == 2023:
                    melapor = 0
                persen = 100.0 * melapor / total if total else None
                kel.append(
                    (
                        ds,
                        kab,
                        tahun,
                        melapor,
                        total,
                        persen,
                        datetime(tahun + 1, 2, 1, 2, 0),
                        ds in sintetis,
                    )
                )
    ins("kelengkapan_data", kel)
    baris = {
        "dana_desa": len(rows_dd),
        "bumdes": len(rows_bum),
        "umkm": len(rows_umkm),
        "kemiskinan_desa": len(rows_km),
        "idm": len(rows_idm),
        "profil_desa": len(rows_pd),
        "kemiskinan_kab": 8,
    }
    ins("sumber_data", [(ds, *reversed(sumber(ds)), n) for ds, n in baris.items()])
    ins(
        "ingest_log",
        [
            (
                "dana_desa_2023.csv",
                "dana_desa",
                "sha-dd-2023",
                datetime(2025, 3, 1, 1, 0),
                "accepted",
                5,
                "Berkas diterima: 5 baris.",
                "archive/dana_desa/dana_desa_2023.csv",
            ),
            (
                "dana_desa_2024.xlsx",
                "dana_desa",
                "sha-dd-2024",
                datetime(2025, 3, 2, 1, 0),
                "accepted",
                5,
                "Berkas diterima: 5 baris.",
                "archive/dana_desa/dana_desa_2024.xlsx",
            ),
            (
                FILE_DITOLAK,
                "dana_desa",
                "sha-tolak-1",
                datetime(2025, 3, 3, 1, 0),
                "rejected",
                7,
                REPORT_DITOLAK,
                f"rejected/dana_desa/{FILE_DITOLAK}",
            ),
            (
                "profil_dengan_nik.csv",
                "profil_desa",
                "sha-tolak-2",
                datetime(2025, 3, 4, 1, 0),
                "rejected",
                3,
                "Berkas ditolak: kolom 'nik' tampak seperti data pribadi.",
                "rejected/profil_desa/profil_dengan_nik.csv",
            ),
            (
                "dana_desa_2023.csv",
                "dana_desa",
                "sha-dd-2023",
                datetime(2025, 3, 5, 1, 0),
                "duplicate",
                0,
                "Berkas yang sama sudah pernah diterima.",
                None,
            ),
        ],
    )


def buat_snapshot(
    data_dir: Path,
    *,
    sintetis: bool | frozenset[str] = True,
    diterbitkan_pada: datetime = DITERBITKAN_PADA,
    run_id: str = "run-uji-1",
) -> Path:
    """Write `<data_dir>/published/dasbor.duckdb` atomically and return its path.

    sintetis: True = the default mix (DATASET_SINTETIS_BAWAAN are sample data), False = all
    real, or an explicit set of synthetic dataset names.
    """
    if sintetis is True:
        himpunan = DATASET_SINTETIS_BAWAAN
    elif sintetis is False:
        himpunan = frozenset()
    else:
        himpunan = frozenset(sintetis)
    tujuan = Path(data_dir) / "published" / "dasbor.duckdb"
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    sementara = tujuan.with_name(f"dasbor.{os.getpid()}.tmp")
    for p in (sementara, sementara.with_name(sementara.name + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(sementara))
    try:
        for ddl in _DDL:
            con.execute(ddl)
        _isi(con, himpunan)
        con.execute(
            "insert into snapshot_info values (?, ?, ?, ?, ?)",
            [diterbitkan_pada, run_id, PROVINSI, NAMA_PROVINSI, 1],
        )
    finally:
        con.close()
    os.replace(sementara, tujuan)
    return tujuan


def _kotak(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


def tulis_geojson(reference_dir: Path) -> Path:
    """Square boundaries for the fixture's areas, with the property names of the real files."""
    import json

    reference_dir = Path(reference_dir)
    reference_dir.mkdir(parents=True, exist_ok=True)
    kab_fitur, kec_fitur, desa_fitur = [], [], []
    for i, (kab, (nama, jenis)) in enumerate(KAB.items()):
        x0 = 111.0 + 1.2 * i
        kab_fitur.append(
            {
                "type": "Feature",
                "geometry": _kotak(x0, -3.0, x0 + 1.0, -2.0),
                "properties": {"kode": kab, "nama": nama, "kode_kab": kab, "jenis": jenis},
            }
        )
        kecs = [k for k, (_n, kk) in KEC.items() if kk == kab]
        for j, kec in enumerate(kecs):
            y0 = -3.0 + j / len(kecs)
            y1 = y0 + 1 / len(kecs)
            kec_fitur.append(
                {
                    "type": "Feature",
                    "geometry": _kotak(x0, y0, x0 + 1.0, y1),
                    "properties": {
                        "kode": kec,
                        "nama": KEC[kec][0],
                        "kode_kab": kab,
                        "kode_kec": kec,
                    },
                }
            )
            desas = [k for k, d in DESA.items() if d[1] == kec]
            for m, kode in enumerate(desas):
                a = x0 + m / len(desas)
                desa_fitur.append(
                    {
                        "type": "Feature",
                        "geometry": _kotak(a, y0, a + 1 / len(desas), y1),
                        "properties": {
                            "kode": kode,
                            "nama": DESA[kode][0],
                            "kode_kab": kab,
                            "kode_kec": kec,
                            "jenis": DESA[kode][2],
                        },
                    }
                )
    for nama, fitur in (("kabupaten", kab_fitur), ("kecamatan", kec_fitur), ("desa", desa_fitur)):
        (reference_dir / f"kalteng_{nama}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": fitur}), encoding="utf-8"
        )
    return reference_dir


def buat_snapshot_kalteng(
    data_dir: Path,
    wilayah_csv: Path,
    *,
    tahun: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024),
    jumlah_kpi: int = 27,
) -> Path:
    """A snapshot the size of the real Kalimantan Tengah one, for timing the pages.

    Every region of `wilayah_csv` (data/reference/wilayah_62.csv: 14 kabupaten/kota, 136
    kecamatan, 1571 villages), `jumlah_kpi` KPIs (the fixture's eleven plus made-up ones) for
    every year at every level, and dataset rows for every desa. Values are pseudo-random.
    """
    import csv
    import random

    acak = random.Random(62)
    with open(wilayah_csv, encoding="utf-8") as f:
        wilayah = list(csv.DictReader(f))
    definisi = list(DEFINISI)
    isu_ke = ["isu1", "isu2", "isu3", "isu4", "tujuan"]
    for i in range(len(definisi), jumlah_kpi):
        isu = isu_ke[i % 5]
        definisi.append(
            (
                f"kpi_tambahan_{i}",
                isu,
                f"Indikator tambahan {i}",
                "%",
                "naik",
                "100 x a / b",
                "profil_desa",
                10 + i,
                False,
                False,
            )
        )
    tujuan = Path(data_dir) / "published" / "dasbor.duckdb"
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    sementara = tujuan.with_name(f"dasbor.{os.getpid()}.besar.tmp")
    sementara.unlink(missing_ok=True)
    con = duckdb.connect(str(sementara))
    try:
        for ddl in _DDL:
            con.execute(ddl)
        _sisip(
            con,
            "wilayah",
            [
                (
                    w["kode"],
                    w["level"],
                    w["nama"],
                    w["kode_kab"] or None,
                    w["kode_kec"] or None,
                    w["jenis"] or None,
                )
                for w in wilayah
            ],
        )
        _sisip(
            con,
            "kpi_definisi",
            [
                (d[0], d[1], ISU_NAMA[d[1]], d[2], d[3], d[4], d[5], d[6], d[7], d[8])
                for d in definisi
            ],
        )
        rows = []
        for t in tahun:
            for w in wilayah:
                tingkat = w["level"]
                kode_kab = w["kode_kab"] or PROVINSI
                kota = kode_kab == "62.71"
                for d in definisi:
                    if tingkat == "desa" and d[0] == "persentase_miskin_bps":
                        continue
                    kosong = (kota or w["jenis"] == "kelurahan") and not d[9]
                    nilai = None if kosong else acak.uniform(5, 95)
                    if nilai is not None and d[3].startswith("indeks"):
                        nilai /= 100
                    ket = (KETERANGAN_PR if kota else KETERANGAN_KELURAHAN) if kosong else None
                    rows.append(
                        (
                            tingkat,
                            w["kode"],
                            w["nama"],
                            kode_kab,
                            t,
                            d[0],
                            nilai,
                            1 if nilai is not None else 0,
                            None,
                            None,
                            ket,
                        )
                    )
        _sisip(con, "kpi", rows)
        desa = [w for w in wilayah if w["level"] == "desa" and w["jenis"] == "desa"]
        status = list(_SKOR_STATUS)
        _sisip(
            con,
            "idm",
            [
                (w["kode"], t, 0.6, 0.6, 0.6, 0.6, s, 0.6, s, w["kode_kab"], "uji", True, "x")
                for t in tahun
                for w in desa
                for s in [acak.choice(status)]
            ],
        )
        _sisip(
            con,
            "dana_desa",
            [
                (
                    w["kode"],
                    w["nama"],
                    t,
                    1e9,
                    9e8,
                    8e8,
                    10,
                    3.6e6,
                    20,
                    5e7,
                    w["kode_kab"],
                    "uji",
                    True,
                    "x",
                )
                for t in tahun
                for w in desa
            ],
        )
        kab = [w for w in wilayah if w["level"] == "kabupaten"]
        _sisip(
            con,
            "kelengkapan_data",
            [
                (ds, k["kode"], t, 90, 100, 90.0, datetime(t + 1, 1, 1), True)
                for ds in ("dana_desa", "bumdes", "umkm", "kemiskinan_desa", "idm", "profil_desa")
                for k in kab
                for t in tahun
            ],
        )
        _sisip(
            con,
            "sumber_data",
            [(ds, True, "uji", 100) for ds in ("dana_desa", "idm")],
        )
        _sisip(
            con,
            "ingest_log",
            [
                (
                    f"berkas_{i}.csv",
                    "dana_desa",
                    f"sha{i}",
                    datetime(2025, 1, 1, i % 24),
                    "rejected" if i % 7 == 0 else "accepted",
                    100,
                    "Laporan " * 50,
                    f"archive/{i}",
                )
                for i in range(300)
            ],
        )
        con.execute(
            "insert into snapshot_info values (?, ?, ?, ?, ?)",
            [DITERBITKAN_PADA, "run-besar", PROVINSI, NAMA_PROVINSI, 1],
        )
    finally:
        con.close()
    os.replace(sementara, tujuan)
    return tujuan


# --- helpers for the dashboard tests ----------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
HALAMAN = REPO / "dashboards" / "app_pages"


def siapkan(
    tmp_path: Path,
    monkeypatch: Any,
    *,
    sintetis: bool | frozenset[str] = True,
    geojson: bool = True,
    snapshot: bool = True,
) -> Path:
    """Build the fixture snapshot (and boundaries) under tmp_path and point the dashboard at it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    if snapshot:
        buat_snapshot(data_dir, sintetis=sintetis)
    ref = tmp_path / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    if geojson:
        tulis_geojson(ref)
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(ref))
    for tingkat in ("KABUPATEN", "KECAMATAN", "DESA"):
        monkeypatch.delenv(f"DASBOR_GEOJSON_{tingkat}", raising=False)
    return data_dir


def halaman(nama: str, **query: str) -> Any:
    """An AppTest of one page file (AppTest cannot drive st.navigation), with URL parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(HALAMAN / f"{nama}.py"), default_timeout=60)
    for kunci, nilai in query.items():
        at.query_params[kunci] = nilai
    return at.run()


def teks(at: Any) -> str:
    """Every piece of text the page shows (markdown, captions, notices, headings, code, labels)."""
    bagian: list[str] = []
    for jenis in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "code",
    ):
        bagian.extend(str(e.value) for e in getattr(at, jenis))
    bagian.extend(str(e.label) for e in at.expander)
    bagian.extend(f"{m.label}: {m.value}" for m in at.metric)
    return "\n".join(bagian)


def tabel_tampil(elemen: Any) -> pd.DataFrame:
    """What a st.dataframe shows: the Styler's display strings when there are any."""
    from streamlit import dataframe_util

    arrow = elemen.proto.arrow_data
    if arrow.HasField("styler") and arrow.styler.display_values:
        return dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.styler.display_values)
    return elemen.value


def grafik(at: Any) -> list[dict[str, Any]]:
    """The Plotly figures on the page, as dicts (the JSON the browser receives)."""
    import json

    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def larik(nilai: Any) -> list[Any]:
    """A Plotly array from figure JSON: a list, or a base64 typed array ({dtype, bdata})."""
    if isinstance(nilai, dict) and "bdata" in nilai:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(nilai["bdata"]), dtype=nilai["dtype"]).tolist()
    return list(nilai)


def metrik(at: Any, label: str) -> Any:
    """The st.metric whose label is `label`."""
    cocok = [m for m in at.metric if m.label == label]
    assert cocok, f"tidak ada metrik {label!r}: {[m.label for m in at.metric]}"
    return cocok[0]


if __name__ == "__main__":  # build one for a manual look: python tests/snapshot_fixture.py DIR
    import sys

    print(buat_snapshot(Path(sys.argv[1])))  # noqa: T201
