"""A synthetic country for benchmarks: ~84,000 villages in 38 provinces, 2016-2025.

Nothing here is real except the 38 two-digit province codes (11 Aceh ... 96 Papua Barat Daya),
used so codes look familiar; every name and figure is synthetic. The region list follows the
Kemendagri code format `PP.KK.CC.VDDD` (kelurahan village part 1xxx, desa 2xxx; kota 71+), with
about 500 kab/kota, 7,200 kecamatan and 8 % kelurahan, and is written as a reference folder the
pipeline can be pointed at (DASBOR_REFERENCE_DIR=<dir>, DASBOR_PROVINSI=00):

- `wilayah_00.csv`: kode,tingkat,nama,kode_kab,kode_kec,jenis, like wilayah_62.csv, with one extra
  root row `00` (tingkat `nasional`) and 38 `provinsi` rows;
- `kode_bps_kemendagri_00.csv`: kode_bps,kode_kemendagri,nama_bps. The synthetic BPS codes
  number the kabupaten of each province in a different order than the Kemendagri codes, as real
  BPS codes do, so a crosswalk is needed.

The data files are plain UTF-8 comma CSV (the national scale tests volume, not forms), written
province by province so memory stays bounded (no more than one province's rows at a time):
`<dataset>/<dataset>_<PP>.csv` with all ten years, and `umkm/umkm_<PP>_<year>.csv` per year.
kemiskinan_kab holds each kab/kota and the province itself (kode_wilayah `PP`, level provinsi in
wilayah_00). There is no country-wide row: the pipeline takes kemiskinan_kab codes from the
kabupaten and provinsi levels of the reference, and `00` is neither.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample_data import forms, model

DEFAULT_VILLAGES = 84_000
DEFAULT_PROVINCES = 38
YEARS = tuple(range(2016, 2026))
ROOT = "00"
WILAYAH_COLUMNS = ("kode", "tingkat", "nama", "kode_kab", "kode_kec", "jenis")
# The 38 Kemendagri province codes (2022 onwards).
PROVINCE_CODES = (
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
    "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
)  # fmt: skip
VILLAGES_PER_KAB = 168  # 84,000 villages / ~500 kab/kota
# UMKM density for the national benchmark: about 4 million business-year rows in ten years.
UMKM_PER_1000 = 0.9
UMKM_BOUNDS_DESA = (1, 30)
UMKM_BOUNDS_KELURAHAN = (3, 80)

NAME_PREFIXES = (
    "Sungai", "Tanjung", "Muara", "Pulau", "Bukit", "Tumbang", "Kampung", "Sumber", "Teluk",
    "Padang", "Lubuk", "Karang", "Batu", "Air", "Suka", "Sido", "Mekar", "Cipta", "Tanah",
    "Pasir", "Talang", "Rantau", "Koto", "Nagari", "Gunung",
)  # fmt: skip
NAME_ROOTS = (
    "Raya", "Jaya", "Makmur", "Indah", "Baru", "Lama", "Harapan", "Sari", "Mulya", "Rejo",
    "Agung", "Asri", "Damai", "Permai", "Sejahtera", "Mukti", "Rahayu", "Subur", "Tengah",
    "Hilir", "Hulu", "Kencana", "Lestari", "Mandiri", "Merdeka", "Pratama", "Sentosa", "Utama",
    "Bahagia", "Bersatu", "Karya", "Maju", "Mekar", "Murni", "Pelita", "Setia", "Tunas", "Wangi",
    "Kembang", "Melati",
)  # fmt: skip
ROMAN = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")

STREAMS = {"region": 1, "province": 2, "gaps": 3}
DATASET_STREAMS = {
    "kemiskinan_desa": 1,
    "idm": 2,
    "dana_desa": 3,
    "profil_desa": 4,
    "bumdes": 5,
    "umkm": 6,
    "kemiskinan_kab": 7,
}


def synthetic_source(seed: int) -> str:
    return f"Data sintetis nasional – generator pipelines.sample_data, seed {seed}"


# --- the region list ---------------------------------------------------------------------------


def _names(rng: np.random.Generator, groups: np.ndarray) -> list[str]:
    """Random place names, unique within each group (kecamatan): repeats get II, III, ..."""
    n = len(groups)
    raw = pl.DataFrame(
        {
            "g": groups,
            "name": pl.Series(np.asarray(NAME_PREFIXES, dtype=object)[rng.integers(0, 25, n)])
            + " "
            + pl.Series(np.asarray(NAME_ROOTS, dtype=object)[rng.integers(0, 40, n)]),
        }
    )
    rep = raw.select(pl.int_range(pl.len()).over("g", "name").alias("rep"))["rep"].to_numpy()
    return [f"{a}{ROMAN[min(r, len(ROMAN) - 1)]}" for a, r in zip(raw["name"], rep, strict=True)]


def build_region(seed: int, villages: int, provinces: int) -> pl.DataFrame:
    """All rows of wilayah_00.csv, sorted by code."""
    if not 1 <= provinces <= len(PROVINCE_CODES):
        raise ValueError(f"provinces must be 1..{len(PROVINCE_CODES)}")
    rng = np.random.default_rng([seed, STREAMS["region"]])
    codes = PROVINCE_CODES[:provinces]
    # Codes leave room for 70 kabupaten (01-70) and 9 kota (71-79) per province; a larger
    # country gets more villages per kabupaten instead of more kabupaten.
    n_kab_total = min(max(provinces, round(villages / VILLAGES_PER_KAB)), 40 * provinces)
    kab_per_prov = 1 + model.apportion(
        n_kab_total - provinces, np.exp(rng.normal(0.0, 0.5, provinces))
    )
    kab_per_prov = np.minimum(kab_per_prov, 79)

    kab_rows: list[tuple[str, str]] = []  # (kode_kab, jenis)
    for prov, n_kab in zip(codes, kab_per_prov, strict=True):
        n_kota = min(int(rng.binomial(n_kab, 0.19)), max(int(n_kab) - 1, 0), 9)
        n_kabupaten = min(int(n_kab) - n_kota, 70)
        kab_rows += [(f"{prov}.{k:02d}", "kabupaten") for k in range(1, n_kabupaten + 1)]
        kab_rows += [(f"{prov}.{71 + k}", "kota") for k in range(n_kota)]

    is_kota = np.array([j == "kota" for _, j in kab_rows])
    n_kec = np.where(
        is_kota, 1 + rng.poisson(5, len(kab_rows)), 1 + rng.poisson(15.5, len(kab_rows))
    )
    n_kec = np.minimum(n_kec, np.where(is_kota, 15, 60))
    kec_kab = np.repeat(np.arange(len(kab_rows)), n_kec)
    kec_index = np.arange(len(kec_kab)) - np.repeat(np.cumsum(n_kec) - n_kec, n_kec)
    lam = max(villages / len(kec_kab) - 1, 0.5)
    n_vil = np.minimum(1 + rng.poisson(lam, len(kec_kab)), 999)
    vil_kec = np.repeat(np.arange(len(kec_kab)), n_vil)

    # Kelurahan: most villages of a kota, 30 % of a kabupaten's capital kecamatan (the first).
    kec_is_kota = is_kota[kec_kab]
    kec_is_capital = kec_index == 0
    p_kel = np.where(kec_is_kota, 0.8, np.where(kec_is_capital, 0.3, 0.004))
    is_kel = rng.random(len(vil_kec)) < p_kel[vil_kec]
    # Number villages within each kecamatan: kelurahan 1001.., desa 2001..
    frame = pl.DataFrame({"kec": vil_kec, "kel": is_kel})
    seq = frame.select((pl.int_range(pl.len()).over("kec", "kel") + 1).alias("seq"))["seq"]
    seq = seq.to_numpy()

    kab_code = np.array([c for c, _ in kab_rows], dtype=object)
    kec_code = np.array(
        [f"{kab_code[k]}.{i + 1:02d}" for k, i in zip(kec_kab, kec_index, strict=True)],
        dtype=object,
    )
    vil_code = [
        f"{kec_code[k]}.{1 if kel else 2}{s:03d}"
        for k, kel, s in zip(vil_kec, is_kel, seq, strict=True)
    ]
    kab_names = _names(rng, np.array([c[:2] for c in kab_code]))
    kab_names = [
        f"{'Kota' if j == 'kota' else 'Kabupaten'} {nm}"
        for (_, j), nm in zip(kab_rows, kab_names, strict=True)
    ]
    kec_names = _names(rng, kec_kab)
    vil_names = _names(rng, vil_kec)

    parts = [
        pl.DataFrame(
            {
                "kode": [ROOT, *codes],
                "tingkat": ["nasional", *(["provinsi"] * len(codes))],
                "nama": ["Indonesia (sintetis)", *(f"Provinsi Sintetis {c}" for c in codes)],
                "kode_kab": [None] * (len(codes) + 1),
                "kode_kec": [None] * (len(codes) + 1),
                "jenis": [None] * (len(codes) + 1),
            },
            schema=dict.fromkeys(WILAYAH_COLUMNS, pl.String),
        ),
        pl.DataFrame(
            {
                "kode": kab_code.tolist(),
                "tingkat": "kabupaten",
                "nama": kab_names,
                "kode_kab": kab_code.tolist(),
                "kode_kec": None,
                "jenis": [j for _, j in kab_rows],
            }
        ),
        pl.DataFrame(
            {
                "kode": kec_code.tolist(),
                "tingkat": "kecamatan",
                "nama": kec_names,
                "kode_kab": kab_code[kec_kab].tolist(),
                "kode_kec": kec_code.tolist(),
                "jenis": None,
            }
        ),
        pl.DataFrame(
            {
                "kode": vil_code,
                "tingkat": "desa",
                "nama": vil_names,
                "kode_kab": kab_code[kec_kab[vil_kec]].tolist(),
                "kode_kec": kec_code[vil_kec].tolist(),
                "jenis": np.where(is_kel, "kelurahan", "desa").tolist(),
            }
        ),
    ]
    return pl.concat(parts, how="vertical_relaxed").sort("kode")


def crosswalk(region: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Synthetic BPS codes: kabupaten renumbered in another order per province, kota kept 7x."""
    rng = np.random.default_rng([seed, STREAMS["region"], 1])
    rows = [("0000", ROOT, "INDONESIA (SINTETIS)")]
    provinces = region.filter(pl.col("tingkat") == "provinsi")["kode"].to_list()
    kabs = region.filter(pl.col("tingkat") == "kabupaten")
    for prov in provinces:
        rows.append((f"{prov}00", prov, f"PROVINSI SINTETIS {prov}"))
        of_prov = kabs.filter(pl.col("kode").str.starts_with(prov + "."))
        kabupaten = of_prov.filter(pl.col("jenis") == "kabupaten")
        order = rng.permutation(kabupaten.height)
        for bps_no, (code, name) in zip(
            order + 1, kabupaten.select("kode", "nama").iter_rows(), strict=True
        ):
            rows.append((f"{prov}{bps_no:02d}", code, name.removeprefix("Kabupaten ").upper()))
        for code, name in (
            of_prov.filter(pl.col("jenis") == "kota").select("kode", "nama").iter_rows()
        ):
            rows.append((code.replace(".", ""), code, name.upper()))
    return pl.DataFrame(rows, schema=["kode_bps", "kode_kemendagri", "nama_bps"], orient="row")


