"""The input datasets of docs/contracts.md, each declared once, as data.

A declaration says what a data officer's file must hold: the columns, their kinds and units,
which are required, the natural key, the range rules (with whether each blocks the file or only
warns), which kind of village the dataset accepts, and the names of any further row rules it
needs. The ingest core reads nothing else, so adding an eighth dataset is a new `Dataset(...)`
entry here plus a test; the only per-dataset code in the pipeline is those named rules, one
small function each.
"""

import json
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl

# Personal data (UU PDP 27/2022, docs/contracts.md "Privacy"): the one declared vocabulary, the header
# rule that reads it and the value judge live in pipelines.contracts.privacy.
from pipelines.contracts.privacy import is_personal_header  # noqa: F401 (re-exported)


class Kind(StrEnum):
    """How a cell is parsed. Each kind has exactly one parser in pipelines.ingest.parsing."""

    KODE_DESA = "kode_desa"  # Kemendagri village code, stored dotted: 62.03.05.2001
    KODE_WILAYAH = "kode_wilayah"  # Kemendagri kabupaten code 62.xx, or the province 62
    KODE_BPS = "kode_bps"  # BPS kabupaten code 6209 (province 6200), mapped via the crosswalk
    NAMA_WILAYAH = "nama_wilayah"  # a kabupaten/kota name, or the province name
    TAHUN = "tahun"
    INTEGER = "integer"
    RUPIAH = "rupiah"  # DECIMAL(18,2), exact
    DECIMAL = "decimal"  # DOUBLE
    BOOLEAN = "boolean"
    CATEGORY = "category"
    TEXT = "text"
    DIGITS = "digits"  # a fixed-length number kept as text (NIB)
    TANGGAL = "tanggal"  # a calendar date: 2026-03-31 or 31/03/2026


class Villages(StrEnum):
    """Which areas a dataset's rows may name."""

    DESA = "desa"  # desa only: a kelurahan code is a row error
    DESA_KELURAHAN = "desa_kelurahan"
    KABUPATEN = "kabupaten"  # kabupaten/kota or the province (kemiskinan_kab, program_kegiatan)
    WILAYAH = "wilayah"  # a kabupaten/kota, the province (62) or the nation (00): target_kpi
    TANPA_WILAYAH = "tanpa_wilayah"  # rows name no area at all: jadwal_pelaporan

    @property
    def by_area_code(self) -> bool:
        """Rows name an area by `kode_wilayah`, not a village by `kode_desa`."""
        return self in (Villages.KABUPATEN, Villages.WILAYAH)


Bound = float | str | None  # a number, or the name of another column of the same row


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = False
    minimum: Bound = None
    maximum: Bound = None
    minimum_exclusive: bool = False
    range_blocking: bool = True  # False: a range breach is only a warning
    categories: tuple[str, ...] = ()
    unknown_category_becomes: str | None = None  # map unknown values here, with a warning
    digits: int | None = None  # for Kind.DIGITS: the exact number of digits
    aliases: tuple[str, ...] = ()  # other header names official files use for this column

    @property
    def sql_type(self) -> str:
        return _SQL_TYPES[self.kind]


_SQL_TYPES = {
    Kind.KODE_DESA: "VARCHAR",
    Kind.KODE_WILAYAH: "VARCHAR",
    Kind.KODE_BPS: "VARCHAR",
    Kind.NAMA_WILAYAH: "VARCHAR",
    Kind.TAHUN: "INTEGER",
    Kind.INTEGER: "BIGINT",
    Kind.RUPIAH: "DECIMAL(18,2)",
    Kind.DECIMAL: "DOUBLE",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.CATEGORY: "VARCHAR",
    Kind.TEXT: "VARCHAR",
    Kind.DIGITS: "VARCHAR",
    Kind.TANGGAL: "DATE",
}


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str  # Bahasa Indonesia, for reports and the dashboard
    label: str  # a short title for lists and charts ("Kemiskinan desa")
    villages: Villages
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Key columns compared case- and space-insensitively (nama_bumdes, nama_usaha).
    loose_key_columns: tuple[str, ...] = ()
    # Row rules this dataset needs beyond its columns' own, by name: each name is one function
    # registered under it in pipelines.ingest.validation.rules (an unknown name fails at import).
    rules: tuple[str, ...] = ()
    # What an accepted file replaces: every earlier row sharing these values with one of its rows.
    slice_columns: tuple[str, ...] = ("kode_kab", "tahun")
    # Its `tahun` makes a year one "that has data" (docs/contracts.md); a target's year does not.
    holds_data_years: bool = True
    notes: str = ""
    # False: a kabupaten officer (peran petugas) may not send this dataset through the
    # dashboard, because it is not about one kabupaten (docs/operations.md: target_kpi).
    uploadable_by_petugas: bool = True
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.all_columns})

    @property
    def all_columns(self) -> tuple[Column, ...]:
        declared = {c.name for c in self.columns}
        return (*self.columns, *(c for c in PROVENANCE_COLUMNS if c.name not in declared))

    def column(self, name: str) -> Column:
        return self.column_index[name]

    @property
    def area_column(self) -> str:
        return "kode_wilayah" if self.villages.by_area_code else "kode_desa"


