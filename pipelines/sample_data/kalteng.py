"""Sample inbox for Kalimantan Tengah: real reference figures first, synthetic figures around them.

Real (provenance `sintetis` = tidak, `sumber` names the source), from data/reference:
- idm: the official IDM 2024 scores of all 1,432 desa, copied as published (also the row
  62.13.06.2003 whose status disagrees with its score; the pipeline reports it as a warning);
- kemiskinan_kab: BPS P0 per kab/kota 2015-2018 written with BPS codes (so the crosswalk is
  exercised), the province's figures per year (March where a year has two semesters), and the
  scattered later kab/kota figures from secondary sources, written by name.

Synthetic (`sintetis` = ya) on the real village codes, 2021-2025: dana_desa, bumdes, umkm,
kemiskinan_desa, profil_desa, and idm for the years other than 2024; program_kegiatan, the
agency's activities, on the real urusan 2.13 nomenclature (pipelines.sample_data.program). Per-desa population is
scaled to the real Dukcapil total of each kabupaten (December 2024), poverty to the latest real
P0 of each kabupaten, and every village's development factor is seeded from its real IDM 2024
score, so the synthetic indicators agree with the real ones (see pipelines.sample_data.model).

The files come in the forms data officers really send (pipelines.sample_data.forms), split per
kabupaten and/or year so that no (dataset, kode_kab, tahun) slice is in two files. `describe()`
lists every file.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from rapidfuzz import fuzz

from pipelines.sample_data import forms, model, program
from pipelines.sample_data.forms import Form
from pipelines.settings import REPO_ROOT

DEFAULT_REFERENCE_DIR = REPO_ROOT / "data" / "reference"
YEARS = (2021, 2022, 2023, 2024, 2025)
IDM_REAL_YEAR = 2024
INDEKS_DESA_YEARS = (2024, 2025)  # Indeks Desa replaced IDM from 2024 (synthetic here)
PROVINSI = "62"

# Special files, named in the brief and in describe().
LATE_KAB, LATE_YEAR = "62.07", 2025  # Seruyan's 2025 Dana Desa arrives late, in its own file
PER_YEAR_KAB = "62.03"  # Kapuas sends Dana Desa one file per year
NAMES_ONLY_KAB, NAMES_ONLY_YEAR = "62.05", 2023  # Barito Utara's kemiskinan_desa, by name only
N_MISSPELLINGS = 5

# Kind of every column any file may carry.
KINDS = {k: v for cols in forms.COLUMNS.values() for k, v in cols.items()}
KINDS |= forms.PROVENANCE | forms.NAME_COLUMNS

# One random stream per purpose, so adding a dataset never changes another's numbers.
STREAMS = {
    "villages": 1,
    "kemiskinan_desa": 2,
    "idm": 3,
    "dana_desa": 4,
    "profil_desa": 5,
    "bumdes": 6,
    "umkm": 7,
    "names": 8,
    "indeks_desa": 9,
    "program_kegiatan": 10,
    "gaps": 100,
}

# Forms rotate over kabupaten (and years), with a different start per dataset, so every
# dataset meets every form.
ROTATION = (
    forms.PLAIN,
    forms.ID_RP,
    forms.XLSX_TEXT,
    forms.PLAIN_BOM,
    forms.ID_PLAIN,
    forms.XLSX_NUMBER,
    forms.PLAIN_10,
)


def synthetic_source(seed: int) -> str:
    # The en dash is deliberate: in the Windows-1252 files it is byte 0x96, which is not valid
    # UTF-8, so those files really need the Windows-1252 fallback.
    return f"Data sintetis – generator pipelines.sample_data, seed {seed}"


IDM_SOURCE = (
    "Kemendesa PDTT, Indeks Desa Membangun 2024 hasil pemutakhiran (data.go.id); "
    "via kristonova/Visualisasi-Indeks-Desa-Membangun--IDM--2024 data/idm/prov/62.json"
)


# --- reference ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    wilayah: pl.DataFrame
    idm: pl.DataFrame
    bps: pl.DataFrame
    bps_sekunder: pl.DataFrame
    bps_2019_2025: pl.DataFrame  # BPS March P0 2019-2025 (SOURCES.md 3c): real, with gaps
    penduduk: pl.DataFrame
    crosswalk: pl.DataFrame

    @property
    def villages(self) -> pl.DataFrame:
        return self.wilayah.filter(pl.col("tingkat") == "desa").sort("kode")

    @property
    def kabupaten(self) -> pl.DataFrame:
        return self.wilayah.filter(pl.col("tingkat") == "kabupaten").sort("kode")

    def kecamatan_names(self) -> dict[str, str]:
        kec = self.wilayah.filter(pl.col("tingkat") == "kecamatan")
        return dict(zip(kec["kode"], kec["nama"], strict=True))


def load_reference(reference_dir: Path | None = None) -> Reference:
    ref = Path(reference_dir or DEFAULT_REFERENCE_DIR)

    def read(name: str) -> pl.DataFrame:
        # Every column as text: codes such as 62.10 must never become numbers.
        return pl.read_csv(ref / name, infer_schema=False)

    return Reference(
        wilayah=read(f"wilayah_{PROVINSI}.csv"),
        idm=read("idm_2024_kalteng.csv"),
        bps=read("bps_kemiskinan_kalteng.csv"),
        bps_sekunder=read("bps_kemiskinan_kalteng_sekunder.csv"),
        bps_2019_2025=read("bps_kemiskinan_kalteng_2019_2025.csv"),
        penduduk=read("kab_penduduk_luas_kalteng.csv"),
        crosswalk=read(f"kode_bps_kemendagri_{PROVINSI}.csv"),
    )


def latest_p0(ref: Reference) -> dict[str, float]:
    """The most recent real P0 of each kab/kota (2018 from BPS, later secondary where known)."""
    rows = [
        (r["kode_wilayah"], int(r["tahun"]), float(r["persentase_miskin"]))
        for r in ref.bps.iter_rows(named=True)
    ]
    sek = ref.bps_sekunder.filter(
        (pl.col("indikator") == "p0_persen") & (pl.col("kode_kab") != PROVINSI)
    )
    rows += [(r["kode_kab"], int(r["tahun"]), float(r["nilai"])) for r in sek.iter_rows(named=True)]
    rows += [
        (r["kode_wilayah"], int(r["tahun"]), float(r["persentase_miskin"]))
        for r in ref.bps_2019_2025.filter(pl.col("kode_wilayah") != PROVINSI).iter_rows(named=True)
    ]
    latest: dict[str, tuple[int, float]] = {}
    for kab, year, p0 in rows:
        if kab not in latest or year > latest[kab][0]:
            latest[kab] = (year, p0)
    return {kab: p0 for kab, (_, p0) in latest.items()}


def build_villages(ref: Reference, rng: np.random.Generator) -> pl.DataFrame:
    """The 1,571 real villages with their synthetic base values (model.VILLAGE_COLUMNS)."""
    v = ref.villages.join(
        ref.idm.select(
            pl.col("kode"),
            pl.col("iks_2024").cast(pl.Float64).alias("iks_base"),
            pl.col("ike_2024").cast(pl.Float64).alias("ike_base"),
            pl.col("ikl_2024").cast(pl.Float64).alias("ikl_base"),
            pl.col("nilai_idm_2024").cast(pl.Float64).alias("score"),
        ),
        on="kode",
        how="left",
        maintain_order="left",
    )
    n = v.height
    is_desa = (v["jenis"] == "desa").to_numpy()
    score = v["score"].to_numpy()
    # Development factor: the standardised real IDM score plus some noise for desa; kelurahan
    # (not scored by IDM) are towns, on average better off.
    desa_scores = score[is_desa]
    z = (score - np.nanmean(desa_scores)) / np.nanstd(desa_scores)
    dev = np.where(
        is_desa, 0.9 * np.nan_to_num(z) + rng.normal(0, 0.35, n), rng.normal(0.7, 0.6, n)
    )

    # Population: the real kabupaten total (Dukcapil, Dec 2024) split over its villages; towns
    # are larger than villages.
    weights = np.exp(rng.normal(0.0, 0.6, n)) * np.where(is_desa, 1.0, 3.5)
    kab = v["kode_kab"].to_numpy()
    totals = dict(
        zip(ref.penduduk["kode"], ref.penduduk["penduduk_total"].cast(pl.Int64), strict=True)
    )
    penduduk = np.zeros(n, dtype=np.int64)
    for code in np.unique(kab):
        mask = kab == code
        penduduk[mask] = model.apportion(int(totals[str(code)]), weights[mask])

    villages = pl.DataFrame(
        {
            "kode_desa": v["kode"],
            "kode_kab": v["kode_kab"],
            "kode_kec": v["kode_kec"],
            "nama_desa": v["nama"],
            "is_desa": is_desa,
            "dev": dev,
            "penduduk_base": penduduk,
            "hh_size": rng.uniform(3.2, 3.9, n),
            "iks_base": v["iks_base"],
            "ike_base": v["ike_base"],
            "ikl_base": v["ikl_base"],
        }
    )
    miskin = model.calibrate_poverty(villages, latest_p0(ref), rng)
    return villages.with_columns(pl.Series("miskin_base", miskin)).select(model.VILLAGE_COLUMNS)


# --- real data as inbox rows -------------------------------------------------------------------


def idm_2024_rows(ref: Reference) -> pl.DataFrame:
    """The official IDM 2024 rows, values and status text exactly as published."""
    return ref.idm.select(
        pl.col("kode").alias("kode_desa"),
        pl.lit(IDM_REAL_YEAR, dtype=pl.Int64).alias("tahun"),
        pl.col("iks_2024").cast(pl.Float64).alias("iks"),
        pl.col("ike_2024").cast(pl.Float64).alias("ike"),
        pl.col("ikl_2024").cast(pl.Float64).alias("ikl"),
        pl.col("nilai_idm_2024").cast(pl.Float64).alias("nilai_idm"),
        pl.col("status_idm_2024").alias("status_idm"),
        pl.lit(IDM_SOURCE).alias("sumber"),
        pl.lit(False).alias("sintetis"),
    ).sort("kode_desa")


def kemiskinan_kab_bps_rows(ref: Reference) -> pl.DataFrame:
    """BPS P0 per kab/kota 2015-2018, keyed by the BPS code (6209 = Katingan)."""
    return (
        ref.bps.filter(pl.col("tahun").cast(pl.Int64) >= 2015)
        .select(
            pl.col("kode_bps"),
            pl.col("tahun").cast(pl.Int64),
            pl.col("persentase_miskin").cast(pl.Float64),
            pl.format(
                "BPS, persentase penduduk miskin kab/kota; kompilasi {}", pl.col("sumber")
            ).alias("sumber"),
            pl.lit(False).alias("sintetis"),
        )
        .sort("kode_bps", "tahun")
    )


def _indicator_values(rows: pl.DataFrame) -> dict[str, float | int | None]:
    values: dict[str, float | int | None] = {}
    for r in rows.iter_rows(named=True):
        values[r["indikator"]] = float(r["nilai"])
    ribu = values.get("jumlah_miskin_ribu")
    if ribu is None and values.get("jumlah_miskin_orang") is not None:
        ribu = round(float(values["jumlah_miskin_orang"]) / 1000, 3)
    gk = values.get("garis_kemiskinan_rp_kapita_bulan")
    return {
        "persentase_miskin": values["p0_persen"],
        "jumlah_miskin_ribu": ribu,
        "garis_kemiskinan": None if gk is None else round(gk) * 100,  # sen
        "p1": values.get("p1_indeks_kedalaman"),
        "p2": values.get("p2_indeks_keparahan"),
    }


def _sources(rows: pl.DataFrame) -> str:
    pairs = sorted({(r["jenis_sumber"], r["sumber_url"]) for r in rows.iter_rows(named=True)})
    return " | ".join(f"{jenis}: {url}" for jenis, url in pairs)


BPS_2019_2025_FROM = 2019  # from this year the 3c file is the source, gaps kept as gaps


def kemiskinan_kab_2019_2025_rows(ref: Reference, provinsi: bool) -> pl.DataFrame:
    """BPS March P0 2019-2025 as published (SOURCES.md 3c): the province's or the kab/kota's
    rows, each with its own sources; an area-year the file lacks stays missing."""
    rows = ref.bps_2019_2025.filter((pl.col("kode_wilayah") == PROVINSI) == provinsi)
    numbers = ["persentase_miskin", "jumlah_miskin_ribu", "p1", "p2"]
    return rows.select(
        "kode_wilayah",
        "nama_wilayah",
        pl.col("tahun").cast(pl.Int64),
        *[pl.col(c).cast(pl.Float64) for c in numbers],
        # Rupiah columns are canonical sen (model.py).
        (pl.col("garis_kemiskinan").cast(pl.Int64) * 100).alias("garis_kemiskinan"),
        pl.format("BPS, Maret {}; {}", pl.col("tahun"), pl.col("sumber")).alias("sumber"),
        pl.lit(False).alias("sintetis"),
    )


def kemiskinan_kab_provinsi_rows(ref: Reference) -> pl.DataFrame:
    """Province-level figures (kode_wilayah 62): 2015-2018 from the compiled series (March
    where there are two), then the 3c file."""
    prov = ref.bps_sekunder.filter(
        (pl.col("kode_kab") == PROVINSI)
        & pl.col("tahun").cast(pl.Int64).is_between(2015, BPS_2019_2025_FROM - 1)
    )
    out = []
    for year in sorted({int(y) for y in prov["tahun"]}):
        of_year = prov.filter(pl.col("tahun").cast(pl.Int64) == year)
        periods = sorted(
            set(of_year.filter(pl.col("indikator") == "p0_persen")["periode"].to_list())
        )
        if not periods:
            continue
        # Prefer the March (Maret) survey round, the one BPS kab/kota tables also use.
        periode = next((p for p in periods if p.startswith("Maret")), periods[0])
        rows = of_year.filter(pl.col("periode") == periode)
        semester = "Maret" if periode.startswith("Maret") else "September (tidak ada angka Maret)"
        out.append(
            {
                "kode_wilayah": PROVINSI,
                "tahun": year,
                **_indicator_values(rows),
                "sumber": f"BPS, Provinsi Kalimantan Tengah, {periode} [{semester}]; "
                + _sources(rows),
                "sintetis": False,
            }
        )
    later = kemiskinan_kab_2019_2025_rows(ref, provinsi=True).drop("nama_wilayah")
    return pl.concat([pl.DataFrame(out), later], how="diagonal_relaxed")


# --- the file plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleFile:
    """One file of the sample inbox: where it goes, its form, and which rows it holds."""

    path: str  # relative to the output directory: <dataset>/<file>
    dataset: str
    form: Form
    real: bool
    note: str
    kabs: tuple[str, ...] = ()  # kode_kab of the rows (village datasets)
    years: tuple[int, ...] = ()
    table: str = ""  # the frame to take rows from, when not the dataset's own
    names_only: bool = False
    columns: tuple[str, ...] = field(default=(), compare=False)


def _slug(name: str) -> str:
    name = re.sub(r"^(Kabupaten|Kota) ", "", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _span(years: Sequence[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _ext(form: Form) -> str:
    return "xlsx" if form.excel else "csv"


def file_plan(ref: Reference) -> list[SampleFile]:
    """Every file of the Kalimantan Tengah sample, in a fixed order."""
    kab = ref.kabupaten
    kabs = list(zip(kab["kode"], kab["nama"], strict=True))
    # Kota Palangkaraya has only kelurahan: no rows in the desa-only datasets.
    desa_counts = ref.villages.filter(pl.col("jenis") == "desa").group_by("kode_kab").len()
    kabs_with_desa = {str(k) for k in desa_counts["kode_kab"]}
    plan: list[SampleFile] = []

    def rotate(i: int, offset: int) -> Form:
        return ROTATION[(i + offset) % len(ROTATION)]

    # Village datasets sent by each kabupaten, one file for all years (two exceptions).
    # (umkm's offset keeps its biggest kabupaten out of Excel, the slowest form to write.)
    for dataset, offset in (("dana_desa", 0), ("bumdes", 2), ("umkm", 5)):
        desa_only = dataset != "umkm"
        listed = [(c, n) for c, n in kabs if not desa_only or c in kabs_with_desa]
        for i, (code, name) in enumerate(listed):
            form = rotate(i, offset)
            stem = f"{dataset}_{code}_{_slug(name)}"
            if dataset == "dana_desa" and code == PER_YEAR_KAB:
                plan += [
                    SampleFile(
                        f"{dataset}/{stem}_{year}.{_ext(form)}",
                        dataset,
                        form,
                        False,
                        "satu berkas per tahun",
                        (code,),
                        (year,),
                    )
                    for year in YEARS
                ]
                continue
            years = YEARS
            if dataset == "dana_desa" and code == LATE_KAB:
                years = tuple(y for y in YEARS if y != LATE_YEAR)
            plan.append(
                SampleFile(
                    f"{dataset}/{stem}_{_span(years)}.{_ext(form)}",
                    dataset,
                    form,
                    False,
                    "per kabupaten, semua tahun",
                    (code,),
                    years,
                )
            )
            if dataset == "dana_desa" and code == LATE_KAB:
                plan.append(
                    SampleFile(
                        f"{dataset}/{LATE_YEAR}_{LATE_KAB}_susulan.csv",
                        dataset,
                        forms.ID_RP,
                        False,
                        f"kiriman susulan (terlambat): {name} tahun {LATE_YEAR}",
                        (code,),
                        (LATE_YEAR,),
                    )
                )

    all_kabs = tuple(c for c, _ in kabs)
    desa_kabs = tuple(c for c in all_kabs if c in kabs_with_desa)
    # Indeks Desa: the official recap layout for 2024, an officer's semicolon CSV for 2025.
    for year, form, note in (
        (2024, forms.XLSX_RECAP, "bentuk rekap resmi (singkatan DLD, DS, DE, DL, DA, DTKPD)"),
        (2025, forms.ID_PLAIN, "CSV titik koma dengan koma desimal"),
    ):
        plan.append(
            SampleFile(
                f"indeks_desa/indeks_desa_{year}_{PROVINSI}.{_ext(form)}",
                "indeks_desa",
                form,
                False,
                note,
                desa_kabs,
                (year,),
            )
        )
    # Province-wide files, one per year.
    for dataset, offset in (("kemiskinan_desa", 1), ("profil_desa", 3), ("idm", 5)):
        for i, year in enumerate(YEARS):
            if dataset == "idm" and year == IDM_REAL_YEAR:
                plan.append(
                    SampleFile(
                        f"idm/idm_{year}_kemendesa_{PROVINSI}.xlsx",
                        "idm",
                        forms.XLSX_REAL_IDM,
                        True,
                        "IDM 2024 resmi (Kemendesa PDTT), kode desa sebagai angka",
                        desa_kabs,
                        (year,),
                    )
                )
                continue
            form = rotate(i, offset)
            plan_kabs = desa_kabs if dataset != "kemiskinan_desa" else all_kabs
            note = "seluruh provinsi, satu tahun"
            if dataset == "kemiskinan_desa" and year == NAMES_ONLY_YEAR:
                plan_kabs = tuple(c for c in plan_kabs if c != NAMES_ONLY_KAB)
                note += f" (tanpa {NAMES_ONLY_KAB}: dikirim terpisah, hanya nama)"
            plan.append(
                SampleFile(
                    f"{dataset}/{dataset}_{PROVINSI}_{year}.{_ext(form)}",
                    dataset,
                    form,
                    False,
                    note,
                    plan_kabs,
                    (year,),
                )
            )
            if dataset == "kemiskinan_desa" and year == NAMES_ONLY_YEAR:
                name = dict(kabs)[NAMES_ONLY_KAB]
                plan.append(
                    SampleFile(
                        f"kemiskinan_desa/kemiskinan_desa_{NAMES_ONLY_KAB}_{_slug(name)}"
                        f"_{year}_tanpa_kode.csv",
                        "kemiskinan_desa",
                        forms.PLAIN,
                        False,
                        "hanya nama (tanpa kode_desa): nama_kabupaten, nama_kecamatan, "
                        "nama_desa; beberapa salah ketik dan awalan 'Desa'/'Kelurahan'",
                        (NAMES_ONLY_KAB,),
                        (year,),
                        names_only=True,
                    )
                )

    plan += [
        SampleFile(
            "kemiskinan_kab/bps_p0_kabkota_2015-2018_kode_bps.csv",
            "kemiskinan_kab",
            forms.PLAIN,
            True,
            "BPS P0 per kab/kota dengan KODE BPS (6209 = Katingan): lewat crosswalk",
            table="kab_bps",
            columns=("kode_bps", "tahun", "persentase_miskin"),
        ),
        SampleFile(
            "kemiskinan_kab/bps_provinsi_62_2015-2025.xlsx",
            "kemiskinan_kab",
            forms.XLSX_TEXT,
            True,
            "angka provinsi (kode_wilayah 62); Maret bila ada dua semester",
            table="kab_provinsi",
            columns=(
                "kode_wilayah",
                "tahun",
                "persentase_miskin",
                "jumlah_miskin_ribu",
                "garis_kemiskinan",
                "p1",
                "p2",
            ),
        ),
        SampleFile(
            "kemiskinan_kab/bps_p0_kabkota_2019-2025_nama.csv",
            "kemiskinan_kab",
            forms.ID_PLAIN,
            True,
            "BPS P0 Maret kab/kota 2019-2025 (sebagian; celah dibiarkan), wilayah ditulis dengan NAMA",
            table="kab_2019_2025",
            columns=(
                "nama_wilayah",
                "tahun",
                "persentase_miskin",
                "jumlah_miskin_ribu",
                "garis_kemiskinan",
                "p1",
                "p2",
            ),
        ),
        SampleFile(
            "program_kegiatan/program_kegiatan_62_2021-2025.xlsx",
            "program_kegiatan",
            forms.XLSX_TEXT,
            False,
            "kegiatan Dinas PMD provinsi (62) dan 14 kab/kota; kode dan nama nomenklatur "
            "urusan 2.13 nyata, angka sintetis",
            table="program_kegiatan",
        ),
    ]
    return plan


# --- generation --------------------------------------------------------------------------------


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS[stream]])


def build_frames(ref: Reference, seed: int) -> dict[str, pl.DataFrame]:
    """Every table the files are cut from, with provenance columns and kode_kab."""
    villages = build_villages(ref, _rng(seed, "villages"))
    source = synthetic_source(seed)
    kemiskinan = model.kemiskinan_desa(villages, YEARS, _rng(seed, "kemiskinan_desa"))
    synthetic_years = [y for y in YEARS if y != IDM_REAL_YEAR]
    frames = {
        "kemiskinan_desa": kemiskinan,
        "dana_desa": model.dana_desa(villages, YEARS, _rng(seed, "dana_desa"), kemiskinan),
        "profil_desa": model.profil_desa(villages, YEARS, _rng(seed, "profil_desa")),
        "bumdes": model.bumdes(villages, YEARS, _rng(seed, "bumdes")),
        "umkm": model.umkm(villages, YEARS, _rng(seed, "umkm")),
        "idm": model.idm(villages, synthetic_years, _rng(seed, "idm")),
        "indeks_desa": model.indeks_desa(villages, INDEKS_DESA_YEARS, _rng(seed, "indeks_desa")),
    }
    names = villages.select("kode_desa", "nama_desa")
    for dataset in sorted(frames):
        gaps = np.random.default_rng([seed, STREAMS["gaps"], STREAMS[dataset]])
        # The real IDM 2024 rows are added after this, so they never get gaps.
        frame = model.drop_gaps(frames[dataset], gaps)
        frame = frame.with_columns(pl.lit(source).alias("sumber"), pl.lit(True).alias("sintetis"))
        if "nama_desa" in forms.COLUMNS[dataset] and "nama_desa" not in frame.columns:
            frame = frame.join(names, on="kode_desa", how="left", maintain_order="left")
        frames[dataset] = frame
    frames["idm"] = pl.concat([frames["idm"], idm_2024_rows(ref)], how="diagonal_relaxed").sort(
        "kode_desa", "tahun"
    )
    for dataset in list(frames):
        frames[dataset] = frames[dataset].with_columns(
            pl.col("kode_desa").str.slice(0, 5).alias("kode_kab")
        )
    per_kab = villages.group_by("kode_kab").agg(pl.col("dev").mean(), pl.len().alias("desa"))
    frames["program_kegiatan"] = program.activities(
        per_kab, YEARS, _rng(seed, "program_kegiatan"), PROVINSI
    ).with_columns(
        pl.col("kode_wilayah").alias("kode_kab"),
        pl.lit(source).alias("sumber"),
        pl.lit(True).alias("sintetis"),
    )
    frames["kab_bps"] = kemiskinan_kab_bps_rows(ref)
    frames["kab_provinsi"] = kemiskinan_kab_provinsi_rows(ref)
    frames["kab_2019_2025"] = kemiskinan_kab_2019_2025_rows(ref, provinsi=False)
    return frames


def _misspell(name: str, rng: np.random.Generator) -> str:
    """One small typing slip inside the name's longest word (never its first letter)."""
    words = name.split(" ")
    w = max(range(len(words)), key=lambda k: (len(words[k]), -k))
    word = words[w]
    i = int(rng.integers(1, len(word) - 1))
    op = int(rng.integers(0, 3))
    if op == 0:  # letter dropped
        word = word[:i] + word[i + 1 :]
    elif op == 1:  # letter doubled
        word = word[:i] + word[i] + word[i:]
    else:  # neighbours swapped
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    words[w] = word
    return " ".join(words)


