"""Desa prioritas: rank the desa of each kabupaten by need, with the reasons in plain words.

The score is a weighted sum of six factor scores, each between 0 and 1, times 100:

| faktor | skor (0..1) |
| --- | --- |
| miskin_ekstrem | KK miskin ekstrem % / nilai_penuh (30 %), capped at 1 |
| idm_rendah | (batas maju - skor) / (batas maju - batas penuh), clipped to 0..1 |
| idm_turun | 1 when the village status is worse than the year before, under the same scheme |
| tanpa_bumdes | 1 when the desa has no active BUMDes |
| serapan_rendah | (100 - serapan %) / (100 - nilai_penuh), clipped to 0..1 |
| blt_rendah | (100 - cakupan BLT %) / (100 - nilai_penuh), clipped; 0 without extreme poor |

The village status and score are the Indeks Desa ones where the desa has them that year (the
status stated in the official file, docs/contracts.md), IDM otherwise; `skema_status` says which. The
"low score" factor reads the score on its own scheme's scale: `batas maju` is the upper bound of
status maju in that scheme's thresholds of the row's year (`idm_ambang_status`: 0,8155 for IDM,
79,63 for Indeks Desa today); `batas penuh` is the weights file's `nilai_penuh` for IDM and the
upper bound of sangat tertinggal (49,49) for Indeks Desa. The reason of an Indeks Desa score
names its weakest dimension ("skor layanan dasar 41"). The weights and the full-score points are configuration
(`bobot_desa_prioritas.csv` of the reference folder), not code. A desa missing any input except
the previous year's IDM is listed with `status = 'data_kurang'` and the missing data named; it is
never ranked as if it were fine. So is a desa whose factor cannot be computed from the data it
has: every ratio is NULL, never NaN or infinite, when its divisor is 0 or NULL (pagu 0 gives no
serapan: `serapan_dana_desa`), and a NULL factor is named (`skor_<faktor>` otherwise) instead of
counting as 0. "No active BUMDes" is only known once the kabupaten has sent its BUMDes data for
the year.
"""

from pathlib import Path

import polars as pl

from pipelines.contracts.datasets import IDM_STATUSES, INDEKS_DESA_DIMENSIONS
from pipelines.contracts.idm_status import IDM, INDEKS_DESA, cutoff
from pipelines.contracts.prioritas import FACTORS
from pipelines.transforms import status as status_rules

STATUS_ORDER = {status: i + 1 for i, status in enumerate(IDM_STATUSES)}
STATUS_TEXT = {status: status.replace("_", " ") for status in IDM_STATUSES}
SCHEME_TEXT = {IDM: "IDM", INDEKS_DESA: "Indeks Desa"}
DIMENSION_TEXT = {f"skor_{d}": title for d, title, _ in INDEKS_DESA_DIMENSIONS}


# The name a factor that cannot be computed gets in `data_kurang`, when no dataset is missing.
FACTOR_INPUT = {"serapan_rendah": "serapan_dana_desa"}
WEIGHTS_SCHEMA = {
    "faktor": pl.String,
    "bobot": pl.Float64,
    "nilai_penuh": pl.Float64,
    "keterangan": pl.String,
}


def read_weights(path: Path) -> pl.DataFrame:
    """The weights file as published (`bobot_desa_prioritas`), checked."""
    frame = pl.read_csv(path, schema=WEIGHTS_SCHEMA)
    missing = set(FACTORS) - set(frame["faktor"])
    if missing:
        raise ValueError(f"bobot_desa_prioritas.csv lacks factors: {sorted(missing)}")
    bobot = frame["bobot"]
    if not (bobot.is_finite().all() and bobot.min() >= 0 and bobot.sum() > 0):
        raise ValueError("bobot_desa_prioritas.csv: bobot must be >= 0 and not all 0")
    return frame


def weights_of(frame: pl.DataFrame) -> dict[str, tuple[float, float]]:
    return {r["faktor"]: (r["bobot"], r["nilai_penuh"]) for r in frame.iter_rows(named=True)}


