"""Desa Prioritas: the tables and map frames of the page, from desa_prioritas rows."""

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from dashboards.charts import short_name, wrap
from laporan import formatting as fmt

MISSING_LABELS = {"blt_kpm": "Jumlah KPM BLT (data Dana Desa)"}
"""Inputs named in `data_kurang` that are columns, not datasets."""


def factor_label(faktor: str, labels: Mapping[str, str]) -> str:
    """The factor's short name (`labels`: the snapshot's faktor_desa_prioritas); an unknown
    factor shows its own name."""
    return labels.get(faktor) or faktor.replace("_", " ").capitalize()


def score_text(x: object) -> str:
    return fmt.number(x, 1)


def missing_text(items: object, dataset_label: Callable[[str], str]) -> str:
    """'kemiskinan_desa, blt_kpm' -> 'Keluarga dan kemiskinan, Jumlah KPM BLT (data Dana Desa)'."""
    if fmt.is_missing(items):
        return "tidak diketahui"
    names = [s.strip() for s in str(items).split(",") if s.strip()]
    return ", ".join(MISSING_LABELS.get(n) or dataset_label(n) for n in names)


def weights_table(weights: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The weights as shares of 100%, with what each factor measures."""
    total = float(weights["bobot"].sum()) or 1.0
    return pd.DataFrame(
        {
            "Faktor": [factor_label(k, labels) for k in weights["faktor"]],
            "Bobot": 100 * weights["bobot"].astype(float) / total,
            "Keterangan": weights["keterangan"],
        }
    )


SCHEME_LABELS = fmt.SCHEME_LABELS


def status_text(status: object, skema: object, status_label: Callable[[object], str]) -> str:
    """'Maju (Indeks Desa)' / 'Berkembang (IDM)': the status and the scheme it comes from."""
    if fmt.is_missing(status):
        return fmt.MISSING
    return f"{status_label(status)} ({SCHEME_LABELS.get(str(skema), str(skema))})"


def scheme_note(rows: pd.DataFrame, tahun: int) -> str | None:
    """Which scheme the village statuses of the year come from, e.g. "Status desa: Indeks
    Desa 2025 untuk 1.398 desa, IDM 2025 untuk 34 desa (belum memiliki Indeks Desa)"."""
    if "skema_status" not in rows.columns or rows["skema_status"].isna().all():
        return None
    counts = rows["skema_status"].value_counts()
    parts = []
    if counts.get("indeks_desa", 0):
        parts.append(f"Indeks Desa {tahun} untuk {fmt.number(counts['indeks_desa'])} desa")
    if counts.get("idm", 0):
        suffix = " (belum memiliki Indeks Desa)" if parts else ""
        parts.append(f"IDM {tahun} untuk {fmt.number(counts['idm'])} desa{suffix}")
    return "Status desa dalam skor: " + ", ".join(parts) + "." if parts else None


def ranking_table(
    scored: pd.DataFrame, status_label: Callable[[object], str] | None = None
) -> pd.DataFrame:
    """The villages of one kabupaten in rank order (with their status and its scheme when a
    `status_label` is given)."""
    ranked = scored.sort_values(["peringkat_kab", "kode_desa"])
    table = pd.DataFrame(
        {
            "Peringkat": ranked["peringkat_kab"],
            "Desa": ranked["nama_desa"],
            "Kecamatan": ranked["nama_kecamatan"],
            "Skor": ranked["skor"],
            "Alasan": ranked["alasan"],
        }
    )
    if status_label is not None and "status_desa" in ranked.columns:
        table.insert(
            4,
            "Status desa",
            [
                status_text(s, k, status_label)
                for s, k in zip(ranked["status_desa"], ranked["skema_status"], strict=True)
            ],
        )
    return table


def top_table(top: pd.DataFrame) -> pd.DataFrame:
    """The province's top villages by score, with their kabupaten and rank there."""
    return pd.DataFrame(
        {
            "No.": range(1, len(top) + 1),
            "Desa": top["nama_desa"],
            "Kecamatan": top["nama_kecamatan"],
            "Kabupaten/kota": top["nama_kabupaten"].map(short_name),
            "Skor": top["skor"],
            "Peringkat kab.": top["peringkat_kab"],
            "Alasan": top["alasan"],
        }
    )


def village_choice_labels(scored: pd.DataFrame, *, with_kabupaten: bool) -> dict[str, str]:
    """{kode_desa: "Nama · Kec. X · skor 41,5 [· Kabupaten]"} for the village picker."""
    return {
        kode: f"{nama} · Kec. {kec} · skor {score_text(skor)}"
        + (f" · {short_name(kab)}" if with_kabupaten else "")
        for kode, nama, kec, kab, skor in zip(
            scored["kode_desa"],
            scored["nama_desa"],
            scored["nama_kecamatan"],
            scored["nama_kabupaten"],
            scored["skor"],
            strict=True,
        )
    }


def factor_rows(
    row: pd.Series,
    weights: pd.DataFrame | None,
    status_label: Callable[[object], str],
    labels: Mapping[str, str],
) -> pd.DataFrame:
    """The factors of one village: its data, the factor score, the weight, the points."""
    # The village status is Indeks Desa's where the year has it, IDM's otherwise (skema_status).
    current_status, previous_status = row["status_desa"], row["status_desa_lalu"]
    by_indeks_desa = row.get("skema_status") == "indeks_desa"
    evidence = {
        "miskin_ekstrem": f"{fmt.percent(row['kk_miskin_ekstrem_pct'])} KK miskin ekstrem",
        "idm_rendah": (
            f"Indeks Desa {fmt.number(row['skor_indeks_desa'], 2)} ({status_label(current_status)})"
            if by_indeks_desa
            else f"IDM {fmt.number(row['nilai_idm_hitung'], 4)} ({status_label(current_status)})"
        ),
        "idm_turun": (
            f"{status_label(previous_status)} → {status_label(current_status)}"
            if not fmt.is_missing(previous_status)
            else "Tidak ada status tahun sebelumnya"
        ),
        "tanpa_bumdes": f"{fmt.number(row['bumdes_aktif'])} BUMDes aktif",
        "serapan_rendah": f"Serapan {fmt.percent(row['serapan_pct'])}",
        "blt_rendah": (
            f"BLT menjangkau {fmt.percent(row['cakupan_blt_pct'], 0)} KK miskin ekstrem"
            if not fmt.is_missing(row["cakupan_blt_pct"])
            else "Tidak ada KK miskin ekstrem"
        ),
    }
    weight: Mapping[str, float] = (
        dict(zip(weights["faktor"], weights["bobot"].astype(float), strict=True))
        if weights is not None
        else {}
    )
    factors = list(weight) or list(labels)
    scores = [row.get(f"skor_{k}") for k in factors]
    table = pd.DataFrame(
        {
            "Faktor": [factor_label(k, labels) for k in factors],
            "Data desa": [evidence.get(k, "") for k in factors],
            "Skor faktor (0–1)": scores,
        }
    )
    total = sum(weight.values()) or None
    if total:
        table["Bobot"] = [100 * weight[k] / total for k in factors]
        table["Sumbangan ke skor"] = [
            None if fmt.is_missing(s) else 100 * s * weight[k] / total
            for k, s in zip(factors, scores, strict=True)
        ]
    return table


def village_map_frame(
    villages: pd.DataFrame, rows: pd.DataFrame, missing: Callable[[object], str]
) -> pd.DataFrame:
    """kode, nama, nilai (the score), keterangan and hover of every village of a kabupaten."""
    m = villages[["kode", "nama", "jenis"]].merge(
        rows, left_on="kode", right_on="kode_desa", how="left"
    )
    n_scored = int((rows["status"] == "dinilai").sum())
    m["nilai"] = m["skor"]
    m["keterangan"] = [
        "Kelurahan tidak dinilai"
        if jenis == "kelurahan"
        else (
            f"Data belum lengkap: {missing(kurang)}"
            if status == "data_kurang"
            else "Tidak ada data desa prioritas"
        )
        for jenis, status, kurang in zip(m["jenis"], m["status"], m["data_kurang"], strict=True)
    ]
    m["hover"] = [
        None
        if fmt.is_missing(skor)
        else (
            f"<b>{nama}</b><br>Skor {score_text(skor)} · peringkat {fmt.number(p)} dari "
            f"{fmt.number(n_scored)}<br>{wrap(alasan, 48)}"
        )
        for nama, skor, p, alasan in zip(
            m["nama"], m["skor"], m["peringkat_kab"], m["alasan"], strict=True
        )
    ]
    return m[["kode", "nama", "nilai", "keterangan", "hover"]]


def kabupaten_summary(kab: pd.DataFrame, per_kab: pd.DataFrame) -> pd.DataFrame:
    """Every kabupaten/kota with its mean score (`nilai`), a reason when it has none, and a
    hover text, for the province map."""
    summary = kab[["kode", "nama"]].merge(per_kab, left_on="kode", right_on="kode_kab", how="left")
    summary["nilai"] = summary["skor_rata"]
    summary["keterangan"] = [
        "Hanya memiliki kelurahan: tidak dinilai"
        if fmt.is_missing(n) and fmt.is_missing(kurang)
        else "Data semua desa belum lengkap"
        for n, kurang in zip(summary["desa_dinilai"], summary["desa_data_kurang"], strict=True)
    ]
    summary["hover"] = [
        None
        if fmt.is_missing(mean)
        else (
            f"<b>{nama}</b><br>Rata-rata skor {score_text(mean)}<br>"
            f"{fmt.number(n)} desa dinilai · tertinggi {score_text(top_score)} ({top_desa})"
        )
        for nama, mean, n, top_score, top_desa in zip(
            summary["nama"],
            summary["skor_rata"],
            summary["desa_dinilai"],
            summary["skor_maks"],
            summary["desa_skor_maks"],
            strict=True,
        )
    ]
    return summary


def kabupaten_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per kabupaten/kota: villages scored, mean and top score, villages lacking data."""
    return pd.DataFrame(
        {
            "Kabupaten/kota": summary["nama"],
            "Desa dinilai": summary["desa_dinilai"].fillna(0).astype(int),
            "Rata-rata skor": summary["skor_rata"],
            "Skor tertinggi": summary["skor_maks"],
            "Desa skor tertinggi": summary["desa_skor_maks"],
            "Data belum lengkap": summary["desa_data_kurang"].fillna(0).astype(int),
        }
    ).sort_values("Rata-rata skor", ascending=False, na_position="last")


def missing_counts(incomplete: pd.DataFrame) -> list[tuple[str, int]]:
    """How many villages lack each input, most first."""
    counts: dict[str, int] = {}
    for items in incomplete["data_kurang"]:
        # pandas 3 reads an empty text cell as NaN, which `or ""` would keep (and count "nan")
        for name in ("" if fmt.is_missing(items) else str(items)).split(","):
            if name.strip():
                counts[name.strip()] = counts.get(name.strip(), 0) + 1
    return sorted(counts.items(), key=lambda x: -x[1])


def incomplete_table(
    incomplete: pd.DataFrame, *, with_kabupaten: bool, missing: Callable[[object], str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Desa": incomplete["nama_desa"],
            "Kecamatan": incomplete["nama_kecamatan"],
            **(
                {"Kabupaten/kota": incomplete["nama_kabupaten"].map(short_name)}
                if with_kabupaten
                else {}
            ),
            "Data yang belum ada": [missing(x) for x in incomplete["data_kurang"]],
        }
    )


def sample_datasets(village_datasets: Iterable[str], synthetic: Iterable[str]) -> set[str]:
    """The datasets the sample-data notice names: the village datasets (dataset_definisi) with
    synthetic figures. The score reads village data only, and the snapshot does not say which
    factor reads which dataset, so every village dataset counts (a new one, like Indeks Desa for
    the village status, without an edit here): better one notice too many than a sample status
    shown as official."""
    return set(village_datasets) & set(synthetic)


def scheme_caption(scored: pd.DataFrame, tahun: int) -> str | None:
    """`scheme_note` as the page's caption, with how Indeks Desa is read where it is used."""
    note = scheme_note(scored, tahun)
    if not note:
        return None
    if "Indeks Desa" in note:
        note += (
            " Skor Indeks Desa dibaca pada skala 0–100; ambang status Indeks Desa belum "
            "diverifikasi terhadap Kepmendesa."
        )
    return f":material/info: {note}"


def top_score_text(scored: pd.DataFrame) -> str:
    """The highest score, "–" when no village is scored."""
    return score_text(scored["skor"].max()) if not scored.empty else fmt.MISSING


def ranking_download(scored: pd.DataFrame) -> pd.DataFrame:
    """The scored villages as downloaded: in rank order, every column as published."""
    return scored.sort_values(["peringkat_kab", "kode_desa"]).reset_index(drop=True)


def village_score_text(row: Mapping[str, object], safe_text: Callable[[object], str]) -> str:
    """'**Desa A**: skor **41,5**, peringkat 1 di Kab. X.' and its reason, Markdown-escaped."""
    return (
        f"**{safe_text(row['nama_desa'])}**: skor **{score_text(row['skor'])}**, "
        f"peringkat {fmt.number(row['peringkat_kab'])} di {safe_text(row['nama_kabupaten'])}.  \n"
        f"Alasan: {safe_text(row['alasan'])}"
    )


FACTOR_FORMATS: dict[str, Callable[[object], str]] = {
    "Skor faktor (0–1)": lambda v: fmt.number(v, 2),
    "Bobot": lambda v: fmt.percent(v, 0),
    "Sumbangan ke skor": lambda v: fmt.number(v, 1),
}
"""How `factor_rows`'s number columns are written."""


def narrow_kabupaten_table(table: pd.DataFrame) -> pd.DataFrame:
    """`kabupaten_table` in four columns for a half-width column (the download has them all):
    short kabupaten names, "Belum lengkap" for "Data belum lengkap"."""
    narrow = table[["Kabupaten/kota", "Desa dinilai", "Rata-rata skor", "Data belum lengkap"]]
    return narrow.assign(**{"Kabupaten/kota": narrow["Kabupaten/kota"].map(short_name)}).rename(
        columns={"Data belum lengkap": "Belum lengkap"}
    )


def missing_list_text(
    incomplete: pd.DataFrame,
    missing: Callable[[object], str],
    safe_text: Callable[[object], str],
) -> str:
    """'**Data yang belum ada:**' and one line per missing input with how many villages lack it,
    most first (`missing` names an input)."""
    return "**Data yang belum ada:**\n" + "\n".join(
        f"- {safe_text(missing(name))}: **{fmt.number(n)}** desa"
        for name, n in missing_counts(incomplete)
    )


def no_rows_text(villages: pd.DataFrame | None, *, nama_wilayah: str, tahun: int) -> str:
    """Why an area has no desa prioritas rows: a kota with only kelurahan (`villages`, its
    desa_list, says so; None for the province) or no data for the year."""
    if villages is not None and not villages["jenis"].eq("desa").any():
        return (
            f"{nama_wilayah} hanya memiliki kelurahan: kelurahan tidak dinilai dalam daftar desa "
            "prioritas."
        )
    return f"Belum ada data desa prioritas untuk {nama_wilayah} tahun {tahun}."