# --- villages and data per province -------------------------------------------------------------


def province_villages(
    region: pl.DataFrame, prov: str, rng: np.random.Generator
) -> tuple[pl.DataFrame, dict[str, float]]:
    """The province's villages with synthetic base values, and P0 (%) per kab in BASE_YEAR."""
    v = region.filter((pl.col("tingkat") == "desa") & pl.col("kode").str.starts_with(prov + "."))
    kab_codes = v["kode_kab"].unique().sort().to_list()
    n = v.height
    prov_effect = rng.normal(0.0, 0.5)
    kab_effect = dict(zip(kab_codes, rng.normal(0.0, 0.4, len(kab_codes)), strict=True))
    is_desa = (v["jenis"] == "desa").to_numpy()
    kab = v["kode_kab"].to_numpy()
    dev = (
        prov_effect
        + np.array([kab_effect[k] for k in kab])
        + rng.normal(0.0, 0.8, n)
        + np.where(is_desa, 0.0, 0.6)
    )
    penduduk = np.rint(
        np.where(
            is_desa,
            np.exp(rng.normal(np.log(2600), 0.7, n)),
            np.exp(rng.normal(np.log(8000), 0.6, n)),
        )
    ).astype(np.int64)
    comps = {}
    for name, mu in (("iks", 0.72), ("ike", 0.60), ("ikl", 0.72)):
        value = np.clip(mu + 0.09 * dev + rng.normal(0.0, 0.05, n), 0.1, 1.0)
        comps[f"{name}_base"] = np.where(is_desa, np.round(value, 4), np.nan)
    # Poorer provinces and kabupaten have a higher P0 (about 3-30 %).
    prov_p0 = np.exp(rng.normal(np.log(7.0), 0.4) - 0.3 * prov_effect)
    p0_by_kab = {
        k: float(np.clip(prov_p0 * np.exp(rng.normal(0, 0.3) - 0.3 * kab_effect[k]), 1.5, 40))
        for k in kab_codes
    }
    villages = pl.DataFrame(
        {
            "kode_desa": v["kode"],
            "kode_kab": v["kode_kab"],
            "kode_kec": v["kode_kec"],
            "nama_desa": v["nama"],
            "is_desa": is_desa,
            "dev": dev,
            "penduduk_base": penduduk,
            "hh_size": rng.uniform(3.2, 4.2, n),
            **{k: pl.Series(c).fill_nan(None) for k, c in comps.items()},
        }
    )
    miskin = model.calibrate_poverty(villages, p0_by_kab, rng)
    villages = villages.with_columns(pl.Series("miskin_base", miskin)).select(model.VILLAGE_COLUMNS)
    return villages, p0_by_kab