def load_weights(path: Path) -> dict[str, tuple[float, float]]:
    return weights_of(read_weights(path))


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """NULL, never NaN or inf, where the denominator is 0 or NULL."""
    return pl.when(denominator != 0).then(numerator / denominator)


def _id_number(expr: pl.Expr, decimals: int) -> pl.Expr:
    """12.5 -> '12,5' (Indonesian decimal comma)."""
    return (
        expr.round(decimals)
        .cast(pl.String)
        .str.replace(".", ",", literal=True)
        .str.replace(r",0$", "")
    )


def desa_prioritas(
    basis: pl.LazyFrame,
    weights: dict[str, tuple[float, float]],
    names: pl.LazyFrame,
    thresholds: pl.DataFrame,
) -> pl.LazyFrame:
    """One row per desa and year. `names`: kode, nama for desa, kecamatan and kabupaten;
    `thresholds`: the IDM status thresholds (idm_ambang_status)."""
    has_id = pl.col("ada_indeks_desa")
    dimensions = list(DIMENSION_TEXT)
    weakest_name, weakest_score = status_rules.weakest(dimensions)  # the rule status_wilayah uses
    frame = (
        basis.filter(pl.col("is_desa"))
        .sort("kode_desa", "tahun")
        .with_columns(
            status_rules.desa_status().alias("status_desa"),
            status_rules.scheme().alias("skema_status"),
            weakest_name.alias("dimensi_terlemah"),
            weakest_score.alias("skor_dimensi_terlemah"),
        )
        .with_columns(
            (100 * _ratio(pl.col("kk_miskin_ekstrem"), pl.col("jumlah_kk"))).alias(
                "kk_miskin_ekstrem_pct"
            ),
            (100 * _ratio(pl.col("realisasi"), pl.col("pagu"))).alias("serapan_pct"),
            (100 * _ratio(pl.col("blt_kpm"), pl.col("kk_miskin_ekstrem"))).alias("cakupan_blt_pct"),
            cutoff(pl.col("tahun"), thresholds, "maju", "batas_atas").alias("_batas_maju"),
            cutoff(pl.col("tahun"), thresholds, "maju", "batas_atas", INDEKS_DESA).alias(
                "_batas_maju_id"
            ),
            cutoff(
                pl.col("tahun"), thresholds, "sangat_tertinggal", "batas_atas", INDEKS_DESA
            ).alias("_batas_penuh_id"),
            pl.col("status_desa").replace_strict(STATUS_ORDER, default=None).alias("_rank"),
            pl.col("status_desa").shift(1).over("kode_desa").alias("status_desa_lalu"),
            pl.col("skema_status").shift(1).over("kode_desa").alias("_skema_lalu"),
            pl.col("tahun").shift(1).over("kode_desa").alias("_tahun_lalu"),
        )
        .with_columns(
            # The previous status counts only when it is from the year just before and under
            # the same scheme (an IDM status says nothing about an Indeks Desa one).
            pl.when(
                (pl.col("_tahun_lalu") == pl.col("tahun") - 1)
                & (pl.col("_skema_lalu") == pl.col("skema_status"))
            )
            .then(pl.col("status_desa_lalu"))
            .alias("status_desa_lalu"),
        )
        .with_columns(
            pl.col("status_desa_lalu")
            .replace_strict(STATUS_ORDER, default=None)
            .alias("_rank_lalu")
        )
    )
    w = weights
    maju, maju_id = pl.col("_batas_maju"), pl.col("_batas_maju_id")
    scores = {
        "miskin_ekstrem": _ratio(pl.col("kk_miskin_ekstrem_pct"), pl.lit(w["miskin_ekstrem"][1])),
        "idm_rendah": pl.when(has_id)
        .then(_ratio(maju_id - pl.col("skor_indeks_desa"), maju_id - pl.col("_batas_penuh_id")))
        .otherwise(_ratio(maju - pl.col("nilai_idm_hitung"), maju - w["idm_rendah"][1])),
        "idm_turun": (pl.col("_rank") < pl.col("_rank_lalu")).fill_null(False).cast(pl.Float64),
        "tanpa_bumdes": pl.when(pl.col("bumdes_dikirim")).then(
            (pl.col("bumdes_aktif") == 0).cast(pl.Float64)
        ),
        "serapan_rendah": _ratio(100 - pl.col("serapan_pct"), pl.lit(100 - w["serapan_rendah"][1])),
        "blt_rendah": pl.when(pl.col("ada_kemiskinan_desa") & (pl.col("kk_miskin_ekstrem") == 0))
        .then(0.0)
        .otherwise(_ratio(100 - pl.col("cakupan_blt_pct"), pl.lit(100 - w["blt_rendah"][1]))),
    }
    frame = frame.with_columns(
        *[expr.clip(0, 1).alias(f"skor_{name}") for name, expr in scores.items()],
    )
    missing_data = [
        pl.when(~pl.col("ada_kemiskinan_desa")).then(pl.lit("kemiskinan_desa")),
        pl.when(~pl.col("ada_idm") & ~has_id).then(pl.lit("idm atau indeks_desa")),
        pl.when(~pl.col("bumdes_dikirim")).then(pl.lit("bumdes")),
        pl.when(~pl.col("ada_dana_desa")).then(pl.lit("dana_desa")),
        pl.when(pl.col("ada_dana_desa") & pl.col("blt_kpm").is_null()).then(pl.lit("blt_kpm")),
    ]
    # With every dataset there, a factor can still be NULL (pagu 0, a year without IDM
    # thresholds): name it, so it never counts as 0 in the sum below.
    no_score = [
        pl.when(pl.col(f"skor_{n}").is_null()).then(pl.lit(FACTOR_INPUT.get(n, f"skor_{n}")))
        for n in FACTORS
    ]
    data = pl.concat_str(missing_data, separator=", ", ignore_nulls=True)
    factors = pl.concat_str(no_score, separator=", ", ignore_nulls=True)
    named = pl.when(data != "").then(data).otherwise(factors)
    frame = frame.with_columns(pl.when(named != "").then(named).alias("data_kurang"))
    complete = pl.col("data_kurang").is_null()
    total = pl.sum_horizontal(pl.col(f"skor_{n}") * w[n][0] for n in FACTORS)
    weight_sum = sum(w[n][0] for n in FACTORS)
    frame = frame.with_columns(
        pl.when(complete).then(100 * total / weight_sum).alias("skor"),
        pl.when(complete).then(pl.lit("dinilai")).otherwise(pl.lit("data_kurang")).alias("status"),
    )
    frame = frame.with_columns(
        pl.col("skor")
        .rank(method="min", descending=True)
        .over("kode_kab", "tahun")
        .cast(pl.Int32)
        .alias("peringkat_kab")
    )
    return _with_reasons(frame, w).join(
        names.select(pl.col("kode").alias("kode_desa"), pl.col("nama").alias("nama_desa")),
        on="kode_desa",
        how="left",
    ).join(
        names.select(pl.col("kode").alias("kode_kab"), pl.col("nama").alias("nama_kabupaten")),
        on="kode_kab",
        how="left",
    ).join(
        names.select(pl.col("kode").alias("kode_kec"), pl.col("nama").alias("nama_kecamatan")),
        on="kode_kec",
        how="left",
    ).select(
        "tahun", "kode_kab", "nama_kabupaten", "kode_kec", "nama_kecamatan", "kode_desa",
        "nama_desa", "status", "skor", "peringkat_kab", "alasan", "data_kurang",
        "kk_miskin_ekstrem_pct", "nilai_idm_hitung", "status_idm_hitung", "skor_indeks_desa",
        "status_indeks_desa", "skema_status", "status_desa", "status_desa_lalu",
        "dimensi_terlemah", "skor_dimensi_terlemah",
        "bumdes_aktif", "serapan_pct", "cakupan_blt_pct",
        *[f"skor_{n}" for n in FACTORS],
    ).sort("tahun", "kode_kab", "peringkat_kab", "kode_desa", nulls_last=True)  # fmt: skip


