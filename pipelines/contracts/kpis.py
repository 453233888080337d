"""The KPI catalogue of docs/contracts.md: every indicator declared once, with its formula as data.

Each KPI is a ratio of sums over villages: `scale x sum(numerator) / sum(denominator)` over the
villages for which `eligible` holds (the villages that have every input the formula needs), or a
plain sum when it has no denominator. The expressions refer to the columns of the village-year
basis built in pipelines.transforms.basis, one row per village and year. `kpi_definisi` is
published from this list and the computation reads the same list, so the two cannot drift.

BUMDes and UMKM follow "Which kabupaten reported" (docs/contracts.md): a village counts for them when its
kabupaten sent that dataset for the year, rows or not (no row = 0 BUMDes, 0 UMKM), at every
level; villages of a kabupaten that sent nothing never count. So `desa_melapor` for these KPIs is
the number of (desa, or for UMKM populated) villages of the reporting kabupaten in the area: all
of them went into the value, most with a zero. A ratio over active BUMDes is then NULL with
"penyebut nol" for a desa without one, and `kontribusi_pades_rp`, a sum over active BUMDes, is
NULL where no active BUMDes stated a contribution (a sum over no rows).
The two UMKM KPIs include kelurahan, as their own section of docs/contracts.md says.
"""

from dataclasses import dataclass

import polars as pl

from pipelines.contracts.datasets import IDM_STATUSES, INDEKS_DESA_DIMENSIONS

ISU_NAMES = {
    "isu1": "Kapasitas aparatur desa",
    "isu2": "Partisipasi masyarakat dalam membangun desa",
    "isu3": "Lembaga desa dan UMKM untuk kesejahteraan",
    "isu4": "Pemanfaatan potensi desa",
    "tujuan": "Kebutuhan dasar dan pengurangan kemiskinan",
}
# What names one kpi row: at most one row per key.
KPI_KEY = ("tingkat", "kode_wilayah", "tahun", "kpi_id")


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    isu: str
    nama: str
    satuan: str
    arah: str  # 'naik' = higher is better, 'turun' = lower is better
    rumus: str
    datasets: tuple[str, ...]
    eligible: pl.Expr  # the village contributes to this KPI in this year
    numerator: pl.Expr
    denominator: pl.Expr | None = None  # None: the KPI is a plain sum of the numerator
    scale: float = 1.0
    # The area has data at all (NULL otherwise). Defaults to "some village is eligible".
    present: pl.Expr | None = None
    includes_kelurahan: bool = False
    bounded_0_100: bool = False  # the formula itself keeps the value within 0..100
    utama: bool = False  # headline KPI on the issue's card
    additive: bool = True  # numerator and denominator sum across areas
    # The agency's own effort (program_kegiatan), not a village outcome: computed from the
    # activities at kabupaten and provinsi level only (docs/contracts.md, "The agency's own programmes").
    program: bool = False


def col(name: str) -> pl.Expr:
    return pl.col(name)


_DESA = col("is_desa")
_PROFIL = _DESA & col("ada_profil_desa")
_PENDUDUK = col("jumlah_penduduk").is_not_null()
_IDM = _DESA & col("ada_idm")
_ID = _DESA & col("ada_indeks_desa")
STATUS_MAJU_MANDIRI = list(IDM_STATUSES[3:])
# The issue each Indeks Desa dimension's KPI serves, in KPI order; the dimensions and their
# wording are the indeks_desa declaration's.
DIMENSION_ISSUES = {
    "tata_kelola": "isu1",
    "sosial": "isu2",
    "ekonomi": "isu3",
    "lingkungan": "isu4",
    "aksesibilitas": "isu4",
    "layanan_dasar": "tujuan",
}
DIMENSION_TITLES = {dimension: title for dimension, title, _ in INDEKS_DESA_DIMENSIONS}
assert set(DIMENSION_ISSUES) == set(DIMENSION_TITLES), "every dimension serves one issue"
STATUS_TERTINGGAL = list(IDM_STATUSES[:2])
_BUMDES = _DESA & col("bumdes_dikirim")
_UMKM = _PENDUDUK & col("umkm_dikirim")
_ONE = pl.lit(1.0)


