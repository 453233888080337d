"""Check a raw table against its dataset declaration: one generic path for every dataset.

The result is either a typed frame ready for the warehouse, or the full list of what is wrong:
every bad cell of every row (line, column, value, reason), never just the first. File-level
problems (missing columns, personal data) stop the check early, because row errors would only
repeat them.

Why not pandera: the errors here must name the source line and the cell as the officer typed it,
in Bahasa Indonesia, and most of them arise while parsing text into types, before a typed schema
could run. Each rule is one vectorised Polars expression, so a library would add a layer of
translation without removing any code.
"""

import re
from dataclasses import dataclass, field

import polars as pl

from pipelines.contracts.datasets import (
    AREA_COLUMNS,
    PROGRAM_URUSAN,
    VILLAGE_NAME_COLUMNS,
    Column,
    Dataset,
    Kind,
    Villages,
)
from pipelines.contracts.idm_status import (
    IDM,
    INDEKS_DESA,
    idm_score,
    idm_status,
)
from pipelines.contracts.kpis import KPI_BY_ID
from pipelines.contracts.privacy import is_personal_header, personal_value_columns
from pipelines.ingest.parsing import (
    NUMERIC_KINDS,
    blank_to_null,
    normalise_token,
    parse_column,
    stage_numbers,
)
from pipelines.ingest.reading import LINE, RawTable, normalise_header
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import Upload

ERROR, WARNING = "kesalahan", "peringatan"
ISSUE_SCHEMA = {
    "baris": pl.Int64,
    "kolom": pl.String,
    "nilai": pl.String,
    "alasan": pl.String,
    "tingkat": pl.String,
}
IDM_TOLERANCE = 0.001
NATIONAL_CODE = "00"  # target_kpi: a national target
PLAIN_NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass
class Validation:
    rows: pl.DataFrame | None  # typed rows (None when the file is rejected)
    issues: pl.DataFrame  # ISSUE_SCHEMA, row-level errors and warnings
    file_errors: list[str] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)  # name matches, for the report
    personal_data: bool = False
    # The personal-data columns, as their headers are written (never their values): the error
    # workbook leaves them out.
    personal_columns: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.file_errors and self.error_count == 0

    @property
    def error_count(self) -> int:
        return self.issues.filter(pl.col("tingkat") == ERROR).height

    @property
    def warnings(self) -> pl.DataFrame:
        return self.issues.filter(pl.col("tingkat") == WARNING)


def _empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def _rejected(
    errors: list[str], warnings: list[str], personal: list[str] | None = None
) -> Validation:
    return Validation(
        None,
        _empty_issues(),
        errors,
        warnings,
        personal_data=bool(personal),
        personal_columns=list(personal or []),
    )


@dataclass
class _Check:
    column: str  # the column named in the report
    message: pl.Expr  # String expr: the reason, or NULL when the row is fine
    severity: str = ERROR


@dataclass
class PersonalData:
    """Where a file holds personal data, named by place only, never by value."""

    columns: list[str]  # headers (as written) of the sheet the pipeline reads
    sheets: dict[str, list[str]]  # every other sheet of a workbook: its Excel column letters

    def __bool__(self) -> bool:
        return bool(self.columns or self.sheets)


def find_personal_data(table: RawTable, dataset: Dataset) -> PersonalData:
    """The privacy check of datasets.md, on every sheet. The sheet the pipeline reads: a column
    is personal by its header's words or by any of its values' shape (a value of the declared
    length in a declared identifier column, the NIB, is that identifier). Every other sheet has
    no known header row, so each of its cells is judged both ways, as a header and as a value."""
    values = table.frame.select(pl.exclude(LINE))
    lengths = {c.name: c.digits for c in dataset.all_columns if c.kind is Kind.DIGITS and c.digits}
    identifiers = {
        column: lengths[name]
        for column, name in zip(
            values.columns, canonical_names(table.source_columns, dataset), strict=True
        )
        if name in lengths
    }
    # By position: a header may be written twice, or look like a pattern (`*`).
    flagged = set(personal_value_columns(values, identifiers))
    columns = [
        header
        for header, name in zip(table.source_columns, values.columns, strict=True)
        if is_personal_header(header) or name in flagged
    ]
    sheets = {}
    for sheet, letters, frame in table.other_sheets:
        by_value = set(personal_value_columns(frame))
        found = [
            letter
            for letter, column in zip(letters, frame.iter_columns(), strict=True)
            if column.name in by_value
            or any(map(is_personal_header, column.alias("v").drop_nulls().unique()))
        ]
        if found:
            sheets[sheet] = found
    return PersonalData(columns, sheets)


