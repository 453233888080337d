"""Data shaping for the pages: plain functions from snapshot frames to the tables, labels and
map frames a page shows. No Streamlit here, so each page file reads as its layout."""

from collections.abc import Callable

import pandas as pd


def labelled(values: pd.Series, label: Callable[[str], str]) -> pd.Series:
    """`label` of each value, called once per distinct value: a label read from the snapshot
    costs a cached query per call, and the national tables repeat a few names thousands of
    times (Kualitas Data took 7 s of 10 labelling dataset names row by row)."""
    return values.map({value: label(value) for value in values.unique()})