def _flag(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False).cast(pl.Float64)


def _pct(kpi_id, isu, nama, rumus, datasets, eligible, numerator, denominator, **kw) -> Kpi:
    return Kpi(
        kpi_id, isu, nama, "%", kw.pop("arah", "naik"), rumus, datasets, eligible,
        numerator, denominator, 100.0, bounded_0_100=kw.pop("bounded", True), **kw,
    )  # fmt: skip


KPIS: tuple[Kpi, ...] = (
    # --- Isu 1: kapasitas aparatur desa ---------------------------------------------------
    _pct(
        "aparatur_terlatih_pct",
        "isu1",
        "Aparatur desa terlatih",
        "100 × Σ aparatur_terlatih / Σ aparatur_total",
        ("profil_desa",),
        _PROFIL,
        col("aparatur_terlatih"),
        col("aparatur_total"),
        utama=True,
    ),
    _pct(
        "aparatur_sma_pct",
        "isu1",
        "Aparatur desa berpendidikan SMA ke atas",
        "100 × Σ aparatur_pendidikan_sma / Σ aparatur_total",
        ("profil_desa",),
        _PROFIL,
        col("aparatur_pendidikan_sma"),
        col("aparatur_total"),
    ),
    _pct(
        "apbdes_tepat_waktu_pct",
        "isu1",
        "Desa dengan APBDes tepat waktu",
        "100 × desa dengan APBDes tepat waktu / desa melapor (profil_desa)",
        ("profil_desa",),
        _PROFIL,
        _flag(col("apbdes_tepat_waktu")),
        _ONE,
        utama=True,
    ),
    _pct(
        "serapan_dana_desa_pct",
        "isu1",
        "Serapan Dana Desa",
        "100 × Σ realisasi / Σ pagu",
        ("dana_desa",),
        _DESA & col("ada_dana_desa"),
        col("realisasi"),
        col("pagu"),
        utama=True,
    ),
    # --- Isu 2: partisipasi masyarakat ------------------------------------------------------
    Kpi(
        "musdes_per_desa",
        "isu2",
        "Musyawarah desa per desa",
        "kali",
        "naik",
        "Σ musdes_jumlah / desa melapor (profil_desa)",
        ("profil_desa",),
        _PROFIL,
        col("musdes_jumlah"),
        _ONE,
        utama=True,
    ),
    Kpi(
        "peserta_musdes_per_1000",
        "isu2",
        "Peserta musyawarah desa per 1.000 penduduk",
        "per 1.000 jiwa",
        "naik",
        "1000 × Σ musdes_peserta / Σ jumlah_penduduk",
        ("profil_desa", "kemiskinan_desa"),
        _PROFIL & _PENDUDUK,
        col("musdes_peserta"),
        col("jumlah_penduduk"),
        1000.0,
    ),
    _pct(
        "perempuan_musdes_pct",
        "isu2",
        "Peserta perempuan dalam musyawarah desa",
        "100 × Σ musdes_peserta_perempuan / Σ musdes_peserta",
        ("profil_desa",),
        _PROFIL,
        col("musdes_peserta_perempuan"),
        col("musdes_peserta"),
        utama=True,
    ),
    Kpi(
        "swadaya_per_kapita_rp",
        "isu2",
        "Swadaya masyarakat per penduduk",
        "Rp per jiwa",
        "naik",
        "Σ swadaya_rp / Σ jumlah_penduduk",
        ("profil_desa", "kemiskinan_desa"),
        _PROFIL & _PENDUDUK,
        col("swadaya_rp"),
        col("jumlah_penduduk"),
    ),
    Kpi(
        "padat_karya_tk_per_desa",
        "isu2",
        "Tenaga kerja Padat Karya Tunai per desa",
        "jiwa",
        "naik",
        "Σ padat_karya_tk / desa yang mengisi padat_karya_tk",
        ("dana_desa",),
        _DESA & col("padat_karya_tk").is_not_null(),
        col("padat_karya_tk"),
        _ONE,
    ),
    # --- Isu 3: lembaga desa dan UMKM ---------------------------------------------------------
    _pct(
        "desa_bumdes_aktif_pct",
        "isu3",
        "Desa dengan BUMDes aktif",
        "100 × desa dengan ≥ 1 BUMDes aktif / semua desa di wilayah (daftar Kemendagri)",
        ("bumdes",),
        _BUMDES,
        _flag(col("bumdes_aktif") > 0),
        _ONE,
        utama=True,
    ),
    _pct(
        "bumdes_berbadan_hukum_pct",
        "isu3",
        "BUMDes aktif berbadan hukum",
        "100 × BUMDes aktif berbadan hukum / BUMDes aktif",
        ("bumdes",),
        _BUMDES,
        col("bumdes_aktif_badan_hukum"),
        col("bumdes_aktif"),
    ),
    _pct(
        "bumdes_maju_pct",
        "isu3",
        "BUMDes aktif berkembang atau maju",
        "100 × BUMDes aktif berklasifikasi berkembang/maju / BUMDes aktif berklasifikasi",
        ("bumdes",),
        _BUMDES,
        col("bumdes_aktif_maju"),
        col("bumdes_aktif_berklasifikasi"),
    ),
    Kpi(
        "kontribusi_pades_rp",
        "isu3",
        "Kontribusi BUMDes aktif ke PADes",
        "Rp",
        "naik",
        "Σ kontribusi_pades BUMDes aktif",
        ("bumdes",),
        _BUMDES,
        col("kontribusi_pades_aktif"),
        present=col("bumdes_aktif_kontribusi_diisi") > 0,
    ),
    Kpi(
        "umkm_per_1000",
        "isu3",
        "UMKM per 1.000 penduduk",
        "per 1.000 jiwa",
        "naik",
        "1000 × jumlah UMKM / Σ jumlah_penduduk (desa dan kelurahan berdata penduduk)",
        ("umkm", "kemiskinan_desa"),
        _UMKM,
        col("umkm_jumlah"),
        col("jumlah_penduduk"),
        1000.0,
        includes_kelurahan=True,
        utama=True,
    ),
    Kpi(
        "tenaga_kerja_umkm_per_1000",
        "isu3",
        "Tenaga kerja UMKM per 1.000 penduduk",
        "per 1.000 jiwa",
        "naik",
        "1000 × Σ tenaga_kerja UMKM (kosong = 0) / Σ jumlah_penduduk",
        ("umkm", "kemiskinan_desa"),
        _UMKM,
        col("umkm_tenaga_kerja"),
        col("jumlah_penduduk"),
        1000.0,
        includes_kelurahan=True,
    ),
    # --- Isu 4: pemanfaatan potensi desa --------------------------------------------------------
    _pct(
        "desa_produk_unggulan_pct",
        "isu4",
        "Desa dengan produk unggulan",
        "100 × desa dengan produk_unggulan terisi / desa melapor (profil_desa)",
        ("profil_desa",),
        _PROFIL,
        _flag(col("produk_unggulan").str.strip_chars().str.len_chars() > 0),
        _ONE,
        utama=True,
    ),
    _pct(
        "desa_wisata_pct",
        "isu4",
        "Desa wisata",
        "100 × desa dengan desa_wisata selain 'tidak' / desa melapor (profil_desa)",
        ("profil_desa",),
        _PROFIL,
        _flag(col("desa_wisata") != "tidak"),
        _ONE,
        utama=True,
    ),
    _pct(
        "pemanfaatan_lahan_pct",
        "isu4",
        "Pemanfaatan lahan potensial",
        "100 × Σ lahan_dimanfaatkan_ha / Σ lahan_potensial_ha",
        ("profil_desa",),
        _PROFIL,
        col("lahan_dimanfaatkan_ha"),
        col("lahan_potensial_ha"),
    ),
    Kpi(
        "ike_rata",
        "isu4",
        "Rata-rata Indeks Ketahanan Ekonomi",
        "indeks 0-1",
        "naik",
        "rata-rata ike desa melapor (idm)",
        ("idm",),
        _IDM,
        col("ike"),
        _ONE,
        utama=True,
    ),
    # --- Tujuan: kebutuhan dasar dan pengurangan kemiskinan ------------------------------------
    Kpi(
        "persentase_miskin_bps",
        "tujuan",
        "Persentase penduduk miskin (BPS)",
        "%",
        "turun",
        "P0 yang diterbitkan BPS untuk kabupaten/kota atau provinsi (tidak diagregasi)",
        ("kemiskinan_kab",),
        pl.lit(False),
        pl.lit(None, dtype=pl.Float64),
        additive=False,
        bounded_0_100=True,
        utama=True,
    ),
    _pct(
        "kk_miskin_pct",
        "tujuan",
        "Keluarga miskin (desil 1-4)",
        "100 × Σ kk_miskin / Σ jumlah_kk (desa dan kelurahan)",
        ("kemiskinan_desa",),
        col("ada_kemiskinan_desa"),
        col("kk_miskin"),
        col("jumlah_kk"),
        arah="turun",
        includes_kelurahan=True,
        utama=True,
    ),
    _pct(
        "kk_miskin_ekstrem_pct",
        "tujuan",
        "Keluarga miskin ekstrem (desil 1)",
        "100 × Σ kk_miskin_ekstrem / Σ jumlah_kk (desa dan kelurahan)",
        ("kemiskinan_desa",),
        col("ada_kemiskinan_desa"),
        col("kk_miskin_ekstrem"),
        col("jumlah_kk"),
        arah="turun",
        includes_kelurahan=True,
        utama=True,
    ),
    _pct(
        "cakupan_blt_pct",
        "tujuan",
        "Cakupan BLT Dana Desa terhadap keluarga miskin ekstrem",
        "100 × Σ blt_kpm / Σ kk_miskin_ekstrem (desa yang punya keduanya)",
        ("dana_desa", "kemiskinan_desa"),
        _DESA & col("blt_kpm").is_not_null() & col("kk_miskin_ekstrem").is_not_null(),
        col("blt_kpm"),
        col("kk_miskin_ekstrem"),
        bounded=False,
    ),
    Kpi(
        "idm_rata",
        "tujuan",
        "Rata-rata nilai IDM",
        "indeks 0-1",
        "naik",
        "rata-rata (iks + ike + ikl) / 3 desa melapor (idm)",
        ("idm",),
        _IDM,
        col("nilai_idm_hitung"),
        _ONE,
        utama=True,
    ),
    _pct(
        "desa_maju_mandiri_pct",
        "tujuan",
        "Desa berstatus maju atau mandiri",
        "100 × desa berstatus maju/mandiri / desa melapor (idm)",
        ("idm",),
        _IDM,
        _flag(col("status_idm_hitung").is_in(STATUS_MAJU_MANDIRI)),
        _ONE,
    ),
    _pct(
        "desa_tertinggal_pct",
        "tujuan",
        "Desa berstatus tertinggal atau sangat tertinggal",
        "100 × desa berstatus tertinggal/sangat tertinggal / desa melapor (idm)",
        ("idm",),
        _IDM,
        _flag(col("status_idm_hitung").is_in(STATUS_TERTINGGAL)),
        _ONE,
        arah="turun",
    ),
    # --- Indeks Desa (Kemendesa, from 2024): one dimension per strategic issue ------------------
    *(
        Kpi(
            f"id_{dimension}_rata",
            isu,
            f"Rata-rata skor dimensi {title} (Indeks Desa)",
            "indeks 0-100",
            "naik",
            f"rata-rata skor_{dimension} desa melapor (indeks_desa) yang mengisinya",
            ("indeks_desa",),
            _ID & col(f"skor_{dimension}").is_not_null(),
            col(f"skor_{dimension}"),
            _ONE,
        )
        for dimension, isu in DIMENSION_ISSUES.items()
        for title in [DIMENSION_TITLES[dimension]]
    ),
    Kpi(
        "id_rata",
        "tujuan",
        "Rata-rata skor Indeks Desa",
        "indeks 0-100",
        "naik",
        "rata-rata skor_indeks_desa desa melapor (indeks_desa)",
        ("indeks_desa",),
        _ID,
        col("skor_indeks_desa"),
        _ONE,
    ),
    _pct(
        "id_maju_mandiri_pct",
        "tujuan",
        "Desa berstatus maju atau mandiri (Indeks Desa)",
        "100 × desa berstatus maju/mandiri menurut berkas / desa melapor (indeks_desa)",
        ("indeks_desa",),
        _ID,
        _flag(col("status_indeks_desa").is_in(STATUS_MAJU_MANDIRI)),
        _ONE,
    ),
    _pct(
        "id_tertinggal_pct",
        "tujuan",
        "Desa berstatus tertinggal atau sangat tertinggal (Indeks Desa)",
        "100 × desa berstatus tertinggal/sangat tertinggal menurut berkas / desa melapor "
        "(indeks_desa)",
        ("indeks_desa",),
        _ID,
        _flag(col("status_indeks_desa").is_in(STATUS_TERTINGGAL)),
        _ONE,
        arah="turun",
    ),
)