# Every dataset may say where its figures come from and whether they are synthetic sample data.
# Real submissions leave both blank; the built-in sample fills them, so the warehouse and the
# dashboard can say plainly which figures are synthetic.
PROVENANCE_COLUMNS = (
    Column("sumber", Kind.TEXT, "asal data (mis. 'BPS', 'Kemendesa PDTT', 'Data sintetis')"),
    Column("sintetis", Kind.BOOLEAN, "ya jika angka adalah data contoh sintetis"),
)

# Names-only files identify a village by these instead of kode_desa (spec: "match by name").
VILLAGE_NAME_COLUMNS = ("nama_kabupaten", "nama_kecamatan", "nama_desa")
# kemiskinan_kab names its area with exactly one of these.
AREA_COLUMNS = ("kode_wilayah", "kode_bps", "nama_wilayah")

YA = ("ya", "y", "1", "true", "ada", "aktif")
TIDAK = ("tidak", "t", "0", "false", "tidak_ada", "tidak_aktif")

IDM_STATUSES = ("sangat_tertinggal", "tertinggal", "berkembang", "maju", "mandiri")
# The six dimensions of Indeks Desa (Permendesa PDTT 9/2024), with the abbreviations that
# official recap files use as headers.
INDEKS_DESA_DIMENSIONS = (
    ("layanan_dasar", "layanan dasar", ("dld",)),
    ("sosial", "sosial", ("ds",)),
    ("ekonomi", "ekonomi", ("de",)),
    ("lingkungan", "lingkungan", ("dl",)),
    ("aksesibilitas", "aksesibilitas", ("da",)),
    ("tata_kelola", "tata kelola pemerintahan desa", ("dtkpd", "dtpd")),
)
# program_kegiatan: the strategic issue an activity serves, as officers write it (docs/contracts.md isu1..
# isu4 and tujuan); PROGRAM_URUSAN is the village-empowerment affairs' code prefix.
PROGRAM_ISU = ("1", "2", "3", "4", "tujuan")
PROGRAM_URUSAN = "2.13."
UMKM_SEKTOR = (
    "pertanian",
    "perkebunan",
    "perikanan",
    "peternakan",
    "industri_pengolahan",
    "kuliner",
    "kerajinan",
    "perdagangan",
    "jasa",
    "pariwisata",
    "lainnya",
)

_KODE_DESA = Column("kode_desa", Kind.KODE_DESA, "kode desa Kemendagri", required=True)
_TAHUN = Column("tahun", Kind.TAHUN, "tahun data", required=True)
_NAMA_DESA = Column("nama_desa", Kind.TEXT, "nama desa (informasi; kode_desa yang menentukan)")


