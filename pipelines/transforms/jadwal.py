"""The shipped reporting calendar (data/reference/jadwal_pelaporan.csv), read by the same
declaration and cell parsers as a calendar file sent to the inbox.

Analysts' files (`jadwal_pelaporan`, asal 'berkas') replace the shipped rows (asal 'bawaan') of
the (dataset, tahun_data) pairs they hold; sql/publish/jadwal_pelaporan.sql merges the two.
"""

from pathlib import Path

import polars as pl

from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.parsing import blank_to_null, parse_column

CALENDAR = DATASETS["jadwal_pelaporan"]
CALENDAR_COLUMNS = ("dataset", "tahun_data", "tenggat", "keterangan")


def read_shipped_calendar(path: Path) -> pl.DataFrame:
    """The shipped calendar, every cell checked as an inbox file's would be; a bad row stops
    the run with the row named (a shipped file is the project's to fix, not an officer's)."""
    raw = pl.read_csv(path, infer_schema=False).with_row_index("_baris", offset=2)
    parsed, problems = [], []
    for name in CALENDAR_COLUMNS:
        column = CALENDAR.column(name)
        value, error = parse_column(blank_to_null(pl.col(name)), column, native=False)
        if column.required:
            error = pl.coalesce(error, pl.when(pl.col(name).is_null()).then(pl.lit("wajib diisi")))
        parsed.append(value.alias(name))
        problems.append(pl.format("kolom {}: {}", pl.lit(name), error))
    typed = raw.select("_baris", *parsed, pl.coalesce(problems).alias("_masalah"))
    bad = typed.filter(pl.col("_masalah").is_not_null())
    if bad.height:
        lines = [f"baris {r['_baris']}: {r['_masalah']}" for r in bad.iter_rows(named=True)]
        raise ValueError(f"{path.name}: " + "; ".join(lines))
    duplicated = typed.filter(pl.struct("dataset", "tahun_data").is_duplicated())
    if duplicated.height:
        raise ValueError(
            f"{path.name}: pasangan (dataset, tahun_data) muncul lebih dari sekali: "
            + ", ".join(
                sorted({f"{d} {t}" for d, t in duplicated.select("dataset", "tahun_data").rows()})
            )
        )
    return typed.select(CALENDAR_COLUMNS)