# Names ending in a numeral (Montallat I / Montallat II, Pangkalan Satu) are never misspelled:
# a slip there would make them ambiguous or, worse, another village.
_NUMERAL_END = re.compile(r"\b([IVX]+|\d+|Satu|Dua|Tiga|Empat|Lima)$", re.IGNORECASE)


# A misspelled name must stay clearly closest to its own village under every usual scorer,
# whichever one the pipeline's name matcher uses.
_SCORERS = (fuzz.ratio, fuzz.WRatio, fuzz.token_sort_ratio, fuzz.token_set_ratio)


def _letters(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _clearly_closest(written: str, true: str, names: Sequence[str], margin: float = 10) -> bool:
    # "Small": at least 90 on the plain letters (a matcher may ignore spaces and case), which
    # also keeps two-edit slips out of short names.
    if fuzz.ratio(_letters(written), _letters(true)) < 90:
        return False
    for scorer in _SCORERS:
        own = scorer(written.lower(), true.lower())
        other = max(scorer(written.lower(), o.lower()) for o in names if o != true)
        if own < 80 or own - other < margin:
            return False
    return True


def names_only_rows(
    rows: pl.DataFrame, ref: Reference, rng: np.random.Generator
) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """Replace kode_desa by nama_kabupaten, nama_kecamatan, nama_desa, as a name list would.

    Returns the rows and the (true name, written name) pairs that were misspelled. A slip is
    kept only when the slipped name stays clearly closest to its own village among all names
    of the kabupaten, so the file remains unambiguous.
    """
    villages = ref.villages.filter(pl.col("kode_kab") == NAMES_ONLY_KAB)
    dup = villages.group_by("kode_kec", "nama").len().filter(pl.col("len") > 1)
    if dup.height:  # the spec's name matching needs names unique within their kecamatan
        raise ValueError(f"names not unique within kecamatan: {dup.to_dicts()}")
    all_names = villages["nama"].to_list()
    kab_name = ref.kabupaten.filter(pl.col("kode") == NAMES_ONLY_KAB)["nama"][0]
    kec_names = ref.kecamatan_names()
    info = dict(
        zip(villages["kode"], zip(villages["nama"], villages["jenis"], strict=True), strict=True)
    )

    codes = rows["kode_desa"].to_list()
    eligible = [
        c
        for c in codes
        if info[c][1] == "desa" and not _NUMERAL_END.search(info[c][0]) and len(info[c][0]) >= 6
    ]
    province_names = {n.lower() for n in ref.villages["nama"].to_list()}
    slips: dict[str, str] = {}
    for c in rng.permutation(np.array(eligible, dtype=object)):
        if len(slips) == N_MISSPELLINGS:
            break
        true = info[c][0]
        slipped = _misspell(true, rng)
        if slipped.lower() in province_names or not _clearly_closest(slipped, true, all_names):
            continue
        slips[str(c)] = slipped

    nama_desa = []
    for i, c in enumerate(codes):
        name, jenis = info[c]
        written = slips.get(c, name)
        if jenis == "kelurahan" and i % 2 == 0:
            written = f"Kelurahan {written}"
        elif jenis == "desa" and i % 3 == 0:
            written = f"Desa {written}"
        nama_desa.append(written)
    out = rows.with_columns(
        pl.lit(kab_name.replace("Kabupaten ", "Kab. ")).alias("nama_kabupaten"),
        pl.Series("nama_kecamatan", [kec_names[c[:8]].upper() for c in codes]),
        pl.Series("nama_desa", nama_desa),
    )
    return out, sorted((info[c][0], s) for c, s in slips.items())


@dataclass
class WrittenFile:
    path: Path
    spec: SampleFile
    rows: int


def _rows_for(spec: SampleFile, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    if spec.table:
        return frames[spec.table]
    frame = frames[spec.dataset]
    return frame.filter(pl.col("kode_kab").is_in(spec.kabs) & pl.col("tahun").is_in(spec.years))


def _columns_for(spec: SampleFile, frame: pl.DataFrame) -> list[str]:
    if spec.columns:
        data_columns = list(spec.columns)
    else:
        data_columns = [c for c in forms.COLUMNS[spec.dataset] if c in frame.columns]
        if spec.form.header == "snake" and "nama_desa" in data_columns:
            data_columns.remove("nama_desa")  # officers' own spreadsheets carry names; exports not
        if spec.names_only:
            data_columns = [
                *forms.NAME_COLUMNS,
                *(c for c in data_columns if c not in ("kode_desa", "nama_desa")),
            ]
    return [*data_columns, *forms.PROVENANCE]


def generate(
    out_dir: Path,
    seed: int = 2026,
    reference_dir: Path | None = None,
    datasets: Sequence[str] | None = None,
) -> list[WrittenFile]:
    """Write the Kalimantan Tengah sample inbox under out_dir/<dataset>/; return what was written.

    `datasets` limits the files written (all by default); the numbers do not depend on it.
    """
    ref = load_reference(reference_dir)
    frames = build_frames(ref, seed)
    written = []
    for spec in file_plan(ref):
        if datasets is not None and spec.dataset not in datasets:
            continue
        frame = _rows_for(spec, frames)
        if spec.names_only:
            frame, _ = names_only_rows(frame, ref, _rng(seed, "names"))
        columns = _columns_for(spec, frame)
        path = Path(out_dir) / spec.path
        n = forms.write_table(path, columns, KINDS, frame.select(columns).iter_rows(), spec.form)
        written.append(WrittenFile(path, spec, n))
    return written


def describe(reference_dir: Path | None = None) -> str:
    """A table of every file the Kalimantan Tengah sample writes: path, form, real/synthetic."""
    lines = ["| berkas | bentuk | asal | keterangan |", "| --- | --- | --- | --- |"]
    for spec in file_plan(load_reference(reference_dir)):
        origin = "NYATA" if spec.real else "sintetis"
        columns = spec.columns or tuple(forms.COLUMNS[spec.dataset])
        kinds = {c: KINDS[c] for c in columns if not (spec.names_only and c == "kode_desa")}
        lines.append(f"| {spec.path} | {spec.form.label(kinds)} | {origin} | {spec.note} |")
    return "\n".join(lines)
