"""Kabupaten/Kota: the page's tables, the village status chart and the transition matrix,
shaped from snapshot frames (the page only lays them out)."""

from collections.abc import Callable, Mapping

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


def kpi_summary(
    definitions: pd.DataFrame,
    trend: pd.DataFrame,
    *,
    kab: tuple[str, str],
    provinsi: tuple[str, str],
    tahun: int,
    previous_tahun: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every KPI of the kabupaten (`kab` = (kode, nama)) this year and the year before, beside
    the province's: (the values, downloaded as they are; the table shown, each value written
    in its KPI's unit, without the Isu and Satuan columns)."""
    (kode_kab, nama_kab), (kode_prov, nama_prov) = kab, provinsi

    def values(kode: str, year: int | None) -> pd.DataFrame:
        rows = trend[(trend["kode_wilayah"] == kode) & (trend["tahun"] == year)]
        return rows.drop_duplicates("kpi_id").set_index("kpi_id").reindex(definitions["kpi_id"])

    now, before, prov = (
        values(kode_kab, tahun),
        values(kode_kab, previous_tahun),
        values(kode_prov, tahun),
    )
    summary = pd.DataFrame(
        {
            "Isu": definitions["isu_nama"].to_numpy(),
            "Indikator": definitions["nama"].to_numpy(),
            "Satuan": definitions["satuan"].to_numpy(),
            nama_kab: now["nilai"].to_numpy(),
            f"{nama_kab} {previous_tahun}": before["nilai"].to_numpy(),
            nama_prov: prov["nilai"].to_numpy(),
            "Keterangan": [
                fmt.reason_text(k) if fmt.is_missing(v) else None
                for v, k in zip(now["nilai"], now["keterangan"], strict=True)
            ],
        }
    )
    if previous_tahun is None:
        summary = summary.drop(columns=f"{nama_kab} {previous_tahun}")
    shown = summary.copy()
    satuan = list(summary["Satuan"])
    for column in summary.columns.drop(["Isu", "Indikator", "Satuan", "Keterangan"]):
        shown[column] = [
            fmt.kpi_value_short(v, s) for v, s in zip(summary[column], satuan, strict=True)
        ]
    return summary, shown.drop(columns=["Isu", "Satuan"]).fillna({"Keterangan": ""})


def kecamatan_table(
    kecamatan: pd.DataFrame, kpi_rows: pd.DataFrame, *, nama: str, arah: str
) -> pd.DataFrame:
    """One row per kecamatan of the kabupaten with the KPI's value (column `nama`), the desa
    reporting and why a value is empty; best first (an empty value last)."""
    rows = kpi_rows[["kode_wilayah", "nilai", "desa_melapor", "keterangan"]]
    merged = kecamatan[["kode", "nama"]].merge(
        rows, left_on="kode", right_on="kode_wilayah", how="left"
    )
    table = pd.DataFrame(
        {
            "Kode": merged["kode"],
            "Kecamatan": merged["nama"],
            nama: merged["nilai"],
            "Desa melapor": merged["desa_melapor"],
            "Keterangan": [
                fmt.reason_text(k) if fmt.is_missing(v) else None
                for v, k in zip(merged["nilai"], merged["keterangan"], strict=True)
            ],
        }
    )
    return table.sort_values(nama, ascending=arah == "turun", na_position="last")


def village_table(
    villages: pd.DataFrame,
    *,
    nama: str,
    status_text: Callable[[object, object], str],
    wide: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per desa/kelurahan: the KPI's value (column `nama`), why it is empty, and the
    village status in the scheme that gives it (`status_text(status, skema)`). `wide`
    (columns named by KPI, indexed by kode) adds every other KPI."""
    table = pd.DataFrame(
        {
            "Kode": villages["kode"],
            "Desa/kelurahan": villages["nama"],
            "Jenis": villages["jenis"],
            "Kecamatan": villages["nama_kec"],
            nama: villages["nilai"],
            "Keterangan": [
                fmt.reason_text(k) if fmt.is_missing(v) else None
                for v, k in zip(villages["nilai"], villages["keterangan"], strict=True)
            ],
            "Status desa": [
                None if fmt.is_missing(s) else status_text(s, k)
                for s, k in zip(villages["status"], villages["skema"], strict=True)
            ],
        }
    )
    if wide is not None:
        for column in wide.columns:
            table[column] = table["Kode"].map(wide[column])
    return table


def search_villages(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows whose desa, kecamatan or code holds `text` (any case); all rows for none."""
    q = text.strip().casefold()
    if not q:
        return table
    matches = (
        table["Desa/kelurahan"].str.casefold().str.contains(q, regex=False)
        | table["Kecamatan"].fillna("").str.casefold().str.contains(q, regex=False)
        | table["Kode"].str.contains(q, regex=False)
    )
    return table[matches]
