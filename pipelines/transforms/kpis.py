"""Compute the catalogue's KPIs at every tingkat with one aggregation, as lazy Polars.

The village-year basis is turned into a wide frame of contributions, one row per village and
year, per KPI: (numerator, denominator, eligible, present). Each tingkat above the desa sums the
one below it (kecamatan from desa, kabupaten from kecamatan, provinsi from kabupaten), and every
tingkat's rows are then made by the same expressions, so the rules (ratios of sums, NULL for an
empty or zero denominator, `desa_melapor`) are written once and hold at every level.

Numerators and denominators are summed as DECIMAL(38, 9), not as floats: integer arithmetic is
exact, so a sum does not depend on row order or thread scheduling and the same warehouse gives a
bit-identical `kpi` table (docs/contracts.md). Each village's figure is rounded to 1e-9 first; only the
final ratio is a float.
"""

import polars as pl

from pipelines.contracts.kpis import KELUARAN, PROGRAM_ISU, PROGRAM_LEVELS, SERAPAN, Kpi

AREA_KEYS = {
    "desa": "kode_desa",
    "kecamatan": "kode_kec",
    "kabupaten": "kode_kab",
    "provinsi": "kode_prov",
}
F64 = pl.Float64
EXACT = pl.Decimal(38, 9)

NO_DESA_FORMAT = "{} tidak memiliki desa (hanya kelurahan); indikator ini khusus desa"
KELURAHAN = "Kelurahan tidak termasuk; indikator ini khusus desa"
NO_DATA = "Belum ada data yang dilaporkan untuk tahun ini"
ZERO_DENOMINATOR = "Penyebut bernilai nol, sehingga rasio tidak terdefinisi"
BPS_LEVEL = "Angka BPS hanya diterbitkan untuk kabupaten/kota dan provinsi"
BPS_MISSING = "Angka BPS untuk tahun ini belum dimuat"
NO_ACTIVITY = "Tidak ada kegiatan Dinas yang dilaporkan untuk isu ini pada tahun ini"

KPI_SCHEMA = {
    "tingkat": pl.String,
    "kode_wilayah": pl.String,
    "nama_wilayah": pl.String,
    "kode_kab": pl.String,
    "tahun": pl.Int32,
    "kpi_id": pl.String,
    "nilai": F64,
    "desa_melapor": pl.Int64,
    "pembilang": F64,
    "penyebut": F64,
    "keterangan": pl.String,
}


def _exact(expr: pl.Expr) -> pl.Expr:
    return expr.cast(F64).cast(EXACT).fill_null(0)


def contributions(basis: pl.LazyFrame, kpis: tuple[Kpi, ...]) -> pl.LazyFrame:
    """One row per village and year; per KPI four columns: numerator, denominator, eligible,
    present (`<kpi_id>__n`, `__d`, `__e`, `__p`). Wide, so every tingkat is one group-by."""
    keys = ["kode_desa", "kode_kec", "kode_kab", "kode_prov", "tahun", "is_desa"]
    columns = []
    for kpi in kpis:
        eligible = kpi.eligible.fill_null(False)
        present = eligible if kpi.present is None else kpi.present.fill_null(False)
        denominator = pl.lit(None, dtype=F64) if kpi.denominator is None else kpi.denominator
        columns += [
            # fill_null(0): an eligible village with a blank input adds 0, as a sum would
            pl.when(eligible).then(_exact(kpi.numerator)).alias(f"{kpi.kpi_id}__n"),
            pl.when(eligible).then(_exact(denominator)).alias(f"{kpi.kpi_id}__d"),
            eligible.cast(pl.Int64).alias(f"{kpi.kpi_id}__e"),
            present.alias(f"{kpi.kpi_id}__p"),
        ]
    return basis.select(*keys, *columns)