# program_kegiatan writes an activity's issue as 1..4 or tujuan; the catalogue's issue ids.
PROGRAM_ISU = {"isu1": "1", "isu2": "2", "isu3": "3", "isu4": "4", "tujuan": "tujuan"}
PROGRAM_LEVELS = ("kabupaten", "provinsi")
SERAPAN, KELUARAN = "serapan", "keluaran"


def _program_kpi(kind: str, isu: str, nama: str, rumus: str) -> Kpi:
    return Kpi(
        f"program_{kind}_{isu}_pct", isu, nama, "%", "naik", rumus, ("program_kegiatan",),
        pl.lit(False), pl.lit(None, dtype=pl.Float64), additive=False, bounded_0_100=True,
        program=True,
    )  # fmt: skip


def _program_kpis(isu: str) -> tuple[Kpi, Kpi]:
    label = f"isu {PROGRAM_ISU[isu]}" if isu != "tujuan" else "tujuan"
    return (
        _program_kpi(
            SERAPAN,
            isu,
            f"Serapan anggaran kegiatan Dinas ({label})",
            "100 × Σ realisasi_anggaran / Σ pagu kegiatan isu ini (program_kegiatan)",
        ),
        _program_kpi(
            KELUARAN,
            isu,
            f"Capaian keluaran kegiatan Dinas ({label})",
            "100 × rata-rata min(realisasi_keluaran / target_keluaran, 1) kegiatan isu ini "
            "(program_kegiatan)",
        ),
    )


