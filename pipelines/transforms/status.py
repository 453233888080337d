"""Village status per area and year (`status_wilayah`): which scheme, which status, which
Indeks Desa dimension is weakest. Computed once here; the dashboard and the briefing read it.

One row per (tingkat, kode, tahun), for tingkat 'desa', 'kabupaten' and 'provinsi':

- desa: every village-year with an IDM or an Indeks Desa row. `skema` is 'indeks_desa' where
  the village has an Indeks Desa row that year, else 'idm'; `skor` and `status` are that
  scheme's (the stated Indeks Desa status; the IDM score and status computed from iks/ike/ikl),
  never a mix of the two scales. `dimensi_terlemah` / `skor_terlemah`: the lowest of its six
  Indeks Desa dimension scores (NULL under IDM).
- kabupaten, provinsi: `skema` is 'indeks_desa' where any village of the area has an Indeks
  Desa row that year, else 'idm' (a view of the area counts the statuses of that scheme);
  `dimensi_terlemah` / `skor_terlemah`: the dimension with the lowest mean over the area's
  villages with an Indeks Desa row (each mean skips missing scores). `skor`, `status` NULL.

Ties go to the dimension first in the official order (dimensi_indeks_desa.urutan); scores
compare exactly, so two means equal up to rounding noise are not a tie. A dimension is named
by its `indeks_desa` column (`skor_lingkungan`, dimensi_indeks_desa.kolom), as in
desa_prioritas.
"""

from collections.abc import Sequence

import polars as pl

from pipelines.contracts.idm_status import IDM, INDEKS_DESA

SCHEMA = {
    "tingkat": pl.String,
    "kode": pl.String,
    "kode_kab": pl.String,
    "tahun": pl.Int32,
    "skema": pl.String,
    "skor": pl.Float64,
    "status": pl.String,
    "dimensi_terlemah": pl.String,
    "skor_terlemah": pl.Float64,
}


def weakest(dimensions: Sequence[str]) -> tuple[pl.Expr, pl.Expr]:
    """(name, score) of the lowest non-NULL of `dimensions`, ties to the first listed; both
    NULL when every score is NULL."""
    low = pl.min_horizontal(dimensions)
    name = pl.coalesce([pl.when(pl.col(c) == low).then(pl.lit(c)) for c in dimensions])
    return name, low


def scheme() -> pl.Expr:
    """The scheme a village-year is rated by: Indeks Desa where it has that row, else IDM."""
    return pl.when(pl.col("ada_indeks_desa")).then(pl.lit(INDEKS_DESA)).otherwise(pl.lit(IDM))


def desa_status() -> pl.Expr:
    """The village-year's status under its scheme (never a mix of the two scales)."""
    return (
        pl.when(pl.col("ada_indeks_desa"))
        .then(pl.col("status_indeks_desa"))
        .otherwise(pl.col("status_idm_hitung"))
    )


def status_wilayah(basis: pl.LazyFrame, dimensions: Sequence[str]) -> pl.LazyFrame:
    """`basis`: village-year rows (basis_desa) with kode_desa, kode_kab, kode_prov, tahun,
    ada_idm, nilai_idm_hitung, status_idm_hitung, ada_indeks_desa, skor_indeks_desa,
    status_indeks_desa and the `dimensions` columns, in the official order."""
    has_id = pl.col("ada_indeks_desa")
    rated = basis.filter(pl.col("ada_idm") | has_id).select(
        "kode_desa",
        "kode_kab",
        "kode_prov",
        pl.col("tahun").cast(pl.Int32),
        scheme().alias("skema"),
        pl.when(has_id)
        .then(pl.col("skor_indeks_desa"))
        .otherwise(pl.col("nilai_idm_hitung"))
        .cast(pl.Float64)
        .alias("skor"),
        desa_status().cast(pl.String).alias("status"),
        # Dimension scores count only from an Indeks Desa row.
        *[pl.when(has_id).then(pl.col(c)).cast(pl.Float64).alias(c) for c in dimensions],
    )
    name, low = weakest(dimensions)
    desa = rated.select(
        pl.lit("desa").alias("tingkat"),
        pl.col("kode_desa").alias("kode"),
        "kode_kab",
        "tahun",
        "skema",
        "skor",
        "status",
        name.alias("dimensi_terlemah"),
        low.alias("skor_terlemah"),
    )

    def areas(tingkat: str, key: str, kode_kab: pl.Expr) -> pl.LazyFrame:
        means = rated.group_by(key, "tahun").agg(
            (pl.col("skema") == INDEKS_DESA).any().alias("_id"),
            *[pl.col(c).mean() for c in dimensions],
        )
        return means.select(
            pl.lit(tingkat).alias("tingkat"),
            pl.col(key).alias("kode"),
            kode_kab.alias("kode_kab"),
            "tahun",
            pl.when("_id").then(pl.lit(INDEKS_DESA)).otherwise(pl.lit(IDM)).alias("skema"),
            pl.lit(None, pl.Float64).alias("skor"),
            pl.lit(None, pl.String).alias("status"),
            name.alias("dimensi_terlemah"),
            low.alias("skor_terlemah"),
        )

    return (
        pl.concat(
            [
                desa,
                areas("kabupaten", "kode_kab", pl.col("kode_kab")),
                areas("provinsi", "kode_prov", pl.lit(None, pl.String)),
            ]
        )
        .cast(SCHEMA)
        .sort("tahun", "tingkat", "kode")
    )
