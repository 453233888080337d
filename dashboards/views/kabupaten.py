"""Kabupaten/Kota: the page's tables, the village status chart and the transition matrix,
shaped from snapshot frames (the page only lays them out)."""

from collections.abc import Callable, Iterable, Mapping

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


def programme_kpi_note(nama: str) -> str:
    """Why a programme KPI has no map or table per kecamatan and desa: the agency's activities
    are counted per kabupaten/kota and for the province only (docs/contracts.md)."""
    return (
        f"**{nama}** adalah indikator kegiatan Dinas: dihitung per kabupaten/kota dari kegiatan "
        "yang dilaporkan, tidak per kecamatan atau desa. Nilainya ada pada grafik di atas dan di "
        "halaman Program & Kegiatan. Untuk peta dan tabel per desa, pilih indikator hasil "
        "(misalnya Keluarga miskin)."
    )


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


def unit_formats(satuan: Mapping[str, str]) -> dict[str, Callable[[object], str]]:
    """{column: formatter} writing each KPI column short in its unit (`satuan`: column -> unit)."""
    return {column: lambda v, s=unit: fmt.kpi_value_short(v, s) for column, unit in satuan.items()}


def headline_kpis(definitions: pd.DataFrame) -> pd.DataFrame:
    """The KPIs marked `utama`; without any, the first KPI of each isu."""
    headline = definitions[definitions["utama"]]
    return definitions.drop_duplicates("isu") if headline.empty else headline


def province_table(
    kab: pd.DataFrame,
    rows: pd.DataFrame,
    villages: pd.DataFrame,
    headline: pd.DataFrame,
    label: Callable[[pd.Series], str],
) -> tuple[pd.DataFrame, dict[str, Callable[[object], str]]]:
    """(table, column formats): every kabupaten/kota (in `kab` order) with its number of desa
    (kelurahan not counted) and one column per headline KPI, headed `label(definition)`; a KPI
    without rows is an empty column, never 0."""
    values = rows.pivot_table(
        index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
    )
    n_desa = villages[villages["jenis"] == "desa"].groupby("kode_kab").size()
    table = pd.DataFrame({"Kabupaten/kota": kab["nama"], "Desa": kab["kode"].map(n_desa)})
    table["Desa"] = table["Desa"].fillna(0).astype(int)
    satuan = {}
    for _, d in headline.iterrows():
        column = values[d["kpi_id"]] if d["kpi_id"] in values.columns else pd.Series(dtype=float)
        table[label(d)] = kab["kode"].map(column).astype("float64").to_numpy()
        satuan[label(d)] = str(d["satuan"])
    return table, unit_formats(satuan)


def kpi_map_frame(
    kab: pd.DataFrame, rows: pd.DataFrame, kpi_id: str, *, no_value: str
) -> pd.DataFrame:
    """Every kabupaten/kota with the KPI's `nilai` and `keterangan`; a kabupaten/kota without
    a row says `no_value` (a row with an empty value keeps its own reason)."""
    kpi_rows = rows[rows["kpi_id"] == kpi_id][["kode_wilayah", "nilai", "keterangan"]]
    per_kab = kab[["kode", "nama"]].merge(
        kpi_rows, left_on="kode", right_on="kode_wilayah", how="left"
    )
    per_kab["keterangan"] = per_kab["keterangan"].where(
        per_kab["nilai"].notna() | per_kab["keterangan"].notna(), no_value
    )
    return per_kab


def area_counts_text(n_kecamatan: int, villages: pd.DataFrame) -> str:
    """'**2** kecamatan · **3** desa · **1** kelurahan'."""
    n_desa = int((villages["jenis"] == "desa").sum())
    n_kelurahan = int((villages["jenis"] == "kelurahan").sum())
    return (
        f"**{fmt.number(n_kecamatan)}** kecamatan · "
        f"**{fmt.number(n_desa)}** desa · **{fmt.number(n_kelurahan)}** kelurahan"
    )


def kpi_series(trend: pd.DataFrame, kode: str, kpi_id: str) -> pd.DataFrame:
    """One area's rows of one KPI, every year."""
    return trend[(trend["kode_wilayah"] == kode) & (trend["kpi_id"] == kpi_id)]


def missing_years(series: pd.DataFrame) -> list[tuple[str, object]]:
    """(year, reason) of each year of `series` without a value."""
    missing = series[series["nilai"].isna()]
    return list(zip(missing["tahun"].astype(str), missing["keterangan"], strict=True))


