"""Kabupaten/Kota: shaping for the village status chart and the status transition matrix."""

from collections.abc import Mapping

import pandas as pd

from laporan import formatting as fmt

SCHEME_LABELS = fmt.SCHEME_LABELS


def scheme_label(skema: object) -> str:
    return SCHEME_LABELS.get(str(skema), str(skema))


def statuses_with_ranges(
    statuses: pd.DataFrame, thresholds: pd.DataFrame, skema: str = "idm"
) -> pd.DataFrame:
    """status_desa with a `hover` line giving each status's score range in that year, from
    idm_ambang_status. IDM: batas_bawah exclusive, batas_atas inclusive; a scheme whose rows say
    `bawah_inklusif` (Indeks Desa): batas_bawah inclusive, batas_atas exclusive."""
    name = scheme_label(skema)
    ranges = {}
    for _, t in thresholds.iterrows():
        decimals = int(t["desimal"]) if not fmt.is_missing(t.get("desimal")) else 4
        low, high = t["batas_bawah"], t["batas_atas"]
        lower_inclusive = bool(t.get("bawah_inklusif")) if "bawah_inklusif" in t else False
        lo_op, hi_op = ("≤", "<") if lower_inclusive else ("<", "≤")
        if fmt.is_missing(low):
            ranges[t["status"]] = f"{name} {hi_op} {fmt.number(high, decimals)}"
        elif fmt.is_missing(high):
            ge = "≥" if lower_inclusive else ">"
            ranges[t["status"]] = f"{name} {ge} {fmt.number(low, decimals)}"
        else:
            ranges[t["status"]] = (
                f"{fmt.number(low, decimals)} {lo_op} {name} {hi_op} {fmt.number(high, decimals)}"
            )
    return statuses.assign(
        hover=[f"<br>{ranges[s]}" if s in ranges else "" for s in statuses["status"]]
    )


def unverified(thresholds: pd.DataFrame) -> bool:
    """True when any cut-off of the scheme is not verified against its decree."""
    if "terverifikasi" not in thresholds.columns or thresholds.empty:
        return False
    return not thresholds["terverifikasi"].fillna(False).astype(bool).all()


def status_note(skema: str, tahun: int, n_desa: int, thresholds: pd.DataFrame) -> str:
    """The caption under a status chart: which scheme, how the status is set, and for unverified
    cut-offs (Indeks Desa) that they are not verified against the decree."""
    if skema == "indeks_desa":
        text = (
            f"Status menurut **Indeks Desa {tahun}** (Kemendesa, skor 0–100, enam dimensi): status "
            f"yang tertulis di berkas resmi, {fmt.number(n_desa)} desa dinilai."
        )
    else:
        text = (
            f"Status menurut **IDM {tahun}**: dihitung dari skor (IKS + IKE + IKL) / 3 dengan "
            f"ambang Kemendesa, {fmt.number(n_desa)} desa dinilai."
        )
    if unverified(thresholds):
        source = next((s for s in thresholds.get("sumber", []) if not fmt.is_missing(s)), None)
        text += (
            " **Ambang status Indeks Desa pada grafik belum diverifikasi** terhadap Kepmendesa"
            + (f" (sumber: {source})" if source else "")
            + "."
        )
    return text


def transition_counts(transitions: pd.DataFrame) -> pd.DataFrame:
    """status_idm x status_id counts of desa (rows: IDM status, columns: Indeks Desa status)."""
    if transitions.empty:
        return pd.DataFrame()
    return pd.crosstab(transitions["status_idm"], transitions["status_id"])


def transition_summary(transitions: pd.DataFrame, ranks: Mapping[str, int]) -> dict[str, int]:
    """How many desa went up, stayed ("status sama") or went down between the two schemes."""
    before = transitions["status_idm"].map(ranks)
    after = transitions["status_id"].map(ranks)
    return {
        "naik": int((after > before).sum()),
        "sama": int((after == before).sum()),
        "turun": int((after < before).sum()),
    }


def default_transition_years(years: Mapping[str, list[int]]) -> tuple[int, int] | None:
    """(IDM year, Indeks Desa year): the latest Indeks Desa year and the latest IDM year before
    it (IDM 2024 against Indeks Desa 2025), or None when either is missing."""
    id_years, idm_years = years.get("indeks_desa", []), years.get("idm", [])
    if not id_years or not idm_years:
        return None
    to_year = max(id_years)
    earlier = [t for t in idm_years if t < to_year]
    return (max(earlier) if earlier else max(idm_years)), to_year
