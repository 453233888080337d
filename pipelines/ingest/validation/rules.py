"""The dataset rules: row rules one or a few datasets need, registered by name.

A dataset declares the rules it needs by name (`Dataset.rules` in pipelines.contracts.datasets);
each name is one small function here, registered with `@rule(name)`, that returns one `Check`.
Adding a rule is that declaration plus one function: the engine does not change. A declared
name with no function fails at import, so a typo cannot silently skip a rule.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl

from pipelines.contracts.datasets import DATASETS, PROGRAM_URUSAN, Dataset
from pipelines.contracts.idm_status import IDM, INDEKS_DESA, idm_score, idm_status
from pipelines.contracts.kpis import KPI_BY_ID
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation.issues import WARNING, Check

IDM_TOLERANCE = 0.001

Rule = Callable[[Reference], Check]


@dataclass(frozen=True)
class _Registered:
    function: Rule
    needs: str | None  # a column the file must have for the rule to run


RULES: dict[str, _Registered] = {}


def rule(name: str, needs: str | None = None) -> Callable[[Rule], Rule]:
    """Register a rule under the name datasets declare it by; `needs`: skip it when the file
    has no such column."""

    def register(function: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"aturan {name} didaftarkan dua kali")
        RULES[name] = _Registered(function, needs)
        return function

    return register


def rule_checks(dataset: Dataset, reference: Reference, present: set[str]) -> list[Check]:
    """The checks of the rules `dataset` declares, for a file with the columns `present`."""
    registered = [RULES[name] for name in dataset.rules]
    return [r.function(reference) for r in registered if r.needs is None or r.needs in present]


def check_declared(datasets: Iterable[Dataset]) -> None:
    """Every rule a dataset declares has a function."""
    unknown = sorted({f"{d.name}: {n}" for d in datasets for n in d.rules if n not in RULES})
    if unknown:
        raise LookupError(
            "dataset menyebut aturan yang tidak terdaftar di pipelines.ingest.validation.rules: "
            + ", ".join(unknown)
        )


def _idm_score() -> pl.Expr:
    return idm_score(pl.col("iks"), pl.col("ike"), pl.col("ikl"))


@rule("idm_score_matches_components", needs="nilai_idm")
def _idm_score_matches_components(reference: Reference) -> Check:
    score = _idm_score()
    # Rounded to 6 decimals so a difference of exactly 0.001 passes (docs/contracts.md).
    off = (pl.col("nilai_idm") - score).abs().round(6) > IDM_TOLERANCE
    return Check(
        "nilai_idm",
        pl.when(off).then(
            pl.format(
                "tidak sama dengan (iks + ike + ikl) / 3 = {} (toleransi 0,001)",
                score.round(4).cast(pl.String),
            )
        ),
    )


@rule("idm_status_matches_score", needs="status_idm")
def _idm_status_matches_score(reference: Reference) -> Check:
    return _stated_status_check(
        "status_idm",
        _idm_score(),
        reference,
        IDM,
        "status tertulis berbeda dengan status menurut nilai {} ({}); "
        "keduanya disimpan, indikator memakai status menurut nilai",
    )


@rule("indeks_desa_status_matches_score")
def _indeks_desa_status_matches_score(reference: Reference) -> Check:
    # The stated status is authoritative (docs/contracts.md); a disagreement is only reported.
    return _stated_status_check(
        "status_indeks_desa",
        pl.col("skor_indeks_desa"),
        reference,
        INDEKS_DESA,
        "status tertulis berbeda dengan status menurut skor {} dan ambang batas "
        "({}; ambang belum diverifikasi); status tertulis yang dipakai",
    )


@rule("kpi_id_in_catalogue")
def _kpi_id_in_catalogue(reference: Reference) -> Check:
    unknown = pl.col("kpi_id").is_not_null() & ~pl.col("kpi_id").is_in(list(KPI_BY_ID))
    return Check(
        "kpi_id",
        pl.when(unknown).then(
            pl.lit("kpi_id tidak ada dalam katalog indikator (lihat halaman Metadata)")
        ),
    )


@rule("kode_kegiatan_urusan_pmd")
def _kode_kegiatan_urusan_pmd(reference: Reference) -> Check:
    # Other affairs serve the issues too (docs/contracts.md): outside 2.13 is only a warning.
    code = pl.col("kode_kegiatan")
    outside = code.is_not_null() & ~code.str.strip_chars().str.starts_with(PROGRAM_URUSAN)
    return Check(
        "kode_kegiatan",
        pl.when(outside).then(
            pl.lit(
                f"kode di luar urusan pemberdayaan masyarakat dan desa "
                f"({PROGRAM_URUSAN}); diterima, periksa kembali kodenya"
            )
        ),
        WARNING,
    )


def _stated_status_check(
    column: str, score: pl.Expr, reference: Reference, skema: str, message: str
) -> Check:
    """A warning where the file's stated status differs from the score's status under the
    scheme's cut-offs; `message` gets the score (as published) and the derived status."""
    derived = idm_status(score, pl.col("tahun"), reference.thresholds, skema=skema)
    differs = pl.col(column).is_not_null() & (pl.col(column) != derived)
    rows = reference.thresholds.filter(pl.col("skema") == skema)
    decimals = int(rows["desimal"].max()) if rows.height else 4  # as the scheme publishes it
    shown = score.round(decimals).cast(pl.String)
    return Check(column, pl.when(differs).then(pl.format(message, shown, derived)), WARNING)


check_declared(DATASETS.values())  # last: after every @rule above has registered
