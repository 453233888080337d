"""What the Dagster UI shows beside a materialization."""

import dagster as dg
import polars as pl


def preview(frame: pl.DataFrame, n: int = 10) -> dg.MetadataValue:
    """The first rows as a Markdown table."""
    return dg.MetadataValue.md(frame.head(n).to_pandas().to_markdown(index=False))
