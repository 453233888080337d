"""What the Dagster UI shows beside a materialization."""

import dagster as dg
import polars as pl


def preview(frame: pl.DataFrame, n: int = 10) -> dg.MetadataValue:
    """The first rows as a Markdown table, written by Polars (a run never loads pandas)."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=n,
        tbl_cols=-1,
        fmt_str_lengths=100,
        tbl_width_chars=60_000,  # at most a u16 for Polars
    ):
        return dg.MetadataValue.md(str(frame.head(n)))
