"""Desa Prioritas: the villages most in need, ranked per kabupaten by the pipeline's score.

The score, its rank and its reason come ready-made from the snapshot's `desa_prioritas` table;
this page only shows them. Villages whose data is incomplete (`status = 'data_kurang'`) have no
score and are listed on their own, never ranked as if they were fine.
"""

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from laporan import formatting as fmt

f = filters.start_page("Desa Prioritas", params=("jumlah",))

# The datasets the score is computed from (for the sample-data notice). No bare strings
# below: Streamlit's "magic" would show them on the page.
PRIORITY_DATASETS = frozenset({"kemiskinan_desa", "idm", "bumdes", "dana_desa"})

FACTOR_LABELS = {
    "miskin_ekstrem": "KK miskin ekstrem",
    "idm_rendah": "IDM rendah",
    "idm_turun": "Status IDM turun",
    "tanpa_bumdes": "Tanpa BUMDes aktif",
    "serapan_rendah": "Serapan Dana Desa rendah",
    "blt_rendah": "Cakupan BLT rendah",
}
MISSING_LABELS = {"blt_kpm": "Jumlah KPM BLT (data Dana Desa)"}
WIDE_TEXT = st.column_config.TextColumn(width="large")

try:
    has_priority = data.has_table("desa_prioritas")
    kab = data.kabupaten()
    synthetic = data.synthetic_datasets(f.tahun, f.kode_kab)
except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
    filters.handle_error(e)

if not has_priority:
    st.info(
        "Data yang diterbitkan belum berisi daftar desa prioritas: snapshot ini dibuat oleh "
        "versi pipeline yang lebih lama. Jalankan ulang pipeline untuk menerbitkannya, lalu muat "
        "ulang halaman ini.",
        icon=":material/info:",
    )
    st.stop()

try:
    rows = data.desa_prioritas(f.tahun, f.kode_kab)
    weights = data.priority_weights()
except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
    filters.handle_error(e)

if not rows.empty:
    components.synthetic_notice(PRIORITY_DATASETS & synthetic)

scored = rows[rows["status"] == "dinilai"]
incomplete = rows[rows["status"] == "data_kurang"]


def score_text(x: object) -> str:
    return fmt.number(x, 1)


def missing_text(items: object) -> str:
    """'kemiskinan_desa, blt_kpm' -> 'Kemiskinan desa, Jumlah KPM BLT (data Dana Desa)'."""
    if fmt.is_missing(items):
        return "tidak diketahui"
    names = [s.strip() for s in str(items).split(",") if s.strip()]
    return ", ".join(MISSING_LABELS.get(n) or components.dataset_label(n) for n in names)


st.markdown(
    f"Desa yang paling membutuhkan perhatian di **{f.nama_wilayah}**, tahun **{f.tahun}**. "
    "**Skor kebutuhan 0–100**: makin tinggi, makin perlu diprioritaskan. "
    "Peringkat 1 = paling membutuhkan di kabupaten/kotanya. Kelurahan tidak dinilai."
)

# --- how the score is computed --------------------------------------------------------------------
with st.expander("Cara menghitung skor", icon=":material/calculate:"):
    st.markdown(
        "Skor = 100 × (jumlah bobot × skor faktor) / jumlah bobot. Setiap faktor bernilai 0 "
        "(tidak membutuhkan) sampai 1 (sangat membutuhkan). Alasan di setiap desa menyebut "
        "faktor yang paling besar sumbangannya. Desa yang datanya belum lengkap tidak diberi "
        "skor dan dicantumkan terpisah di bagian **Data belum lengkap**."
    )
    if weights is None:
        st.info("Berkas bobot (bobot_desa_prioritas.csv) tidak ditemukan.", icon=":material/info:")
    else:
        total_weight = float(weights["bobot"].sum()) or 1.0
        weights_table = pd.DataFrame(
            {
                "Faktor": [FACTOR_LABELS.get(k, k) for k in weights["faktor"]],
                "Bobot": 100 * weights["bobot"].astype(float) / total_weight,
                "Keterangan": weights["keterangan"],
            }
        )
        components.table(
            weights_table,
            "bobot_desa_prioritas",
            key="bobot",
            column_formats={"Bobot": lambda v: fmt.percent(v, 0)},
            download=weights,
            column_config={"Keterangan": WIDE_TEXT},
        )
        st.caption(f"Sumber: data/reference/{data.PRIORITY_WEIGHTS_FILE}")