def _non_negative(name: str, kind: Kind, description: str, **kw: object) -> Column:
    return Column(name, kind, description, minimum=0, **kw)  # type: ignore[arg-type]


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="dana_desa",
            title="Dana Desa per desa per tahun",
            label="Dana Desa",
            villages=Villages.DESA,
            key=("kode_desa", "tahun"),
            columns=(
                _KODE_DESA,
                _NAMA_DESA,
                _TAHUN,
                _non_negative("pagu", Kind.RUPIAH, "pagu Dana Desa tahun itu", required=True),
                Column(
                    "salur",
                    Kind.RUPIAH,
                    "Dana Desa yang disalurkan ke rekening kas desa",
                    required=True,
                    minimum=0,
                    maximum="pagu",
                ),
                Column(
                    "realisasi",
                    Kind.RUPIAH,
                    "Dana Desa yang dibelanjakan (laporan APBDes)",
                    required=True,
                    minimum=0,
                    maximum="salur",
                ),
                _non_negative("blt_kpm", Kind.INTEGER, "keluarga penerima BLT Dana Desa"),
                _non_negative("blt_rp", Kind.RUPIAH, "BLT Dana Desa yang dibayarkan"),
                _non_negative("padat_karya_tk", Kind.INTEGER, "tenaga kerja Padat Karya Tunai"),
                Column(
                    "belanja_pemberdayaan",
                    Kind.RUPIAH,
                    "belanja bidang Pemberdayaan Masyarakat",
                    minimum=0,
                    maximum="realisasi",
                ),
            ),
            notes="Hanya desa yang menerima Dana Desa: kode kelurahan adalah kesalahan.",
        ),
        Dataset(
            name="bumdes",
            title="BUMDes per desa per tahun",
            label="BUMDes",
            villages=Villages.DESA,
            key=("kode_desa", "tahun", "nama_bumdes"),
            loose_key_columns=("nama_bumdes",),
            columns=(
                _KODE_DESA,
                _TAHUN,
                Column("nama_bumdes", Kind.TEXT, "nama BUMDes", required=True),
                Column("status_aktif", Kind.BOOLEAN, "BUMDes aktif", required=True),
                Column("badan_hukum", Kind.BOOLEAN, "terdaftar sebagai badan hukum", required=True),
                Column(
                    "klasifikasi",
                    Kind.CATEGORY,
                    "klasifikasi BUMDes",
                    categories=("dasar", "tumbuh", "berkembang", "maju"),
                ),
                _non_negative("unit_usaha", Kind.INTEGER, "jumlah unit usaha"),
                _non_negative("modal", Kind.RUPIAH, "modal"),
                _non_negative("omzet", Kind.RUPIAH, "omzet"),
                Column("laba", Kind.RUPIAH, "laba (boleh negatif)"),
                _non_negative("kontribusi_pades", Kind.RUPIAH, "kontribusi ke PADes"),
                _non_negative("tenaga_kerja", Kind.INTEGER, "tenaga kerja"),
            ),
        ),
        Dataset(
            name="umkm",
            title="UMKM per usaha per tahun",
            label="UMKM",
            villages=Villages.DESA_KELURAHAN,
            key=("kode_desa", "tahun", "nama_usaha"),
            loose_key_columns=("nama_usaha",),
            columns=(
                _KODE_DESA,
                _TAHUN,
                Column("nama_usaha", Kind.TEXT, "nama usaha", required=True),
                Column(
                    "sektor",
                    Kind.CATEGORY,
                    "sektor usaha",
                    required=True,
                    categories=UMKM_SEKTOR,
                    unknown_category_becomes="lainnya",
                ),
                Column(
                    "skala",
                    Kind.CATEGORY,
                    "skala usaha",
                    required=True,
                    categories=("mikro", "kecil", "menengah"),
                ),
                _non_negative("tenaga_kerja", Kind.INTEGER, "tenaga kerja"),
                _non_negative("omzet_tahunan", Kind.RUPIAH, "omzet setahun"),
                Column("nib", Kind.DIGITS, "Nomor Induk Berusaha (13 angka)", digits=13),
            ),
        ),
        Dataset(
            name="kemiskinan_desa",
            title="Keluarga dan kemiskinan per desa/kelurahan per tahun",
            label="Kemiskinan desa",
            villages=Villages.DESA_KELURAHAN,
            key=("kode_desa", "tahun"),
            columns=(
                _KODE_DESA,
                _NAMA_DESA,
                _TAHUN,
                Column(
                    "jumlah_penduduk",
                    Kind.INTEGER,
                    "jumlah penduduk",
                    required=True,
                    minimum=0,
                    minimum_exclusive=True,
                ),
                Column(
                    "jumlah_kk",
                    Kind.INTEGER,
                    "jumlah keluarga (KK)",
                    required=True,
                    minimum=0,
                    minimum_exclusive=True,
                ),
                Column(
                    "kk_miskin",
                    Kind.INTEGER,
                    "KK miskin (desil 1-4)",
                    required=True,
                    minimum=0,
                    maximum="jumlah_kk",
                ),
                Column(
                    "kk_miskin_ekstrem",
                    Kind.INTEGER,
                    "KK miskin ekstrem (desil 1)",
                    required=True,
                    minimum=0,
                    maximum="kk_miskin",
                ),
            ),
        ),
        Dataset(
            name="kemiskinan_kab",
            title="Statistik kemiskinan BPS per kabupaten/kota atau provinsi",
            label="Kemiskinan BPS",
            villages=Villages.KABUPATEN,
            key=("kode_wilayah", "tahun"),
            columns=(
                Column("kode_wilayah", Kind.KODE_WILAYAH, "kode Kemendagri kab/kota, atau 62"),
                Column("kode_bps", Kind.KODE_BPS, "kode BPS kab/kota, atau 6200"),
                Column("nama_wilayah", Kind.NAMA_WILAYAH, "nama kab/kota atau provinsi"),
                _TAHUN,
                Column(
                    "persentase_miskin",
                    Kind.DECIMAL,
                    "persentase penduduk miskin (P0)",
                    required=True,
                    minimum=0,
                    maximum=100,
                ),
                _non_negative("jumlah_miskin_ribu", Kind.DECIMAL, "penduduk miskin (ribu jiwa)"),
                _non_negative(
                    "garis_kemiskinan", Kind.RUPIAH, "garis kemiskinan (Rp/kapita/bulan)"
                ),
                _non_negative("p1", Kind.DECIMAL, "indeks kedalaman kemiskinan (P1)"),
                _non_negative("p2", Kind.DECIMAL, "indeks keparahan kemiskinan (P2)"),
            ),
            notes="Wilayah ditulis dengan tepat satu kolom: kode_wilayah, kode_bps, atau nama_wilayah.",
        ),
        Dataset(
            name="idm",
            title="Indeks Desa Membangun per desa per tahun",
            label="IDM",
            villages=Villages.DESA,
            key=("kode_desa", "tahun"),
            columns=(
                _KODE_DESA,
                _TAHUN,
                Column("iks", Kind.DECIMAL, "indeks ketahanan sosial", True, 0, 1),
                Column("ike", Kind.DECIMAL, "indeks ketahanan ekonomi", True, 0, 1),
                Column("ikl", Kind.DECIMAL, "indeks ketahanan ekologi", True, 0, 1),
                Column("nilai_idm", Kind.DECIMAL, "nilai IDM tertulis", minimum=0, maximum=1),
                Column(
                    "status_idm",
                    Kind.CATEGORY,
                    "status IDM tertulis",
                    categories=IDM_STATUSES,
                ),
            ),
            rules=("idm_score_matches_components", "idm_status_matches_score"),
        ),
        Dataset(
            name="profil_desa",
            title="Profil desa: aparatur, partisipasi dan potensi",
            label="Profil desa",
            villages=Villages.DESA,
            key=("kode_desa", "tahun"),
            columns=(
                _KODE_DESA,
                _NAMA_DESA,
                _TAHUN,
                Column(
                    "aparatur_total",
                    Kind.INTEGER,
                    "jumlah aparatur pemerintah desa",
                    required=True,
                    minimum=0,
                    minimum_exclusive=True,
                ),
                Column(
                    "aparatur_terlatih",
                    Kind.INTEGER,
                    "aparatur yang mengikuti pelatihan",
                    required=True,
                    minimum=0,
                    maximum="aparatur_total",
                ),
                Column(
                    "aparatur_pendidikan_sma",
                    Kind.INTEGER,
                    "aparatur berpendidikan SMA ke atas",
                    required=True,
                    minimum=0,
                    maximum="aparatur_total",
                ),
                Column("apbdes_tepat_waktu", Kind.BOOLEAN, "APBDes ditetapkan tepat waktu", True),
                _non_negative("musdes_jumlah", Kind.INTEGER, "musyawarah desa", required=True),
                _non_negative(
                    "musdes_peserta", Kind.INTEGER, "peserta musyawarah desa", required=True
                ),
                Column(
                    "musdes_peserta_perempuan",
                    Kind.INTEGER,
                    "peserta perempuan",
                    required=True,
                    minimum=0,
                    maximum="musdes_peserta",
                ),
                _non_negative("swadaya_rp", Kind.RUPIAH, "swadaya masyarakat", required=True),
                Column("produk_unggulan", Kind.TEXT, "produk unggulan desa"),
                Column(
                    "desa_wisata",
                    Kind.CATEGORY,
                    "tahap desa wisata",
                    required=True,
                    categories=("tidak", "rintisan", "berkembang", "maju", "mandiri"),
                ),
                _non_negative(
                    "lahan_potensial_ha", Kind.DECIMAL, "lahan potensial (ha)", required=True
                ),
                Column(
                    "lahan_dimanfaatkan_ha",
                    Kind.DECIMAL,
                    "lahan yang dimanfaatkan (ha)",
                    required=True,
                    minimum=0,
                    maximum="lahan_potensial_ha",
                ),
            ),
        ),
        Dataset(
            name="indeks_desa",
            title="Indeks Desa (Kemendesa, sejak 2024) per desa per tahun",
            label="Indeks Desa",
            villages=Villages.DESA,
            key=("kode_desa", "tahun"),
            columns=(
                _KODE_DESA,
                _NAMA_DESA,
                Column("tahun", Kind.TAHUN, "tahun data (2024 atau sesudahnya)", True, 2024),
                Column(
                    "skor_indeks_desa",
                    Kind.DECIMAL,
                    "skor Indeks Desa",
                    required=True,
                    minimum=0,
                    maximum=100,
                    aliases=("skor", "nilai_indeks_desa", "skor_id"),
                ),
                Column(
                    "status_indeks_desa",
                    Kind.CATEGORY,
                    "status Indeks Desa menurut berkas resmi (dipakai indikator)",
                    required=True,
                    categories=IDM_STATUSES,
                    aliases=("status", "status_desa"),
                ),
                *(
                    Column(
                        f"skor_{dimension}",
                        Kind.DECIMAL,
                        f"skor dimensi {title}",
                        minimum=0,
                        maximum=100,
                        aliases=aliases,
                    )
                    for dimension, title, aliases in INDEKS_DESA_DIMENSIONS
                ),
            ),
            rules=("indeks_desa_status_matches_score",),
            notes="Status yang tertulis di berkas resmi yang dipakai; bila berbeda dengan status "
            "menurut skor dan ambang batas, berkas tetap diterima dengan peringatan.",
        ),
        Dataset(
            name="program_kegiatan",
            title="Program dan kegiatan Dinas PMD per wilayah per tahun",
            label="Program & kegiatan",
            villages=Villages.KABUPATEN,
            key=("kode_wilayah", "tahun", "kode_kegiatan"),
            columns=(
                Column(
                    "kode_wilayah",
                    Kind.KODE_WILAYAH,
                    "62 untuk Dinas PMD provinsi, atau kode kabupaten/kota",
                    required=True,
                ),
                _TAHUN,
                Column(
                    "kode_kegiatan",
                    Kind.TEXT,
                    "kode kegiatan/sub kegiatan menurut nomenklatur Permendagri 90/2019 "
                    "(urusan pemberdayaan masyarakat dan desa: 2.13), ditulis dengan titiknya",
                    required=True,
                ),
                Column("nama_kegiatan", Kind.TEXT, "nama kegiatan", required=True),
                Column(
                    "isu",
                    Kind.CATEGORY,
                    "isu strategis yang dilayani kegiatan (1-4, atau tujuan)",
                    required=True,
                    categories=PROGRAM_ISU,
                ),
                Column("indikator_keluaran", Kind.TEXT, "indikator keluaran", required=True),
                Column(
                    "satuan_keluaran",
                    Kind.TEXT,
                    "satuan keluaran (orang, desa, dokumen, ...)",
                    required=True,
                ),
                Column(
                    "target_keluaran",
                    Kind.DECIMAL,
                    "target keluaran",
                    required=True,
                    minimum=0,
                    minimum_exclusive=True,
                ),
                _non_negative(
                    "realisasi_keluaran",
                    Kind.DECIMAL,
                    "realisasi keluaran (boleh melebihi target)",
                    required=True,
                ),
                Column(
                    "pagu",
                    Kind.RUPIAH,
                    "pagu anggaran kegiatan",
                    required=True,
                    minimum=0,
                    minimum_exclusive=True,
                ),
                Column(
                    "realisasi_anggaran",
                    Kind.RUPIAH,
                    "anggaran yang terealisasi",
                    required=True,
                    minimum=0,
                    maximum="pagu",
                ),
                _non_negative("desa_sasaran", Kind.INTEGER, "jumlah desa yang dijangkau"),
            ),
            rules=("kode_kegiatan_urusan_pmd",),
            notes="Satu baris per kegiatan. Petugas kabupaten hanya mengirim baris kabupatennya; "
            "baris 62 (Dinas PMD provinsi) dikirim analis. Kode di luar urusan 2.13 diterima "
            "dengan peringatan.",
        ),
        Dataset(
            name="target_kpi",
            title="Target indikator (RPJMN, RKPD, RPJMD, SDGs Desa)",
            label="Target indikator",
            villages=Villages.WILAYAH,
            key=("kpi_id", "kode_wilayah", "tahun"),
            columns=(
                Column("kpi_id", Kind.TEXT, "id indikator dari katalog KPI", required=True),
                Column(
                    "kode_wilayah",
                    Kind.KODE_WILAYAH,
                    "kode kabupaten/kota, 62 untuk provinsi, 00 untuk target nasional",
                    required=True,
                ),
                Column(
                    "tahun",
                    Kind.TAHUN,
                    "tahun target (sampai 2045, cakrawala RPJPN)",
                    required=True,
                    minimum=2015,
                    maximum=2045,
                ),
                Column("nilai", Kind.DECIMAL, "nilai target, dalam satuan indikatornya", True),
                Column(
                    "sumber",
                    Kind.TEXT,
                    "dokumen yang menetapkannya (mis. RPJMD Kalimantan Tengah 2025-2029)",
                    required=True,
                ),
            ),
            rules=("kpi_id_in_catalogue",),
            slice_columns=("kpi_id", "kode_wilayah"),
            uploadable_by_petugas=False,
            holds_data_years=False,
            notes="Menambah atau mengganti target bawaan untuk (kpi_id, kode_wilayah) yang ada di "
            "berkas; hanya analis yang mengirimnya.",
        ),
    )
}