def level_sums(
    contrib: pl.LazyFrame, levels: tuple[str, ...], kpis: tuple[Kpi, ...]
) -> dict[str, pl.LazyFrame]:
    """Per level, area and year: the KPIs' sums, still wide; a desa is its own area. Each level
    sums the one below it (AREA_KEYS runs from the finest), grouped by its own code and those
    of the levels above, which it carries on. The sums are exact decimals, so a kabupaten's sum
    of its kecamatan's sums is its villages' sum to the last digit, from a hundredth of the
    rows."""
    order = list(AREA_KEYS)
    aggs = [pl.col("jumlah_desa").sum()]
    for kpi in kpis:
        k = kpi.kpi_id
        aggs += [
            pl.col(f"{k}__n").sum(),
            pl.col(f"{k}__d").sum(),
            pl.col(f"{k}__e").sum(),
            pl.col(f"{k}__p").any(),
        ]
    sums = {"desa": contrib.with_columns(pl.col("is_desa").cast(pl.Int64).alias("jumlah_desa"))}
    coarsest = max(order.index(t) for t in levels)
    for i in range(1, coarsest + 1):
        keys = [AREA_KEYS[t] for t in order[i:]]
        sums[order[i]] = sums[order[i - 1]].group_by(*keys, "tahun").agg(aggs).collect().lazy()
    return sums


def aggregate(
    sums: pl.LazyFrame, tingkat: str, kpis: tuple[Kpi, ...], areas: pl.LazyFrame
) -> pl.LazyFrame:
    """Ratios of sums for one level; NULL (with the reason) where the KPI is undefined."""
    key = AREA_KEYS[tingkat]
    names = areas.filter(pl.col("tingkat") == tingkat).select(
        pl.col("kode_wilayah").alias(key), "nama_wilayah"
    )
    # Names and the "no desa" reason are attached per area and year, before the KPIs multiply
    # the rows. Collected once: every KPI's slice below reads it.
    no_desa = (
        pl.lit(KELURAHAN)
        if tingkat == "desa"
        else pl.format(NO_DESA_FORMAT, pl.col("nama_wilayah"))
    )
    sums = (
        sums.join(names, on=key, how="left")
        .with_columns(no_desa.alias("_no_desa"))
        .collect()
        .lazy()
    )
    return pl.concat([_kpi_rows(sums, kpi, tingkat) for kpi in kpis], how="vertical")


def _kpi_rows(sums: pl.LazyFrame, kpi: Kpi, tingkat: str) -> pl.LazyFrame:
    """One KPI's rows from the wide sums. The KPI's scale, denominator and scope are constants
    here, written into its expressions: no per-row lookup (a join on `kpi_id` over 29 M
    national desa rows was most of this step)."""
    key, k = AREA_KEYS[tingkat], kpi.kpi_id
    pembilang = pl.col(f"{k}__n").cast(F64)
    penyebut = pl.col(f"{k}__d").cast(F64)
    desa_melapor = pl.col(f"{k}__e")
    no_village = desa_melapor == 0
    undefined_no_rows = no_village | ~pl.col(f"{k}__p")
    has_den = kpi.denominator is not None
    undefined = (undefined_no_rows | (penyebut == 0)) if has_den else undefined_no_rows
    value = pl.lit(kpi.scale) * pembilang / penyebut if has_den else pembilang
    reason = pl.when(~undefined).then(None)
    if not kpi.includes_kelurahan:
        reason = reason.when(pl.col("jumlah_desa") == 0).then(pl.col("_no_desa"))
    reason = reason.when(undefined_no_rows).then(pl.lit(NO_DATA))
    reason = reason.otherwise(pl.lit(ZERO_DENOMINATOR))
    return sums.select(
        pl.lit(tingkat).alias("tingkat"),
        pl.col(key).alias("kode_wilayah"),
        "nama_wilayah",
        pl.col("kode_prov").alias("kode_kab") if tingkat == "provinsi" else pl.col("kode_kab"),
        "tahun",
        pl.lit(k).alias("kpi_id"),
        pl.when(undefined).then(None).otherwise(value).alias("nilai"),
        # The sums stay whenever some village is in the denominator set, even where the KPI is
        # NULL for want of any row (kontribusi_pades_rp): the province's sums are then still
        # the sums of its kabupaten, which the consistency check relies on.
        pl.when(no_village).then(None).otherwise(pembilang).alias("pembilang"),
        (
            pl.when(no_village).then(None).otherwise(penyebut) if has_den else pl.lit(None, F64)
        ).alias("penyebut"),
        pl.when(undefined_no_rows).then(0).otherwise(desa_melapor).alias("desa_melapor"),
        reason.alias("keterangan"),
    )


