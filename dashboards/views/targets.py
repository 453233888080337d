"""Targets (capaian_target rows): the texts of a KPI card, the Capaian Target tables, and the
desa that pull a kabupaten down the most.

The status words, their order, which are good, and the level names come from the snapshot's
status_target and tingkat_target (read through dashboards.data.status); each function takes
them as an argument too, for a caller that already holds them.
"""

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from dashboards.data.status import target_levels, target_statuses
from laporan import formatting as fmt


def _statuses(statuses: pd.DataFrame | None) -> pd.DataFrame:
    return target_statuses() if statuses is None else statuses


def good_statuses(statuses: pd.DataFrame | None = None) -> frozenset[str]:
    """The statuses on the good side (on track or reached): status_target.baik."""
    s = _statuses(statuses)
    return frozenset(s.loc[s["baik"].astype(bool), "status"])


def bad_statuses(statuses: pd.DataFrame | None = None) -> frozenset[str]:
    """The statuses on the bad side (behind the path)."""
    s = _statuses(statuses)
    return frozenset(s.loc[~s["baik"].astype(bool), "status"])


def status_labels(statuses: pd.DataFrame | None = None) -> dict[str, str]:
    """{status: the words to show} (status_target.label)."""
    s = _statuses(statuses)
    return dict(zip(s["status"], s["label"], strict=True))


def level_text(row: Mapping[str, Any], levels: Mapping[str, str] | None = None) -> str:
    """'target provinsi', 'target nasional' or 'target kabupaten/kota'."""
    levels = target_levels() if levels is None else levels
    level = str(row.get("target_tingkat") or "")
    return f"target {levels.get(level, level)}"


def target_value_text(row: Mapping[str, Any], satuan: str) -> str:
    """'≤ 4,66%' for a 'turun' KPI (stay at or under), '≥ 80,0%' for a 'naik' one."""
    sign = "≤" if row.get("arah") == "turun" else "≥"
    return f"{sign} {fmt.target_value(row['target_nilai'], satuan)}"


def status_badge(status: object, statuses: pd.DataFrame | None = None) -> str:
    """The status as a Markdown badge: green when on the good side (a check for the best
    status, target reached), red when behind (the pipeline already judged it by the KPI's
    direction); grey without a value or for a status status_target does not know."""
    if fmt.is_missing(status):
        return ":gray-badge[belum ada nilai untuk dinilai]"
    s = _statuses(statuses).set_index("status")
    if status not in s.index:
        return f":gray-badge[{status}]"
    row = s.loc[status]
    if bool(row["baik"]):
        best = row["urutan"] == s["urutan"].max()
        icon = ":material/check_circle:" if best else ":material/trending_flat:"
        return f":green-badge[{icon} {row['label']}]"
    return f":red-badge[:material/warning: {row['label']}]"


def status_color(status: object, statuses: pd.DataFrame | None = None) -> str:
    """The colour of a status in charts and tables (blue good, red bad, grey unknown)."""
    if fmt.is_missing(status):
        return "#8c959f"
    if status in good_statuses(statuses):
        return "#2166ac"
    return "#b2182b" if status in bad_statuses(statuses) else "#8c959f"


def card_lines(
    row: Mapping[str, Any], satuan: str, escape: Callable[[object], str] = str
) -> tuple[str, str]:
    """(badge line, caption) under a KPI card: the target, its year, level and source, the
    status and the values it compares. `escape` makes outside text (the source) literal."""
    level = level_text(row)
    above = " (belum ada target sendiri)" if row.get("target_dari_atas") else ""
    caption = (
        f"Target {int(row['target_tahun'])}: **{target_value_text(row, satuan)}**, "
        f"{level}{above}. Sumber: {escape(row.get('sumber') or 'tidak disebut')}."
    )
    badge = status_badge(row.get("status"))
    if not fmt.is_missing(row.get("nilai_terakhir")):
        badge += (
            f" {fmt.kpi_value(row['nilai_terakhir'], satuan)} pada {int(row['tahun_terakhir'])}"
            f"; jalur: {fmt.kpi_value(row['nilai_seharusnya'], satuan)}"
        )
    return badge, caption


def proxy_note(row: Mapping[str, Any]) -> str | None:
    """target_kpi.catatan (e.g. 'Indikator ini adalah proksi: ...'), or None."""
    note = row.get("catatan")
    return None if fmt.is_missing(note) or not str(note).strip() else str(note)


