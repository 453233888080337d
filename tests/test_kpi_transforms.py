"""KPI transforms against answers worked out by hand from a small fixture.

The fixture: Kabupaten A (62.01) has kecamatan 62.01.01 with desa D1 (2001), D2 (2002) and
kelurahan K1 (1011), and kecamatan 62.01.02 with desa D3 (2001). Kota B (62.71) has only
kelurahan K2. Kabupaten C (62.02) has one desa D4 that sent nothing. Every expected number
below is computed in its comment.
"""

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import THRESHOLD_SCHEMA, load_thresholds
from pipelines.contracts.kpis import KPIS
from pipelines.settings import REPO_ROOT
from pipelines.transforms.basis import village_year_basis
from pipelines.transforms.kpis import compute_kpis

D1, D2, K1, D3, K2, D4 = (
    "62.01.01.2001", "62.01.01.2002", "62.01.01.1011", "62.01.02.2001", "62.71.01.1001",
    "62.02.01.2001",
)  # fmt: skip

VILLAGES = pl.DataFrame(
    {
        "kode_desa": [D1, D2, K1, D3, K2, D4],
        "kode_kec": ["62.01.01", "62.01.01", "62.01.01", "62.01.02", "62.71.01", "62.02.01"],
        "kode_kab": ["62.01", "62.01", "62.01", "62.01", "62.71", "62.02"],
        "jenis": ["desa", "desa", "kelurahan", "desa", "kelurahan", "desa"],
    }
)
AREAS = pl.DataFrame(
    {
        "tingkat": ["provinsi", "kabupaten", "kabupaten", "kabupaten", "kecamatan", "kecamatan",
                    "kecamatan", "kecamatan", *["desa"] * 6],
        "kode_wilayah": ["62", "62.01", "62.71", "62.02", "62.01.01", "62.01.02", "62.71.01",
                         "62.02.01", D1, D2, K1, D3, K2, D4],
        "nama_wilayah": ["Kalteng", "Kab A", "Kota B", "Kab C", "Kec A1", "Kec A2", "Kec B1",
                         "Kec C1", "D1", "D2", "K1", "D3", "K2", "D4"],
        "kode_kab": ["62", "62.01", "62.71", "62.02", "62.01", "62.01", "62.71", "62.02",
                     "62.01", "62.01", "62.01", "62.01", "62.71", "62.02"],
    }
)  # fmt: skip


def table(name: str, rows: list[dict]) -> pl.DataFrame:
    """A warehouse-shaped dataset table: every declared column, typed as the warehouse types."""
    columns = DATASETS[name].all_columns
    frame = pl.DataFrame(rows, infer_schema_length=None)
    out = {}
    for c in columns:
        dtype = {"VARCHAR": pl.String, "INTEGER": pl.Int32, "BIGINT": pl.Int64,
                 "DECIMAL(18,2)": pl.Decimal(18, 2), "DOUBLE": pl.Float64,
                 "BOOLEAN": pl.Boolean, "DATE": pl.Date}[c.sql_type]  # fmt: skip
        out[c.name] = (
            frame[c.name] if c.name in frame.columns else pl.Series([None] * len(rows))
        ).cast(dtype)
    out["kode_kab"] = pl.Series(
        [r.get("kode_kab") or r.get("kode_desa", "")[:5] for r in rows], dtype=pl.String
    )
    return (
        pl.DataFrame(out) if rows else pl.DataFrame(schema={**{k: v.dtype for k, v in out.items()}})
    )


