"""Builds a small published snapshot by hand, for the dashboard tests.

The snapshot schema (docs/contracts.md plus the dashboard brief) is the dashboard's only tie to
the pipeline, so these tests build the file themselves rather than running the pipeline:
three kabupaten/kota (Kotawaringin Barat, Kapuas and Kota Palangka Raya, which has only
kelurahan), four kecamatan, nine villages, two years, eleven KPIs with known values, NULLs with
their reasons, a few dataset rows, an ingest log with rejected files, and completeness rows.

`build_snapshot(data_dir)` writes `<data_dir>/published/dasbor.duckdb` the way the pipeline does
(build a temporary file, then os.replace); `write_geojson(dir)` writes matching square
boundaries. The constants below are the values the tests expect the pages to show.
"""

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parents[1]

PROVINSI = "62"
NAMA_PROVINSI = "Kalimantan Tengah"
TAHUN = (2023, 2024)
DITERBITKAN_PADA = datetime(2025, 3, 10, 3, 30)  # UTC -> "10 Maret 2025 pukul 10.30 WIB"
STAMP = "10 Maret 2025 pukul 10.30 WIB"

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

# kpi_id, isu, nama, satuan, arah, rumus, dataset_sumber, urutan, utama, includes_kelurahan
DEFINITIONS = [
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


def _program_definitions() -> list[tuple[Any, ...]]:
    """The ten programme KPIs (the agency's own activities, program_kegiatan), named as the
    pipeline names them, after each issue's outcome KPIs."""
    rows = []
    for isu in ISU_NAMA:
        label = f"isu {isu[-1]}" if isu != "tujuan" else "tujuan"
        rows += [
            (f"program_serapan_{isu}_pct", isu, f"Serapan anggaran kegiatan Dinas ({label})",
             "%", "naik", "100 x jumlah realisasi_anggaran / jumlah pagu", "program_kegiatan",
             10, False, False),
            (f"program_keluaran_{isu}_pct", isu, f"Capaian keluaran kegiatan Dinas ({label})",
             "%", "naik", "100 x rata-rata min(realisasi / target, 1)", "program_kegiatan",
             11, False, False),
        ]  # fmt: skip
    return rows


# In display order (by issue, then urutan), as kpi_definitions() reads them
DEFINITIONS = sorted(
    [*DEFINITIONS, *_program_definitions()], key=lambda d: (list(ISU_NAMA).index(d[1]), d[7])
)
PROGRAM_KPIS = frozenset(d[0] for d in DEFINITIONS if d[0].startswith("program_"))
SATUAN = {d[0]: d[3] for d in DEFINITIONS}
ARAH = {d[0]: d[4] for d in DEFINITIONS}

REASON_PALANGKA_RAYA = "Kota Palangka Raya tidak memiliki desa"
REASON_NO_DATA = "Tidak ada data yang dilaporkan"
REASON_KELURAHAN = "Kelurahan tidak dihitung untuk indikator berbasis desa"
REASON_KEC_PALANGKA_RAYA = "Kecamatan Pahandut hanya memiliki kelurahan"

# (kode_wilayah, kpi_id) -> (nilai 2023, nilai 2024); None = NULL
AREA_VALUES: dict[tuple[str, str], tuple[float | None, float | None]] = {
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

# The agency's activities (program_kegiatan). kode_wilayah, tahun, kode_kegiatan, nama, isu,
# indikator, satuan, target, realisasi, pagu, realisasi_anggaran, desa_sasaran. Only issue 1 and
# the goal (tujuan) have activities; 62.03 has none in 2023, Kota Palangka Raya none at all.
PROGRAM_KEGIATAN = [
    ("62.01", 2023, "2.13.05.2.01", "Fasilitasi kerja sama antar-desa", "1",
     "Aparatur desa dilatih", "orang", 50.0, 50.0, 100_000_000, 80_000_000, 8),
    ("62", 2024, "2.13.01.2.01", "Pembinaan dan pengawasan penyelenggaraan pemerintahan desa",
     "1", "Aparatur desa dibina", "orang", 100.0, 80.0, 200_000_000, 150_000_000, 20),
    ("62.01", 2024, "2.13.05.2.01", "Fasilitasi kerja sama antar-desa", "1",
     "Aparatur desa dilatih", "orang", 50.0, 60.0, 100_000_000, 90_000_000, 10),
    ("62.01", 2024, "2.13.03.2.01", "Fasilitasi penataan desa", "tujuan",
     "Dokumen penataan desa", "dokumen", 10.0, 5.0, 50_000_000, 40_000_000, 5),
    ("62.03", 2024, "2.13.05.2.02", "Pelatihan aparatur pemerintahan desa", "1",
     "Aparatur desa dilatih", "orang", 40.0, 30.0, 80_000_000, 40_000_000, 6),
]  # fmt: skip

# Hand-worked programme KPIs from those rows: (kode_wilayah, kpi_id) -> per year (nilai,
# pembilang, penyebut); serapan = Σ realisasi_anggaran / Σ pagu, keluaran = Σ min(realisasi /
# target, 1) / number of activities. Not listed: NULL ("no activity"). The province counts
# every activity in it (its own and the kabupaten's).
PROGRAM_VALUES: dict[tuple[str, str], dict[int, tuple[float, float, float]]] = {
    # 2023: 80 / 100 juta; 50 of 50. 2024: 90 / 100 juta; 60 of 50, capped at 1
    ("62.01", "program_serapan_isu1_pct"): {2023: (80.0, 8e7, 1e8), 2024: (90.0, 9e7, 1e8)},
    ("62.01", "program_keluaran_isu1_pct"): {2023: (100.0, 1.0, 1.0), 2024: (100.0, 1.0, 1.0)},
    # 2024: 40 / 50 juta; 5 of 10
    ("62.01", "program_serapan_tujuan_pct"): {2024: (80.0, 4e7, 5e7)},
    ("62.01", "program_keluaran_tujuan_pct"): {2024: (50.0, 0.5, 1.0)},
    # 2024: 40 / 80 juta; 30 of 40
    ("62.03", "program_serapan_isu1_pct"): {2024: (50.0, 4e7, 8e7)},
    ("62.03", "program_keluaran_isu1_pct"): {2024: (75.0, 0.75, 1.0)},
    # 2023: 62.01 alone. 2024: (150 + 90 + 40) / (200 + 100 + 80) juta = 280 / 380;
    # (0,8 + 1 + 0,75) / 3 = 0,85
    ("62", "program_serapan_isu1_pct"): {2023: (80.0, 8e7, 1e8), 2024: (7e3 / 95, 2.8e8, 3.8e8)},
    ("62", "program_keluaran_isu1_pct"): {2023: (100.0, 1.0, 1.0), 2024: (85.0, 2.55, 3.0)},
    ("62", "program_serapan_tujuan_pct"): {2024: (80.0, 4e7, 5e7)},
    ("62", "program_keluaran_tujuan_pct"): {2024: (50.0, 0.5, 1.0)},
}
REASON_NO_ACTIVITY = "Tidak ada kegiatan Dinas yang dilaporkan untuk isu ini pada tahun ini"


# Hand-set village values, (kode_desa, kpi_id) -> (2023, 2024); other villages' values follow
# a formula below. 62.01 ranking for serapan 2024: Sungai Cabang 1, Tanjung Putri 2, Teluk Pulai 3.
DESA_VALUES: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("62.01.01.2001", "serapan_dana_desa_pct"): (91.0, 95.0),
    ("62.01.01.2002", "serapan_dana_desa_pct"): (89.5, 88.0),
    ("62.01.02.2001", "serapan_dana_desa_pct"): (90.0, 93.9),
    ("62.01.01.2001", "kk_miskin_pct"): (12.5, 12.0),
    ("62.01.01.2002", "kk_miskin_pct"): (6.5, 6.0),
    ("62.01.02.2001", "kk_miskin_pct"): (9.2, 9.0),
    ("62.01.02.1002", "kk_miskin_pct"): (8.1, 8.0),
    ("62.01.01.2002", "kontribusi_pades_rp"): (None, 2.5e8),
}

DEFAULT_SYNTHETIC_DATASETS = frozenset(
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

REJECTED_REPORT = (
    "Berkas ditolak: 2 baris bermasalah.\n"
    "Baris 3, kolom pagu: nilai '12a' bukan angka.\n"
    "Baris 5, kolom kode_desa: kode '62.03.99.2001' tidak ada dalam daftar wilayah."
)
REJECTED_FILE = "dana_desa_kapuas_2024_salah.csv"


def _kab_of(kode: str) -> str:
    return kode[:5] if len(kode) >= 5 else kode


def _desa_value(kode: str, kpi_id: str, i_tahun: int) -> tuple[float | None, str | None]:
    _name, _kec, jenis = DESA[kode]
    includes_kelurahan = next(d[9] for d in DEFINITIONS if d[0] == kpi_id)
    if kpi_id == "persentase_miskin_bps":
        raise KeyError(kpi_id)
    if jenis == "kelurahan" and not includes_kelurahan:
        return None, REASON_KELURAHAN
    if (kode, kpi_id) in DESA_VALUES:
        value = DESA_VALUES[(kode, kpi_id)][i_tahun]
        return value, None if value is not None else REASON_NO_DATA
    base = AREA_VALUES.get((_kab_of(kode), kpi_id), AREA_VALUES[("62", kpi_id)])[i_tahun]
    if base is None:
        return None, REASON_NO_DATA
    factor = 0.9 + (int(kode[-2:]) % 5) * 0.05
    value = base * factor
    if SATUAN[kpi_id] == "%":
        value = min(value, 100.0)
    if SATUAN[kpi_id].startswith("indeks"):
        value = min(value, 1.0)
    return value, None


def kpi_rows() -> list[tuple[Any, ...]]:
    """Every kpi row of the fixture (tingkat, kode, nama, kode_kab, tahun, kpi_id, nilai,
    desa_melapor, pembilang, penyebut, keterangan)."""
    rows: list[tuple[Any, ...]] = []
    desa_per_kab = {
        k: sum(1 for d in DESA.values() if d[1][:5] == k and d[2] == "desa") for k in KAB
    }
    for i, tahun in enumerate(TAHUN):
        for kpi_id, *_ in DEFINITIONS:
            if kpi_id in PROGRAM_KPIS:
                rows += _program_kpi_rows(kpi_id, tahun)
                continue
            # province and kabupaten
            for kode, (nama, _jenis) in [("62", (NAMA_PROVINSI, "")), *KAB.items()]:
                value = AREA_VALUES.get((kode, kpi_id), (None, None))[i]
                if value is None:
                    reason = REASON_PALANGKA_RAYA if kode == "62.71" else REASON_NO_DATA
                else:
                    reason = None
                reporting = sum(desa_per_kab.values()) if kode == "62" else desa_per_kab[kode]
                if kpi_id == "persentase_miskin_bps":
                    reporting = None
                tingkat = "provinsi" if kode == "62" else "kabupaten"
                kode_kab = "62" if kode == "62" else kode
                rows.append(
                    (
                        tingkat,
                        kode,
                        nama,
                        kode_kab,
                        tahun,
                        kpi_id,
                        value,
                        reporting,
                        None,
                        None,
                        reason,
                    )
                )
            if kpi_id == "persentase_miskin_bps":
                continue
            # kecamatan: the mean of its villages' values, enough for a fixture
            for kode_kec, (nama_kec, kode_kab) in KEC.items():
                desa_values = []
                for kode_desa, (_n, kec, _j) in DESA.items():
                    if kec == kode_kec:
                        v, _reason = _desa_value(kode_desa, kpi_id, i)
                        if v is not None:
                            desa_values.append(v)
                value = sum(desa_values) / len(desa_values) if desa_values else None
                reason = None
                if value is None:
                    reason = REASON_KEC_PALANGKA_RAYA if kode_kec == "62.71.01" else REASON_NO_DATA
                rows.append(
                    (
                        "kecamatan",
                        kode_kec,
                        nama_kec,
                        kode_kab,
                        tahun,
                        kpi_id,
                        value,
                        len(desa_values),
                        None,
                        None,
                        reason,
                    )
                )
            for kode_desa, (nama_desa, _kec, _jenis) in DESA.items():
                v, reason = _desa_value(kode_desa, kpi_id, i)
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
                        reason,
                    )
                )
    return rows