def kpi_summary(
    targets: pd.DataFrame, definitions: pd.DataFrame, statuses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per KPI with a target: the province's target and status, and how many
    kabupaten/kota are on track (sesuai jalur or tercapai), behind, or without a value."""
    good, bad = good_statuses(statuses), bad_statuses(statuses)
    levels = target_levels()
    defs = definitions.set_index("kpi_id")
    rows = []
    for kpi_id, group in targets.groupby("kpi_id", sort=False):
        kab = group[group["tingkat"] == "kabupaten"]
        prov = group[group["tingkat"] == "provinsi"]
        prov_row = prov.iloc[0] if not prov.empty else None
        rows.append(
            {
                "kpi_id": kpi_id,
                "Indikator": defs.at[kpi_id, "nama"] if kpi_id in defs.index else kpi_id,
                "satuan": defs.at[kpi_id, "satuan"] if kpi_id in defs.index else "",
                "Target provinsi": None if prov_row is None else prov_row["target_nilai"],
                "Tahun target": None if prov_row is None else prov_row["target_tahun"],
                "Target dari": None if prov_row is None else level_text(prov_row, levels),
                "Status provinsi": None if prov_row is None else prov_row["status"],
                "Kab/kota sesuai jalur": int(kab["status"].isin(good).sum()),
                "Kab/kota tertinggal": int(kab["status"].isin(bad).sum()),
                "Kab/kota tanpa nilai": int(kab["status"].isna().sum()),
                "Kab/kota": len(kab),
                "Catatan": next((n for n in group["catatan"] if proxy_note({"catatan": n})), None),
            }
        )
    return pd.DataFrame(rows)


def kabupaten_rows(
    targets: pd.DataFrame, kpi_id: str, statuses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The kabupaten/kota of one KPI, worst status first (status_target.urutan; without a
    value last), then furthest from their path first."""
    kab = targets[(targets["kpi_id"] == kpi_id) & (targets["tingkat"] == "kabupaten")].copy()
    sign = kab["arah"].map({"turun": 1.0}).fillna(-1.0)
    kab["selisih_jalur"] = sign * (kab["nilai_terakhir"] - kab["nilai_seharusnya"])
    s = _statuses(statuses)
    order = dict(zip(s["status"], s["urutan"].astype(float), strict=True))
    kab["_urut"] = kab["status"].map(order).fillna(float(len(order) + 1))
    return kab.sort_values(["_urut", "selisih_jalur"], ascending=[True, False]).drop(
        columns="_urut"
    )


def kabupaten_table(kab: pd.DataFrame, satuan: str) -> pd.DataFrame:
    levels = target_levels()
    return pd.DataFrame(
        {
            "Kabupaten/kota": kab["nama_wilayah"],
            "Status": kab["status"].map(status_labels()),
            "Nilai terakhir": kab["nilai_terakhir"],
            "Tahun": kab["tahun_terakhir"],
            "Seharusnya (jalur)": kab["nilai_seharusnya"],
            "Target": kab["target_nilai"],
            "Tahun target": kab["target_tahun"],
            "Target dari": [level_text(r, levels) for _, r in kab.iterrows()],
            "Sumber target": kab["sumber"],
        }
    )


def dragging_desa(
    desa_rows: pd.DataFrame, target: Mapping[str, Any], satuan: str, limit: int = 10
) -> pd.DataFrame:
    """The desa that pull a kabupaten down the most against its path value in the latest year.

    For a share (pembilang/penyebut, e.g. KK miskin / KK): how many units (families) the desa
    has beyond the path share, `pembilang - path% x penyebut`; otherwise the gap of its value
    to the path value. Only desa on the wrong side of the path are listed, worst first.
    """
    rows = desa_rows[desa_rows["nilai"].notna()].copy()
    if rows.empty or fmt.is_missing(target.get("nilai_seharusnya")):
        return rows.assign(kelebihan=pd.Series(dtype=float), selisih=pd.Series(dtype=float))
    path = float(target["nilai_seharusnya"])
    sign = 1.0 if target.get("arah") == "turun" else -1.0
    rows["selisih"] = sign * (rows["nilai"] - path)
    has_counts = (
        satuan == "%" and rows["pembilang"].notna().all() and rows["penyebut"].notna().all()
    )
    if has_counts:
        rows["kelebihan"] = sign * (rows["pembilang"] - path / 100 * rows["penyebut"])
        key = "kelebihan"
    else:
        rows["kelebihan"] = float("nan")
        key = "selisih"
    rows = rows[rows[key] > 0]
    return rows.sort_values([key, "kode_wilayah"], ascending=[False, True]).head(limit)


def ranking_marks(targets: pd.DataFrame, kpi_id: str) -> pd.DataFrame | None:
    """The target mark of each kabupaten/kota on a ranking chart (kode, target_nilai, label:
    "target provinsi 2025"), or None when the KPI has no target."""
    kab = targets[(targets["kpi_id"] == kpi_id) & (targets["tingkat"] == "kabupaten")]
    if kab.empty:
        return None
    levels = target_levels()
    return pd.DataFrame(
        {
            "kode": kab["kode_wilayah"].to_numpy(),
            "target_nilai": kab["target_nilai"].to_numpy(),
            "label": [
                f"{level_text(r, levels)} {int(r['target_tahun'])}" for _, r in kab.iterrows()
            ],
        }
    )


def summary_table(summary: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    """`kpi_summary` as the page shows it: the province's target in its unit with its year,
    "a dari n" kabupaten/kota on track, and empty cells as blanks."""
    defs = definitions.set_index("kpi_id")
    shown = summary.assign(
        **{
            "Target provinsi": [
                fmt.MISSING
                if fmt.is_missing(v)
                else target_value_text(
                    {"target_nilai": v, "arah": defs.at[k, "arah"] if k in defs.index else None}, s
                )
                + f" ({int(t)})"
                for k, v, s, t in zip(
                    summary["kpi_id"],
                    summary["Target provinsi"],
                    summary["satuan"],
                    summary["Tahun target"],
                    strict=True,
                )
            ],
            "Sesuai jalur": [
                f"{a} dari {n}"
                for a, n in zip(summary["Kab/kota sesuai jalur"], summary["Kab/kota"], strict=True)
            ],
        }
    )
    return (
        shown[
            [
                "Indikator",
                "Target provinsi",
                "Target dari",
                "Status provinsi",
                "Sesuai jalur",
                "Kab/kota tertinggal",
                "Kab/kota tanpa nilai",
                "Catatan",
            ]
        ]
        .rename(
            columns={"Kab/kota tertinggal": "Tertinggal", "Kab/kota tanpa nilai": "Tanpa nilai"}
        )
        .fillna({"Catatan": "", "Status provinsi": "", "Target dari": ""})
    )