# Two per issue, after the issue's outcome KPIs in display order (kpi_definisi.urutan).
KPIS = (*KPIS, *(k for isu in ISU_NAMES for k in _program_kpis(isu)))

KPI_BY_ID = {k.kpi_id: k for k in KPIS}
# What the briefing headlines besides the `utama` KPIs: the KPI it ranks and maps ('peta') and
# those it draws as trends ('tren'); published as kpi_laporan, so the documents hold no KPI id.
BRIEFING_KPIS = {
    "peta": ("kk_miskin_ekstrem_pct",),
    "tren": (
        "kk_miskin_pct",
        "kk_miskin_ekstrem_pct",
        "desa_bumdes_aktif_pct",
        "serapan_dana_desa_pct",
    ),
}
assert all(k in KPI_BY_ID for ids in BRIEFING_KPIS.values() for k in ids), BRIEFING_KPIS
ISUS = tuple(ISU_NAMES)


def input_columns(kpis: tuple[Kpi, ...]) -> list[str]:
    """The basis columns these KPIs read, so an asset loads only those."""
    names: set[str] = set()
    for kpi in kpis:
        for expr in (kpi.eligible, kpi.numerator, kpi.denominator, kpi.present):
            if expr is not None:
                names.update(expr.meta.root_names())
    return sorted(names)


def kpis_of(isu: str) -> tuple[Kpi, ...]:
    return tuple(k for k in KPIS if k.isu == isu)


def definitions_frame() -> pl.DataFrame:
    """The published `kpi_definisi` table."""
    return pl.DataFrame(
        [
            {
                "kpi_id": k.kpi_id,
                "isu": k.isu,
                "isu_nama": ISU_NAMES[k.isu],
                "nama": k.nama,
                "satuan": k.satuan,
                "arah": k.arah,
                "rumus": k.rumus,
                "dataset_sumber": ", ".join(k.datasets),
                "urutan": i + 1,
                "utama": k.utama,
                "termasuk_kelurahan": k.includes_kelurahan,
                "program": k.program,
            }
            for i, k in enumerate(KPIS)
        ]
    )