def _format_bound(column: Column, bound: float | str) -> str:
    if isinstance(bound, str):
        return bound
    return f"{bound:g}"


def _range_checks(dataset: Dataset, present: set[str]) -> list[_Check]:
    checks = []
    for column in dataset.all_columns:
        if column.name not in present:
            continue
        value = pl.col(column.name)
        severity = ERROR if column.range_blocking else WARNING
        if column.minimum is not None:
            bound = (
                pl.col(column.minimum)
                if isinstance(column.minimum, str)
                else pl.lit(column.minimum)
            )
            too_low = value <= bound if column.minimum_exclusive else value < bound
            sign = ">" if column.minimum_exclusive else ">="
            text = f"harus {sign} {_format_bound(column, column.minimum)}"
            checks.append(_Check(column.name, pl.when(too_low).then(pl.lit(text)), severity))
        if column.maximum is not None:
            if isinstance(column.maximum, str):
                if column.maximum not in present:
                    continue
                bound = pl.col(column.maximum)
                text = pl.format(
                    "tidak boleh lebih besar dari {} ({})",
                    pl.lit(column.maximum),
                    bound.cast(pl.String),
                )
            else:
                bound = pl.lit(column.maximum)
                text = pl.lit(f"harus <= {_format_bound(column, column.maximum)}")
            checks.append(_Check(column.name, pl.when(value > bound).then(text), severity))
    return checks


def _extra_checks(dataset: Dataset, reference: Reference, present: set[str]) -> list[_Check]:
    checks = []
    score = idm_score(pl.col("iks"), pl.col("ike"), pl.col("ikl"))
    if "idm_score_matches_components" in dataset.extra_checks and "nilai_idm" in present:
        # Rounded to 6 decimals so a difference of exactly 0.001 passes (datasets.md).
        off = (pl.col("nilai_idm") - score).abs().round(6) > IDM_TOLERANCE
        checks.append(
            _Check(
                "nilai_idm",
                pl.when(off).then(
                    pl.format(
                        "tidak sama dengan (iks + ike + ikl) / 3 = {} (toleransi 0,001)",
                        score.round(4).cast(pl.String),
                    )
                ),
            )
        )
    if "idm_status_matches_score" in dataset.extra_checks and "status_idm" in present:
        checks.append(
            _stated_status_check(
                "status_idm",
                score,
                reference,
                IDM,
                "status tertulis berbeda dengan status menurut nilai {} ({}); "
                "keduanya disimpan, indikator memakai status menurut nilai",
            )
        )
    if "kpi_id_in_catalogue" in dataset.extra_checks:
        unknown = pl.col("kpi_id").is_not_null() & ~pl.col("kpi_id").is_in(list(KPI_BY_ID))
        checks.append(
            _Check(
                "kpi_id",
                pl.when(unknown).then(
                    pl.lit("kpi_id tidak ada dalam katalog indikator (lihat halaman Metadata)")
                ),
            )
        )
    if "kode_kegiatan_urusan_pmd" in dataset.extra_checks:
        # Other affairs serve the issues too (datasets.md): outside 2.13 is only a warning.
        outside = pl.col("kode_kegiatan").is_not_null() & ~pl.col(
            "kode_kegiatan"
        ).str.strip_chars().str.starts_with(PROGRAM_URUSAN)
        checks.append(
            _Check(
                "kode_kegiatan",
                pl.when(outside).then(
                    pl.lit(
                        f"kode di luar urusan pemberdayaan masyarakat dan desa "
                        f"({PROGRAM_URUSAN}); diterima, periksa kembali kodenya"
                    )
                ),
                WARNING,
            )
        )
    if "indeks_desa_status_matches_score" in dataset.extra_checks:
        # The stated status is authoritative (kpis.md); a disagreement is only reported.
        checks.append(
            _stated_status_check(
                "status_indeks_desa",
                pl.col("skor_indeks_desa"),
                reference,
                INDEKS_DESA,
                "status tertulis berbeda dengan status menurut skor {} dan ambang batas "
                "({}; ambang belum diverifikasi); status tertulis yang dipakai",
            )
        )
    return checks