def kemiskinan_kab_rows(
    prov: str, villages: pl.DataFrame, p0_by_kab: dict[str, float], rng: np.random.Generator
) -> pl.DataFrame:
    """BPS-like P0 per kab per year, falling slowly, with number poor, poverty line, P1, P2;
    plus the province's own row per year (kode_wilayah PP), from the sums of its kab rows."""
    pop = villages.group_by("kode_kab").agg(pl.col("penduduk_base").sum()).sort("kode_kab")
    rows = []
    for kab, people in pop.iter_rows():
        decline = rng.normal(0.03, 0.01)
        price_level = rng.uniform(0.85, 1.2)  # the poverty line differs by area, not by year
        for year in YEARS:
            t = year - model.BASE_YEAR
            p0 = float(p0_by_kab[kab] * np.exp(-decline * t + rng.normal(0, 0.02)))
            rows.append(
                {
                    "kode_wilayah": kab,
                    "tahun": year,
                    "persentase_miskin": round(p0, 2),
                    "jumlah_miskin_ribu": round(p0 / 100 * people * 1.012**t / 1000, 3),
                    "garis_kemiskinan": int(560_000 * 1.05**t * price_level) * 100,
                    "p1": round(p0 * rng.uniform(0.14, 0.2), 3),
                    "p2": round(p0 * rng.uniform(0.03, 0.05), 3),
                    "penduduk": people * 1.012**t,
                }
            )
    kab = pl.DataFrame(rows)
    province = (
        kab.group_by("tahun")
        .agg(
            pl.col("jumlah_miskin_ribu").sum(),
            pl.col("penduduk").sum(),
            (pl.col("garis_kemiskinan") * pl.col("penduduk")).sum() / pl.col("penduduk").sum(),
        )
        .select(
            pl.lit(prov).alias("kode_wilayah"),
            "tahun",
            (100 * pl.col("jumlah_miskin_ribu") * 1000 / pl.col("penduduk"))
            .round(2)
            .alias("persentase_miskin"),
            pl.col("jumlah_miskin_ribu").round(3),
            ((pl.col("garis_kemiskinan") / 100).round(0) * 100).cast(pl.Int64),
        )
    )
    return pl.concat([kab.drop("penduduk"), province], how="diagonal_relaxed").sort(
        "kode_wilayah", "tahun"
    )


