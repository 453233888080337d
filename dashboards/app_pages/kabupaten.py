"""Kabupaten/kota drill-down: KPIs over time vs the province, kecamatan, villages, IDM status."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import kabupaten as view
from dashboards.views import targets as target_view
from laporan import formatting as fmt

f = filters.start_page("Kabupaten/Kota", params=("kpi",))

kab = data.kabupaten()
definitions = data.kpi_definitions()

kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))


def province_overview() -> None:
    """Every kabupaten/kota side by side (headline KPIs and a small map) until one is chosen,
    so the page is useful at once and shows where to look first."""
    headline = view.headline_kpis(definitions)
    rows = data.kpi(["kabupaten"], tahun=[f.tahun], kpi_id=list(headline["kpi_id"]))
    villages = data.desa_list()
    synthetic = data.synthetic_datasets(f.tahun)

    components.synthetic_notice(
        components.kpi_datasets(definitions, headline["kpi_id"]) & synthetic
    )
    st.header(f"Semua kabupaten/kota, {f.tahun}")
    table, column_formats = view.province_table(
        kab, rows, villages, headline, components.kpi_short_label
    )
    st.caption(
        "Indikator utama tiap kabupaten/kota. Klik judul kolom untuk mengurutkan; “–” berarti "
        "tidak ada nilai (bukan nol)."
    )
    components.table(
        table,
        f"indikator_utama_kabupaten_{f.tahun}",
        key="semua_kab",
        column_formats=column_formats,
        height=35 * (len(table) + 1) + 3,
        column_config={"Kabupaten/kota": st.column_config.Column(pinned=True)},
    )

    gj = data.geojson("kabupaten")
    if gj is None:
        components.no_map_notice("kabupaten/kota")
        return
    defs_headline = headline.set_index("kpi_id")
    kpi_id = filters.choose(
        "Indikator pada peta",
        list(defs_headline.index),
        "kpi",
        format_func=components.kpi_labels().get,
    )
    d = defs_headline.loc[kpi_id]
    per_kab = view.kpi_map_frame(kab, rows, kpi_id, no_value=components.reason_text(None))
    left, _ = st.columns([3, 2])
    with left:
        components.chart(
            charts.area_map(gj, per_kab, satuan=str(d["satuan"]), arah=str(d["arah"]), height=420),
            key="peta_semua_kab",
            alt=f"Peta {d['nama']} per kabupaten/kota",
        )


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
    province_overview()
    st.stop()

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
d = defs.loc[kpi_id]
satuan, arah = str(d["satuan"]), str(d["arah"])
st.caption(f"{fmt.ARAH_LABELS.get(arah, '')}. Rumus: {components.safe_text(d['rumus'])}")

st.subheader(f"{d['nama']} dari tahun ke tahun")
kab_series = view.kpi_series(trend_df, kode_kab, kpi_id)
prov_series = view.kpi_series(trend_df, f.kode_provinsi, kpi_id)
target = data.target_of(kpi_id, kode_kab)
if kab_series["nilai"].notna().any() or prov_series["nilai"].notna().any():
    components.chart(
        charts.trend(
            [(kab_names[kode_kab], kab_series), (f.nama_provinsi, prov_series)],
            satuan=satuan,
            target=view.trend_target(target, target_view.level_text),
        ),
        key="tren",
        alt=f"Tren {d['nama']}",
    )
if target is not None:
    components.target_lines(target, satuan)
    st.caption(
        "Bintang = target; garis putus-putus hitam = jalur lurus dari tahun pertama yang "
        "bernilai ke target."
    )
components.missing_list(
    view.missing_years(kab_series),
    title=f"Tahun tanpa nilai untuk {kab_names[kode_kab]} (bukan nol)",
)


def village_values() -> pd.DataFrame:
    """The kabupaten's desa with the chosen KPI's value and their village status."""
    return view.village_values(
        desa_list,
        data.kpi(["desa"], tahun=[f.tahun], kode_kab=kode_kab, kpi_id=[kpi_id]),
        data.desa_status(kode_kab, f.tahun),
    )


def map_and_status() -> None:
    skema = data.status_scheme(kode_kab, f.tahun)
    status_counts = data.status_counts(kode_kab, f.tahun)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"Peta desa: {d['nama']}")
        gj = data.geojson("desa", kode_kab)
        if gj is None:
            components.no_map_notice("desa")
        else:
            figure = data.kept(
                ("peta_desa", kode_kab, f.tahun, kpi_id),
                _build=lambda: charts.area_map(
                    gj,
                    village_values()[["kode", "nama", "nilai", "keterangan"]],
                    satuan=satuan,
                    arah=arah,
                    height=600,
                ),
            )
            components.chart(figure, key="peta_desa", alt=f"Peta desa {d['nama']}")
            st.caption("Abu-abu: tidak ada nilai (arahkan kursor untuk melihat alasannya).")
    with right:
        st.subheader(f"Status desa ({view.scheme_label(skema)}), {f.tahun}")
        if status_counts.empty:
            st.info("Tidak ada data IDM atau Indeks Desa untuk tahun ini.", icon=":material/info:")
            return
        thresholds = data.status_thresholds(skema, f.tahun)
        statuses = view.statuses_with_ranges(data.village_statuses(), thresholds, skema)
        components.chart(
            charts.status_idm(status_counts, statuses),
            key="status_idm",
            alt=f"Sebaran status desa menurut {view.scheme_label(skema)}",
        )
        st.caption(view.status_note(skema, f.tahun, int(status_counts["jumlah"].sum()), thresholds))


def kecamatan() -> None:
    st.subheader(f"Kecamatan, {f.tahun}")
    table = data.kept(
        ("kecamatan_kab", kode_kab, f.tahun, kpi_id),
        _build=lambda: view.kecamatan_table(
            data.kecamatan(kode_kab),
            data.kpi(["kecamatan"], tahun=[f.tahun], kode_kab=kode_kab, kpi_id=[kpi_id]),
            nama=str(d["nama"]),
            arah=arah,
        ),
    )
    components.table(
        table.fillna({"Keterangan": ""}),
        f"{kpi_id}_{kode_kab}_{f.tahun}_kecamatan",
        key="kecamatan",
        column_formats={d["nama"]: lambda v: fmt.kpi_value(v, satuan), "Desa melapor": fmt.number},
        download=table,
    )


def villages() -> None:
    st.subheader(f"Desa dan kelurahan, {f.tahun}")
    search = st.text_input("Cari desa atau kecamatan", placeholder="Ketik nama atau kode…")
    show_all = st.toggle("Tampilkan semua indikator", value=False)

    def build() -> pd.DataFrame:
        labels = components.status_labels()
        every_kpi = data.kpi(["desa"], tahun=[f.tahun], kode_kab=kode_kab) if show_all else None
        return view.village_table(
            village_values(),
            nama=str(d["nama"]),
            status_text=lambda s, k: (
                f"{components.status_label(s, labels)} ({view.scheme_label(k)})"
            ),
            wide=None if every_kpi is None else view.other_kpis(every_kpi, definitions, kpi_id),
        )  # fmt: skip

    table = view.search_villages(
        data.kept(("desa_kab", kode_kab, f.tahun, kpi_id, show_all), _build=build), search
    )
    st.caption(
        f"{fmt.number(len(table))} baris. Klik judul kolom untuk mengurutkan. "
        "Nilai kosong ditandai “–” dengan alasannya di kolom Keterangan."
    )
    components.table(
        table.fillna({"Keterangan": "", "Status desa": ""}),
        f"desa_{kode_kab}_{f.tahun}",
        key="desa",
        column_formats=view.kpi_column_formats(definitions, table.columns),
        download=table,
    )


# --- IDM -> Indeks Desa transitions ------------------------------------------------------------
@st.fragment
def transitions() -> None:
    """IDM status in one year against Indeks Desa status in another, for the desa with both;
    choosing a cell lists its desa (reruns this part only)."""
    years = data.status_years()
    default = view.default_transition_years(years)
    st.subheader("Perpindahan status: IDM ke Indeks Desa")
    if default is None:
        st.info(
            "Belum ada tahun dengan IDM dan tahun dengan Indeks Desa untuk dibandingkan.",
            icon=":material/info:",
        )
        return
    left, right = st.columns(2)
    idm_years, id_years = years["idm"], years["indeks_desa"]
    tahun_idm = left.selectbox(
        "Status IDM tahun", idm_years, index=idm_years.index(default[0]), key="_transisi_idm"
    )
    tahun_id = right.selectbox(
        "Status Indeks Desa tahun", id_years, index=id_years.index(default[1]), key="_transisi_id"
    )
    rows = data.status_transitions(kode_kab, int(tahun_idm), int(tahun_id))
    if rows.empty:
        st.info(
            f"Tidak ada desa di {kab_names[kode_kab]} yang memiliki status IDM {tahun_idm} dan "
            f"Indeks Desa {tahun_id}.",
            icon=":material/info:",
        )
        return
    statuses = data.village_statuses()
    ranks, labels = view.status_lookups(statuses)
    counts = view.transition_counts(rows)
    st.markdown(view.transition_summary_text(len(rows), view.transition_summary(rows, ranks)))
    components.chart(
        charts.transition_matrix(
            counts,
            statuses,
            from_title=f"Status IDM {tahun_idm}",
            to_title=f"Status Indeks Desa {tahun_id}",
        ),
        key="matriks_transisi",
        alt=f"Matriks perpindahan status IDM {tahun_idm} ke Indeks Desa {tahun_id}",
    )
    st.caption(
        "Baris: status IDM; kolom: status Indeks Desa. Kotak bergaris = status sama; biru = naik, "
        "merah = turun. Kedua indeks memakai skala dan metode berbeda: perpindahan status belum "
        "tentu berarti perubahan keadaan desa. Ambang status Indeks Desa belum diverifikasi."
    )
    cell = st.selectbox(
        "Tampilkan desa dalam sel",
        view.transition_cells(counts, ranks),
        format_func=partial(view.transition_cell_label, labels=labels),
        key="_transisi_sel",
    )
    components.table(
        view.transition_villages(
            rows,
            cell,
            tahun_idm=tahun_idm,
            tahun_id=tahun_id,
            # the labels looked up once, not once per village row
            status_name=partial(components.status_label, labels=components.status_labels()),
        ),
        f"perpindahan_status_{kode_kab}_{tahun_idm}_{tahun_id}",
        key="transisi_desa",
    )


# --- the sections below the trend: only the one opened is built and sent (issue 23) ---------
SECTIONS = {
    "Peta dan status desa": map_and_status,
    "Kecamatan": kecamatan,
    "Daftar desa": villages,
    "Perpindahan status": transitions,
}
for tab, section in zip(
    st.tabs(list(SECTIONS), key="bagian_kab", on_change="rerun"), SECTIONS.values(), strict=True
):
    with tab:
        if tab.open:
            section()