BASE = {
    "dana_desa": [
        {"kode_desa": D1, "tahun": 2024, "pagu": 1000, "salur": 900, "realisasi": 800,
         "blt_kpm": 10, "padat_karya_tk": 5},
        {"kode_desa": D2, "tahun": 2024, "pagu": 500, "salur": 500, "realisasi": 100},
        {"kode_desa": D2, "tahun": 2023, "pagu": 500, "salur": 500, "realisasi": 500, "blt_kpm": 3},
    ],
    "kemiskinan_desa": [
        {"kode_desa": D1, "tahun": 2024, "jumlah_penduduk": 1000, "jumlah_kk": 250, "kk_miskin": 50, "kk_miskin_ekstrem": 20},
        {"kode_desa": D2, "tahun": 2024, "jumlah_penduduk": 600, "jumlah_kk": 150, "kk_miskin": 30, "kk_miskin_ekstrem": 0},
        {"kode_desa": K1, "tahun": 2024, "jumlah_penduduk": 2000, "jumlah_kk": 500, "kk_miskin": 20, "kk_miskin_ekstrem": 5},
        {"kode_desa": K2, "tahun": 2024, "jumlah_penduduk": 4000, "jumlah_kk": 1000, "kk_miskin": 100, "kk_miskin_ekstrem": 10},
        {"kode_desa": D2, "tahun": 2023, "jumlah_penduduk": 600, "jumlah_kk": 150, "kk_miskin": 30, "kk_miskin_ekstrem": 0},
    ],
    "bumdes": [
        {"kode_desa": D1, "tahun": 2024, "nama_bumdes": "A", "status_aktif": True, "badan_hukum": True, "klasifikasi": "maju", "kontribusi_pades": 100},
        {"kode_desa": D1, "tahun": 2024, "nama_bumdes": "B", "status_aktif": True, "badan_hukum": False, "klasifikasi": "dasar"},
        {"kode_desa": D3, "tahun": 2024, "nama_bumdes": "C", "status_aktif": False, "badan_hukum": True, "klasifikasi": "maju", "kontribusi_pades": 50},
    ],
    "umkm": [
        {"kode_desa": D1, "tahun": 2024, "nama_usaha": "u1", "sektor": "kuliner", "skala": "mikro", "tenaga_kerja": 2},
        {"kode_desa": D1, "tahun": 2024, "nama_usaha": "u2", "sektor": "jasa", "skala": "mikro"},
        {"kode_desa": D1, "tahun": 2024, "nama_usaha": "u3", "sektor": "jasa", "skala": "kecil", "tenaga_kerja": 4},
        {"kode_desa": K1, "tahun": 2024, "nama_usaha": "u4", "sektor": "jasa", "skala": "mikro", "tenaga_kerja": 1},
        {"kode_desa": K1, "tahun": 2024, "nama_usaha": "u5", "sektor": "jasa", "skala": "mikro", "tenaga_kerja": 1},
        {"kode_desa": D3, "tahun": 2024, "nama_usaha": "u6", "sektor": "jasa", "skala": "mikro", "tenaga_kerja": 9},
    ],
    "idm": [
        # D1 score (0.9+0.8+0.85)/3 = 0.85 -> mandiri; D2 (0.6+0.4+0.5)/3 = 0.5 -> tertinggal
        {"kode_desa": D1, "tahun": 2024, "iks": 0.9, "ike": 0.8, "ikl": 0.85},
        {"kode_desa": D2, "tahun": 2024, "iks": 0.6, "ike": 0.4, "ikl": 0.5},
    ],
    "profil_desa": [
        {"kode_desa": D1, "tahun": 2024, "aparatur_total": 10, "aparatur_terlatih": 4, "aparatur_pendidikan_sma": 8,
         "apbdes_tepat_waktu": True, "musdes_jumlah": 4, "musdes_peserta": 100, "musdes_peserta_perempuan": 30,
         "swadaya_rp": 5000, "produk_unggulan": "madu", "desa_wisata": "rintisan",
         "lahan_potensial_ha": 100, "lahan_dimanfaatkan_ha": 25},
        {"kode_desa": D3, "tahun": 2024, "aparatur_total": 6, "aparatur_terlatih": 5, "aparatur_pendidikan_sma": 3,
         "apbdes_tepat_waktu": False, "musdes_jumlah": 2, "musdes_peserta": 50, "musdes_peserta_perempuan": 20,
         "swadaya_rp": 1000, "produk_unggulan": "  ", "desa_wisata": "tidak",
         "lahan_potensial_ha": 50, "lahan_dimanfaatkan_ha": 50},
    ],
    "kemiskinan_kab": [
        {"kode_wilayah": "62.01", "kode_kab": "62.01", "tahun": 2024, "persentase_miskin": 4.5},
        {"kode_wilayah": "62", "kode_kab": "62", "tahun": 2024, "persentase_miskin": 5.1},
    ],
}  # fmt: skip