def _stated_status_check(
    column: str, score: pl.Expr, reference: Reference, skema: str, message: str
) -> _Check:
    """A warning where the file's stated status differs from the score's status under the
    scheme's cut-offs; `message` gets the score (as published) and the derived status."""
    derived = idm_status(score, pl.col("tahun"), reference.thresholds, skema=skema)
    differs = pl.col(column).is_not_null() & (pl.col(column) != derived)
    rows = reference.thresholds.filter(pl.col("skema") == skema)
    decimals = int(rows["desimal"].max()) if rows.height else 4  # as the scheme publishes it
    shown = score.round(decimals).cast(pl.String)
    return _Check(column, pl.when(differs).then(pl.format(message, shown, derived)), WARNING)


def _resolve_village_names(
    raw: pl.DataFrame, reference: Reference
) -> tuple[pl.DataFrame, list[_Check], list[str]]:
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
    check = _Check("nama_desa", pl.col("_match_error"))
    return joined, [check], sorted(notes)


def _resolve_area(
    raw: pl.DataFrame, reference: Reference, present_area: list[str]
) -> tuple[pl.DataFrame, list[_Check], list[str]]:
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
        return joined, [_Check("kode_bps", message)], []
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
    return joined, [_Check("nama_wilayah", pl.col("_match_error"))], sorted(notes)


def validate(
    table: RawTable, dataset: Dataset, reference: Reference, upload: Upload | None = None
) -> Validation:
    """Check one raw table against its declaration, in stages:

    0. the upload (spec/access.md): an untrusted sidecar, or a dataset the uploader's role may
       not send, rejects the file; a scoped uploader's rows must all lie in its kabupaten;

    1. personal data, on every sheet of a workbook: a file with any is rejected whole, before
       anything else reads it;
    2. headers: canonical names (aliases included), no column twice;
    3. areas: which village or kabupaten each row is about (codes, BPS codes or names);
    4. required columns present;
    5. cells parsed by their declared kind, in one lazy pass with the parse checks;
    6. rules on typed values: reference lists, ranges, dataset checks, duplicate keys.

    Stages 1-4 find file-level problems and stop early (row errors would only repeat them).
    """
    refused = _refused_upload(upload, dataset, reference)
    if refused is not None:
        return _rejected([refused], [])
    personal = find_personal_data(table, dataset)
    if personal:
        return _personal_data_rejection(personal, table)
    headers = _canonical_headers(table, dataset)
    if isinstance(headers, Validation):
        return headers
    raw, source_names = headers

    warnings = _unknown_column_warnings(dataset, source_names)
    present = set(source_names)
    raw, checks, notes, file_errors = _locate_areas(raw, dataset, reference, present)
    file_errors += _missing_required(dataset, present)
    if file_errors:
        return _rejected(file_errors, warnings)

    typed, all_checks = _parse_cells(raw, table, dataset, present, set(source_names), checks)
    scope = upload.kode_kab if upload is not None else None
    extra = (
        [_scope_check(dataset, reference, scope, set(source_names))]
        if scope and dataset.villages is not Villages.TANPA_WILAYAH
        else []
    )
    typed, value_checks = _check_values(typed, dataset, reference, present, len(all_checks), extra)
    all_checks += value_checks

    issues = _collect_issues(typed, raw, all_checks)
    rows = None
    if issues.filter(pl.col("tingkat") == ERROR).height == 0:
        rows = typed.select(*[c.name for c in dataset.all_columns], "kode_kab", LINE).with_columns(
            pl.col("sintetis").fill_null(False)
        )
    return Validation(rows, issues, [], warnings, notes)


def canonical_names(source_columns: list[str], dataset: Dataset) -> list[str]:
    """The canonical name of each header as written: normalised, an alias as its column. A
    header that is not a plain name (`*`, `^x$`) would be a pattern to pl.col, so it gets a
    safe name of its own; reports still show the header as written."""
    aliases = {alias: c.name for c in dataset.all_columns for alias in c.aliases}
    names = [aliases.get(n, n) for n in map(normalise_header, source_columns)]
    return [n if PLAIN_NAME.match(n) else f"_kolom_{i + 1}" for i, n in enumerate(names)]