def bps_poverty(
    areas: pl.LazyFrame, years: list[int], kemiskinan_kab: pl.LazyFrame, kpi_id: str
) -> pl.LazyFrame:
    """`persentase_miskin_bps`: the published figure, not aggregated; NULL below kabupaten."""
    grid = areas.join(pl.LazyFrame({"tahun": years}, schema={"tahun": pl.Int32}), how="cross")
    published = kemiskinan_kab.select(
        pl.col("kode_wilayah"), "tahun", pl.col("persentase_miskin").cast(F64).alias("nilai")
    )
    joined = grid.join(published, on=["kode_wilayah", "tahun"], how="left")
    below = pl.col("tingkat").is_in(["desa", "kecamatan"])
    return joined.select(
        "tingkat",
        "kode_wilayah",
        "nama_wilayah",
        "kode_kab",
        "tahun",
        pl.lit(kpi_id).alias("kpi_id"),
        pl.when(below).then(None).otherwise(pl.col("nilai")).alias("nilai"),
        pl.lit(None, dtype=F64).alias("pembilang"),
        pl.lit(None, dtype=F64).alias("penyebut"),
        # not a village figure (docs/contracts.md)
        pl.lit(None, dtype=pl.Int64).alias("desa_melapor"),
        pl.when(below)
        .then(pl.lit(BPS_LEVEL))
        .when(pl.col("nilai").is_null())
        .then(pl.lit(BPS_MISSING))
        .alias("keterangan"),
    )


def program_kpis(
    areas: pl.LazyFrame, years: list[int], program_kegiatan: pl.LazyFrame, kpis: tuple[Kpi, ...]
) -> pl.LazyFrame:
    """The programme KPIs (docs/contracts.md, "The agency's own programmes") at kabupaten and provinsi
    level: a kabupaten sums the activities reported with its code; the province every activity,
    its own Dinas's (62) and all kabupaten's. NULL where the area has no activity for the issue.

    Serapan: pembilang Σ realisasi_anggaran, penyebut Σ pagu. Keluaran: pembilang Σ of the
    capped achievements min(realisasi / target, 1), penyebut the number of activities. Summed as
    exact decimals, so the result does not depend on row order.
    """
    isu_of = {code: isu for isu, code in PROGRAM_ISU.items()}
    rows = program_kegiatan.filter(pl.col("tahun").is_in(years)).select(
        "kode_wilayah",
        "tahun",
        pl.col("isu").replace_strict(isu_of, default=None).alias("isu"),
        _exact(pl.col("pagu")).alias("pagu"),
        _exact(pl.col("realisasi_anggaran")).alias("realisasi"),
        _exact(
            pl.min_horizontal(
                pl.col("realisasi_keluaran").cast(F64) / pl.col("target_keluaran").cast(F64),
                pl.lit(1.0),
            )
        ).alias("capaian"),
    )
    sums = [
        pl.col("realisasi").sum().alias(f"{SERAPAN}__n"),
        pl.col("pagu").sum().alias(f"{SERAPAN}__d"),
        pl.col("capaian").sum().alias(f"{KELUARAN}__n"),
        pl.len().cast(EXACT).alias(f"{KELUARAN}__d"),
    ]
    per_area = pl.concat(
        [
            rows.group_by("kode_wilayah", "tahun", "isu")
            .agg(sums)
            .with_columns(pl.lit("kabupaten").alias("tingkat")),
            # The province: every activity in it, whichever area reported it.
            rows.group_by(pl.col("kode_wilayah").str.slice(0, 2), "tahun", "isu")
            .agg(sums)
            .with_columns(pl.lit("provinsi").alias("tingkat")),
        ]
    )
    grid = areas.filter(pl.col("tingkat").is_in(list(PROGRAM_LEVELS))).join(
        pl.LazyFrame({"tahun": years}, schema={"tahun": pl.Int32}), how="cross"
    )
    frames = []
    for kpi in kpis:
        kind = SERAPAN if kpi.kpi_id.startswith(f"program_{SERAPAN}_") else KELUARAN
        found = per_area.filter(pl.col("isu") == kpi.isu).select(
            "tingkat",
            "kode_wilayah",
            pl.col("tahun").cast(pl.Int32),
            pl.col(f"{kind}__n").cast(F64).alias("pembilang"),
            pl.col(f"{kind}__d").cast(F64).alias("penyebut"),
        )
        joined = grid.join(found, on=["tingkat", "kode_wilayah", "tahun"], how="left")
        frames.append(
            joined.select(
                "tingkat",
                "kode_wilayah",
                "nama_wilayah",
                "kode_kab",
                "tahun",
                pl.lit(kpi.kpi_id).alias("kpi_id"),
                (100.0 * pl.col("pembilang") / pl.col("penyebut")).alias("nilai"),
                "pembilang",
                "penyebut",
                pl.lit(None, dtype=pl.Int64).alias("desa_melapor"),  # not a village figure
                pl.when(pl.col("penyebut").is_null()).then(pl.lit(NO_ACTIVITY)).alias("keterangan"),
            )
        )
    return pl.concat(frames, how="vertical")