# The reporting calendar (docs/operations.md): when each dataset-year is due from every kabupaten/kota.
# Declared after the others because its `dataset` column names them.
DATASETS["jadwal_pelaporan"] = Dataset(
    name="jadwal_pelaporan",
    title="Jadwal pelaporan: tenggat tiap dataset per tahun data",
    label="Jadwal pelaporan",
    villages=Villages.TANPA_WILAYAH,
    key=("dataset", "tahun_data"),
    columns=(
        Column(
            "dataset",
            Kind.CATEGORY,
            "nama dataset yang dijadwalkan",
            required=True,
            categories=tuple(name for name in DATASETS if name != "target_kpi"),
        ),
        Column("tahun_data", Kind.TAHUN, "tahun yang datanya dilaporkan", required=True),
        Column(
            "tenggat",
            Kind.TANGGAL,
            "hari terakhir data diterima dari setiap kabupaten/kota",
            required=True,
        ),
        Column("keterangan", Kind.TEXT, "keterangan, mis. surat edaran yang menetapkannya"),
    ),
    slice_columns=("dataset", "tahun_data"),
    uploadable_by_petugas=False,
    holds_data_years=False,
    notes="Mengganti jadwal bawaan untuk pasangan (dataset, tahun_data) yang ada di berkas; "
    "hanya analis yang mengirimnya.",
)


