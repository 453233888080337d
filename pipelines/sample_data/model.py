"""The synthetic village model shared by both scales: plausible, correlated, trending figures.

Every village carries a latent "development" factor `dev` (about standard normal; higher = more
developed). For Kalimantan Tengah it is seeded from the real IDM 2024 score, elsewhere drawn at
random. All datasets lean on it, so the indicators agree with each other the way real ones do:
poorer villages have lower IDM scores, fewer active BUMDes, lower Dana Desa absorption, fewer
trained officials. On top, each series trends over the years (poverty slowly falling, IDM, BUMDes
activity and UMKM counts rising) so that trend charts show something.

Everything is vectorised with numpy and returned as Polars frames of *canonical* values, one row
per village-year (or per BUMDes/business-year):
- Rupiah columns are Int64 **sen** (money never passes through a float), always a multiple of
  50 sen so that an Excel number (a double) holds it exactly;
- decimals are Float64, already rounded to the places the files carry;
- yes/no columns are Boolean; categories are snake-case strings; blanks are null.

Input: a villages frame with the columns of `VILLAGE_COLUMNS`. The functions take their own
`numpy.random.Generator`, so each dataset's stream is independent of the others.
"""

from collections.abc import Sequence

import numpy as np
import polars as pl

from pipelines.contracts.datasets import IDM_STATUSES
from pipelines.contracts.idm_status import IDM, INDEKS_DESA, idm_status, load_thresholds
from pipelines.settings import REPO_ROOT

BASE_YEAR = 2024  # the year the village base values (population, IDM components) describe

VILLAGE_COLUMNS = (
    "kode_desa",  # dotted Kemendagri code
    "kode_kab",
    "kode_kec",
    "nama_desa",
    "is_desa",  # False for a kelurahan
    "dev",  # latent development factor
    "penduduk_base",  # population in BASE_YEAR
    "hh_size",  # people per household in BASE_YEAR
    "miskin_base",  # share of poor households in BASE_YEAR (calibrated to BPS P0 per kab)
    "iks_base",  # IDM components in BASE_YEAR (null for kelurahan)
    "ike_base",
    "ikl_base",
)