def _canonical_headers(
    table: RawTable, dataset: Dataset
) -> tuple[pl.DataFrame, dict[str, str]] | Validation:
    """Rename the columns to their canonical names (an alias counts as its column) and blank
    cells to NULL; returns the frame and {canonical: header as written}, or a rejection."""
    canonical = canonical_names(table.source_columns, dataset)
    source_names: dict[str, str] = {}
    for source, name in zip(table.source_columns, canonical, strict=True):
        if name in source_names:
            return _rejected([f"kolom '{source}' dan '{source_names[name]}' bernama sama"], [])
        source_names[name] = source
    raw = table.frame.rename(dict(zip(table.source_columns, canonical, strict=True)))
    return raw.with_columns(blank_to_null(pl.col(c)).alias(c) for c in canonical), source_names


def _personal_data_rejection(personal: PersonalData, table: RawTable) -> Validation:
    """Names each place (sheet, column) to clean, never a value: a cell on another sheet may
    be a name, so those are named by their Excel column letter only."""
    places = []
    if personal.columns:
        where = f"kolom {', '.join(personal.columns)}"
        if table.other_sheets:  # a workbook of several sheets: say which one
            where += f" di lembar '{table.sheet_name}'"
        places.append(where)
    places += [
        f"lembar '{sheet}' kolom {', '.join(letters)}" for sheet, letters in personal.sheets.items()
    ]
    validation = _rejected(
        [
            f"berkas berisi data pribadi: {'; '.join(places)}. Dataset ini hanya menerima angka "
            "agregat; hapus kolom tersebut (NIK, No. KK, nama perorangan, nomor HP/WhatsApp, "
            "alamat e-mail), atau lembar yang memuatnya, lalu kirim ulang. Isi berkas tidak "
            "disalin ke mana pun selain folder rejected/."
        ],
        [],
        personal=personal.columns,
    )
    validation.personal_data = True
    return validation


def _unknown_column_warnings(dataset: Dataset, source_names: dict[str, str]) -> list[str]:
    declared = {c.name for c in dataset.all_columns}
    if dataset.villages in (Villages.DESA, Villages.DESA_KELURAHAN):
        declared |= set(VILLAGE_NAME_COLUMNS)
    unknown = [source for name, source in source_names.items() if name not in declared]
    return [f"kolom yang tidak dikenal diabaikan: {', '.join(unknown)}"] if unknown else []


def _locate_areas(
    raw: pl.DataFrame, dataset: Dataset, reference: Reference, present: set[str]
) -> tuple[pl.DataFrame, list[_Check], list[str], list[str]]:
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
        return raw, [*checks, _Check(area_cols[0], blank)], notes, []
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


def _missing_required(dataset: Dataset, present: set[str]) -> list[str]:
    missing = [
        c.name
        for c in dataset.all_columns
        if c.required and c.name not in present and c.name not in AREA_COLUMNS
    ]
    return [f"kolom wajib tidak ada: {', '.join(missing)}"] if missing else []


def _parse_cells(
    raw: pl.DataFrame,
    table: RawTable,
    dataset: Dataset,
    present: set[str],
    in_file: set[str],
    area_checks: list[_Check],
) -> tuple[pl.DataFrame, list[_Check]]:
    """Every declared column typed by its kind. The area checks and the parse checks read the
    raw text, so they run in the same pass; returns the typed frame and all those checks."""
    # Codes resolved from names or BPS codes are typed already.
    resolved = {"kode_desa"} if "kode_desa" not in in_file else set()
    if dataset.villages is Villages.KABUPATEN and "kode_wilayah" not in in_file:
        resolved.add("kode_wilayah")

    def is_native(column: Column) -> bool:
        # Excel cells typed as numbers skip the locale rules; a code column from Excel may
        # hold a mix of text and numeric cells, so codes read from Excel always get the
        # numeric-code repair (62.1 -> 62.10).
        return column.name in table.native_numeric or (
            table.from_excel and column.kind in (Kind.KODE_WILAYAH, Kind.TAHUN)
        )

    numbers = [
        (c.name, c.kind, is_native(c))
        for c in dataset.all_columns
        if c.kind in NUMERIC_KINDS and c.name in present and c.name not in resolved
    ]
    raw = stage_numbers(raw, numbers)
    parsed_cols, checks = [], list(area_checks)
    for column in dataset.all_columns:
        if column.name not in present:
            parsed_cols.append(pl.lit(None).cast(_polars_type(column)).alias(column.name))
            continue
        if column.name in resolved and column.kind is not Kind.TEXT:
            parsed_cols.append(pl.col(column.name).alias(column.name))
            continue
        value, error = parse_column(pl.col(column.name), column, is_native(column))
        parsed_cols.append(value.cast(_polars_type(column)).alias(column.name))
        checks += [_Check(column.name, error), *_cell_checks(column)]

    # Parse checks read the raw text, so they and the typed values are computed in one lazy
    # pass (shared sub-expressions run once), then the typed values replace the text columns.
    typed_names = [e.meta.output_name() for e in parsed_cols]
    typed = (
        raw.lazy()
        .with_columns(
            *[c.message.alias(f"__chk{i}") for i, c in enumerate(checks)],
            *[e.alias(f"__typed_{n}") for e, n in zip(parsed_cols, typed_names, strict=True)],
        )
        .drop([n for n in typed_names if n in raw.columns])
        .rename({f"__typed_{n}": n for n in typed_names})
        .collect()
    )
    return typed, checks