def _indeks_desa_text() -> pl.Expr:
    """'Indeks Desa 45 (sangat tertinggal), terlemah skor layanan dasar 41'."""
    return pl.format(
        "Indeks Desa {} ({}){}",
        _id_number(pl.col("skor_indeks_desa"), 1),
        pl.col("status_indeks_desa").replace(STATUS_TEXT),
        pl.when(pl.col("dimensi_terlemah").is_not_null())
        .then(
            pl.format(
                ", terlemah skor {} {}",
                pl.col("dimensi_terlemah").replace(DIMENSION_TEXT),
                _id_number(pl.col("skor_dimensi_terlemah"), 0),
            )
        )
        .otherwise(pl.lit("")),
    )


def _reason_texts() -> dict[str, pl.Expr]:
    """Each factor's reason, in words."""
    return {
        "miskin_ekstrem": pl.format(
            "{}% KK miskin ekstrem", _id_number(pl.col("kk_miskin_ekstrem_pct"), 1)
        ),
        "idm_rendah": pl.when(pl.col("ada_indeks_desa"))
        .then(_indeks_desa_text())
        .otherwise(
            pl.format(
                "IDM {} ({})",
                _id_number(pl.col("nilai_idm_hitung"), 2),
                pl.col("status_idm_hitung").replace(STATUS_TEXT),
            )
        ),
        "idm_turun": pl.format(
            "status {} turun dari {} ke {}",
            pl.col("skema_status").replace(SCHEME_TEXT),
            pl.col("status_desa_lalu").replace(STATUS_TEXT),
            pl.col("status_desa").replace(STATUS_TEXT),
        ),
        "tanpa_bumdes": pl.lit("tidak ada BUMDes aktif"),
        "serapan_rendah": pl.format("serapan Dana Desa {}%", _id_number(pl.col("serapan_pct"), 0)),
        "blt_rendah": pl.format(
            "BLT menjangkau {}% KK miskin ekstrem", _id_number(pl.col("cakupan_blt_pct"), 0)
        ),
    }


