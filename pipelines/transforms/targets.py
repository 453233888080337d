"""Targets: which official target each area is measured against, and whether it is on track.

docs/contracts.md, Targets. A target is (kpi_id, kode_wilayah, tahun, nilai, sumber); `kode_wilayah` is a
kabupaten, `62` (the province) or `00` (national). Analysts' files (`target_kpi`, asal 'berkas')
replace the shipped targets (asal 'bawaan') of the (kpi_id, kode_wilayah) pairs they hold.

An area without its own target is measured against the nearest one above it: kabupaten ->
province -> national. Of an area's targets for a KPI, the one that counts is the first whose
year is not before the latest value; when all are past, the last of them.

On track: the straight line from the first year with a value to the target (year, value) gives
the value the area should have reached by its latest year. Compared with the latest value, in
the KPI's direction (`arah`):
- `target tercapai`: the latest value meets the target;
- `sesuai jalur`: not yet, but at or beyond the line;
- `tertinggal dari jalur`: short of the line, or the target year has passed unmet.
"""

import polars as pl

from pipelines.contracts.targets import BEHIND, MET, ON_TRACK

NATIONAL = "00"
TARGET_SCHEMA = {
    "kpi_id": pl.String,
    "kode_wilayah": pl.String,
    "tahun": pl.Int32,
    "nilai": pl.Float64,
    "sumber": pl.String,
    "catatan": pl.String,
}


def read_shipped_targets(path, kpi_ids: set[str]) -> pl.DataFrame:
    """The shipped targets file, checked against the catalogue."""
    frame = pl.read_csv(path, schema_overrides=TARGET_SCHEMA, infer_schema=False).cast(
        TARGET_SCHEMA
    )
    unknown = set(frame["kpi_id"]) - kpi_ids
    if unknown:
        raise ValueError(f"target_kpi.csv: kpi_id tidak ada dalam katalog: {sorted(unknown)}")
    return frame.select(list(TARGET_SCHEMA))


def targets_in_force(shipped: pl.DataFrame, from_files: pl.DataFrame) -> pl.DataFrame:
    """The published `target_kpi`: files' targets, and shipped ones for pairs no file holds."""
    files = from_files.select(
        pl.col("kpi_id"),
        pl.col("kode_wilayah"),
        pl.col("tahun").cast(pl.Int32),
        pl.col("nilai").cast(pl.Float64),
        pl.col("sumber"),
        pl.lit(None, dtype=pl.String).alias("catatan"),
        pl.lit("berkas").alias("asal"),
    )
    shipped = shipped.select(list(TARGET_SCHEMA)).cast(TARGET_SCHEMA)
    kept = shipped.join(files, on=["kpi_id", "kode_wilayah"], how="anti").with_columns(
        pl.lit("bawaan").alias("asal")
    )
    return pl.concat([kept, files]).sort("kpi_id", "kode_wilayah", "tahun")


def _level(code: pl.Expr) -> pl.Expr:
    return (
        pl.when(code == NATIONAL)
        .then(pl.lit("nasional"))
        .when(code.str.len_chars() == 2)
        .then(pl.lit("provinsi"))
        .otherwise(pl.lit("kabupaten"))
    )


