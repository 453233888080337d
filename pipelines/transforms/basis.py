"""The village-year basis: one row per village of the reference list and year, every KPI input.

Every KPI of the catalogue is an expression over these columns, so this is the only place that
knows how the datasets join. Villages without a row in a dataset keep NULL inputs and an
`ada_<dataset>` flag of False; counts of BUMDes and UMKM become 0 there. `bumdes_dikirim` and
`umkm_dikirim` say whether the village's kabupaten sent that dataset for the year (docs/contracts.md,
"Which kabupaten reported"): only then is a count of 0 a real zero.
"""

import polars as pl

from pipelines.contracts.datasets import INDEKS_DESA_DIMENSIONS
from pipelines.contracts.idm_status import idm_score, idm_status

F64 = pl.Float64
INDEKS_DESA_SCORES = [f"skor_{dimension}" for dimension, _, _ in INDEKS_DESA_DIMENSIONS]


def _flagged(frame: pl.LazyFrame, flag: str, columns: list[str]) -> pl.LazyFrame:
    return frame.select(
        "kode_desa", "tahun", *[pl.col(c).cast(F64) for c in columns], pl.lit(True).alias(flag)
    )


def idm_scored(idm: pl.LazyFrame, thresholds: pl.DataFrame) -> pl.LazyFrame:
    """IDM rows with the score computed from its components and the status from thresholds."""
    score = idm_score(pl.col("iks"), pl.col("ike"), pl.col("ikl"))
    return idm.with_columns(score.alias("nilai_idm_hitung")).with_columns(
        idm_status(pl.col("nilai_idm_hitung"), pl.col("tahun"), thresholds).alias(
            "status_idm_hitung"
        )
    )


def village_year_basis(
    villages: pl.LazyFrame,
    years: list[int],
    tables: dict[str, pl.LazyFrame],
    thresholds: pl.DataFrame,
) -> pl.LazyFrame:
    """`villages`: kode_desa, kode_kec, kode_kab, jenis. `tables`: the warehouse datasets."""
    grid = villages.select(
        "kode_desa",
        "kode_kec",
        "kode_kab",
        pl.col("kode_desa").str.slice(0, 2).alias("kode_prov"),
        (pl.col("jenis") == "desa").alias("is_desa"),
    ).join(pl.LazyFrame({"tahun": years}, schema={"tahun": pl.Int32}), how="cross")

    kemiskinan = _flagged(
        tables["kemiskinan_desa"],
        "ada_kemiskinan_desa",
        ["jumlah_penduduk", "jumlah_kk", "kk_miskin", "kk_miskin_ekstrem"],
    )
    dana_desa = _flagged(
        tables["dana_desa"],
        "ada_dana_desa",
        ["pagu", "salur", "realisasi", "blt_kpm", "blt_rp", "padat_karya_tk",
         "belanja_pemberdayaan"],
    )  # fmt: skip
    profil = tables["profil_desa"].select(
        "kode_desa",
        "tahun",
        *[
            pl.col(c).cast(F64)
            for c in (
                "aparatur_total",
                "aparatur_terlatih",
                "aparatur_pendidikan_sma",
                "musdes_jumlah",
                "musdes_peserta",
                "musdes_peserta_perempuan",
                "swadaya_rp",
                "lahan_potensial_ha",
                "lahan_dimanfaatkan_ha",
            )
        ],
        "apbdes_tepat_waktu",
        "produk_unggulan",
        "desa_wisata",
        pl.lit(True).alias("ada_profil_desa"),
    )
    idm = idm_scored(tables["idm"], thresholds).select(
        "kode_desa",
        "tahun",
        pl.col("ike").cast(F64),
        "nilai_idm_hitung",
        "status_idm_hitung",
        pl.lit(True).alias("ada_idm"),
    )
    indeks_desa = tables["indeks_desa"].select(
        "kode_desa",
        "tahun",
        *[pl.col(c).cast(F64) for c in ("skor_indeks_desa", *INDEKS_DESA_SCORES)],
        "status_indeks_desa",
        pl.lit(True).alias("ada_indeks_desa"),
    )
    aktif = pl.col("status_aktif").fill_null(False)
    bumdes = (
        tables["bumdes"]
        .group_by("kode_desa", "tahun")
        .agg(
            pl.len().alias("bumdes_baris"),
            aktif.sum().alias("bumdes_aktif"),
            (aktif & pl.col("badan_hukum").fill_null(False))
            .sum()
            .alias("bumdes_aktif_badan_hukum"),
            (aktif & pl.col("klasifikasi").is_not_null())
            .sum()
            .alias("bumdes_aktif_berklasifikasi"),
            (aktif & pl.col("klasifikasi").is_in(["berkembang", "maju"]))
            .sum()
            .alias("bumdes_aktif_maju"),
            # Summed as DECIMAL: exact, so the result does not depend on row order.
            pl.col("kontribusi_pades")
            .filter(aktif)
            .sum()
            .cast(F64)
            .alias("kontribusi_pades_aktif"),
            (aktif & pl.col("kontribusi_pades").is_not_null())
            .sum()
            .alias("bumdes_aktif_kontribusi_diisi"),
        )
    )
    umkm = (
        tables["umkm"]
        .group_by("kode_desa", "tahun")
        .agg(
            pl.len().cast(F64).alias("umkm_jumlah"),
            pl.col("tenaga_kerja").fill_null(0).sum().cast(F64).alias("umkm_tenaga_kerja"),
        )
    )

    basis = grid
    for frame in (kemiskinan, dana_desa, profil, idm, indeks_desa, bumdes, umkm):
        basis = basis.join(frame, on=["kode_desa", "tahun"], how="left")

    counts = [
        "bumdes_baris", "bumdes_aktif", "bumdes_aktif_badan_hukum", "bumdes_aktif_berklasifikasi",
        "bumdes_aktif_maju", "bumdes_aktif_kontribusi_diisi", "umkm_jumlah", "umkm_tenaga_kerja",
    ]  # fmt: skip
    flags = [
        "ada_kemiskinan_desa", "ada_dana_desa", "ada_profil_desa", "ada_idm", "ada_indeks_desa",
    ]  # fmt: skip
    sent = ("kode_kab", "tahun")
    return basis.with_columns(
        *[pl.col(c).fill_null(0) for c in counts],
        *[pl.col(c).fill_null(False) for c in flags],
    ).with_columns(
        (pl.col("bumdes_baris").sum().over(sent) > 0).alias("bumdes_dikirim"),
        (pl.col("umkm_jumlah").sum().over(sent) > 0).alias("umkm_dikirim"),
    )