def _with_reasons(frame: pl.LazyFrame, w: dict[str, tuple[float, float]]) -> pl.LazyFrame:
    """`alasan`: the top three contributing factors, in plain Bahasa Indonesia: the largest
    contribution first, ties to the factor listed first. The three are chosen by number, and
    only their words are written: writing all six for every desa-year, then sorting them, was
    half of the step (national: 1.3 s of 2.7 s)."""
    contribution = {n: pl.col(f"skor_{n}").fill_null(0) * w[n][0] for n in FACTORS}
    # A factor's place: how many factors contribute more, or as much and are listed earlier.
    place = {
        n: pl.sum_horizontal(
            contribution[m] >= contribution[n] if j < i else contribution[m] > contribution[n]
            for j, m in enumerate(FACTORS)
            if m != n
        )
        for i, n in enumerate(FACTORS)
    }
    # Only a ranked desa-year has reasons to name (the others say which data they lack).
    named = pl.col("status") != "data_kurang"
    frame = frame.with_row_index("_baris").with_columns(
        pl.when(named & (contribution[n] > 0) & (place[n] < 3)).then(place[n]).alias(f"_tempat_{n}")
        for n in FACTORS
    )
    texts = _reason_texts()
    chosen = pl.concat(
        frame.filter(pl.col(f"_tempat_{n}").is_not_null()).select(
            "_baris", pl.col(f"_tempat_{n}").alias("tempat"), texts[n].alias("t")
        )
        for n in FACTORS
    )
    top = (
        chosen.sort("_baris", "tempat")
        .group_by("_baris", maintain_order=True)
        .agg(pl.col("t").str.join(", ").alias("_top"))
    )
    frame = frame.join(top, on="_baris", how="left").drop(
        "_baris", *[f"_tempat_{n}" for n in FACTORS]
    )
    return frame.with_columns(
        pl.when(pl.col("status") == "data_kurang")
        .then(pl.format("data belum lengkap: {}", pl.col("data_kurang")))
        .when(pl.col("_top").is_null())
        .then(pl.lit("tidak ada faktor kebutuhan yang menonjol"))
        .otherwise(pl.col("_top"))
        .alias("alasan")
    )