def _cell_checks(column: Column) -> list[_Check]:
    """Required cells filled; unknown categories mapped, with a warning."""
    checks = []
    if column.required:
        blank = pl.when(pl.col(column.name).is_null()).then(pl.lit("wajib diisi"))
        checks.append(_Check(column.name, blank))
    if column.unknown_category_becomes is not None:
        token = normalise_token(pl.col(column.name))
        unknown = pl.col(column.name).is_not_null() & ~token.is_in(list(column.categories))
        message = f"nilai tidak dikenal, dicatat sebagai '{column.unknown_category_becomes}'"
        checks.append(_Check(column.name, pl.when(unknown).then(pl.lit(message)), WARNING))
    return checks


def _check_values(
    typed: pl.DataFrame,
    dataset: Dataset,
    reference: Reference,
    present: set[str],
    offset: int,
    extra: list[_Check],
) -> tuple[pl.DataFrame, list[_Check]]:
    """Rules on typed values; their messages land in `__chk<offset + i>` columns."""
    typed = _attach_reference(typed, dataset, reference)
    checks = _reference_checks(dataset) + _range_checks(dataset, present) + extra
    checks += _extra_checks(dataset, reference, present)
    # The duplicate message needs a window per key; compute it only when some key repeats.
    if typed.select(pl.struct(_key_exprs(dataset)).is_duplicated().any()).item():
        checks.append(_duplicate_key_check(dataset))
    typed = typed.with_columns(
        [c.message.alias(f"__chk{offset + i}") for i, c in enumerate(checks)]
    )
    return typed, checks


def _polars_type(column: Column) -> pl.DataType:
    return {
        "VARCHAR": pl.String(),
        "INTEGER": pl.Int32(),
        "BIGINT": pl.Int64(),
        "DECIMAL(18,2)": pl.Decimal(18, 2),
        "DOUBLE": pl.Float64(),
        "BOOLEAN": pl.Boolean(),
        "DATE": pl.Date(),
    }[column.sql_type]


def _attach_reference(typed: pl.DataFrame, dataset: Dataset, reference: Reference) -> pl.DataFrame:
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
    return typed.join(
        reference.desa.select("kode_desa", pl.col("jenis").alias("_jenis"), "kode_kab"),
        on="kode_desa",
        how="left",
        maintain_order="left",
    ).with_columns(pl.col("_jenis").is_not_null().alias("_known"))


def _reference_checks(dataset: Dataset) -> list[_Check]:
    if dataset.villages is Villages.TANPA_WILAYAH:
        return []
    area = dataset.area_column
    unknown = pl.col(area).is_not_null() & ~pl.col("_known")
    where = {
        Villages.KABUPATEN: "kab/kota atau provinsi",
        Villages.WILAYAH: f"kab/kota, provinsi, atau nasional ({NATIONAL_CODE})",
    }.get(dataset.villages, "desa/kelurahan")
    checks = [
        _Check(
            area, pl.when(unknown).then(pl.lit(f"kode tidak ada dalam daftar {where} Kemendagri"))
        )
    ]
    if dataset.villages is Villages.DESA:
        checks.append(
            _Check(
                area,
                pl.when(pl.col("_jenis") == "kelurahan").then(
                    pl.lit(f"kode ini kelurahan; dataset {dataset.name} hanya untuk desa")
                ),
            )
        )
    return checks