# --- the published catalogue (docs/contracts.md: dataset_definisi) ----------------------------------

_KIND_LABELS = {
    Kind.KODE_DESA: "kode desa/kelurahan Kemendagri (teks, 62.xx.xx.xxxx)",
    Kind.KODE_WILAYAH: "kode kabupaten/kota Kemendagri (teks, 62.xx), atau 62 untuk provinsi",
    Kind.KODE_BPS: "kode BPS kabupaten/kota (6209), atau 6200 untuk provinsi",
    Kind.NAMA_WILAYAH: "nama kabupaten/kota, atau Kalimantan Tengah",
    Kind.TAHUN: "tahun empat angka",
    Kind.INTEGER: "bilangan bulat",
    Kind.RUPIAH: "rupiah (boleh 2 desimal)",
    Kind.DECIMAL: "angka desimal",
    Kind.BOOLEAN: "ya/tidak",
    Kind.CATEGORY: "pilihan",
    Kind.TEXT: "teks",
    Kind.DIGITS: "angka sebagai teks",
    Kind.TANGGAL: "tanggal (2026-03-31 atau 31/03/2026)",
}


# Rules every column of a kind follows (docs/contracts.md, "Rules common to every dataset").
_KIND_RULES = {
    Kind.KODE_DESA: "harus ada dalam daftar desa/kelurahan Kemendagri",
    Kind.KODE_WILAYAH: "harus ada dalam daftar kabupaten/kota Kemendagri",
    Kind.KODE_BPS: "harus ada dalam tabel padanan BPS-Kemendagri",
    Kind.TAHUN: "2015 sampai tahun berjalan + 1",
    Kind.BOOLEAN: "ya/tidak, y/t, 1/0, true/false, ada/tidak ada",
}


