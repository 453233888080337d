"""Kabupaten/Kota: shaping for the IDM status chart."""

import pandas as pd

from laporan import formatting as fmt


def statuses_with_ranges(statuses: pd.DataFrame, thresholds: pd.DataFrame) -> pd.DataFrame:
    """status_desa with a `hover` line giving each status's IDM range in that year, from
    idm_ambang_status (batas_bawah exclusive, batas_atas inclusive)."""
    ranges = {}
    for status, low, high in zip(
        thresholds["status"], thresholds["batas_bawah"], thresholds["batas_atas"], strict=True
    ):
        if fmt.is_missing(low):
            ranges[status] = f"IDM ≤ {fmt.number(high, 4)}"
        elif fmt.is_missing(high):
            ranges[status] = f"IDM > {fmt.number(low, 4)}"
        else:
            ranges[status] = f"{fmt.number(low, 4)} < IDM ≤ {fmt.number(high, 4)}"
    return statuses.assign(
        hover=[f"<br>{ranges[s]}" if s in ranges else "" for s in statuses["status"]]
    )
