"""IDM status thresholds as data (kpis.md): a table keyed by scheme and year, not constants.

`data/reference/idm_ambang_status.csv` holds one row per (skema, year range, status) with an
exclusive lower and inclusive upper bound. A new scheme (Kemendesa's Indeks Desa from 2024, say)
is a new set of rows there, not a code change.
"""

from pathlib import Path

import polars as pl

THRESHOLD_SCHEMA = {
    "skema": pl.String,
    "tahun_mulai": pl.Int32,
    "tahun_selesai": pl.Int32,
    "status": pl.String,
    "batas_bawah": pl.Float64,
    "batas_atas": pl.Float64,
    "urutan": pl.Int32,
}


def load_thresholds(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, schema=THRESHOLD_SCHEMA)


def idm_score(iks: pl.Expr, ike: pl.Expr, ikl: pl.Expr) -> pl.Expr:
    """The score is always computed from its three components (kpis.md)."""
    return (iks + ike + ikl) / 3


def idm_status(score: pl.Expr, tahun: pl.Expr, thresholds: pl.DataFrame) -> pl.Expr:
    """Status for each row, from the threshold rows whose year range holds the row's year."""
    expr: pl.Expr | None = None
    for row in thresholds.sort("tahun_mulai", "urutan").iter_rows(named=True):
        condition = tahun.is_between(row["tahun_mulai"], row["tahun_selesai"])
        if row["batas_bawah"] is not None:
            condition &= score > row["batas_bawah"]
        if row["batas_atas"] is not None:
            condition &= score <= row["batas_atas"]
        chain = pl.when if expr is None else expr.when
        expr = chain(condition).then(pl.lit(row["status"]))
    if expr is None:
        return pl.lit(None, dtype=pl.String)
    return expr.otherwise(pl.lit(None, dtype=pl.String))