def progress(kpi: pl.DataFrame, targets: pl.DataFrame, arah: pl.DataFrame) -> pl.DataFrame:
    """`capaian_target`: one row per KPI with a target and per kabupaten/province.

    `kpi`: the kpi rows (tingkat, kode_wilayah, nama_wilayah, tahun, kpi_id, nilai) of the
    kabupaten and the province; `arah`: kpi_id, arah ('naik'/'turun').
    """
    areas = kpi.filter(pl.col("tingkat").is_in(["kabupaten", "provinsi"]))
    values = areas.filter(pl.col("nilai").is_not_null())
    ends = values.group_by("kpi_id", "kode_wilayah").agg(
        pl.col("tahun").min().alias("tahun_awal"),
        pl.col("nilai").sort_by("tahun").first().alias("nilai_awal"),
        pl.col("tahun").max().alias("tahun_terakhir"),
        pl.col("nilai").sort_by("tahun").last().alias("nilai_terakhir"),
    )
    pairs = (
        areas.select("kpi_id", "tingkat", "kode_wilayah", "nama_wilayah")
        .unique()
        .join(targets.select("kpi_id").unique(), on="kpi_id")
        .join(ends, on=["kpi_id", "kode_wilayah"], how="left")
    )
    # Candidate targets: the area's own, the province's, the nation's; nearest level first.
    province = pl.col("kode_wilayah").str.slice(0, 2)
    candidates = pl.concat(
        [
            pairs.with_columns(pl.col("kode_wilayah").alias("target_kode"), pl.lit(1).alias("r")),
            pairs.filter(pl.col("tingkat") == "kabupaten").with_columns(
                province.alias("target_kode"), pl.lit(2).alias("r")
            ),
            pairs.with_columns(pl.lit(NATIONAL).alias("target_kode"), pl.lit(3).alias("r")),
        ]
    ).join(
        targets.rename(
            {"kode_wilayah": "target_kode", "tahun": "target_tahun", "nilai": "target_nilai"}
        ),
        on=["kpi_id", "target_kode"],
    )
    nearest = candidates.filter(pl.col("r") == pl.col("r").min().over("kpi_id", "kode_wilayah"))
    # Of that level's targets: the first not before the latest value, else the last one.
    latest = pl.col("tahun_terakhir").fill_null(0)
    chosen = (
        nearest.with_columns((pl.col("target_tahun") < latest).alias("_lewat"))
        .with_columns(
            pl.when(pl.col("_lewat"))
            .then(-pl.col("target_tahun"))
            .otherwise(pl.col("target_tahun"))
            .alias("_urut")
        )
        .sort("kpi_id", "kode_wilayah", "_lewat", "_urut")
        .unique(["kpi_id", "kode_wilayah"], keep="first", maintain_order=True)
    )
    span = pl.col("target_tahun") - pl.col("tahun_awal")
    reached = pl.min_horizontal("tahun_terakhir", "target_tahun") - pl.col("tahun_awal")
    expected = (
        pl.when(span <= 0)
        .then(pl.col("target_nilai"))
        .otherwise(
            pl.col("nilai_awal") + (pl.col("target_nilai") - pl.col("nilai_awal")) * reached / span
        )
    )
    up = pl.col("arah") == "naik"
    met = (
        pl.when(up)
        .then(pl.col("nilai_terakhir") >= pl.col("target_nilai"))
        .otherwise(pl.col("nilai_terakhir") <= pl.col("target_nilai"))
    )
    on_line = (
        pl.when(up)
        .then(pl.col("nilai_terakhir") >= pl.col("nilai_seharusnya"))
        .otherwise(pl.col("nilai_terakhir") <= pl.col("nilai_seharusnya"))
    )
    return (
        chosen.join(arah.select("kpi_id", "arah"), on="kpi_id", how="left")
        .with_columns(expected.alias("nilai_seharusnya"))
        .with_columns(
            pl.when(pl.col("nilai_terakhir").is_null())
            .then(None)
            .when(met)
            .then(pl.lit(MET))
            .when(pl.col("target_tahun") < pl.col("tahun_terakhir"))
            .then(pl.lit(BEHIND))
            .when(on_line)
            .then(pl.lit(ON_TRACK))
            .otherwise(pl.lit(BEHIND))
            .alias("status"),
            _level(pl.col("target_kode")).alias("target_tingkat"),
            (pl.col("r") > 1).alias("target_dari_atas"),
        )
        .select(
            "kpi_id", "tingkat", "kode_wilayah", "nama_wilayah", "arah",
            pl.col("target_kode").alias("target_kode_wilayah"), "target_tingkat",
            "target_dari_atas", "target_tahun", "target_nilai", "sumber", "catatan", "asal",
            "tahun_awal", "nilai_awal", "tahun_terakhir", "nilai_terakhir", "nilai_seharusnya",
            "status",
        )
        .sort("kpi_id", "tingkat", "kode_wilayah")
    )  # fmt: skip