# Status cut-offs: the shipped table the pipeline uses, read through the same rule (one home).
THRESHOLDS = load_thresholds(REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv")

# Relative national Dana Desa budget per year (2024 = 1): 2016 Rp 47 T, 2017-18 Rp 60 T,
# 2019 Rp 70 T, 2020 Rp 71 T, 2021 Rp 72 T, 2022 Rp 68 T, 2023 Rp 70 T, 2024-25 Rp 71 T.
DANA_DESA_YEAR_FACTOR = {
    2015: 0.29,
    2016: 0.66,
    2017: 0.85,
    2018: 0.85,
    2019: 0.99,
    2020: 1.0,
    2021: 1.01,
    2022: 0.96,
    2023: 0.99,
    2024: 1.0,
    2025: 1.0,
    2026: 1.0,
}
# BLT Dana Desa (cash aid, Rp 300,000 per household per month) exists from 2020; its share of
# the fund was highest in 2021-2022 and capped lower since (25 % in 2023-24, 15 % in 2025).
BLT_YEAR_FACTOR = {2020: 1.2, 2021: 1.4, 2022: 1.6, 2023: 1.0, 2024: 0.9, 2025: 0.7, 2026: 0.7}
BLT_RP_PER_MONTH = 300_000

UMKM_SECTORS: dict[str, tuple[float, tuple[str, ...]]] = {
    # sektor: (share of businesses, name prefixes)
    "perdagangan": (
        0.30,
        ("Toko", "Toko Sembako", "Kios", "Toko Bangunan", "Toko Pakaian", "Pangkalan Gas"),
    ),
    "kuliner": (0.22, ("Warung Makan", "Rumah Makan", "Kedai Kopi", "Kue Basah", "Warung Soto")),
    "jasa": (
        0.12,
        ("Bengkel", "Jasa Jahit", "Cucian Motor", "Pangkas Rambut", "Fotokopi", "Laundry"),
    ),
    "pertanian": (0.08, ("Usaha Tani", "Kebun Sayur", "Tani Hortikultura")),
    "perkebunan": (0.07, ("Kebun Karet", "Kebun Sawit Rakyat", "Kebun Kopi")),
    "industri_pengolahan": (
        0.06,
        ("Penggilingan Padi", "Kerupuk Ikan", "Tahu Tempe", "Pabrik Es", "Olahan Pisang"),
    ),
    "perikanan": (0.05, ("Keramba Ikan", "Tambak", "Ikan Asin", "Budidaya Lele")),
    "peternakan": (0.04, ("Ternak Ayam", "Ternak Sapi", "Ternak Kambing", "Peternakan Itik")),
    "kerajinan": (0.04, ("Anyaman Rotan", "Anyaman Purun", "Kerajinan Manik", "Ukiran Kayu")),
    "pariwisata": (0.01, ("Homestay", "Wisata Susur Sungai", "Pondok Wisata")),
    "lainnya": (0.01, ("Usaha Dagang", "Usaha Bersama")),
}
UMKM_NAME_ROOTS = (
    "Berkah",
    "Barokah",
    "Sejahtera",
    "Maju Jaya",
    "Sumber Rezeki",
    "Isen Mulang",
    "Huma Betang",
    "Tambun Bungai",
    "Harapan Jaya",
    "Karya Bersama",
    "Mandiri",
    "Lestari",
    "Sinar Kahayan",
    "Kahayan Indah",
    "Sinar Barito",
    "Mekar Sari",
    "Rezeki Baru",
    "Bintang Timur",
    "Cahaya",
    "Sepakat",
    "Belom Bahadat",
    "Pelita",
    "Makmur",
    "Dua Saudara",
    "Amanah",
    "Cempaka",
    "Anggrek",
    "Mentari",
    "Mutiara",
    "Sentosa",
)
PRODUK_UNGGULAN = (
    "Karet",
    "Kelapa Sawit",
    "Rotan",
    "Madu Kelulut",
    "Ikan Asin",
    "Ikan Sungai Olahan",
    "Anyaman Purun",
    "Anyaman Rotan",
    "Beras Lokal",
    "Jagung",
    "Gula Aren",
    "Kerupuk Ikan",
    "Sayur Mayur",
    "Jahe Merah",
    "Pisang",
    "Durian",
    "Cempedak",
    "Batu Kecubung",
    "Kopi Liberika",
    "Manik-Manik",
)
BUMDES_NAME_SUFFIXES = (
    "Sejahtera",
    "Mandiri",
    "Maju Bersama",
    "Berkah",
    "Harapan Jaya",
    "Makmur",
    "Isen Mulang",
)
DESA_WISATA_STAGES = ("tidak", "rintisan", "berkembang", "maju", "mandiri")
BUMDES_CLASSES = ("dasar", "tumbuh", "berkembang", "maju")


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _sen(rupiah: np.ndarray, step_rupiah: int = 1000) -> np.ndarray:
    """Round Rupiah amounts down to `step_rupiah` and return them as int64 sen."""
    return (np.floor(rupiah / step_rupiah) * step_rupiah * 100).astype(np.int64)


def _grid(villages: pl.DataFrame, years: Sequence[int]) -> tuple[int, int, np.ndarray]:
    """Shapes for village x year arrays and the year offsets from BASE_YEAR."""
    return villages.height, len(years), np.asarray(years, dtype=np.int64) - BASE_YEAR


def _long(
    villages: pl.DataFrame, years: Sequence[int], columns: dict[str, np.ndarray | pl.Series]
) -> pl.DataFrame:
    """Village x year arrays (shape n, Y) to a long frame sorted by kode_desa, tahun."""
    n, n_years = villages.height, len(years)
    index = np.repeat(np.arange(n), n_years)
    frame = pl.DataFrame(
        {
            "kode_desa": villages["kode_desa"].gather(index),
            "tahun": np.tile(np.asarray(years, dtype=np.int64), n),
        }
    )
    return frame.with_columns(_series(name, values) for name, values in columns.items())


def _series(name: str, values: np.ndarray | pl.Series) -> pl.Series:
    if isinstance(values, pl.Series):
        return values.alias(name)
    flat = np.asarray(values).reshape(-1)
    if flat.dtype == object:  # text with blanks: via a list, so an all-blank column stays String
        return pl.Series(name, flat.tolist(), dtype=pl.String)
    return pl.Series(name, flat)


def status_of(score: np.ndarray, skema: str = IDM, tahun: int = BASE_YEAR) -> np.ndarray:
    """Status label of each score under the scheme's cut-offs, by the pipeline's own rule."""
    expr = idm_status(pl.col("score"), pl.lit(tahun), THRESHOLDS, skema)
    return (
        pl.DataFrame({"score": score.ravel()})
        .select(expr)
        .to_series()
        .to_numpy()
        .reshape(score.shape)
    )


def _cutoffs(skema: str, tahun: int = BASE_YEAR) -> np.ndarray:
    """The scheme's boundaries between statuses, worst to best."""
    rows = THRESHOLDS.filter(
        (pl.col("skema") == skema) & (pl.lit(tahun).is_between("tahun_mulai", "tahun_selesai"))
    ).sort("urutan")
    return rows["batas_atas"].drop_nulls().to_numpy()


# --- calibration helpers -----------------------------------------------------------------------


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly (largest remainder)."""
    raw = total * weights / weights.sum()
    base = np.floor(raw).astype(np.int64)
    remainder = total - int(base.sum())
    # Stable tie-break so the result does not depend on the sort implementation.
    order = np.lexsort((np.arange(len(raw)), -(raw - base)))
    base[order[:remainder]] += 1
    return base


def calibrate_poverty(
    villages: pl.DataFrame, p0_by_kab: dict[str, float], rng: np.random.Generator
) -> np.ndarray:
    """Share of poor households per village, so each kabupaten lands a bit above its BPS P0.

    The registry's poor households (deciles 1-4) are a wider group than the BPS headcount, so
    the kabupaten target is 1.35 x P0. Within a kabupaten, less developed villages are poorer.
    """
    dev = villages["dev"].to_numpy()
    raw = np.exp(-0.45 * dev + rng.normal(0.0, 0.25, villages.height))
    households = villages["penduduk_base"].to_numpy() / villages["hh_size"].to_numpy()
    kab = villages["kode_kab"].to_numpy()
    share = np.empty(villages.height)
    for code in np.unique(kab):
        mask = kab == code
        target = 1.35 * p0_by_kab[str(code)] / 100.0
        scale = target * households[mask].sum() / (households[mask] * raw[mask]).sum()
        share[mask] = raw[mask] * scale
    return np.clip(share, 0.004, 0.7)


# --- datasets ----------------------------------------------------------------------------------


def kemiskinan_desa(
    villages: pl.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pl.DataFrame:
    """Population, households, poor and extremely poor households per village-year."""
    n, n_years, t = _grid(villages, years)
    dev = villages["dev"].to_numpy()[:, None]
    growth = rng.normal(0.012, 0.004, (n, 1))
    # No noise in the base year, so the base year adds up to the reference population.
    noise = rng.normal(0.0, 0.004, (n, n_years)) * (t != 0)
    penduduk = villages["penduduk_base"].to_numpy()[:, None] * (1 + growth) ** t * (1 + noise)
    penduduk = np.maximum(np.rint(penduduk), 30).astype(np.int64)
    hh_size = villages["hh_size"].to_numpy()[:, None] * (1 - 0.004 * t)
    kk = np.maximum(np.rint(penduduk / hh_size), 1).astype(np.int64)

    decline = np.clip(rng.normal(0.045, 0.015, (n, 1)), 0.0, 0.1)
    share = villages["miskin_base"].to_numpy()[:, None] * np.exp(
        -decline * t + rng.normal(0.0, 0.03, (n, n_years))
    )
    kk_miskin = np.minimum(np.rint(kk * np.clip(share, 0.002, 0.8)), kk).astype(np.int64)
    # Extreme poverty (decile 1) is a fraction of the poor, larger in poorer villages, and
    # falling faster than poverty (the national target was zero extreme poverty by 2024).
    extreme_share = np.clip(0.16 - 0.05 * dev + rng.normal(0.0, 0.03, (n, 1)), 0.03, 0.45)
    extreme_share = np.clip(extreme_share * np.exp(-0.12 * t), 0.01, 0.6)
    ekstrem = np.minimum(np.rint(kk_miskin * extreme_share), kk_miskin).astype(np.int64)
    return _long(
        villages,
        years,
        {
            "jumlah_penduduk": penduduk,
            "jumlah_kk": kk,
            "kk_miskin": kk_miskin,
            "kk_miskin_ekstrem": ekstrem,
        },
    )


def idm(villages: pl.DataFrame, years: Sequence[int], rng: np.random.Generator) -> pl.DataFrame:
    """IDM components, score and status per desa-year, drifting from the base-year components.

    Scores rise over time (slope about +0.014 a year, faster for the economic index), so the
    years before BASE_YEAR sit a little below it. Kelurahan are not scored.
    """
    desa = villages.filter(pl.col("is_desa"))
    n, n_years, t = _grid(desa, years)
    slope = np.clip(rng.normal(0.014, 0.006, (n, 1)), 0.0, 0.04)
    values = {}
    for name, weight in (("iks", 1.0), ("ike", 1.4), ("ikl", 0.6)):
        base = desa[f"{name}_base"].to_numpy()[:, None]
        value = base + slope * weight * t + rng.normal(0.0, 0.006, (n, n_years)) * (t != 0)
        values[name] = np.round(np.clip(value, 0.05, 1.0), 4)
    score = (values["iks"] + values["ike"] + values["ikl"]) / 3
    values["nilai_idm"] = np.round(score, 4)
    values["status_idm"] = status_of(score)
    return _long(desa, years, values)


# Indeks Desa dimensions relative to the overall score (plausible, not measured): basic
# services lead, accessibility and governance lag in remote desa.
DIMENSION_OFFSETS = {
    "skor_layanan_dasar": 6.0,
    "skor_sosial": 3.0,
    "skor_ekonomi": -4.0,
    "skor_lingkungan": 2.0,
    "skor_aksesibilitas": -6.0,
    "skor_tata_kelola": -1.0,
}


def indeks_desa(
    villages: pl.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pl.DataFrame:
    """Indeks Desa (0-100) per desa-year, consistent with the real IDM 2024 of each desa.

    The IDM 2024 score is mapped onto the Indeks Desa scale piecewise through the two schemes'
    cut-offs, so a desa keeps its status band (an IDM mandiri lands near the Indeks Desa
    mandiri band, never in sangat tertinggal); then small noise and a yearly gain. The six
    dimension scores scatter around the score and average to it. The status is the one the
    cut-offs give, except for a few rows stated one step off, as official recaps have them.
    """
    desa = villages.filter(pl.col("is_desa") & pl.col("iks_base").is_not_null())
    n, n_years, t = _grid(desa, years)
    idm_2024 = (
        desa["iks_base"].to_numpy() + desa["ike_base"].to_numpy() + desa["ikl_base"].to_numpy()
    ) / 3
    knots_idm = np.concatenate([[0.0], _cutoffs(IDM), [1.0]])
    knots_id = np.concatenate([[0.0], _cutoffs(INDEKS_DESA), [100.0]])
    base = np.interp(idm_2024, knots_idm, knots_id)[:, None]
    gain = np.clip(rng.normal(1.2, 0.8, (n, 1)), -1.0, 4.0)
    score = np.clip(base + rng.normal(0.0, 1.2, (n, 1)) + gain * t, 5.0, 99.0)
    values: dict[str, np.ndarray] = {}
    dims = np.stack(
        [
            score + offset + rng.normal(0.0, 5.0, (n, n_years))
            for offset in DIMENSION_OFFSETS.values()
        ]
    )
    dims = np.clip(dims - dims.mean(axis=0) + score, 0.0, 100.0)
    for name, dim in zip(DIMENSION_OFFSETS, dims, strict=True):
        values[name] = np.round(dim, 2)
    score = np.round(np.mean([values[name] for name in DIMENSION_OFFSETS], axis=0), 2)
    values["skor_indeks_desa"] = score
    status = status_of(score, INDEKS_DESA, tahun=max(years))
    off_step = rng.random((n, n_years)) < 0.004
    order = list(IDM_STATUSES)
    stated = np.array(
        [
            order[min(order.index(s) + 1, len(order) - 1)] if off else s
            for s, off in zip(status.ravel(), off_step.ravel(), strict=True)
        ],
        dtype=object,
    ).reshape(status.shape)
    values["status_indeks_desa"] = stated
    return _long(desa, years, values)


def dana_desa(
    villages: pl.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
    kemiskinan: pl.DataFrame,
) -> pl.DataFrame:
    """Dana Desa pagu, transfers, spending, BLT and cash-for-work per desa-year.

    Pagu follows the allocation formula's shape: a flat basic allocation, a part by population
    and poverty, an affirmative top-up for lagging villages and a performance top-up for good
    ones; Rp 0.6-1.5 billion. salur <= pagu, realisasi <= salur, pemberdayaan <= realisasi.
    """
    desa = villages.filter(pl.col("is_desa"))
    n, n_years, _ = _grid(desa, years)
    year = np.asarray(years)[None, :]
    dev = desa["dev"].to_numpy()[:, None]
    pop = desa["penduduk_base"].to_numpy()[:, None]
    poor_kk = pop / desa["hh_size"].to_numpy()[:, None] * desa["miskin_base"].to_numpy()[:, None]
    affirmasi = np.where(dev < -0.9, 90e6, 0.0)
    kinerja = np.where(dev > 1.0, 60e6 * (rng.random((n, 1)) < 0.6), 0.0)
    area = np.clip(rng.normal(60e6, 40e6, (n, 1)), 0.0, None)
    base = 610e6 + 95.0 * pop + 1.4e6 * poor_kk + affirmasi + kinerja + area
    base = np.clip(base, 0.62e9, 1.45e9)
    factor = np.array([[DANA_DESA_YEAR_FACTOR.get(int(y), 1.0) for y in years]])
    pagu_rp = base * factor * np.clip(rng.normal(1.0, 0.015, (n, n_years)), 0.97, 1.03)
    low = np.where(factor >= 0.95, 0.6e9, 0.25e9)
    pagu_rp = np.clip(pagu_rp, low, 1.5e9)
    pagu = _sen(pagu_rp)

    # Most villages get the full fund by year end; the rest miss (part of) the last tranche.
    p_full = np.clip(0.80 + 0.05 * dev + 0.02 * (year - 2021), 0.5, 0.97)
    salur_share = np.where(
        rng.random((n, n_years)) < p_full, 1.0, rng.uniform(0.6, 0.97, (n, n_years))
    )
    salur = np.minimum(_sen(pagu / 100 * salur_share), pagu)
    absorption = 0.94 + 0.025 * dev + 0.006 * (year - 2021) + rng.normal(0.0, 0.025, (n, n_years))
    absorption = np.clip(absorption, 0.55, 1.0)
    # Realised spending to the half Rupiah (sen values 0 or 50, exact in Excel doubles).
    realisasi = np.minimum((np.floor(salur * absorption / 50) * 50).astype(np.int64), salur)
    pemberdayaan = _sen(realisasi / 100 * rng.uniform(0.03, 0.16, (n, n_years)), 1)
    pemberdayaan = np.minimum(pemberdayaan, realisasi)

    poverty = (
        desa.select("kode_desa")
        .join(pl.DataFrame({"tahun": list(years)}), how="cross")
        .join(kemiskinan, on=["kode_desa", "tahun"], how="left", maintain_order="left")
        .fill_null(0)
    )
    ekstrem = poverty["kk_miskin_ekstrem"].to_numpy().reshape(n, n_years)
    miskin = poverty["kk_miskin"].to_numpy().reshape(n, n_years)
    # BLT goes to the extremely poor first, then to part of the other poor households.
    blt_factor = np.array([[BLT_YEAR_FACTOR.get(int(y), 0.0) for y in years]])
    targets = ekstrem + (miskin - ekstrem) * rng.uniform(0.1, 0.5, (n, n_years))
    coverage = rng.uniform(0.7, 1.1, (n, n_years)) * blt_factor
    months = np.where(rng.random((n, n_years)) < 0.8, 12, rng.integers(6, 12, (n, n_years)))
    # Cap BLT at 40 % of the pagu (the highest share any year allowed).
    cap = np.floor(0.4 * pagu / 100 / (BLT_RP_PER_MONTH * months))
    blt_kpm = np.minimum(np.rint(targets * coverage), cap).astype(np.int64)
    blt_rp = blt_kpm * months * BLT_RP_PER_MONTH * 100
    has_blt = blt_factor > 0
    padat_karya = rng.poisson(np.clip(10 + 5 * pop / 1000 + 8 * (year <= 2022), 1, 80))

    frame = _long(
        desa,
        years,
        {
            "pagu": pagu,
            "salur": salur,
            "realisasi": realisasi,
            "blt_kpm": np.where(has_blt, blt_kpm, -1),
            "blt_rp": np.where(has_blt, blt_rp, -1),
            # Optional columns are sometimes left blank, as officers do.
            "padat_karya_tk": np.where(rng.random((n, n_years)) < 0.1, -1, padat_karya),
            "belanja_pemberdayaan": np.where(rng.random((n, n_years)) < 0.05, -1, pemberdayaan),
        },
    )
    optional = ("blt_kpm", "blt_rp", "padat_karya_tk", "belanja_pemberdayaan")
    return frame.with_columns(
        pl.when(pl.col(c) >= 0).then(pl.col(c)).otherwise(None).alias(c) for c in optional
    ).with_columns(desa["nama_desa"].gather(np.repeat(np.arange(n), n_years)).alias("nama_desa"))


def profil_desa(
    villages: pl.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pl.DataFrame:
    """Apparatus, participation and potential per desa-year."""
    desa = villages.filter(pl.col("is_desa"))
    n, n_years, _ = _grid(desa, years)
    dev = desa["dev"].to_numpy()[:, None]
    since = np.asarray(years)[None, :] - years[0]  # years since the first year generated

    total = np.clip(8 + rng.poisson(5, (n, 1)) + rng.integers(-1, 2, (n, n_years)), 6, 25)
    p_train = np.clip(0.25 + 0.08 * dev + 0.06 * since + rng.normal(0, 0.08, (n, 1)), 0.02, 0.95)
    terlatih = rng.binomial(total, p_train)
    p_sma = np.clip(0.55 + 0.10 * dev + 0.03 * since + rng.normal(0, 0.05, (n, 1)), 0.1, 0.98)
    sma = rng.binomial(total, p_sma)
    tepat_waktu = rng.random((n, n_years)) < _logistic(0.6 + 0.9 * dev + 0.25 * since)
    musdes = 1 + rng.poisson(np.clip(3 + 0.8 * dev + 0.2 * since, 0.5, 10))
    attendance = np.clip(18 + 4 * dev + rng.normal(0, 4, (n, 1)), 8, 60)
    peserta = np.rint(musdes * attendance * rng.uniform(0.8, 1.2, (n, n_years))).astype(np.int64)
    p_female = np.clip(0.26 + 0.015 * since + rng.normal(0, 0.05, (n, 1)), 0.05, 0.6)
    perempuan = rng.binomial(peserta, p_female)
    swadaya_rp = np.exp(np.log(20e6) + 0.35 * dev + 0.05 * since + rng.normal(0, 0.6, (n, n_years)))
    swadaya = _sen(swadaya_rp)

    # A flagship product, once a village names one, stays; better-off villages name one earlier.
    product = np.asarray(PRODUK_UNGGULAN, dtype=object)[
        rng.integers(0, len(PRODUK_UNGGULAN), (n, 1))
    ]
    adopted = np.rint(rng.normal(2022.5 - 1.5 * dev, 3.0, (n, 1)))
    produk = np.where(np.asarray(years)[None, :] >= adopted, product, None)

    # Tourism-village stage only ever moves up, one step at a time.
    stage = np.zeros((n, n_years), dtype=np.int64)
    current = np.clip(np.floor(rng.normal(-0.9 + 0.6 * dev[:, 0], 1.0)), 0, 4).astype(np.int64)
    for j in range(n_years):
        if j > 0:
            p_up = np.where(current == 0, 0.03 + 0.02 * dev[:, 0], 0.10 + 0.04 * dev[:, 0])
            current = np.minimum(current + (rng.random(n) < np.clip(p_up, 0.0, 0.5)), 4)
        stage[:, j] = current
    wisata = np.asarray(DESA_WISATA_STAGES, dtype=object)[stage]

    potensial = np.round(np.clip(np.exp(rng.normal(np.log(350), 0.7, (n, 1))), 5, None), 1)
    potensial = np.repeat(potensial, n_years, axis=1)
    used_share = 0.35 + 0.08 * dev + 0.02 * since + rng.normal(0, 0.04, (n, n_years))
    dimanfaatkan = np.minimum(np.round(potensial * np.clip(used_share, 0.05, 0.97), 1), potensial)

    frame = _long(
        desa,
        years,
        {
            "aparatur_total": total,
            "aparatur_terlatih": terlatih,
            "aparatur_pendidikan_sma": sma,
            "apbdes_tepat_waktu": tepat_waktu,
            "musdes_jumlah": musdes,
            "musdes_peserta": peserta,
            "musdes_peserta_perempuan": perempuan,
            "swadaya_rp": swadaya,
            "produk_unggulan": produk,
            "desa_wisata": wisata,
            "lahan_potensial_ha": potensial,
            "lahan_dimanfaatkan_ha": dimanfaatkan,
        },
    )
    return frame.with_columns(
        desa["nama_desa"].gather(np.repeat(np.arange(n), n_years)).alias("nama_desa")
    )


def bumdes(villages: pl.DataFrame, years: Sequence[int], rng: np.random.Generator) -> pl.DataFrame:
    """0-2 BUMDes per desa, one row per BUMDes-year from its founding on.

    More developed villages more often have one, and it is more often active; activity and
    legal registration (possible since PP 11/2021) rise over the years.
    """
    desa = villages.filter(pl.col("is_desa"))
    n = desa.height
    dev_v = desa["dev"].to_numpy()
    u = rng.random(n)
    p_none = np.clip(0.20 - 0.10 * dev_v, 0.03, 0.5)
    count = np.where(u < p_none, 0, np.where(u > 0.93, 2, 1))
    owner = np.repeat(np.arange(n), count)  # one entry per BUMDes
    second = np.zeros(len(owner), dtype=bool)
    second[1:] = owner[1:] == owner[:-1]
    m = len(owner)
    dev = dev_v[owner]

    founded = np.rint(rng.normal(2017 - 1.5 * dev, 3.0))
    founded = np.where(second, founded + rng.integers(1, 7, m), founded)
    grit = rng.normal(0.0, 1.0, m)  # how well this BUMDes is run, beyond its village
    registered = 2021 + np.floor(rng.exponential(np.clip(2.5 - 0.8 * dev, 0.5, 4.0)))
    suffix_first = rng.integers(0, len(BUMDES_NAME_SUFFIXES), m)
    # A second BUMDes of the same desa never takes the first one's suffix.
    suffix = np.where(
        second,
        (np.roll(suffix_first, 1) + rng.integers(1, len(BUMDES_NAME_SUFFIXES), m))
        % len(BUMDES_NAME_SUFFIXES),
        suffix_first,
    )
    names = [
        f"BUMDes {name} {BUMDES_NAME_SUFFIXES[s]}"
        for name, s in zip(desa["nama_desa"].gather(owner).to_list(), suffix, strict=True)
    ]
    modal_base = np.exp(rng.normal(np.log(120e6) + 0.35 * dev, 0.6))

    n_years = len(years)
    year = np.asarray(years)[None, :]
    exists = year >= founded[:, None]
    d = dev[:, None]
    g = grit[:, None]
    active = rng.random((m, n_years)) < _logistic(0.4 + 1.1 * d + 0.35 * (year - 2021) + 0.8 * g)
    badan_hukum = year >= registered[:, None]
    # Classification improves with the village, the management, the years and the BUMDes' age.
    class_score = d + 0.15 * (year - 2021) + 0.5 * g + 0.05 * (year - founded[:, None])
    class_score = class_score + rng.normal(0.0, 0.3, (m, n_years))
    klas = np.digitize(class_score, [0.0, 1.0, 2.0])
    age = np.clip(year - founded[:, None], 0, None)
    modal = modal_base[:, None] * 1.06**age
    unit = 1 + rng.poisson(np.clip(1 + 0.6 * d, 0.2, 4), (m, n_years))
    omzet = modal * np.exp(rng.normal(np.log(0.6) + 0.2 * d, 0.5, (m, n_years)))
    laba = omzet * rng.normal(0.07 + 0.03 * d, 0.12, (m, n_years))
    kontribusi = np.where(laba > 0, laba * rng.uniform(0.1, 0.35, (m, n_years)), 0.0)
    tenaga = unit * (1 + rng.poisson(2, (m, n_years)))
    idle_loss = -modal * rng.uniform(0.0, 0.02, (m, n_years))

    # An inactive BUMDes still owns its capital, but runs no units and earns nothing.
    unit = np.where(active, unit, 0)
    omzet = np.where(active, omzet, 0.0)
    laba = np.where(active, laba, idle_loss)
    kontribusi = np.where(active, kontribusi, 0.0)
    tenaga = np.where(active, tenaga, 0)

    rows_b, rows_y = np.nonzero(exists)
    klas_text = np.asarray(BUMDES_CLASSES, dtype=object)[klas[rows_b, rows_y]]
    klas_text = np.where(rng.random(len(rows_b)) < 0.08, None, klas_text)  # sometimes blank

    def signed_sen(values: np.ndarray) -> np.ndarray:
        return (np.trunc(values / 1000) * 1000 * 100).astype(np.int64)

    frame = pl.DataFrame(
        {
            "kode_desa": desa["kode_desa"].gather(owner[rows_b]),
            "tahun": np.asarray(years, dtype=np.int64)[rows_y],
            "nama_bumdes": pl.Series(names, dtype=pl.String).gather(rows_b),
            "status_aktif": active[rows_b, rows_y],
            "badan_hukum": badan_hukum[rows_b, rows_y],
            "klasifikasi": pl.Series(klas_text.tolist(), dtype=pl.String),
            "unit_usaha": unit[rows_b, rows_y].astype(np.int64),
            "modal": _sen(modal[rows_b, rows_y]),
            "omzet": _sen(omzet[rows_b, rows_y]),
            "laba": signed_sen(laba[rows_b, rows_y]),
            "kontribusi_pades": _sen(kontribusi[rows_b, rows_y]),
            "tenaga_kerja": tenaga[rows_b, rows_y].astype(np.int64),
        }
    )
    return frame.sort("kode_desa", "tahun", "nama_bumdes")


# Annual turnover bands (Rupiah) of mikro, kecil and menengah businesses, PP 7/2021.
OMZET_BAND = (np.array([6e6, 2e9, 15e9]), np.array([2e9, 15e9, 50e9]))


def umkm(
    villages: pl.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
    per_1000: float = 14.0,
    bounds_desa: tuple[int, int] = (5, 40),
    bounds_kelurahan: tuple[int, int] = (15, 90),
) -> pl.DataFrame:
    """Businesses per village, one row per business-year while the business runs.

    Each village has a pool of businesses: those running in the first year, plus newcomers that
    open in later years; each closes with a small yearly hazard. Counts therefore rise a few
    percent a year. A business keeps its name, sector and scale across years; its turnover
    grows, and it may obtain a NIB (13 digits) at some point and keep it.
    """
    n = villages.height
    n_years = len(years)
    first_year = years[0]
    dev = villages["dev"].to_numpy()
    pop = villages["penduduk_base"].to_numpy()
    is_desa = villages["is_desa"].to_numpy()
    expected = pop / 1000 * per_1000 * np.exp(0.2 * dev)
    expected = np.where(
        is_desa,
        np.clip(expected, *bounds_desa),
        np.clip(expected * 1.5, *bounds_kelurahan),
    )
    start_count = rng.poisson(expected)
    newcomers = rng.poisson(expected * 0.09 * (n_years - 1))
    pool = start_count + newcomers
    owner = np.repeat(np.arange(n), pool)
    m = len(owner)
    # Position of each business within its village pool: the first start_count ones exist in
    # the first year; the rest open in a later year.
    offsets = np.cumsum(pool) - pool
    position = np.arange(m) - offsets[owner]
    opens = np.where(
        position < start_count[owner],
        first_year,
        first_year + 1 + rng.integers(0, max(n_years - 1, 1), m),
    )
    closes = opens + rng.geometric(0.04, m) - 1  # last year it runs

    sectors = list(UMKM_SECTORS)
    shares = np.array([UMKM_SECTORS[s][0] for s in sectors])
    sector = rng.choice(len(sectors), size=m, p=shares / shares.sum())
    prefix_pick = rng.integers(0, 1_000_000, m)
    root = rng.integers(0, len(UMKM_NAME_ROOTS), m)
    prefix = [
        UMKM_SECTORS[sectors[s]][1][k % len(UMKM_SECTORS[sectors[s]][1])]
        for s, k in zip(sector, prefix_pick, strict=True)
    ]
    names = pl.DataFrame(
        {
            "owner": owner,
            "name": [f"{p} {UMKM_NAME_ROOTS[r]}" for p, r in zip(prefix, root, strict=True)],
        }
    )
    # Two businesses of one village may draw the same name: number the repeats ("Toko Berkah 2").
    names = names.with_columns(pl.int_range(pl.len()).over("owner", "name").alias("rep"))
    names = names.with_columns(
        pl.when(pl.col("rep") == 0)
        .then(pl.col("name"))
        .otherwise(pl.format("{} {}", pl.col("name"), pl.col("rep") + 1))
    )["name"]

    u = rng.random(m) - 0.03 * np.where(is_desa[owner], 0.0, 1.0)  # towns: more larger firms
    skala = np.where(u < 0.01, 2, np.where(u < 0.08, 1, 0))
    workers_base = np.select(
        [skala == 0, skala == 1],
        [rng.integers(1, 5, m), rng.integers(5, 20, m)],
        rng.integers(20, 100, m),
    )
    omzet_base = np.select(
        [skala == 0, skala == 1],
        [np.exp(rng.normal(np.log(90e6), 0.8, m)), rng.uniform(2.0e9, 6e9, m)],
        rng.uniform(15e9, 30e9, m),
    )
    omzet_base = np.clip(omzet_base, OMZET_BAND[0][skala], OMZET_BAND[1][skala])
    omzet_growth = rng.normal(0.05, 0.05, m)
    # Year the business obtained its NIB (never for some); bigger firms register earlier.
    nib_year = np.rint(rng.normal(2024 - 2.0 * skala, 3.0, m))
    # Drawn from 8… or 9…: a NIB drawn from 62 8… reads as a mobile number, and
    # the privacy rule rightly rejects its file (it did so for 234 of 380 national UMKM files).
    nib = rng.integers(8 * 10**12, 10**13, m).astype(str)

    year = np.asarray(years)[None, :]
    running = (year >= opens[:, None]) & (year <= closes[:, None])
    rows_b, rows_y = np.nonzero(running)
    y = np.asarray(years)[rows_y]
    age = y - opens[rows_b]
    omzet = omzet_base[rows_b] * (1 + omzet_growth[rows_b]) ** age
    omzet = omzet * np.exp(rng.normal(0.0, 0.08, len(rows_b)))
    # Growth keeps a business within its scale's turnover band (PP 7/2021: mikro up to Rp 2
    # miliar, kecil to 15, menengah to 50): a 62,8 miliar "menengah" is no UMKM, and its digits
    # (628…) read as a mobile number, for which the privacy rule rejects the whole file.
    omzet = np.clip(omzet, OMZET_BAND[0][skala[rows_b]], OMZET_BAND[1][skala[rows_b]])
    workers = np.maximum(workers_base[rows_b] + rng.integers(-1, 2, len(rows_b)), 1)
    blank_workers = rng.random(len(rows_b)) < 0.03
    blank_omzet = rng.random(len(rows_b)) < 0.05
    has_nib = y >= nib_year[rows_b]

    frame = pl.DataFrame(
        {
            "kode_desa": villages["kode_desa"].gather(owner[rows_b]),
            "tahun": y.astype(np.int64),
            "nama_usaha": names.gather(rows_b),
            "sektor": pl.Series([sectors[k] for k in sector[rows_b]], dtype=pl.String),
            "skala": pl.Series(
                np.asarray(("mikro", "kecil", "menengah"), dtype=object)[skala[rows_b]],
                dtype=pl.String,
            ),
            "tenaga_kerja": pl.Series(np.where(blank_workers, -1, workers)),
            "omzet_tahunan": pl.Series(np.where(blank_omzet, -1, _sen(omzet))),
            "nib": pl.Series(np.where(has_nib, nib[rows_b], ""), dtype=pl.String),
        }
    )
    return frame.with_columns(
        pl.when(pl.col("tenaga_kerja") >= 0).then(pl.col("tenaga_kerja")),
        pl.when(pl.col("omzet_tahunan") >= 0).then(pl.col("omzet_tahunan")),
        pl.when(pl.col("nib") != "").then(pl.col("nib")),
    ).sort("kode_desa", "tahun", "nama_usaha")


def drop_gaps(
    frame: pl.DataFrame,
    rng: np.random.Generator,
    share: float = 0.03,
    keep_years: Sequence[int] = (),
) -> pl.DataFrame:
    """Remove 1-2 years of data for about `share` of the villages, as real reporting has gaps.

    Years in `keep_years` are never removed (the real IDM 2024 rows, for instance).
    """
    villages = frame["kode_desa"].unique().sort()
    years = sorted(set(frame["tahun"].unique().to_list()) - set(keep_years))
    if not years:
        return frame
    chosen = villages.filter(pl.Series(rng.random(villages.len()) < share))
    drops = []
    for code in chosen.to_list():
        k = min(int(rng.integers(1, 3)), len(years))
        drops += [(code, int(year)) for year in rng.choice(years, size=k, replace=False)]
    if not drops:
        return frame
    gaps = pl.DataFrame(drops, schema={"kode_desa": pl.String, "tahun": pl.Int64}, orient="row")
    return frame.join(gaps, on=["kode_desa", "tahun"], how="anti", maintain_order="left")