def _program_kpi_rows(kpi_id: str, tahun: int) -> list[tuple[Any, ...]]:
    rows = []
    for kode, nama in [("62", NAMA_PROVINSI), *((k, n) for k, (n, _j) in KAB.items())]:
        nilai, pembilang, penyebut = PROGRAM_VALUES.get((kode, kpi_id), {}).get(
            tahun, (None, None, None)
        )
        tingkat = "provinsi" if kode == "62" else "kabupaten"
        reason = REASON_NO_ACTIVITY if nilai is None else None
        rows.append((tingkat, kode, nama, kode, tahun, kpi_id, nilai, None, pembilang, penyebut,
                     reason))  # fmt: skip
    return rows


def kpi_value(kode_wilayah: str, kpi_id: str, tahun: int) -> float | None:
    """The fixture's nilai for one area, KPI and year (what the pages should show)."""
    for r in kpi_rows():
        if r[1] == kode_wilayah and r[5] == kpi_id and r[4] == tahun:
            return r[6]
    raise KeyError((kode_wilayah, kpi_id, tahun))


_DDL = [
    """create table kpi (tingkat varchar, kode_wilayah varchar, nama_wilayah varchar,
        kode_kab varchar, tahun integer, kpi_id varchar, nilai double, desa_melapor integer,
        pembilang double, penyebut double, keterangan varchar)""",
    """create table kpi_definisi (kpi_id varchar, isu varchar, isu_nama varchar, nama varchar,
        satuan varchar, arah varchar, rumus varchar, dataset_sumber varchar, urutan integer,
        utama boolean, program boolean)""",
    """create table wilayah (kode varchar, tingkat varchar, nama varchar, kode_kab varchar,
        kode_kec varchar, jenis varchar)""",
    """create table ingest_log (file_name varchar, dataset varchar, sha256 varchar,
        received_at timestamp, status varchar, rows integer, report varchar,
        stored_as varchar)""",
    """create table kelengkapan_data (dataset varchar, kode_kab varchar, tahun integer,
        desa_melapor integer, desa_total integer, persen_lengkap double,
        diterima_pada timestamp, sintetis boolean)""",
    """create table program_kegiatan (kode_wilayah varchar, tahun integer,
        kode_kegiatan varchar, nama_kegiatan varchar, isu varchar, indikator_keluaran varchar,
        satuan_keluaran varchar, target_keluaran double, realisasi_keluaran double,
        pagu decimal(18,2), realisasi_anggaran decimal(18,2), desa_sasaran bigint,
        sumber varchar, sintetis boolean, kode_kab varchar, sha256 varchar,
        dimuat_pada timestamp)""",
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

_DDL_DESA_PRIORITAS = """create table desa_prioritas (tahun integer, kode_kab varchar,
    nama_kabupaten varchar, kode_kec varchar, nama_kecamatan varchar, kode_desa varchar,
    nama_desa varchar, status varchar, skor double, peringkat_kab integer, alasan varchar,
    data_kurang varchar, kk_miskin_ekstrem_pct double, nilai_idm_hitung double,
    status_idm_hitung varchar, status_desa_lalu varchar, bumdes_aktif uinteger,
    serapan_pct double, cakupan_blt_pct double, skor_miskin_ekstrem double,
    skor_idm_rendah double, skor_idm_turun double, skor_tanpa_bumdes double,
    skor_serapan_rendah double, skor_blt_rendah double, skema_status varchar,
    status_desa varchar, skor_indeks_desa double)"""

# Desa prioritas 2024, by hand: (kode_desa, status, skor, peringkat_kab, alasan, data_kurang,
# kk_miskin_ekstrem_pct, nilai_idm, status_idm, status_desa_lalu, bumdes_aktif, serapan_pct,
# cakupan_blt_pct, six factor scores). Tanjung Putri lacks BUMDes and BLT data: not ranked.
# In 2023 every desa lacks data, so nothing is ranked.
RANK_1_ALASAN = (
    "10% KK miskin ekstrem, tidak ada BUMDes aktif, BLT menjangkau 40% KK miskin ekstrem"
)
DESA_PRIORITAS_2024 = [
    ("62.01.01.2001", "dinilai", 41.5, 1, RANK_1_ALASAN, None,
     10.0, 0.75, "maju", "berkembang", 0, 95.0, 40.0, 0.333, 0.1, 0.0, 1.0, 0.1, 0.6),
    ("62.01.01.2002", "dinilai", 12.25, 2, "IDM 0,65 (berkembang), serapan Dana Desa 88%", None,
     0.0, 0.65, "berkembang", "berkembang", 1, 88.0, None, 0.0, 0.5, 0.0, 0.0, 0.24, 0.0),
    ("62.01.02.2001", "data_kurang", None, None, "data belum lengkap: bumdes, blt_kpm",
     "bumdes, blt_kpm", 4.0, 0.85, "mandiri", "mandiri", None, 93.9, None,
     0.133, 0.0, 0.0, None, 0.12, None),
    ("62.03.01.2011", "dinilai", 57.75, 1,
     "IDM 0,55 (tertinggal), status IDM turun dari berkembang ke tertinggal, "
     "tidak ada BUMDes aktif", None,
     12.0, 0.55, "tertinggal", "berkembang", 0, 80.0, 50.0, 0.4, 0.8, 1.0, 1.0, 0.4, 0.5),
    ("62.03.01.2020", "dinilai", 8.0, 2, "IDM 0,65 (berkembang)", None,
     0.0, 0.65, "berkembang", "berkembang", 2, 99.0, None, 0.0, 0.5, 0.0, 0.0, 0.02, 0.0),
]  # fmt: skip
DATA_KURANG_2023 = "kemiskinan_desa, idm, bumdes, dana_desa"


def desa_prioritas_rows() -> list[tuple[Any, ...]]:
    """The fixture's desa_prioritas rows, in the snapshot's column order."""
    rows = []
    for tahun in TAHUN:
        if tahun == 2024:
            rows_of_year = DESA_PRIORITAS_2024
        else:
            rows_of_year = [
                (k, "data_kurang", None, None, f"data belum lengkap: {DATA_KURANG_2023}", DATA_KURANG_2023,
                 *[None] * 13)
                for k, d in DESA.items()
                if d[2] == "desa"
            ]  # fmt: skip
        for kode, *rest in rows_of_year:
            nama, kec, _jenis = DESA[kode]
            kab = kode[:5]
            # Every fixture desa is scored by IDM: its status is the IDM one.
            extras = ("idm", rest[7], None)
            rows.append((tahun, kab, KAB[kab][0], kec, KEC[kec][0], kode, nama, *rest, *extras))
    return rows


# Indeks Desa 2024 (0-100, six dimensions), stated status; Tanjung Putri has none, so it
# has an IDM status only. kode_desa -> (skor, status, layanan_dasar, sosial, ekonomi,
# lingkungan, aksesibilitas, tata_kelola)
INDEKS_DESA_2024 = {
    "62.01.01.2001": (72.5, "maju", 80.0, 75.0, 60.0, 70.0, 78.0, 72.0),
    "62.01.01.2002": (60.1, "berkembang", 65.0, 62.0, 58.0, 55.0, 61.0, 59.6),
    "62.03.01.2011": (45.0, "sangat_tertinggal", 50.0, 48.0, 40.0, 42.0, 38.0, 52.0),
    "62.03.01.2020": (52.0, "tertinggal", 55.0, 54.0, 50.0, 49.0, 51.0, 53.0),
}
INDEKS_DESA_TAHUN = 2024

_DDL_INDEKS_DESA = """create table indeks_desa (kode_desa varchar, nama_desa varchar,
    tahun integer, skor_indeks_desa double, status_indeks_desa varchar,
    skor_layanan_dasar double, skor_sosial double, skor_ekonomi double,
    skor_lingkungan double, skor_aksesibilitas double, skor_tata_kelola double,
    sumber varchar, sintetis boolean, kode_kab varchar, sha256 varchar)"""

PROXY_NOTE = (
    "Indikator ini adalah proksi: persentase KK desil 1-4 (DTSEN), bukan angka kemiskinan BPS"
)
# target_kpi: kpi_id, kode_wilayah, tahun, nilai, sumber, catatan, asal
TARGET_KPI = [
    ("persentase_miskin_bps", "00", 2029, 4.5, "RPJMN 2025-2029", None, "bawaan"),
    ("persentase_miskin_bps", "62", 2025, 4.66, "RKPD Kalimantan Tengah 2025", None, "bawaan"),
    ("persentase_miskin_bps", "62.03", 2026, 4.0, "RPJMD Kabupaten Kapuas (uji)", None, "berkas"),
    ("kk_miskin_pct", "00", 2030, 0.0, "SDGs Desa tujuan 1", PROXY_NOTE, "bawaan"),
    ("kk_miskin_pct", "62.01", 2025, 9.0, "RPJMD Kotawaringin Barat (uji)", PROXY_NOTE, "berkas"),
]

_DDL_TARGETS = [
    """create table target_kpi (kpi_id varchar, kode_wilayah varchar, tahun integer,
        nilai double, sumber varchar, catatan varchar, asal varchar)""",
    """create table capaian_target (kpi_id varchar, tingkat varchar, kode_wilayah varchar,
        nama_wilayah varchar, arah varchar, target_kode_wilayah varchar,
        target_tingkat varchar, target_dari_atas boolean, target_tahun integer,
        target_nilai double, sumber varchar, catatan varchar, asal varchar,
        tahun_awal integer, nilai_awal double, tahun_terakhir integer, nilai_terakhir double,
        nilai_seharusnya double, status varchar)""",
]


def indeks_desa_rows(synthetic: frozenset[str]) -> list[tuple[Any, ...]]:
    is_synthetic = "indeks_desa" in synthetic
    source = "Data contoh sintetis (uji dasbor)" if is_synthetic else "Kemendesa"
    return [
        (kode, DESA[kode][0], INDEKS_DESA_TAHUN, skor, status, *dims, source, is_synthetic,
         kode[:5], "sha-id-2024")
        for kode, (skor, status, *dims) in INDEKS_DESA_2024.items()
    ]  # fmt: skip


def capaian_target_rows() -> list[tuple[Any, ...]]:
    """Every area against its nearest target (own, province, national), by the spec's rule:
    the straight line from the first year with a value to the target year, compared with the
    latest value."""
    rows = []
    target_levels = {"00": "nasional", PROVINSI: "provinsi"}
    for kpi_id in dict.fromkeys(t[0] for t in TARGET_KPI):
        own = {t[1]: t for t in TARGET_KPI if t[0] == kpi_id}
        for kode, nama in [(PROVINSI, NAMA_PROVINSI), *((k, v[0]) for k, v in KAB.items())]:
            chain = [kode] if kode == PROVINSI else [kode, PROVINSI]
            target = next((own[c] for c in [*chain, "00"] if c in own), None)
            if target is None:
                continue
            series = [
                (t, AREA_VALUES.get((kode, kpi_id), (None, None))[i]) for i, t in enumerate(TAHUN)
            ]
            known = [(t, v) for t, v in series if v is not None]
            arah = ARAH[kpi_id]
            first, last = (known[0], known[-1]) if known else ((None, None), (None, None))
            path = status = None
            if known:
                share = (last[0] - first[0]) / (target[2] - first[0])
                path = first[1] + (target[3] - first[1]) * share
                better = (lambda a, b: a <= b) if arah == "turun" else (lambda a, b: a >= b)
                if better(last[1], target[3]):
                    status = "target tercapai"
                elif better(last[1], path):
                    status = "sesuai jalur"
                else:
                    status = "tertinggal dari jalur"
            rows.append(
                (
                    kpi_id, "provinsi" if kode == PROVINSI else "kabupaten", kode, nama, arah,
                    target[1], target_levels.get(target[1], "kabupaten"), target[1] != kode,
                    target[2], target[3], target[4], target[5], target[6],
                    first[0], first[1], last[0], last[1], path, status,
                )
            )  # fmt: skip
    return rows


_STATUS_SCORE = {
    "sangat_tertinggal": 0.45,
    "tertinggal": 0.55,
    "berkembang": 0.65,
    "maju": 0.75,
    "mandiri": 0.85,
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows through a DataFrame: executemany is far too slow for large fixtures."""
    if not rows:
        return
    columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
    frame = pd.DataFrame.from_records(rows, columns=columns)  # noqa: F841 (read by DuckDB)
    con.execute(f"insert into {table} select * from frame")


def _fill(con: duckdb.DuckDBPyConnection, synthetic: frozenset[str]) -> None:
    def source_of(ds: str) -> tuple[str, bool]:
        if ds in synthetic:
            return "Data contoh sintetis (uji dasbor)", True
        return "Kemendesa / BPS", False

    def insert(table: str, rows: list[tuple[Any, ...]]) -> None:
        _insert(con, table, rows)

    insert("kpi", kpi_rows())
    insert(
        "kpi_definisi",
        [
            (
                d[0],
                d[1],
                ISU_NAMA[d[1]],
                d[2],
                d[3],
                d[4],
                d[5],
                d[6],
                d[7],
                d[8],
                d[0] in PROGRAM_KPIS,
            )
            for d in DEFINITIONS
        ],
    )
    areas = [(PROVINSI, "provinsi", NAMA_PROVINSI, None, None, None)]
    areas += [(k, "kabupaten", n, k, None, j) for k, (n, j) in KAB.items()]
    areas += [(k, "kecamatan", n, kab, k, None) for k, (n, kab) in KEC.items()]
    areas += [(k, "desa", n, k[:5], kec, j) for k, (n, kec, j) in DESA.items()]
    insert("wilayah", areas)

    desa_only = [k for k, d in DESA.items() if d[2] == "desa"]
    rows_dd, rows_pd, rows_km, rows_idm, rows_bum, rows_umkm = [], [], [], [], [], []
    for i, tahun in enumerate(TAHUN):
        for n, kode in enumerate(desa_only):
            s, is_synthetic = source_of("dana_desa")
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
                    is_synthetic,
                    f"sha-dd-{tahun}",
                )
            )
            s, is_synthetic = source_of("profil_desa")
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
                    is_synthetic,
                    f"sha-pd-{tahun}",
                )
            )
            s, is_synthetic = source_of("idm")
            status = STATUS_IDM_2024[kode] if tahun == 2024 else "berkembang"
            skor = _STATUS_SCORE[status]
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
                    is_synthetic,
                    f"sha-idm-{tahun}",
                )
            )
            s, is_synthetic = source_of("bumdes")
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
                    is_synthetic,
                    f"sha-bum-{tahun}",
                )
            )
        for n, kode in enumerate(DESA):
            s, is_synthetic = source_of("kemiskinan_desa")
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
                    is_synthetic,
                    f"sha-km-{tahun}",
                )
            )
            s, is_synthetic = source_of("umkm")
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
                    is_synthetic,
                    f"sha-umkm-{tahun}",
                )
            )
    insert("dana_desa", rows_dd)
    insert("profil_desa", rows_pd)
    insert("idm", rows_idm)
    insert("bumdes", rows_bum)
    insert("kemiskinan_desa", rows_km)
    insert("umkm", rows_umkm)
    s, is_synthetic = source_of("kemiskinan_kab")
    insert(
        "kemiskinan_kab",
        [
            (
                k,
                t,
                AREA_VALUES[(k, "persentase_miskin_bps")][i],
                10.0,
                550_000.0,
                0.8,
                0.2,
                k,
                s,
                is_synthetic,
                f"sha-kk-{t}",
            )
            for i, t in enumerate(TAHUN)
            for k in ("62", *KAB)
        ],
    )

    completeness_rows = []
    for ds in ("dana_desa", "bumdes", "umkm", "kemiskinan_desa", "idm", "profil_desa"):
        for kab in KAB:
            for tahun in TAHUN:
                includes_kelurahan = ds in ("kemiskinan_desa", "umkm")
                total = sum(
                    1
                    for k, d in DESA.items()
                    if k[:5] == kab and (includes_kelurahan or d[2] == "desa")
                )
                reporting = total
                if ds == "bumdes" and kab == "62.03" and tahun == 2023:
                    reporting = 0
                percent = 100.0 * reporting / total if total else None
                completeness_rows.append(
                    (
                        ds,
                        kab,
                        tahun,
                        reporting,
                        total,
                        percent,
                        datetime(tahun + 1, 2, 1, 2, 0),
                        ds in synthetic,
                    )
                )
    insert("kelengkapan_data", completeness_rows)
    s, is_synthetic = source_of("program_kegiatan")
    insert(
        "program_kegiatan",
        [
            (*r, s, is_synthetic, r[0], f"sha-pk-{r[1]}", datetime(r[1] + 1, 1, 15, 2, 0))
            for r in PROGRAM_KEGIATAN
        ],
    )
    row_counts = {
        "dana_desa": len(rows_dd),
        "bumdes": len(rows_bum),
        "umkm": len(rows_umkm),
        "kemiskinan_desa": len(rows_km),
        "idm": len(rows_idm),
        "profil_desa": len(rows_pd),
        "kemiskinan_kab": 8,
        "program_kegiatan": len(PROGRAM_KEGIATAN),
    }
    insert("sumber_data", [(ds, *reversed(source_of(ds)), n) for ds, n in row_counts.items()])
    insert(
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
                REJECTED_FILE,
                "dana_desa",
                "sha-tolak-1",
                datetime(2025, 3, 3, 1, 0),
                "rejected",
                7,
                REJECTED_REPORT,
                f"rejected/dana_desa/{REJECTED_FILE}",
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


# The reporting calendar and its compliance, judged on the publish date (10 March 2025 WIB).
# Worked by hand; times UTC, dates judged in WIB (UTC+7). 2024 holds every status but "belum
# jatuh tempo", which only umkm 2025 has (due 31 March 2025).
JADWAL_KETERANGAN = "Contoh jadwal (uji dasbor), bukan ketentuan resmi"
# dataset, tahun_data, tenggat
JADWAL = [
    ("dana_desa", 2023, date(2024, 3, 31)),
    ("bumdes", 2023, date(2024, 1, 31)),
    ("dana_desa", 2024, date(2025, 1, 31)),
    ("bumdes", 2024, date(2025, 1, 31)),
    ("kemiskinan_kab", 2024, date(2024, 8, 31)),
    ("umkm", 2025, date(2025, 3, 31)),
]
# (dataset, kode_kab, tahun_data) -> (pertama_diterima UTC, status, hari_terlambat, kelengkapan)
KEPATUHAN = {
    ("dana_desa", "62.01", 2023): (datetime(2024, 2, 1, 2, 0), "tepat waktu", 0, 100.0),
    ("dana_desa", "62.03", 2023): (datetime(2024, 2, 1, 2, 0), "tepat waktu", 0, 100.0),
    # 1 February 09:00 WIB, a day after the deadline
    ("bumdes", "62.01", 2023): (datetime(2024, 2, 1, 2, 0), "terlambat", 1, 100.0),
    # nothing yet: 31 January 2024 to 10 March 2025 = 404 days (2024 is a leap year)
    ("bumdes", "62.03", 2023): (None, "belum dikirim", 404, 0.0),
    # 1 March 2025 08:00 WIB: 29 days after 31 January
    ("dana_desa", "62.01", 2024): (datetime(2025, 3, 1, 1, 0), "terlambat", 29, 100.0),
    ("dana_desa", "62.03", 2024): (datetime(2025, 1, 20, 3, 0), "tepat waktu", 0, 100.0),
    # 31 January 16:30 UTC is already 1 February in WIB: a day late
    ("bumdes", "62.01", 2024): (datetime(2025, 1, 31, 16, 30), "terlambat", 1, 100.0),
    # nothing yet: 31 January to 10 March 2025 = 38 days
    ("bumdes", "62.03", 2024): (None, "belum dikirim", 38, 0.0),
    ("kemiskinan_kab", "62", 2024): (datetime(2024, 8, 15, 2, 0), "tepat waktu", 0, 100.0),
    ("kemiskinan_kab", "62.01", 2024): (datetime(2024, 8, 20, 2, 0), "tepat waktu", 0, 100.0),
    ("kemiskinan_kab", "62.03", 2024): (datetime(2024, 8, 20, 2, 0), "tepat waktu", 0, 100.0),
    ("kemiskinan_kab", "62.71", 2024): (datetime(2024, 8, 31, 9, 0), "tepat waktu", 0, 100.0),
    ("umkm", "62.01", 2025): (None, "belum jatuh tempo", 0, 0.0),
    ("umkm", "62.03", 2025): (None, "belum jatuh tempo", 0, 0.0),
    ("umkm", "62.71", 2025): (None, "belum jatuh tempo", 0, 0.0),
}
# On time among the slices already due (belum jatuh tempo is not counted): 2024 5 of 8.
TEPAT_WAKTU_2024 = "62,5%"

_DDL_KEPATUHAN = [
    """create table jadwal_pelaporan (dataset varchar, tahun_data integer, tenggat date,
        keterangan varchar, asal varchar)""",
    """create table kepatuhan_pelaporan (dataset varchar, kode_kab varchar, nama_kab varchar,
        tahun_data integer, tenggat date, pertama_diterima timestamp, status varchar,
        hari_terlambat integer, kelengkapan_pct double)""",
]


def kepatuhan_rows() -> list[tuple[Any, ...]]:
    """The fixture's kepatuhan_pelaporan rows, in the snapshot's column order and sort."""
    deadlines = {(ds, t): d for ds, t, d in JADWAL}
    names = {PROVINSI: NAMA_PROVINSI} | {k: v[0] for k, v in KAB.items()}
    return [
        (ds, kab, names[kab], t, deadlines[(ds, t)], *KEPATUHAN[(ds, kab, t)])
        for ds, kab, t in sorted(KEPATUHAN, key=lambda k: (k[0], k[2], k[1]))
    ]


# Messages sent (docs/operations.md), always published, no addresses. On 10 March 2025 only Kapuas
# has slices not sent (bumdes 2023 and 2024); one of its two officers' mail was refused.
NOTIFIKASI_LOG = [
    (datetime(2025, 3, 5, 0, 0, 12), "laporan", "kadis.pmd", "62",
     "laporan ringkas Kalimantan Tengah 2024", "terkirim", None),
    (datetime(2025, 3, 10, 0, 0, 5), "pengingat", "budi.kapuas", "62.03",
     "bumdes 2023 (terlambat 404 hari); bumdes 2024 (terlambat 38 hari)", "kotak_keluar", None),
    (datetime(2025, 3, 10, 0, 0, 6), "pengingat", "rina.kapuas", "62.03",
     "bumdes 2023 (terlambat 404 hari); bumdes 2024 (terlambat 38 hari)", "gagal",
     "penerima ditolak server: 550 5.1.1 mailbox unavailable"),
]  # fmt: skip
_DDL_NOTIFIKASI_LOG = """create table notifikasi_log (dibuat_pada timestamp, jenis varchar,
    penerima varchar, kode_kab varchar, rincian varchar, status varchar, alasan varchar)"""


_DDL_WEIGHTS = """create table bobot_desa_prioritas (faktor varchar, bobot double,
    nilai_penuh double, keterangan varchar)"""


def write_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """The catalogue tables as the pipeline publishes them: dataset_definisi, status_desa and
    isu_definisi built from the pipeline's own declarations, the IDM thresholds and the desa
    prioritas weights from the shipped reference files. Never a hand copy, so they cannot
    drift (test_snapshot_fixture_schema checks the rest)."""
    from pipelines.contracts.catalogue import published_catalogue
    from pipelines.contracts.idm_status import load_thresholds

    for table, frame in published_catalogue().items():
        arrow = frame.to_arrow()  # noqa: F841 (read by DuckDB)
        con.execute(f"create table {table} as select * from arrow")
    reference = REPO / "data" / "reference"
    thresholds = load_thresholds(reference / "idm_ambang_status.csv").to_arrow()  # noqa: F841
    con.execute("create table idm_ambang_status as select * from thresholds")
    con.execute(_DDL_WEIGHTS)
    con.execute(
        "insert into bobot_desa_prioritas select * from read_csv(?, header = true)",
        [str(reference / "bobot_desa_prioritas.csv")],
    )


def write_status_wilayah(con: duckdb.DuckDBPyConnection) -> None:
    """`status_wilayah` as the pipeline computes it (pipelines.transforms.status), from this
    snapshot's own idm and indeks_desa rows: never a hand copy of the scheme choice."""
    import polars as pl

    from pipelines.contracts.catalogue import dimensions_frame
    from pipelines.transforms.status import status_wilayah

    dimensions = dimensions_frame()["kolom"].to_list()
    idm = con.sql(
        "select kode_desa, kode_kab, tahun, nilai_idm_hitung, status_idm_hitung, "
        "true as ada_idm from idm"
    ).pl()
    has_id = con.execute(
        "select count(*) from information_schema.tables where table_name = 'indeks_desa'"
    ).fetchall()[0][0]
    if has_id:
        indeks_desa = con.sql(
            "select kode_desa, kode_kab, tahun, skor_indeks_desa, status_indeks_desa, "
            f"{', '.join(dimensions)}, true as ada_indeks_desa from indeks_desa"
        ).pl()
    else:
        indeks_desa = pl.DataFrame(
            schema={
                "kode_desa": pl.String, "kode_kab": pl.String, "tahun": pl.Int32,
                "skor_indeks_desa": pl.Float64, "status_indeks_desa": pl.String,
                **dict.fromkeys(dimensions, pl.Float64), "ada_indeks_desa": pl.Boolean,
            }
        )  # fmt: skip
    basis = (
        idm.join(indeks_desa, on=["kode_desa", "kode_kab", "tahun"], how="full", coalesce=True)
        .with_columns(
            pl.col("ada_idm", "ada_indeks_desa").fill_null(False),
            pl.col("kode_desa").str.slice(0, 2).alias("kode_prov"),
        )
        .lazy()
    )
    frame = status_wilayah(basis, dimensions).collect().to_arrow()  # noqa: F841 (read by DuckDB)
    con.execute("create table status_wilayah as select * from frame")


def build_snapshot(
    data_dir: Path,
    *,
    synthetic: bool | frozenset[str] = True,
    diterbitkan_pada: datetime = DITERBITKAN_PADA,
    run_id: str = "run-uji-1",
    with_desa_prioritas: bool = True,
    with_indeks_desa: bool = True,
    with_targets: bool = True,
    with_kepatuhan: bool = True,
    with_status_wilayah: bool = True,
) -> Path:
    """Write `<data_dir>/published/dasbor.duckdb` atomically and return its path.

    synthetic: True = the default mix (DEFAULT_SYNTHETIC_DATASETS are sample data), False = all
    real, or an explicit set of synthetic dataset names. with_desa_prioritas=False leaves out the
    desa_prioritas table, as in a snapshot from an older pipeline.
    with_kepatuhan=False leaves out jadwal_pelaporan and kepatuhan_pelaporan likewise, and
    with_status_wilayah=False status_wilayah.
    """
    if synthetic is True:
        synthetic_set = DEFAULT_SYNTHETIC_DATASETS
    elif synthetic is False:
        synthetic_set = frozenset()
    else:
        synthetic_set = frozenset(synthetic)
    target = Path(data_dir) / "published" / "dasbor.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"dasbor.{os.getpid()}.tmp")
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for ddl in _DDL:
            con.execute(ddl)
        _fill(con, synthetic_set)
        write_catalogue(con)
        if with_desa_prioritas:
            con.execute(_DDL_DESA_PRIORITAS)
            _insert(con, "desa_prioritas", desa_prioritas_rows())
        if with_indeks_desa:
            con.execute(_DDL_INDEKS_DESA)
            _insert(con, "indeks_desa", indeks_desa_rows(synthetic_set))
        if with_status_wilayah:
            write_status_wilayah(con)
        if with_targets:
            for ddl in _DDL_TARGETS:
                con.execute(ddl)
            _insert(con, "target_kpi", TARGET_KPI)
            _insert(con, "capaian_target", capaian_target_rows())
        if with_kepatuhan:
            for ddl in _DDL_KEPATUHAN:
                con.execute(ddl)
            _insert(
                con,
                "jadwal_pelaporan",
                [(ds, t, d, JADWAL_KETERANGAN, "bawaan") for ds, t, d in JADWAL],
            )
            _insert(con, "kepatuhan_pelaporan", kepatuhan_rows())
        con.execute(_DDL_NOTIFIKASI_LOG)  # always published, like the pipeline's
        _insert(con, "notifikasi_log", NOTIFIKASI_LOG)
        con.execute(
            "insert into snapshot_info values (?, ?, ?, ?, ?)",
            [diterbitkan_pada, run_id, PROVINSI, NAMA_PROVINSI, 1],
        )
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def _square(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


def write_geojson(reference_dir: Path) -> Path:
    """Square boundaries for the fixture's areas, with the property names of the real files."""
    import json

    reference_dir = Path(reference_dir)
    reference_dir.mkdir(parents=True, exist_ok=True)
    kab_features, kec_features, desa_features = [], [], []
    for i, (kab, (nama, jenis)) in enumerate(KAB.items()):
        x0 = 111.0 + 1.2 * i
        kab_features.append(
            {
                "type": "Feature",
                "geometry": _square(x0, -3.0, x0 + 1.0, -2.0),
                "properties": {"kode": kab, "nama": nama, "kode_kab": kab, "jenis": jenis},
            }
        )
        kec_codes = [k for k, (_n, kk) in KEC.items() if kk == kab]
        for j, kec in enumerate(kec_codes):
            y0 = -3.0 + j / len(kec_codes)
            y1 = y0 + 1 / len(kec_codes)
            kec_features.append(
                {
                    "type": "Feature",
                    "geometry": _square(x0, y0, x0 + 1.0, y1),
                    "properties": {
                        "kode": kec,
                        "nama": KEC[kec][0],
                        "kode_kab": kab,
                        "kode_kec": kec,
                    },
                }
            )
            desa_codes = [k for k, d in DESA.items() if d[1] == kec]
            for m, kode in enumerate(desa_codes):
                a = x0 + m / len(desa_codes)
                desa_features.append(
                    {
                        "type": "Feature",
                        "geometry": _square(a, y0, a + 1 / len(desa_codes), y1),
                        "properties": {
                            "kode": kode,
                            "nama": DESA[kode][0],
                            "kode_kab": kab,
                            "kode_kec": kec,
                            "jenis": DESA[kode][2],
                        },
                    }
                )
    for nama, features in (
        ("kabupaten", kab_features),
        ("kecamatan", kec_features),
        ("desa", desa_features),
    ):
        (reference_dir / f"kalteng_{nama}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
    return reference_dir


def build_kalteng_snapshot(
    data_dir: Path,
    wilayah_csv: Path,
    *,
    tahun: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024),
    kpi_count: int = 27,
) -> Path:
    """A snapshot the size of the real Kalimantan Tengah one, for timing the pages.

    Every region of `wilayah_csv` (data/reference/wilayah_62.csv: 14 kabupaten/kota, 136
    kecamatan, 1571 villages), `kpi_count` KPIs (the fixture's eleven plus made-up ones) for
    every year at every level, and dataset rows for every desa. Values are pseudo-random.
    """
    import csv
    import random

    rng = random.Random(62)
    with open(wilayah_csv, encoding="utf-8") as f:
        wilayah = list(csv.DictReader(f))
    definitions = list(DEFINITIONS)
    isu_cycle = ["isu1", "isu2", "isu3", "isu4", "tujuan"]
    for i in range(len(definitions), kpi_count):
        isu = isu_cycle[i % 5]
        definitions.append(
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
    target = Path(data_dir) / "published" / "dasbor.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"dasbor.{os.getpid()}.besar.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for ddl in _DDL:
            con.execute(ddl)
        write_catalogue(con)
        _insert(
            con,
            "wilayah",
            [
                (
                    w["kode"],
                    w["tingkat"],
                    w["nama"],
                    w["kode_kab"] or None,
                    w["kode_kec"] or None,
                    w["jenis"] or None,
                )
                for w in wilayah
            ],
        )
        _insert(
            con,
            "kpi_definisi",
            [
                (
                    d[0],
                    d[1],
                    ISU_NAMA[d[1]],
                    d[2],
                    d[3],
                    d[4],
                    d[5],
                    d[6],
                    d[7],
                    d[8],
                    d[0] in PROGRAM_KPIS,
                )
                for d in definitions
            ],
        )
        rows = []
        for t in tahun:
            for w in wilayah:
                tingkat = w["tingkat"]
                kode_kab = w["kode_kab"] or PROVINSI
                is_kota = kode_kab == "62.71"
                for d in definitions:
                    if tingkat == "desa" and d[0] == "persentase_miskin_bps":
                        continue
                    if tingkat in ("kecamatan", "desa") and d[0] in PROGRAM_KPIS:
                        continue  # the agency's figures: kabupaten and province only
                    no_value = (is_kota or w["jenis"] == "kelurahan") and not d[9]
                    value = None if no_value else rng.uniform(5, 95)
                    if value is not None and d[3].startswith("indeks"):
                        value /= 100
                    reason = (
                        (REASON_PALANGKA_RAYA if is_kota else REASON_KELURAHAN)
                        if no_value
                        else None
                    )
                    rows.append(
                        (
                            tingkat,
                            w["kode"],
                            w["nama"],
                            kode_kab,
                            t,
                            d[0],
                            value,
                            1 if value is not None else 0,
                            None,
                            None,
                            reason,
                        )
                    )
        _insert(con, "kpi", rows)
        desa = [w for w in wilayah if w["tingkat"] == "desa" and w["jenis"] == "desa"]
        status = list(_STATUS_SCORE)
        _insert(
            con,
            "idm",
            [
                (w["kode"], t, 0.6, 0.6, 0.6, 0.6, s, 0.6, s, w["kode_kab"], "uji", True, "x")
                for t in tahun
                for w in desa
                for s in [rng.choice(status)]
            ],
        )
        _insert(
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
        write_status_wilayah(con)
        names_by_kode = {w["kode"]: w["nama"] for w in wilayah}
        con.execute(_DDL_DESA_PRIORITAS)
        priority_rows = []
        for t in tahun:
            scores_by_kab: dict[str, list[tuple[float, str]]] = {}
            for w in desa:
                scores_by_kab.setdefault(w["kode_kab"], []).append((rng.uniform(0, 80), w["kode"]))
            ranks = {
                kode: i
                for scores in scores_by_kab.values()
                for i, (_s, kode) in enumerate(sorted(scores, reverse=True), start=1)
            }
            skor = {kode: s for scores in scores_by_kab.values() for s, kode in scores}
            for w in desa:
                kurang = ranks[w["kode"]] % 40 == 0
                priority_rows.append(
                    (
                        t, w["kode_kab"], names_by_kode[w["kode_kab"]], w["kode_kec"],
                        names_by_kode[w["kode_kec"]], w["kode"], w["nama"],
                        "data_kurang" if kurang else "dinilai",
                        None if kurang else skor[w["kode"]],
                        None if kurang else ranks[w["kode"]],
                        "data belum lengkap: idm" if kurang
                        else "20% KK miskin ekstrem, tidak ada BUMDes aktif",
                        "idm" if kurang else None,
                        20.0, 0.6, "berkembang", "berkembang", 0, 80.0, 50.0,
                        0.66, 0.5, 0.0, 1.0, 0.4, 0.5, "idm", "berkembang", None,
                    )
                )  # fmt: skip
        _insert(con, "desa_prioritas", priority_rows)
        kab = [w for w in wilayah if w["tingkat"] == "kabupaten"]
        _insert(
            con,
            "kelengkapan_data",
            [
                (ds, k["kode"], t, 90, 100, 90.0, datetime(t + 1, 1, 1), True)
                for ds in ("dana_desa", "bumdes", "umkm", "kemiskinan_desa", "idm", "profil_desa")
                for k in kab
                for t in tahun
            ],
        )
        _insert(
            con,
            "sumber_data",
            [(ds, True, "uji", 100) for ds in ("dana_desa", "idm")],
        )
        _insert(
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
    os.replace(tmp, target)
    return target


# --- helpers for the dashboard tests ----------------------------------------------------------

PAGES_DIR = REPO / "dashboards" / "app_pages"


def prepare(
    tmp_path: Path,
    monkeypatch: Any,
    *,
    synthetic: bool | frozenset[str] = True,
    geojson: bool = True,
    snapshot: bool = True,
    with_desa_prioritas: bool = True,
    with_indeks_desa: bool = True,
    with_targets: bool = True,
    with_kepatuhan: bool = True,
    with_status_wilayah: bool = True,
) -> Path:
    """Build the fixture snapshot (and boundaries) under tmp_path and point the dashboard at it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    if snapshot:
        build_snapshot(
            data_dir,
            synthetic=synthetic,
            with_desa_prioritas=with_desa_prioritas,
            with_indeks_desa=with_indeks_desa,
            with_targets=with_targets,
            with_kepatuhan=with_kepatuhan,
            with_status_wilayah=with_status_wilayah,
        )
    ref = tmp_path / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    if geojson:
        write_geojson(ref)
    monkeypatch.setenv("DASBOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DASBOR_REFERENCE_DIR", str(ref))
    for tingkat in ("KABUPATEN", "KECAMATAN", "DESA"):
        monkeypatch.delenv(f"DASBOR_GEOJSON_{tingkat}", raising=False)
    return data_dir


def run_page(nama: str, **query: str) -> Any:
    """An AppTest of one page file (AppTest cannot drive st.navigation), with URL parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGES_DIR / f"{nama}.py"), default_timeout=60)
    for param, value in query.items():
        at.query_params[param] = value
    return at.run()


def page_text(at: Any) -> str:
    """Every piece of text the page shows (markdown, captions, notices, headings, code, labels)."""
    parts: list[str] = []
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
        parts.extend(str(e.value) for e in getattr(at, jenis))
    parts.extend(str(e.label) for e in at.expander)
    parts.extend(f"{m.label}: {m.value}" for m in at.metric)
    return "\n".join(parts)


def shown_table(element: Any) -> pd.DataFrame:
    """What a st.dataframe shows: the Styler's display strings when there are any."""
    from streamlit import dataframe_util

    arrow = element.proto.arrow_data
    if arrow.HasField("styler") and arrow.styler.display_values:
        return dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.styler.display_values)
    return element.value


def static_table(element: Any) -> pd.DataFrame:
    """What a st.table shows: its cells with the Markdown escapes removed (as rendered)."""
    import re

    return element.value.map(lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v)


def figures(at: Any) -> list[dict[str, Any]]:
    """The Plotly figures on the page, as dicts (the JSON the browser receives)."""
    import json

    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def plotly_array(value: Any) -> list[Any]:
    """A Plotly array from figure JSON: a list, or a base64 typed array ({dtype, bdata})."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def metric(at: Any, label: str) -> Any:
    """The st.metric whose label is `label`."""
    matches = [m for m in at.metric if m.label == label]
    assert matches, f"tidak ada metrik {label!r}: {[m.label for m in at.metric]}"
    return matches[0]


if __name__ == "__main__":  # build one for a manual look: python tests/snapshot_fixture.py DIR
    import sys

    print(build_snapshot(Path(sys.argv[1])))  # noqa: T201
