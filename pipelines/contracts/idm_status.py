"""Village status cut-offs as data (docs/contracts.md): a table keyed by scheme and year, not constants.

`data/reference/idm_ambang_status.csv` holds one row per (skema, year range, status). Each row
says how its score is compared: rounded to `desimal` decimals (half up), then against a lower
bound that is exclusive (IDM: `> 0.4907`) or inclusive (`bawah_inklusif`, Indeks Desa:
`>= 49.49`) and an upper bound of the other kind. Rows carry their `sumber` and whether that
source was checked (`terverifikasi`). Rows are always selected by scheme first: IDM data is
classified by the `idm` scheme only, and the `indeks_desa` scheme (Kemendesa's Indeks Desa from
2024) shares the table and the years without touching IDM statuses. New cut-offs for a scheme
are new rows with their own year range; two rows of one (skema, status) covering the same year
are refused at load, so an old row can never silently shadow a new one.
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
    "bawah_inklusif": pl.Boolean,
    "desimal": pl.Int32,
    "urutan": pl.Int32,
    "terverifikasi": pl.Boolean,
    "sumber": pl.String,
}
# Columns older tables (and small test tables) may leave out: the IDM way of comparing.
THRESHOLD_DEFAULTS = {"bawah_inklusif": False, "desimal": 4, "terverifikasi": True, "sumber": None}
IDM = "idm"  # the scheme that classifies the `idm` dataset
INDEKS_DESA = "indeks_desa"  # the scheme of the `indeks_desa` dataset (stated status rules)
IDM_DECIMALS = 4  # Kemendesa publishes the IDM score to 4 decimals and classifies that figure


def check_thresholds(thresholds: pl.DataFrame) -> pl.DataFrame:
    """The table typed, or ValueError when one (skema, status) has two rows for a year."""
    missing = {c: v for c, v in THRESHOLD_DEFAULTS.items() if c not in thresholds.columns}
    thresholds = thresholds.with_columns(pl.lit(v).alias(c) for c, v in missing.items())
    frame = thresholds.select(list(THRESHOLD_SCHEMA)).cast(THRESHOLD_SCHEMA).with_row_index("i")
    pairs = frame.join(frame, on=["skema", "status"], suffix="_b").filter(
        (pl.col("i") < pl.col("i_b"))
        & (pl.col("tahun_mulai") <= pl.col("tahun_selesai_b"))
        & (pl.col("tahun_mulai_b") <= pl.col("tahun_selesai"))
    )
    if pairs.height:
        clashes = ", ".join(
            f"{r['skema']}/{r['status']} {r['tahun_mulai']}-{r['tahun_selesai']} dan "
            f"{r['tahun_mulai_b']}-{r['tahun_selesai_b']}"
            for r in pairs.iter_rows(named=True)
        )
        raise ValueError(f"idm_ambang_status: rentang tahun tumpang tindih: {clashes}")
    return frame.drop("i")


def load_thresholds(path: Path) -> pl.DataFrame:
    return check_thresholds(pl.read_csv(path, schema_overrides=THRESHOLD_SCHEMA))


def idm_score(iks: pl.Expr, ike: pl.Expr, ikl: pl.Expr) -> pl.Expr:
    """The score is always computed from its three components (docs/contracts.md)."""
    return (iks + ike + ikl) / 3


def published_score(score: pl.Expr, decimals: int = IDM_DECIMALS) -> pl.Expr:
    """The score as Kemendesa publishes it: rounded half up. Rounding to 10 decimals first drops
    the float error of the division, so a score of exactly 0.49065 that the float holds as
    0.4906499999... still rounds up."""
    return score.round(10).round(decimals, mode="half_away_from_zero")


def _rows(thresholds: pl.DataFrame, skema: str) -> pl.DataFrame:
    return thresholds.filter(pl.col("skema") == skema).sort("tahun_mulai", "urutan")


def idm_status(
    score: pl.Expr, tahun: pl.Expr, thresholds: pl.DataFrame, skema: str = IDM
) -> pl.Expr:
    """Status for each row, from the scheme's rows whose year range holds the row's year; each
    row rounds the score and compares it as it says (module docstring)."""
    expr: pl.Expr | None = None
    for row in _rows(thresholds, skema).iter_rows(named=True):
        rounded = published_score(score, row["desimal"])
        condition = tahun.is_between(row["tahun_mulai"], row["tahun_selesai"])
        low, high = row["batas_bawah"], row["batas_atas"]
        if low is not None:
            condition &= rounded >= low if row["bawah_inklusif"] else rounded > low
        if high is not None:
            condition &= rounded < high if row["bawah_inklusif"] else rounded <= high
        chain = pl.when if expr is None else expr.when
        expr = chain(condition).then(pl.lit(row["status"]))
    if expr is None:
        return pl.lit(None, dtype=pl.String)
    return expr.otherwise(pl.lit(None, dtype=pl.String))


def cutoff(
    tahun: pl.Expr, thresholds: pl.DataFrame, status: str, bound: str, skema: str = IDM
) -> pl.Expr:
    """One bound (`batas_bawah`/`batas_atas`) of a status in the row's year; NULL for a year the
    scheme does not cover."""
    expr = pl.lit(None, dtype=pl.Float64)
    for row in _rows(thresholds, skema).filter(pl.col("status") == status).iter_rows(named=True):
        expr = (
            pl.when(tahun.is_between(row["tahun_mulai"], row["tahun_selesai"]))
            .then(pl.lit(row[bound], dtype=pl.Float64))
            .otherwise(expr)
        )
    return expr