def _key_exprs(dataset: Dataset) -> list[pl.Expr]:
    """The natural key; name columns compare case- and space-insensitively."""
    key_exprs = []
    for name in dataset.key:
        expr = pl.col(name)
        if name in dataset.loose_key_columns:
            # literal replaces: a regex over every name costs several times more
            expr = (
                expr.str.to_lowercase()
                .str.replace_all(" ", "", literal=True)
                .str.replace_all("\t", "", literal=True)
                .str.replace_all("\u00a0", "", literal=True)
                .alias(name)
            )
        key_exprs.append(expr)
    return key_exprs


def _duplicate_key_check(dataset: Dataset) -> _Check:
    key_exprs = _key_exprs(dataset)
    first_line = pl.col(LINE).min().over(key_exprs)
    duplicate = pl.len().over(key_exprs) > 1
    complete = pl.all_horizontal(pl.col(n).is_not_null() for n in dataset.key)
    return _Check(
        dataset.key[0],
        pl.when(duplicate & complete).then(
            pl.format(
                "kunci ({}) muncul lebih dari sekali; pertama di baris {}",
                pl.lit(", ".join(dataset.key)),
                first_line.cast(pl.String),
            )
        ),
    )


def _collect_issues(typed: pl.DataFrame, raw: pl.DataFrame, checks: list[_Check]) -> pl.DataFrame:
    if not checks:
        return _empty_issues()
    parts = []
    for i, check in enumerate(checks):
        col = f"__chk{i}"
        hits = typed.filter(pl.col(col).is_not_null())
        if hits.height == 0:
            continue
        value = (
            raw.select(LINE, pl.col(check.column).cast(pl.String).alias("nilai"))
            if check.column in raw.columns
            else raw.select(LINE, pl.lit(None, dtype=pl.String).alias("nilai"))
        )
        parts.append(
            hits.select(pl.col(LINE).alias("baris"), pl.col(col).alias("alasan"))
            .join(value.rename({LINE: "baris"}), on="baris", how="left")
            .select(
                "baris",
                pl.lit(check.column).alias("kolom"),
                "nilai",
                "alasan",
                pl.lit(check.severity).alias("tingkat"),
            )
        )
    if not parts:
        return _empty_issues()
    return pl.concat(parts).unique().sort("baris", "kolom", "alasan")


# --- uploads through the dashboard (spec/access.md) ---------------------------------------


def _kabupaten_name(reference: Reference, kode_kab: str) -> str | None:
    names = reference.wilayah.filter(
        (pl.col("kode") == kode_kab) & (pl.col("tingkat") == "kabupaten")
    )["nama"]
    return names[0] if len(names) else None


def _refused_upload(upload: Upload | None, dataset: Dataset, reference: Reference) -> str | None:
    """Why the whole file is refused for who sent it, or None."""
    if upload is None:
        return None
    if upload.problem is not None:
        return upload.problem
    if upload.peran == "petugas" and not dataset.uploadable_by_petugas:
        return (
            f"dataset {dataset.name} tidak dapat dikirim oleh petugas kabupaten; "
            "mintalah analis provinsi mengirimnya"
        )
    if upload.kode_kab is not None and _kabupaten_name(reference, upload.kode_kab) is None:
        return f"wilayah pengunggah ({upload.kode_kab}) tidak ada dalam daftar kabupaten/kota"
    return None


def _scope_check(
    dataset: Dataset, reference: Reference, kode_kab: str, in_file: set[str]
) -> _Check:
    """A row whose area lies outside the uploader's kabupaten is an error naming that row.

    The check reads `kode_kab`, which every row has once its area is resolved (from a code, a
    BPS code or names), so it holds however the file names its areas. It names the column the
    officer wrote; where that was not the code itself, the reason gives the resolved code.
    """
    where = _kabupaten_name(reference, kode_kab)
    area = dataset.area_column
    outside = pl.col("kode_kab").is_not_null() & (pl.col("kode_kab") != kode_kab)
    if area in in_file:
        return _Check(area, pl.when(outside).then(pl.lit(f"bukan wilayah {where}")))
    if dataset.villages is Villages.KABUPATEN:
        column = next(c for c in AREA_COLUMNS if c in in_file)
    else:
        column = "nama_desa"
    reason = pl.format("wilayah ini ({}) bukan wilayah {}", pl.col(area), pl.lit(where))
    return _Check(column, pl.when(outside).then(reason))
