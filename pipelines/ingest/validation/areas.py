"""Stage 3 and the reference lists: which village or kabupaten each row is about.

A row names its area by a Kemendagri code, by a BPS kabupaten code (through the crosswalk), or
by names matched to codes (pipelines.ingest.matching); every row ends with `kode_kab`. Once the
cells are typed, the codes are looked up in the Kemendagri lists: an unknown code, or a
kelurahan where a dataset accepts desa only, is a row error.
"""

import polars as pl

from pipelines.contracts.datasets import AREA_COLUMNS, VILLAGE_NAME_COLUMNS, Dataset, Villages
from pipelines.ingest.parsing import blank_to_null
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation.issues import Check

NATIONAL_CODE = "00"  # target_kpi: a national target


def locate_areas(
    raw: pl.DataFrame, dataset: Dataset, reference: Reference, present: set[str]
) -> tuple[pl.DataFrame, list[Check], list[str], list[str]]:
    """Resolve which area each row is about. Adds the resolved code column to `present`;
    returns (frame, row checks, name-match notes, file errors)."""
    if dataset.villages is Villages.KABUPATEN:
        # Only the area columns the dataset declares (program_kegiatan: kode_wilayah alone).
        declared = [c for c in AREA_COLUMNS if c in dataset.column_index]
        area_cols = [c for c in declared if c in present]
        if len(area_cols) != 1:
            return (
                raw,
                [],
                [],
                [
                    _area_columns_error(declared)
                    + f"; berkas ini memiliki {', '.join(area_cols) or 'tidak satu pun'}"
                ],
            )
        raw, checks, notes = _resolve_area(raw, reference, area_cols)
        present.add("kode_wilayah")
        blank = pl.when(pl.col(area_cols[0]).is_null()).then(pl.lit("wajib diisi"))
        return raw, [*checks, Check(area_cols[0], blank)], notes, []
    if dataset.villages in (Villages.WILAYAH, Villages.TANPA_WILAYAH) or "kode_desa" in present:
        return raw, [], [], []  # kode_wilayah is then a required column like any other
    if {"nama_desa", "nama_kabupaten"} <= present:
        raw, checks, notes = _resolve_village_names(raw, reference)
        present.add("kode_desa")
        return raw, checks, notes, []
    return (
        raw,
        [],
        [],
        [
            "kolom kode_desa tidak ada (atau, bila hanya ada nama: nama_kabupaten, "
            "nama_kecamatan dan nama_desa)"
        ],
    )


_AREA_COLUMN_LABELS = {
    "kode_wilayah": "kode_wilayah (kode Kemendagri)",
    "kode_bps": "kode_bps (kode BPS)",
    "nama_wilayah": "nama_wilayah",
}


def _area_columns_error(declared: list[str]) -> str:
    if len(declared) == 1:
        return f"kolom wilayah {_AREA_COLUMN_LABELS[declared[0]]} wajib ada"
    labels = [_AREA_COLUMN_LABELS[c] for c in declared]
    return (
        f"wilayah harus ditulis dengan tepat satu kolom: {', '.join(labels[:-1])} atau {labels[-1]}"
    )


def _resolve_village_names(
    raw: pl.DataFrame, reference: Reference
) -> tuple[pl.DataFrame, list[Check], list[str]]:
    """Names-only file: add kode_desa from nama_kabupaten/nama_kecamatan/nama_desa."""
    cols = [c for c in VILLAGE_NAME_COLUMNS if c in raw.columns]
    triples = raw.select(cols).unique()
    has_kec = "nama_kecamatan" in cols
    codes, errors, notes = [], [], []
    for row in triples.iter_rows(named=True):
        kab, kec, desa = row["nama_kabupaten"], row.get("nama_kecamatan"), row["nama_desa"]
        if not kab or not desa:
            codes.append(None)
            errors.append("nama_kabupaten dan nama_desa wajib diisi bila kode_desa tidak ada")
            continue
        match, steps = reference.matcher.desa(kab, kec if has_kec else None, desa)
        codes.append(match.kode)
        errors.append(match.error)
        if match.kode is not None and any(step.score < 100 for step in (*steps, match)):
            notes.append(
                f"'{desa}' ({kec + ', ' if kec else ''}{kab}) dicocokkan dengan "
                f"{match.nama} ({match.kode}), skor {match.score:.0f}"
            )
    lookup = triples.with_columns(
        pl.Series("kode_desa", codes, dtype=pl.String),
        pl.Series("_match_error", errors, dtype=pl.String),
    )
    joined = raw.join(lookup, on=cols, how="left", nulls_equal=True, maintain_order="left")
    check = Check("nama_desa", pl.col("_match_error"))
    return joined, [check], sorted(notes)