def compute_kpis(
    basis: pl.LazyFrame,
    kpis: tuple[Kpi, ...],
    areas: pl.LazyFrame,
    years: list[int],
    kemiskinan_kab: pl.LazyFrame,
    levels: tuple[str, ...] = tuple(AREA_KEYS),
    program_kegiatan: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """The `kpi` rows of the given KPIs at the given levels, with area names.

    `areas`: tingkat, kode_wilayah, nama_wilayah, kode_kab for every area of every level.
    `program_kegiatan`: the activities, for the programme KPIs (none given: no activity).
    """
    additive = tuple(k for k in kpis if k.additive)
    frames = []
    if additive:
        # Collected once: the desa level is it, the others are summed from it.
        contrib = contributions(basis, additive).collect().lazy()
        sums = level_sums(contrib, levels, additive)
        frames += [aggregate(sums[tingkat], tingkat, additive, areas) for tingkat in levels]
    program = tuple(k for k in kpis if k.program)
    if program:
        activities = (
            program_kegiatan
            if program_kegiatan is not None
            else pl.LazyFrame(
                schema={
                    "kode_wilayah": pl.String,
                    "tahun": pl.Int32,
                    "isu": pl.String,
                    "pagu": EXACT,
                    "realisasi_anggaran": EXACT,
                    "realisasi_keluaran": F64,
                    "target_keluaran": F64,
                }
            )
        )
        frames.append(
            program_kpis(
                areas.filter(pl.col("tingkat").is_in(list(levels))), years, activities, program
            )
        )
    for kpi in kpis:
        if not kpi.additive and not kpi.program:
            frames.append(
                bps_poverty(
                    areas.filter(pl.col("tingkat").is_in(list(levels))),
                    years,
                    kemiskinan_kab,
                    kpi.kpi_id,
                )
            )
    combined = pl.concat([f.select(list(KPI_SCHEMA)) for f in frames], how="vertical")
    return combined.cast(KPI_SCHEMA)  # type: ignore[arg-type]


def area_frame(wilayah: pl.LazyFrame) -> pl.LazyFrame:
    """Every area of the reference list at the four KPI levels, named."""
    return wilayah.select(
        "tingkat",
        pl.col("kode").alias("kode_wilayah"),
        pl.col("nama").alias("nama_wilayah"),
        pl.when(pl.col("tingkat") == "provinsi")
        .then(pl.col("kode"))
        .otherwise(pl.col("kode_kab"))
        .alias("kode_kab"),
    ).filter(pl.col("tingkat").is_in(list(AREA_KEYS)))