def compute(data: dict[str, list[dict]]) -> pl.DataFrame:
    tables = {name: table(name, data.get(name, [])).lazy() for name in DATASETS}
    thresholds = load_thresholds(REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv")
    years = [2023, 2024]
    basis = village_year_basis(VILLAGES.lazy(), years, tables, thresholds.cast(THRESHOLD_SCHEMA))
    return compute_kpis(basis, KPIS, AREAS.lazy(), years, tables["kemiskinan_kab"]).collect()


@pytest.fixture(scope="module")
def kpi() -> pl.DataFrame:
    return compute(BASE)


def value(kpi: pl.DataFrame, kode: str, kpi_id: str, tahun: int = 2024) -> dict:
    rows = kpi.filter(
        (pl.col("kode_wilayah") == kode) & (pl.col("kpi_id") == kpi_id) & (pl.col("tahun") == tahun)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("kode", "kpi_id", "expected", "melapor"),
    [
        # serapan: 100 x (800 + 100) / (1000 + 500) = 60, from D1 and D2
        ("62.01", "serapan_dana_desa_pct", 60.0, 2),
        ("62", "serapan_dana_desa_pct", 60.0, 2),
        ("62.01.01", "serapan_dana_desa_pct", 60.0, 2),
        (D1, "serapan_dana_desa_pct", 80.0, 1),
        # kk miskin incl. kelurahan: A = 100 x (50+30+20) / (250+150+500) = 100/9
        ("62.01", "kk_miskin_pct", 100 * 100 / 900, 3),
        ("62.71", "kk_miskin_pct", 10.0, 1),
        # province = 100 x 200 / 1900 (ratio of sums, not the mean of 11.1 and 10)
        ("62", "kk_miskin_pct", 100 * 200 / 1900, 4),
        ("62", "kk_miskin_ekstrem_pct", 100 * 35 / 1900, 4),
        # BLT: only D1 has both blt_kpm and kk_miskin_ekstrem: 100 x 10 / 20
        ("62.01", "cakupan_blt_pct", 50.0, 1),
        ("62.01", "padat_karya_tk_per_desa", 5.0, 1),
        # BUMDes: 1 of the 3 desa of A has an active BUMDes (all desa in the denominator)
        ("62.01", "desa_bumdes_aktif_pct", 100 / 3, 3),
        # kecamatan 62.01.02: D3 has only an inactive BUMDes -> 0 %, a real zero
        ("62.01.02", "desa_bumdes_aktif_pct", 0.0, 1),
        # the province sums only kabupaten that sent BUMDes data: Kab A's 3 desa, not D4 of
        # Kab C, which sent nothing -> 1 of 3
        ("62", "desa_bumdes_aktif_pct", 100 / 3, 3),
        # every desa of a reporting kabupaten counts (D2 and D3 with 0 active BUMDes)
        ("62.01", "bumdes_berbadan_hukum_pct", 50.0, 3),
        ("62.01", "bumdes_maju_pct", 50.0, 3),
        ("62.01", "kontribusi_pades_rp", 100.0, 3),  # D3's 50 is from an inactive BUMDes
        # UMKM incl. kelurahan with population: D1, D2, K1 (D3 has no population: left out)
        ("62.01", "umkm_per_1000", 1000 * 5 / 3600, 3),
        ("62.01", "tenaga_kerja_umkm_per_1000", 1000 * 8 / 3600, 3),
        # Kota B sent no UMKM: its K2 (4000 people) stays out of the province's denominator
        ("62", "umkm_per_1000", 1000 * 5 / 3600, 3),
        # profil: D1 and D3
        ("62.01", "aparatur_terlatih_pct", 100 * 9 / 16, 2),
        ("62.01", "aparatur_sma_pct", 100 * 11 / 16, 2),
        ("62.01", "apbdes_tepat_waktu_pct", 50.0, 2),
        ("62.01", "musdes_per_desa", 3.0, 2),
        ("62.01", "perempuan_musdes_pct", 100 * 50 / 150, 2),
        ("62.01", "desa_produk_unggulan_pct", 50.0, 2),  # D3's blank product does not count
        ("62.01", "desa_wisata_pct", 50.0, 2),
        ("62.01", "pemanfaatan_lahan_pct", 100 * 75 / 150, 2),
        # per capita needs population: only D1 has both profil and population
        ("62.01", "peserta_musdes_per_1000", 1000 * 100 / 1000, 1),
        ("62.01", "swadaya_per_kapita_rp", 5.0, 1),
        # IDM: plain means over reporting desa; statuses from the threshold table
        ("62.01", "idm_rata", (0.85 + 0.5) / 2, 2),
        ("62.01", "ike_rata", (0.8 + 0.4) / 2, 2),
        ("62.01", "desa_maju_mandiri_pct", 50.0, 2),
        ("62.01", "desa_tertinggal_pct", 50.0, 2),
        # BPS figures are published, not aggregated, and are not village figures
        ("62.01", "persentase_miskin_bps", 4.5, None),
        ("62", "persentase_miskin_bps", 5.1, None),
    ],
)
def test_kpi_matches_hand_computed_value(kpi, kode, kpi_id, expected, melapor):
    row = value(kpi, kode, kpi_id)
    assert row["nilai"] == pytest.approx(expected, rel=1e-12)
    assert row["desa_melapor"] == melapor
    assert row["keterangan"] is None


@pytest.mark.parametrize(
    ("kode", "kpi_id", "tahun", "reason"),
    [
        ("62.71", "aparatur_terlatih_pct", 2024, "tidak memiliki desa"),
        ("62.71", "desa_bumdes_aktif_pct", 2024, "tidak memiliki desa"),
        ("62.71", "umkm_per_1000", 2024, "Belum ada data"),  # no UMKM row in Kota B
        (K1, "serapan_dana_desa_pct", 2024, "Kelurahan tidak termasuk"),
        ("62.01.02", "serapan_dana_desa_pct", 2024, "Belum ada data"),
        ("62.01", "desa_bumdes_aktif_pct", 2023, "Belum ada data"),  # no BUMDes row in 2023
        ("62.02", "desa_bumdes_aktif_pct", 2024, "Belum ada data"),  # Kab C sent no BUMDes
        # 2023: D2 has blt_kpm 3 but kk_miskin_ekstrem 0 -> zero denominator
        ("62.01", "cakupan_blt_pct", 2023, "Penyebut bernilai nol"),
        ("62.71", "persentase_miskin_bps", 2024, "belum dimuat"),
        ("62.01.01", "persentase_miskin_bps", 2024, "hanya diterbitkan"),
    ],
)
def test_undefined_kpi_is_null_with_reason_never_zero(kpi, kode, kpi_id, tahun, reason):
    row = value(kpi, kode, kpi_id, tahun)
    assert row["nilai"] is None
    assert reason in row["keterangan"]


def test_one_row_per_area_year_and_kpi(kpi):
    # the programme KPIs (program_kegiatan) have kabupaten and provinsi rows only
    village = [k for k in KPIS if not k.program]
    upper = AREAS.filter(pl.col("tingkat").is_in(["kabupaten", "provinsi"])).height
    assert kpi.height == (len(AREAS) * len(village) + upper * (len(KPIS) - len(village))) * 2
    assert kpi.select("tingkat", "kode_wilayah", "tahun", "kpi_id").is_duplicated().sum() == 0


def test_province_numerator_and_denominator_are_sums_of_kabupaten(kpi):
    kab = (
        kpi.filter(pl.col("tingkat") == "kabupaten")
        .group_by("tahun", "kpi_id")
        .agg(pl.col("pembilang").sum(), pl.col("penyebut").sum())
    )
    prov = kpi.filter(pl.col("tingkat") == "provinsi").select(
        "tahun", "kpi_id", "pembilang", "penyebut"
    )
    joined = prov.join(kab, on=["tahun", "kpi_id"], suffix="_kab").drop_nulls("pembilang")
    assert joined.height > 10
    assert (joined["pembilang"] - joined["pembilang_kab"]).abs().max() < 1e-9


def _changed(before: pl.DataFrame, after: pl.DataFrame) -> set[str]:
    joined = before.join(after, on=["tingkat", "kode_wilayah", "tahun", "kpi_id"], suffix="_baru")
    diff = joined.filter(~pl.col("nilai").eq_missing(pl.col("nilai_baru")))
    return set(diff["kpi_id"].unique())


@pytest.mark.parametrize(
    ("dataset", "field", "new_value", "moved"),
    [
        ("dana_desa", "realisasi", 50, {"serapan_dana_desa_pct"}),
        ("dana_desa", "blt_kpm", 15, {"cakupan_blt_pct"}),
        ("kemiskinan_desa", "jumlah_kk", 300, {"kk_miskin_pct", "kk_miskin_ekstrem_pct"}),
        (
            "kemiskinan_desa",
            "jumlah_penduduk",
            1500,
            {
                "umkm_per_1000",
                "tenaga_kerja_umkm_per_1000",
                "peserta_musdes_per_1000",
                "swadaya_per_kapita_rp",
            },
        ),
        ("profil_desa", "musdes_peserta", 200, {"perempuan_musdes_pct", "peserta_musdes_per_1000"}),
        ("idm", "ike", 0.95, {"ike_rata", "idm_rata"}),
        ("bumdes", "badan_hukum", False, {"bumdes_berbadan_hukum_pct"}),
    ],
)
def test_changing_one_input_moves_exactly_its_kpis(kpi, dataset, field, new_value, moved):
    data = {k: [dict(r) for r in v] for k, v in BASE.items()}
    data[dataset][0][field] = new_value
    assert _changed(kpi, compute(data)) == moved


# --- "Which kabupaten reported": BUMDes and UMKM at desa and kecamatan level -------------------


@pytest.mark.parametrize(
    ("kode", "kpi_id", "expected", "melapor"),
    [
        # Kab A sent BUMDes data: D2, without a BUMDes row, has 0 active BUMDes -> 0 %, not NULL
        (D2, "desa_bumdes_aktif_pct", 0.0, 1),
        (D1, "desa_bumdes_aktif_pct", 100.0, 1),
        # kecamatan 62.01.01: D1 and D2 (K1 is a kelurahan) -> 1 of 2
        ("62.01.01", "desa_bumdes_aktif_pct", 50.0, 2),
        # Kab A sent UMKM data: D2 (600 people, no UMKM row) has 0 UMKM -> 0 per 1000
        (D2, "umkm_per_1000", 0.0, 1),
        (D2, "tenaga_kerja_umkm_per_1000", 0.0, 1),
        # kecamatan 62.01.01: 5 UMKM (u1-u5) over D1 + D2 + K1 = 3600 people
        ("62.01.01", "umkm_per_1000", 1000 * 5 / 3600, 3),
        ("62.01.01", "tenaga_kerja_umkm_per_1000", 1000 * (2 + 0 + 4 + 1 + 1) / 3600, 3),
    ],
)
def test_village_of_reporting_kabupaten_without_rows_counts_as_zero(
    kpi, kode, kpi_id, expected, melapor
):
    row = value(kpi, kode, kpi_id)
    assert row["nilai"] == pytest.approx(expected, rel=1e-12)
    assert row["desa_melapor"] == melapor
    assert row["keterangan"] is None


@pytest.mark.parametrize(
    ("kode", "kpi_id", "reason"),
    [
        # Kab C sent no BUMDes: its desa D4 contributes nothing, at every level
        (D4, "desa_bumdes_aktif_pct", "Belum ada data"),
        ("62.02.01", "desa_bumdes_aktif_pct", "Belum ada data"),
        # Kota B sent no UMKM: K2 (with population) is not a 0
        (K2, "umkm_per_1000", "Belum ada data"),
        # D2 has no active BUMDes: a share of its active BUMDes is 0 / 0
        (D2, "bumdes_berbadan_hukum_pct", "Penyebut bernilai nol"),
    ],
)
def test_village_of_silent_kabupaten_contributes_nothing(kpi, kode, kpi_id, reason):
    row = value(kpi, kode, kpi_id)
    assert row["nilai"] is None
    assert reason in row["keterangan"]
    assert row["desa_melapor"] == (1 if "nol" in reason else 0)


def test_desa_melapor_counts_only_reporting_kabupaten_and_is_null_for_bps(kpi):
    # Only Kab A (3 desa) sent BUMDes data in 2024; 4 desa exist in the province.
    assert value(kpi, "62", "desa_bumdes_aktif_pct")["desa_melapor"] == 3
    # 2023: no kabupaten sent BUMDes data -> NULL over 0 villages, not 0 % over 4.
    row = value(kpi, "62", "desa_bumdes_aktif_pct", 2023)
    assert (row["nilai"], row["desa_melapor"]) == (None, 0)
    bps = kpi.filter(pl.col("kpi_id") == "persentase_miskin_bps")
    assert bps.height > 0
    assert bps["desa_melapor"].null_count() == bps.height


# --- Determinism ---------------------------------------------------------------------------------

KEY = ["tingkat", "kode_wilayah", "tahun", "kpi_id"]


def _bits(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows in key order with every float as its 64 bits, NULL kept as NULL."""
    floats = [c for c, t in frame.schema.items() if t == pl.Float64]
    return frame.sort(KEY).with_columns(pl.col(floats).reinterpret(dtype=pl.UInt64))


def assert_bit_identical(a: pl.DataFrame, b: pl.DataFrame) -> None:
    a, b = _bits(a), _bits(b)
    assert a.schema == b.schema
    assert a.height == b.height
    differ = a.with_row_index().join(b, on=KEY, suffix="_b", nulls_equal=True)
    assert differ.height == a.height
    for c in a.columns:
        if c not in KEY:
            bad = differ.filter(~pl.col(c).eq_missing(pl.col(f"{c}_b")))
            assert bad.height == 0, bad.select(*KEY, c, f"{c}_b").head()


def _many_villages(rng, n: int):
    """n desa over 3 kecamatan of Kab A, with float inputs whose sums depend on order."""
    kode = [f"62.01.0{1 + i % 3}.2{i:03d}" for i in range(n)]
    villages = pl.DataFrame(
        {"kode_desa": kode, "kode_kec": [k[:8] for k in kode], "kode_kab": "62.01", "jenis": "desa"}
    )
    areas = pl.concat(
        [
            AREAS.filter(pl.col("tingkat") != "desa"),
            villages.select(
                pl.lit("desa").alias("tingkat"),
                pl.col("kode_desa").alias("kode_wilayah"),
                pl.col("kode_desa").alias("nama_wilayah"),
                "kode_kab",
            ),
        ]
    )
    profil, idm = [], []
    for k in kode:
        potensial = round(rng.uniform(1, 5000), 3)
        profil.append(
            {"kode_desa": k, "tahun": 2024, "aparatur_total": 5, "aparatur_terlatih": 1,
             "aparatur_pendidikan_sma": 1, "apbdes_tepat_waktu": True, "musdes_jumlah": 1,
             "musdes_peserta": 10, "musdes_peserta_perempuan": 3, "swadaya_rp": 1,
             "desa_wisata": "tidak", "lahan_potensial_ha": potensial,
             "lahan_dimanfaatkan_ha": round(potensial * rng.random(), 3)}
        )  # fmt: skip
        idm.append(
            {"kode_desa": k, "tahun": 2024, **{c: round(rng.random(), 4) for c in ("iks", "ike", "ikl")}}
        )  # fmt: skip
    return villages, areas, {"profil_desa": profil, "idm": idm}


def _compute_on(villages, areas, data, kpi_ids):
    tables = {name: table(name, data.get(name, [])).lazy() for name in DATASETS}
    thresholds = load_thresholds(REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv")
    basis = village_year_basis(villages.lazy(), [2024], tables, thresholds)
    kpis = tuple(k for k in KPIS if k.kpi_id in kpi_ids)
    return compute_kpis(basis, kpis, areas.lazy(), [2024], tables["kemiskinan_kab"]).collect()


def test_same_inputs_in_any_row_order_give_bit_identical_kpis():
    import math
    import random

    rng = random.Random(12)
    villages, areas, data = _many_villages(rng, 600)
    kpi_ids = {"pemanfaatan_lahan_pct", "idm_rata", "ike_rata"}
    first = _compute_on(villages, areas, data, kpi_ids)
    for seed in (1, 2, 3):
        order = random.Random(seed)
        shuffled = {name: order.sample(rows, len(rows)) for name, rows in data.items()}
        again = _compute_on(villages.sample(fraction=1, shuffle=True, seed=seed), areas, shuffled,
                            kpi_ids)  # fmt: skip
        assert_bit_identical(first, again)
    # ...and the value is the ratio of the exact sums: 100 x sum(dimanfaatkan) / sum(potensial)
    kab = value(first, "62.01", "pemanfaatan_lahan_pct")
    profil = data["profil_desa"]
    exact = (
        100
        * math.fsum(r["lahan_dimanfaatkan_ha"] for r in profil)
        / math.fsum(r["lahan_potensial_ha"] for r in profil)
    )
    assert kab["nilai"] == pytest.approx(exact, rel=1e-12)
    assert kab["desa_melapor"] == 600
