"""Desa Prioritas: the villages most in need, ranked per kabupaten by the pipeline's score.

The score, its rank and its reason come ready-made from the snapshot's `desa_prioritas` table,
and the weights from `bobot_desa_prioritas` (those the run used); this page only shows them.
Villages whose data is incomplete (`status = 'data_kurang'`) have no score and are listed on
their own, never ranked as if they were fine.
"""

from functools import partial

import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import prioritas as view
from laporan import formatting as fmt

f = filters.start_page("Desa Prioritas", params=("jumlah",))
WIDE_TEXT = st.column_config.TextColumn(width="large")
missing_text = partial(view.missing_text, dataset_label=components.dataset_label)

if not data.has_table("desa_prioritas"):
    st.info(
        "Data yang diterbitkan belum berisi daftar desa prioritas: snapshot ini dibuat oleh "
        "versi pipeline yang lebih lama. Jalankan ulang pipeline untuk menerbitkannya, lalu muat "
        "ulang halaman ini.",
        icon=":material/info:",
    )
    st.stop()

rows = data.desa_prioritas(f.tahun, f.kode_kab)
weights = data.priority_weights()
scored = rows[rows["status"] == "dinilai"]
incomplete = rows[rows["status"] == "data_kurang"]
if not rows.empty:
    components.synthetic_notice(
        view.sample_datasets(data.village_datasets(), data.synthetic_datasets(f.tahun, f.kode_kab))
    )

st.markdown(
    f"Desa yang paling membutuhkan perhatian di **{f.nama_wilayah}**, tahun **{f.tahun}**. "
    "**Skor kebutuhan 0–100**: makin tinggi, makin perlu diprioritaskan. "
    "Peringkat 1 = paling membutuhkan di kabupaten/kotanya. Kelurahan tidak dinilai."
)


# --- how the score is computed --------------------------------------------------------------------
def how_the_score_works() -> None:
    st.markdown(
        "Skor = 100 × (jumlah bobot × skor faktor) / jumlah bobot. Setiap faktor bernilai 0 "
        "(tidak membutuhkan) sampai 1 (sangat membutuhkan). Alasan di setiap desa menyebut "
        "faktor yang paling besar sumbangannya. Desa yang datanya belum lengkap tidak diberi "
        "skor dan dicantumkan terpisah di bagian **Data belum lengkap**."
    )
    if weights is None:
        st.info("Snapshot ini belum memuat bobot skor.", icon=":material/info:")
    else:
        components.table(
            view.weights_table(weights, data.priority_factor_labels()),
            "bobot_desa_prioritas",
            key="bobot",
            column_formats={"Bobot": lambda v: fmt.percent(v, 0)},
            download=weights,
            column_config={"Keterangan": WIDE_TEXT},
        )
        st.caption("Bobot yang dipakai pipeline saat menghitung skor di halaman ini.")


# Folded sections are built only when opened (a rerun): most readers never open them.
how = st.expander(
    "Cara menghitung skor", icon=":material/calculate:", key="cara_skor", on_change="rerun"
)
with how:
    if how.open:
        how_the_score_works()

if rows.empty:
    villages = data.desa_list(f.kode_kab) if f.kode_kab is not None else None
    st.info(
        view.no_rows_text(villages, nama_wilayah=f.nama_wilayah, tahun=f.tahun),
        icon=":material/info:",
    )
    st.stop()

scheme_caption = view.scheme_caption(scored, f.tahun)
if scheme_caption:
    st.caption(scheme_caption)
count_cols = st.columns(3)
count_cols[0].metric("Desa dinilai", fmt.number(len(scored)), border=True)
count_cols[1].metric("Skor tertinggi", view.top_score_text(scored), border=True)
count_cols[2].metric("Desa dengan data belum lengkap", fmt.number(len(incomplete)), border=True)

components.briefing_download(f, key="prioritas")

if scored.empty:
    st.info(
        f"Belum ada desa yang dapat dinilai untuk {f.nama_wilayah} tahun {f.tahun}: data semua "
        "desa belum lengkap (lihat di bawah).",
        icon=":material/info:",
    )