def _csv_frame(frame: pl.DataFrame, dataset: str) -> pl.DataFrame:
    """Canonical values to the text a plain UTF-8 CSV carries (same rules as forms.cell_text)."""
    kinds = forms.COLUMNS[dataset] | forms.PROVENANCE
    out = []
    for column in frame.columns:
        kind = kinds[column]
        c = pl.col(column)
        if kind == forms.RUPIAH:
            whole = (c.abs() // 100).cast(pl.String)
            cents = (c.abs() % 100).cast(pl.String).str.zfill(2)
            text = pl.when(c.abs() % 100 == 0).then(whole).otherwise(whole + "." + cents)
            out.append(pl.when(c < 0).then("-" + text).otherwise(text).alias(column))
        elif kind == forms.YESNO:
            out.append(pl.when(c).then(pl.lit("ya")).otherwise(pl.lit("tidak")).alias(column))
        else:
            out.append(c)
    return frame.select(out)


@dataclass
class WrittenFile:
    path: Path
    dataset: str
    rows: int


def _write(frame: pl.DataFrame, path: Path, dataset: str, source: str) -> WrittenFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = frame.with_columns(pl.lit(source).alias("sumber"), pl.lit(True).alias("sintetis"))
    columns = [c for c in (*forms.COLUMNS[dataset], *forms.PROVENANCE) if c in frame.columns]
    _csv_frame(frame.select(columns), dataset).write_csv(
        path, float_scientific=False, line_terminator="\n"
    )
    return WrittenFile(path, dataset, frame.height)


def _province_files(
    out: Path,
    region: pl.DataFrame,
    prov: str,
    seed: int,
    source: str,
) -> Iterator[WrittenFile]:
    """Generate and write one province, dataset by dataset."""
    code = int(prov)

    def rng(stream: str) -> np.random.Generator:
        return np.random.default_rng([seed, STREAMS["province"], code, DATASET_STREAMS[stream]])

    villages, p0_by_kab = province_villages(region, prov, np.random.default_rng([seed, 9, code]))

    def gaps(frame: pl.DataFrame, dataset: str) -> pl.DataFrame:
        stream = np.random.default_rng([seed, STREAMS["gaps"], code, DATASET_STREAMS[dataset]])
        return model.drop_gaps(frame, stream)

    kemiskinan = model.kemiskinan_desa(villages, YEARS, rng("kemiskinan_desa"))
    dana = model.dana_desa(villages, YEARS, rng("dana_desa"), kemiskinan).drop("nama_desa")
    yield _write(
        gaps(dana, "dana_desa"), out / "dana_desa" / f"dana_desa_{prov}.csv", "dana_desa", source
    )
    del dana
    yield _write(
        gaps(kemiskinan, "kemiskinan_desa"),
        out / "kemiskinan_desa" / f"kemiskinan_desa_{prov}.csv",
        "kemiskinan_desa",
        source,
    )
    del kemiskinan
    for dataset, make in (
        ("idm", model.idm),
        ("profil_desa", model.profil_desa),
        ("bumdes", model.bumdes),
    ):
        frame = make(villages, YEARS, rng(dataset))
        frame = gaps(frame.drop("nama_desa", strict=False), dataset)
        yield _write(frame, out / dataset / f"{dataset}_{prov}.csv", dataset, source)
    kab = kemiskinan_kab_rows(prov, villages, p0_by_kab, rng("kemiskinan_kab"))
    yield _write(
        kab, out / "kemiskinan_kab" / f"kemiskinan_kab_{prov}.csv", "kemiskinan_kab", source
    )
    umkm = gaps(
        model.umkm(
            villages,
            YEARS,
            rng("umkm"),
            per_1000=UMKM_PER_1000,
            bounds_desa=UMKM_BOUNDS_DESA,
            bounds_kelurahan=UMKM_BOUNDS_KELURAHAN,
        ),
        "umkm",
    )
    for year in YEARS:
        yield _write(
            umkm.filter(pl.col("tahun") == year),
            out / "umkm" / f"umkm_{prov}_{year}.csv",
            "umkm",
            source,
        )


def generate(
    out_dir: Path,
    seed: int = 2026,
    reference_dir: Path | None = None,
    villages: int = DEFAULT_VILLAGES,
    provinces: int = DEFAULT_PROVINCES,
) -> list[WrittenFile]:
    """Write the national reference and inbox; return the data files written."""
    out = Path(out_dir)
    ref_dir = Path(reference_dir) if reference_dir else out.resolve().parent / "reference_nasional"
    ref_dir.mkdir(parents=True, exist_ok=True)
    region = build_region(seed, villages, provinces)
    region.write_csv(ref_dir / f"wilayah_{ROOT}.csv", line_terminator="\n")
    crosswalk(region, seed).write_csv(
        ref_dir / f"kode_bps_kemendagri_{ROOT}.csv", line_terminator="\n"
    )

    source = synthetic_source(seed)
    written: list[WrittenFile] = []
    for prov in region.filter(pl.col("tingkat") == "provinsi")["kode"].to_list():
        written.extend(_province_files(out, region, prov, seed, source))
    return written


def describe() -> str:
    """The files the national scale writes (patterns; PP = province code)."""
    return "\n".join(
        [
            "| berkas | bentuk | asal |",
            "| --- | --- | --- |",
            "| <reference-dir>/wilayah_00.csv | CSV UTF-8 koma | sintetis (daftar wilayah) |",
            "| <reference-dir>/kode_bps_kemendagri_00.csv | CSV UTF-8 koma | sintetis (crosswalk) |",
            *(
                f"| {d}/{d}_<PP>.csv | CSV UTF-8 koma, {len(YEARS)} tahun | sintetis |"
                for d in (
                    "dana_desa",
                    "bumdes",
                    "kemiskinan_desa",
                    "kemiskinan_kab",
                    "idm",
                    "profil_desa",
                )
            ),
            "| umkm/umkm_<PP>_<tahun>.csv | CSV UTF-8 koma, satu tahun | sintetis |",
        ]
    )
