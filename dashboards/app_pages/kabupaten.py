"""Kabupaten/kota drill-down: KPIs over time vs the province, kecamatan, villages, IDM status."""

from functools import partial

import streamlit as st

from dashboards import components, data, filters
from dashboards.sections import kabupaten as section
from dashboards.views import kabupaten as view

f = filters.start_page("Kabupaten/Kota", params=("kpi",))

kab = data.kabupaten()
definitions = data.kpi_definitions()

kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))

# --- no kabupaten chosen yet: a chooser, then the whole province -----------------------------
if f.kode_kab is None:

    def _choose_kab() -> None:
        filters.set_choice(filters.PARAM_KAB, st.session_state.get("_kab_lokal"))

    st.info(
        "Pilih kabupaten/kota di panel kiri atau di sini untuk melihat rinciannya: tren, "
        "kecamatan, desa dan status desa (IDM atau Indeks Desa).",
        icon=":material/arrow_back:",
    )
    st.selectbox(
        "Kabupaten/kota",
        list(kab_names),
        index=None,
        format_func=kab_names.get,
        placeholder="Pilih kabupaten/kota…",
        key="_kab_lokal",
        on_change=_choose_kab,
    )
    section.province_overview(f.tahun, kab, definitions)
    st.stop()

# --- one kabupaten ----------------------------------------------------------------------------
kode_kab = f.kode_kab
defs = definitions.set_index("kpi_id")

trend_df = data.kpi(["kabupaten", "provinsi"], kode_wilayah=[kode_kab, f.kode_provinsi])
desa_list = data.desa_list(kode_kab)
synthetic = data.synthetic_datasets(f.tahun, kode_kab)

components.synthetic_notice(components.kpi_datasets(definitions) & synthetic)

st.header(f"{kab_names[kode_kab]}, {f.tahun}")
st.markdown(view.area_counts_text(len(data.kecamatan(kode_kab)), desa_list))
components.briefing_download(f, key="kabupaten")
components.late_notice(f)
if not (desa_list["jenis"] == "desa").any():
    st.info(
        f"{kab_names[kode_kab]} hanya memiliki kelurahan: indikator berbasis desa tidak memiliki "
        "nilai di sini (bukan nol).",
        icon=":material/info:",
    )

# --- every KPI of this kabupaten vs the province ---------------------------------------------
st.subheader("Semua indikator")
summary, shown = data.kept(
    ("ringkasan_kab", kode_kab, f.tahun, f.previous_tahun),
    _build=lambda: view.kpi_summary(
        definitions,
        trend_df,
        kab=(kode_kab, kab_names[kode_kab]),
        provinsi=(f.kode_provinsi, f.nama_provinsi),
        tahun=f.tahun,
        previous_tahun=f.previous_tahun,
    ),
)
components.table(shown, f"indikator_{kode_kab}_{f.tahun}", key="semua_kpi", download=summary)

# --- one KPI: its trend, then one section at a time -----------------------------------------
st.divider()
options = list(definitions["kpi_id"])
default = next(iter(definitions.loc[definitions["utama"], "kpi_id"]), options[0])
kpi_id = filters.choose(
    "Indikator untuk grafik, peta dan tabel di bawah",
    options,
    "kpi",
    default=default,
    format_func=components.kpi_labels().get,
)
chosen = section.Chosen(
    kode_kab=kode_kab,
    nama_kab=kab_names[kode_kab],
    tahun=f.tahun,
    kpi_id=kpi_id,
    kpi=defs.loc[kpi_id],
    desa=desa_list,
)
section.trend(chosen, trend_df, provinsi=(f.kode_provinsi, f.nama_provinsi))

# --- the sections below the trend: only the one opened is built and sent (issue 23) ---------
SECTIONS = {
    "Peta dan status desa": partial(section.map_and_status, chosen),
    "Kecamatan": partial(section.kecamatan, chosen),
    "Daftar desa": partial(section.desa_list, chosen, definitions),
    "Perpindahan status": partial(section.transitions, chosen),
}
for tab, show in zip(
    st.tabs(list(SECTIONS), key="bagian_kab", on_change="rerun"), SECTIONS.values(), strict=True
):
    with tab:
        if tab.open:
            show()