def _resolve_area(
    raw: pl.DataFrame, reference: Reference, present_area: list[str]
) -> tuple[pl.DataFrame, list[Check], list[str]]:
    """kemiskinan_kab: turn kode_wilayah / kode_bps / nama_wilayah into kode_wilayah."""
    area = present_area[0]
    if area == "kode_wilayah":
        return raw, [], []
    if area == "kode_bps":
        text = blank_to_null(pl.col("kode_bps")).str.replace(r"\.0+$", "")
        mapping = pl.DataFrame(
            {
                "_bps": list(reference.bps_to_kemendagri),
                "kode_wilayah": list(reference.bps_to_kemendagri.values()),
            }
        )
        joined = raw.with_columns(text.alias("_bps")).join(
            mapping, on="_bps", how="left", maintain_order="left"
        )
        message = pl.when(pl.col("_bps").is_not_null() & pl.col("kode_wilayah").is_null()).then(
            pl.lit("kode BPS tidak ada dalam tabel padanan BPS-Kemendagri")
        )
        return joined, [Check("kode_bps", message)], []
    names = raw["nama_wilayah"].drop_nulls().unique().to_list()
    codes, errors, notes = [], [], []
    for name in names:
        match = reference.matcher.kabupaten_or_provinsi(name)
        codes.append(match.kode)
        errors.append(match.error)
        if match.kode is not None and match.score < 100:
            notes.append(
                f"'{name}' dicocokkan dengan {match.nama} ({match.kode}), skor {match.score:.0f}"
            )
    lookup = pl.DataFrame(
        {"nama_wilayah": names, "kode_wilayah": codes, "_match_error": errors},
        schema={"nama_wilayah": pl.String, "kode_wilayah": pl.String, "_match_error": pl.String},
    )
    joined = raw.join(lookup, on="nama_wilayah", how="left", maintain_order="left")
    return joined, [Check("nama_wilayah", pl.col("_match_error"))], sorted(notes)


def attach_reference(typed: pl.DataFrame, dataset: Dataset, reference: Reference) -> pl.DataFrame:
    if dataset.villages is Villages.TANPA_WILAYAH:  # no area to look up
        return typed.with_columns(
            pl.lit(None, dtype=pl.String).alias("kode_kab"),
            pl.lit(True).alias("_known"),
            pl.lit(None, dtype=pl.String).alias("_jenis"),
        )
    if dataset.villages.by_area_code:
        codes = reference.area_codes | (
            {NATIONAL_CODE} if dataset.villages is Villages.WILAYAH else set()
        )
        known = pl.col("kode_wilayah").is_in(list(codes))
        return typed.with_columns(
            pl.col("kode_wilayah").alias("kode_kab"), known.alias("_known")
        ).with_columns(pl.lit(None, dtype=pl.String).alias("_jenis"))
    villages = reference.desa_of_provinces(typed["kode_desa"])
    return typed.join(
        villages.select("kode_desa", pl.col("jenis").alias("_jenis"), "kode_kab"),
        on="kode_desa",
        how="left",
        maintain_order="left",
    ).with_columns(pl.col("_jenis").is_not_null().alias("_known"))


def reference_checks(dataset: Dataset) -> list[Check]:
    if dataset.villages is Villages.TANPA_WILAYAH:
        return []
    area = dataset.area_column
    unknown = pl.col(area).is_not_null() & ~pl.col("_known")
    where = {
        Villages.KABUPATEN: "kab/kota atau provinsi",
        Villages.WILAYAH: f"kab/kota, provinsi, atau nasional ({NATIONAL_CODE})",
    }.get(dataset.villages, "desa/kelurahan")
    checks = [
        Check(
            area, pl.when(unknown).then(pl.lit(f"kode tidak ada dalam daftar {where} Kemendagri"))
        )
    ]
    if dataset.villages is Villages.DESA:
        checks.append(
            Check(
                area,
                pl.when(pl.col("_jenis") == "kelurahan").then(
                    pl.lit(f"kode ini kelurahan; dataset {dataset.name} hanya untuk desa")
                ),
            )
        )
    return checks