# --- the ranking -----------------------------------------------------------------------------------
if not scored.empty and f.kode_kab:
    st.header(f"Peringkat desa di {f.nama_kab}, {f.tahun}")
    components.text_table(
        data.kept(
            ("peringkat_prioritas", f.kode_kab, f.tahun),
            _build=lambda: view.ranking_table(scored, components.status_label),
        ),
        f"desa_prioritas_{f.kode_kab}_{f.tahun}",
        key="peringkat",
        column_formats={"Skor": view.score_text},
        download=view.ranking_download(scored),
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
    components.text_table(
        view.top_table(top),
        f"desa_prioritas_{f.tahun}",
        key="teratas",
        column_formats={"Skor": view.score_text},
        download=top.reset_index(drop=True),
        alt=f"Desa paling membutuhkan di {f.nama_provinsi}, {f.tahun}",
    )
    st.caption(
        "Urutan provinsi menurut skor; peringkat di kabupaten membandingkan desa sekabupaten/kota."
    )


# --- one village's score, factor by factor ---------------------------------------------------------
@st.fragment
def score_details() -> None:
    """Choosing a village reruns this part only, not the whole page."""
    labels = view.village_choice_labels(scored, with_kabupaten=f.kode_kab is None)
    chosen = st.selectbox("Desa", list(labels), format_func=labels.get, key="_rincian_desa")
    row = scored[scored["kode_desa"] == chosen].iloc[0]
    st.markdown(view.village_score_text(row, components.safe_text))
    components.table(
        view.factor_rows(row, weights, components.status_label, data.priority_factor_labels()),
        f"rincian_skor_{chosen}_{f.tahun}",
        key="rincian",
        column_formats=view.FACTOR_FORMATS,
    )


if not scored.empty:
    details = st.expander(
        "Rincian skor per desa", icon=":material/list_alt:", key="rincian_skor", on_change="rerun"
    )
    with details:
        if details.open:
            score_details()

# --- map -------------------------------------------------------------------------------------------
if f.kode_kab:
    st.header(f"Peta skor desa, {f.tahun}")
    gj = data.geojson("desa", f.kode_kab)
    if gj is None:
        components.no_map_notice("desa")
    else:
        figure = data.kept(
            ("peta_prioritas", f.kode_kab, f.tahun),
            _build=lambda: charts.area_map(
                gj,
                view.village_map_frame(data.desa_list(f.kode_kab), rows, missing_text),
                satuan="",
                arah="turun",
                height=600,
                scale_title="merah = lebih membutuhkan",
            ),
        )
        components.chart(
            figure,
            key="peta_prioritas_desa",
            alt=f"Peta skor desa prioritas di {f.nama_kab}",
        )
        st.caption(
            "Merah = skor tinggi (lebih membutuhkan). Abu-abu = tidak dinilai: kelurahan atau "
            "data belum lengkap (arahkan kursor untuk melihat alasannya)."
        )
else:
    st.header(f"Per kabupaten/kota, {f.tahun}")
    summary = view.kabupaten_summary(data.kabupaten(), data.desa_prioritas_kabupaten(f.tahun))
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
        kab_table = view.kabupaten_table(summary)
        components.table(
            view.narrow_kabupaten_table(kab_table),
            f"desa_prioritas_kabupaten_{f.tahun}",
            key="per_kab",
            column_formats={"Rata-rata skor": view.score_text},
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
    st.markdown(view.missing_list_text(incomplete, missing_text, components.safe_text))
    components.table(
        data.kept(
            ("data_kurang_prioritas", f.kode_kab, f.tahun),
            _build=lambda: view.incomplete_table(
                incomplete, with_kabupaten=not f.kode_kab, missing=missing_text
            ),
        ),
        f"desa_data_belum_lengkap_{f.kode_kab or f.kode_provinsi}_{f.tahun}",
        key="data_kurang",
        download=incomplete.reset_index(drop=True),
        column_config={"Data yang belum ada": WIDE_TEXT},
    )