if rows.empty:
    kota_only = f.kode_kab is not None and not data.desa_list(f.kode_kab)["jenis"].eq("desa").any()
    if kota_only:
        st.info(
            f"{f.nama_kab} hanya memiliki kelurahan: kelurahan tidak dinilai dalam daftar desa "
            "prioritas.",
            icon=":material/info:",
        )
    else:
        st.info(
            f"Belum ada data desa prioritas untuk {f.nama_wilayah} tahun {f.tahun}.",
            icon=":material/info:",
        )
    st.stop()

count_cols = st.columns(3)
count_cols[0].metric("Desa dinilai", fmt.number(len(scored)), border=True)
count_cols[1].metric(
    "Skor tertinggi",
    score_text(scored["skor"].max()) if not scored.empty else fmt.MISSING,
    border=True,
)
count_cols[2].metric("Desa dengan data belum lengkap", fmt.number(len(incomplete)), border=True)

components.briefing_download(f, key="prioritas")

if scored.empty:
    st.info(
        f"Belum ada desa yang dapat dinilai untuk {f.nama_wilayah} tahun {f.tahun}: data semua "
        "desa belum lengkap (lihat di bawah).",
        icon=":material/info:",
    )


def download_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Every column of desa_prioritas, for analysts."""
    return df.reset_index(drop=True)


# --- the ranking -----------------------------------------------------------------------------------
if not scored.empty and f.kode_kab:
    st.header(f"Peringkat desa di {f.nama_kab}, {f.tahun}")
    ranked = scored.sort_values(["peringkat_kab", "kode_desa"])
    ranking_table = pd.DataFrame(
        {
            "Peringkat": ranked["peringkat_kab"],
            "Desa": ranked["nama_desa"],
            "Kecamatan": ranked["nama_kecamatan"],
            "Skor": ranked["skor"],
            "Alasan": ranked["alasan"],
        }
    )
    components.text_table(
        ranking_table,
        f"desa_prioritas_{f.kode_kab}_{f.tahun}",
        key="peringkat",
        column_formats={"Skor": score_text},
        download=download_rows(ranked),
        alt=f"Peringkat desa prioritas di {f.nama_kab}, {f.tahun}",
    )
elif not scored.empty:
    st.header(f"Desa paling membutuhkan di {f.nama_provinsi}, {f.tahun}")
    size = filters.choose(
        "Tampilkan",
        [20, 50, 100, 0],
        "jumlah",
        format_func=lambda n: f"{n} teratas" if n else "Semua desa",
        kind="radio",
        horizontal=True,
    )
    top = scored.head(size) if size else scored
    top_table = pd.DataFrame(
        {
            "No.": range(1, len(top) + 1),
            "Desa": top["nama_desa"],
            "Kecamatan": top["nama_kecamatan"],
            "Kabupaten/kota": top["nama_kabupaten"].map(charts.short_name),
            "Skor": top["skor"],
            "Peringkat kab.": top["peringkat_kab"],
            "Alasan": top["alasan"],
        }
    )
    components.text_table(
        top_table,
        f"desa_prioritas_{f.tahun}",
        key="teratas",
        column_formats={"Skor": score_text},
        download=download_rows(top),
        alt=f"Desa paling membutuhkan di {f.nama_provinsi}, {f.tahun}",
    )
    st.caption(
        "Urutan provinsi menurut skor; peringkat di kabupaten membandingkan desa sekabupaten/kota."
    )

# --- one village's score, factor by factor ---------------------------------------------------------


def factor_rows(row: pd.Series) -> pd.DataFrame:
    """The six factors of one village: its data, the factor score, the weight, the points."""
    previous_status, current_status = row["status_idm_lalu"], row["status_idm_hitung"]
    evidence = {
        "miskin_ekstrem": f"{fmt.percent(row['kk_miskin_ekstrem_pct'])} KK miskin ekstrem",
        "idm_rendah": f"IDM {fmt.number(row['nilai_idm_hitung'], 4)} ({fmt.status_idm(current_status)})",
        "idm_turun": (
            f"{fmt.status_idm(previous_status)} → {fmt.status_idm(current_status)}"
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
    weight = (
        dict(zip(weights["faktor"], weights["bobot"].astype(float), strict=True))
        if weights is not None
        else {}
    )
    total = sum(weight.values()) or None
    table = pd.DataFrame(
        {
            "Faktor": [FACTOR_LABELS[k] for k in FACTOR_LABELS],
            "Data desa": [evidence[k] for k in FACTOR_LABELS],
            "Skor faktor (0–1)": [row[f"skor_{k}"] for k in FACTOR_LABELS],
        }
    )
    if total:
        table["Bobot"] = [100 * weight.get(k, 0.0) / total for k in FACTOR_LABELS]
        table["Sumbangan ke skor"] = [
            None
            if fmt.is_missing(row[f"skor_{k}"])
            else 100 * row[f"skor_{k}"] * weight.get(k, 0) / total
            for k in FACTOR_LABELS
        ]
    return table


if not scored.empty:
    with st.expander("Rincian skor per desa", icon=":material/list_alt:"):
        labels = {
            kode: f"{nama} · Kec. {kec} · skor {score_text(skor)}"
            + ("" if f.kode_kab else f" · {charts.short_name(kab_names)}")
            for kode, nama, kec, kab_names, skor in zip(
                scored["kode_desa"],
                scored["nama_desa"],
                scored["nama_kecamatan"],
                scored["nama_kabupaten"],
                scored["skor"],
                strict=True,
            )
        }
        chosen = st.selectbox(
            "Desa", list(labels), format_func=labels.get, key="_rincian_desa", index=0
        )
        row = scored[scored["kode_desa"] == chosen].iloc[0]
        st.markdown(
            f"**{components.safe_text(row['nama_desa'])}**: skor **{score_text(row['skor'])}**, "
            f"peringkat {fmt.number(row['peringkat_kab'])} di "
            f"{components.safe_text(row['nama_kabupaten'])}.  \n"
            f"Alasan: {components.safe_text(row['alasan'])}"
        )
        components.table(
            factor_rows(row),
            f"rincian_skor_{chosen}_{f.tahun}",
            key="rincian",
            column_formats={
                "Skor faktor (0–1)": lambda v: fmt.number(v, 2),
                "Bobot": lambda v: fmt.percent(v, 0),
                "Sumbangan ke skor": lambda v: fmt.number(v, 1),
            },
        )

# --- map -------------------------------------------------------------------------------------------
if f.kode_kab:
    st.header(f"Peta skor desa, {f.tahun}")
    gj = data.geojson("desa", f.kode_kab)
    if gj is None:
        components.no_map_notice("desa")
    else:
        villages = data.desa_list(f.kode_kab)[["kode", "nama", "jenis"]]
        m = villages.merge(rows, left_on="kode", right_on="kode_desa", how="left")
        n_scored = len(scored)
        m["nilai"] = m["skor"]
        m["keterangan"] = [
            "Kelurahan tidak dinilai"
            if jenis == "kelurahan"
            else (
                f"Data belum lengkap: {missing_text(kurang)}"
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
                f"{fmt.number(n_scored)}<br>{charts.wrap(alasan, 48)}"
            )
            for nama, skor, p, alasan in zip(
                m["nama"], m["skor"], m["peringkat_kab"], m["alasan"], strict=True
            )
        ]
        components.chart(
            charts.area_map(
                gj,
                m[["kode", "nama", "nilai", "keterangan", "hover"]],
                satuan="",
                arah="turun",
                height=600,
                scale_title="merah = lebih membutuhkan",
            ),
            key="peta_prioritas_desa",
            alt=f"Peta skor desa prioritas di {f.nama_kab}",
        )
        st.caption(
            "Merah = skor tinggi (lebih membutuhkan). Abu-abu = tidak dinilai: kelurahan atau "
            "data belum lengkap (arahkan kursor untuk melihat alasannya)."
        )
else:
    st.header(f"Per kabupaten/kota, {f.tahun}")
    try:
        per_kab = data.desa_prioritas_kabupaten(f.tahun)
    except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
        filters.handle_error(e)
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
    left, right = st.columns([1, 1], gap="large")
    with left:
        gj = data.geojson("kabupaten")
        if gj is None:
            components.no_map_notice("kabupaten/kota")
        else:
            components.chart(
                charts.area_map(
                    gj,
                    summary[["kode", "nama", "nilai", "keterangan", "hover"]],
                    satuan="",
                    arah="turun",
                    scale_title="merah = lebih membutuhkan",
                ),
                key="peta_prioritas_kab",
                alt="Peta rata-rata skor desa prioritas per kabupaten/kota",
            )
            st.caption("Warna: rata-rata skor desa yang dinilai. Merah = lebih membutuhkan.")
    with right:
        kab_table = pd.DataFrame(
            {
                "Kabupaten/kota": summary["nama"],
                "Desa dinilai": summary["desa_dinilai"].fillna(0).astype(int),
                "Rata-rata skor": summary["skor_rata"],
                "Skor tertinggi": summary["skor_maks"],
                "Desa skor tertinggi": summary["desa_skor_maks"],
                "Data belum lengkap": summary["desa_data_kurang"].fillna(0).astype(int),
            }
        ).sort_values("Rata-rata skor", ascending=False, na_position="last")
        # the narrow column shows four columns; the download has them all
        components.table(
            kab_table[["Kabupaten/kota", "Desa dinilai", "Rata-rata skor", "Data belum lengkap"]]
            .assign(**{"Kabupaten/kota": kab_table["Kabupaten/kota"].map(charts.short_name)})
            .rename(columns={"Data belum lengkap": "Belum lengkap"}),
            f"desa_prioritas_kabupaten_{f.tahun}",
            key="per_kab",
            column_formats={"Rata-rata skor": score_text},
            download=kab_table,
            height=min(35 * (len(kab_table) + 1) + 3, 600),
        )

# --- villages without a score ----------------------------------------------------------------------
st.header("Data belum lengkap")
if incomplete.empty:
    st.success(
        "Semua desa memiliki data yang lengkap untuk dinilai.", icon=":material/check_circle:"
    )
else:
    st.caption(
        f"{fmt.number(len(incomplete))} desa belum diberi skor karena datanya belum lengkap. "
        "Ini **bukan** berarti desa tersebut tidak membutuhkan: lengkapi datanya agar dapat dinilai."
    )
    per_missing: dict[str, int] = {}
    for items in incomplete["data_kurang"]:
        for name in str(items or "").split(","):
            if name.strip():
                per_missing[name.strip()] = per_missing.get(name.strip(), 0) + 1
    st.markdown(
        "**Data yang belum ada:**\n"
        + "\n".join(
            f"- {components.safe_text(missing_text(name))}: **{fmt.number(n)}** desa"
            for name, n in sorted(per_missing.items(), key=lambda x: -x[1])
        )
    )
    incomplete_table = pd.DataFrame(
        {
            "Desa": incomplete["nama_desa"],
            "Kecamatan": incomplete["nama_kecamatan"],
            **(
                {}
                if f.kode_kab
                else {"Kabupaten/kota": incomplete["nama_kabupaten"].map(charts.short_name)}
            ),
            "Data yang belum ada": [missing_text(x) for x in incomplete["data_kurang"]],
        }
    )
    components.table(
        incomplete_table,
        f"desa_data_belum_lengkap_{f.kode_kab or f.kode_provinsi}_{f.tahun}",
        key="data_kurang",
        download=download_rows(incomplete),
        column_config={"Data yang belum ada": WIDE_TEXT},
    )