def village_values(
    villages: pd.DataFrame, kpi_rows: pd.DataFrame, status: pd.DataFrame
) -> pd.DataFrame:
    """The kabupaten's desa and kelurahan with the KPI's value (`nilai`, `keterangan`) and their
    village status (`status`, `skema`), either empty where there is none."""
    rows = kpi_rows[["kode_wilayah", "nilai", "keterangan"]]
    merged = villages.merge(rows, left_on="kode", right_on="kode_wilayah", how="left")
    return merged.merge(status, left_on="kode", right_on="kode_desa", how="left")


def other_kpis(rows: pd.DataFrame, definitions: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    """Every KPI but `kpi_id` as a column named by the KPI (definitions order), one row per
    kode_wilayah; a KPI without rows has no column."""
    wide = rows.pivot_table(
        index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
    )
    others = [k for k in definitions["kpi_id"] if k != kpi_id and k in wide.columns]
    names = definitions.set_index("kpi_id")["nama"]
    wide = wide[others]
    wide.columns = [str(names[k]) for k in others]
    return wide


def kpi_column_formats(
    definitions: pd.DataFrame, columns: Iterable[str]
) -> dict[str, Callable[[object], str]]:
    """Formats for the `columns` named by a KPI (each in its unit); other columns are left out."""
    present = set(columns)
    return unit_formats(
        {
            str(n): str(s)
            for n, s in zip(definitions["nama"], definitions["satuan"], strict=True)
            if str(n) in present
        }
    )


def status_lookups(statuses: pd.DataFrame) -> tuple[dict[str, int], dict[str, str]]:
    """(rank, label) of each village status (status_desa: `urutan`, `label`)."""
    return (
        dict(zip(statuses["status"], statuses["urutan"], strict=True)),
        dict(zip(statuses["status"], statuses["label"], strict=True)),
    )


def transition_summary_text(n_desa: int, moved: Mapping[str, int]) -> str:
    """'**12** desa memiliki kedua status: **3** naik, **8** status sama (diagonal), **1** turun.'"""
    return (
        f"**{fmt.number(n_desa)}** desa memiliki kedua status: **{fmt.number(moved['naik'])}** "
        f"naik, **{fmt.number(moved['sama'])}** status sama (diagonal), "
        f"**{fmt.number(moved['turun'])}** turun."
    )


def transition_cells(counts: pd.DataFrame, ranks: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(IDM status, Indeks Desa status, desa) of every non-empty cell of `transition_counts`,
    ordered by the IDM status's rank, then the Indeks Desa one's (an unknown status first)."""
    cells = [
        (a, b, int(n)) for a in counts.index for b in counts.columns if (n := counts.at[a, b]) > 0
    ]
    return sorted(cells, key=lambda c: (ranks.get(c[0], 0), ranks.get(c[1], 0)))


def transition_cell_label(cell: tuple[str, str, int], labels: Mapping[str, str]) -> str:
    """'Maju → Mandiri: 3 desa', '… (status sama)' on the diagonal."""
    same = " (status sama)" if cell[0] == cell[1] else ""
    before, after = labels.get(cell[0], cell[0]), labels.get(cell[1], cell[1])
    return f"{before} → {after}{same}: {fmt.number(cell[2])} desa"


def transition_villages(
    transitions: pd.DataFrame,
    cell: tuple[str, str, int],
    *,
    tahun_idm: int,
    tahun_id: int,
    status_name: Callable[[object], str],
) -> pd.DataFrame:
    """The desa of one cell of the transition matrix, with both statuses named."""
    chosen = transitions[
        (transitions["status_idm"] == cell[0]) & (transitions["status_id"] == cell[1])
    ]
    return pd.DataFrame(
        {
            "Kode": chosen["kode_desa"],
            "Desa": chosen["nama_desa"],
            "Kecamatan": chosen["nama_kecamatan"],
            f"Status IDM {tahun_idm}": chosen["status_idm"].map(status_name),
            f"Status Indeks Desa {tahun_id}": chosen["status_id"].map(status_name),
        }
    )


def trend_target(
    target: Mapping[str, object] | None, level_text: Callable[[Mapping[str, object]], str]
) -> dict[str, object] | None:
    """The KPI's target row for the trend chart, labelled by whose target it is
    (`level_text(target)` capitalised: 'Target provinsi'); None without a target."""
    if target is None:
        return None
    return {**target, "label": level_text(target).capitalize()}