def _bound_text(bound: Bound) -> str:
    return bound if isinstance(bound, str) else f"{bound:g}".replace(".", ",")


# target_kpi names the nation too (Villages.WILAYAH), and its years run to 2045 (docs/contracts.md).
_WILAYAH_CODE_LABEL = (
    "kode kabupaten/kota Kemendagri (teks, 62.xx), 62 untuk provinsi, atau 00 untuk nasional"
)
_WILAYAH_CODE_RULE = (
    "harus ada dalam daftar kabupaten/kota Kemendagri, atau 62 (provinsi) atau 00 (nasional)"
)


def _kind_rule(column: Column, villages: Villages | None) -> str | None:
    if column.kind is Kind.TAHUN and column.maximum is not None:
        return None  # the declared range replaces "to next year"
    if column.kind is Kind.KODE_WILAYAH and villages is Villages.WILAYAH:
        return _WILAYAH_CODE_RULE
    return _KIND_RULES.get(column.kind)


def rule_text(column: Column, villages: Villages | None = None) -> str:
    """The column's rule in Bahasa Indonesia, for templates, metadata and reports; `villages`
    is its dataset's (an area code's rule depends on which areas the rows may name)."""
    kind_rule = _kind_rule(column, villages)
    parts = [kind_rule] if kind_rule else []
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        parts.append(f"{_bound_text(low)} sampai {_bound_text(high)}")
    elif low is not None:
        parts.append(f"{'>' if column.minimum_exclusive else '>='} {_bound_text(low)}")
    elif high is not None:
        parts.append(f"<= {_bound_text(high)}")
    if parts and not column.range_blocking:
        parts[-1] += " (hanya peringatan)"
    if column.categories:
        parts.append("salah satu dari: " + ", ".join(column.categories))
        if column.unknown_category_becomes:
            parts[-1] += f" (nilai lain menjadi {column.unknown_category_becomes})"
    if column.digits:
        parts.append(f"tepat {column.digits} angka")
    return "; ".join(parts)


def column_record(column: Column, villages: Villages | None = None) -> dict:
    wilayah_code = column.kind is Kind.KODE_WILAYAH and villages is Villages.WILAYAH
    return {
        "nama": column.name,
        "alias": list(column.aliases),
        "jenis": column.kind.value,
        "jenis_keterangan": _WILAYAH_CODE_LABEL if wilayah_code else _KIND_LABELS[column.kind],
        "wajib": column.required,
        "arti": column.description,
        "aturan": rule_text(column, villages),
        "pilihan": list(column.categories),
    }


def dataset_definitions_frame() -> pl.DataFrame:
    """The published `dataset_definisi` table: what each inbox folder accepts."""
    return pl.DataFrame(
        [
            {
                "dataset": d.name,
                "nama": d.title,
                "nama_singkat": d.label,
                "kunci": list(d.key),
                "kolom": json.dumps(
                    [column_record(c, d.villages) for c in d.all_columns], ensure_ascii=False
                ),
                "hanya_desa": d.villages is Villages.DESA,
                "wilayah": d.villages.value,
                "urutan": i + 1,
                "catatan": d.notes,
                "unggah_petugas": d.uploadable_by_petugas,
            }
            for i, d in enumerate(DATASETS.values())
        ],
        schema={
            "dataset": pl.String,
            "nama": pl.String,
            "nama_singkat": pl.String,
            "kunci": pl.List(pl.String),
            "kolom": pl.String,
            "hanya_desa": pl.Boolean,
            "wilayah": pl.String,
            "urutan": pl.Int32,
            "catatan": pl.String,
            "unggah_petugas": pl.Boolean,
        },
    )


def village_statuses_frame() -> pl.DataFrame:
    """The published `status_desa` table: the five statuses, worst first, shared by IDM and
    Indeks Desa; views read names and order from here."""
    return pl.DataFrame(
        {
            "status": list(IDM_STATUSES),
            "urutan": list(range(1, len(IDM_STATUSES) + 1)),
            "label": [s.replace("_", " ").title() for s in IDM_STATUSES],
        },
        schema={"status": pl.String, "urutan": pl.Int32, "label": pl.String},
    )
