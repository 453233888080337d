"""Kabupaten/kota drill-down: KPIs over time vs the province, kecamatan, villages, IDM status."""

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
    headline = definitions[definitions["utama"]]
    if headline.empty:
        headline = definitions.drop_duplicates("isu")
    rows = data.kpi(["kabupaten"], tahun=[f.tahun], kpi_id=list(headline["kpi_id"]))
    villages = data.desa_list()
    synthetic = data.synthetic_datasets(f.tahun)
    values = rows.pivot_table(
        index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
    )
    n_desa = villages[villages["jenis"] == "desa"].groupby("kode_kab").size()

    components.synthetic_notice(
        components.kpi_datasets(definitions, headline["kpi_id"]) & synthetic
    )
    st.header(f"Semua kabupaten/kota, {f.tahun}")
    table = pd.DataFrame({"Kabupaten/kota": kab["nama"], "Desa": kab["kode"].map(n_desa)})
    table["Desa"] = table["Desa"].fillna(0).astype(int)
    column_formats = {}
    for _, d in headline.iterrows():
        label = components.kpi_short_label(d)
        column = values[d["kpi_id"]] if d["kpi_id"] in values.columns else pd.Series(dtype=float)
        table[label] = kab["kode"].map(column).astype("float64").to_numpy()
        column_formats[label] = lambda v, s=str(d["satuan"]): fmt.kpi_value_short(v, s)
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
    kpi_rows = rows[rows["kpi_id"] == kpi_id][["kode_wilayah", "nilai", "keterangan"]]
    per_kab = kab[["kode", "nama"]].merge(
        kpi_rows, left_on="kode", right_on="kode_wilayah", how="left"
    )
    per_kab["keterangan"] = per_kab["keterangan"].where(
        per_kab["nilai"].notna() | per_kab["keterangan"].notna(), components.reason_text(None)
    )
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
jenis = str(kab.loc[kab["kode"] == kode_kab, "jenis"].iloc[0] or "kabupaten")
defs = definitions.set_index("kpi_id")

trend_df = data.kpi(["kabupaten", "provinsi"], kode_wilayah=[kode_kab, f.kode_provinsi])
desa_list = data.desa_list(kode_kab)
synthetic = data.synthetic_datasets(f.tahun, kode_kab)

components.synthetic_notice(components.kpi_datasets(definitions) & synthetic)

st.header(f"{kab_names[kode_kab]}, {f.tahun}")
n_desa = int((desa_list["jenis"] == "desa").sum())
n_kelurahan = int((desa_list["jenis"] == "kelurahan").sum())
st.markdown(
    f"**{fmt.number(len(data.kecamatan(kode_kab)))}** kecamatan · "
    f"**{fmt.number(n_desa)}** desa · **{fmt.number(n_kelurahan)}** kelurahan"
)
components.briefing_download(f, key="kabupaten")
components.late_notice(f)
if n_desa == 0:
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
kab_series = trend_df[(trend_df["kode_wilayah"] == kode_kab) & (trend_df["kpi_id"] == kpi_id)]
prov_series = trend_df[
    (trend_df["kode_wilayah"] == f.kode_provinsi) & (trend_df["kpi_id"] == kpi_id)
]
target = data.target_of(kpi_id, kode_kab)
if kab_series["nilai"].notna().any() or prov_series["nilai"].notna().any():
    components.chart(
        charts.trend(
            [(kab_names[kode_kab], kab_series), (f.nama_provinsi, prov_series)],
            satuan=satuan,
            target=None
            if target is None
            else {**target, "label": target_view.level_text(target).capitalize()},
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
kab_missing = kab_series[kab_series["nilai"].isna()]
components.missing_list(
    zip(kab_missing["tahun"].astype(str), kab_missing["keterangan"], strict=True),
    title=f"Tahun tanpa nilai untuk {kab_names[kode_kab]} (bukan nol)",
)


def village_values() -> pd.DataFrame:
    """The kabupaten's desa with the chosen KPI's value and their village status."""
    desa_df = data.kpi(["desa"], tahun=[f.tahun], kode_kab=kode_kab, kpi_id=[kpi_id])
    rows = desa_df[["kode_wilayah", "nilai", "keterangan"]]
    merged = desa_list.merge(rows, left_on="kode", right_on="kode_wilayah", how="left")
    status = data.desa_status(kode_kab, f.tahun)
    return merged.merge(status, left_on="kode", right_on="kode_desa", how="left")


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
        wide = None
        if show_all:
            others = definitions[definitions["kpi_id"] != kpi_id]
            rows = data.kpi(["desa"], tahun=[f.tahun], kode_kab=kode_kab)
            wide = rows.pivot_table(
                index="kode_wilayah",
                columns="kpi_id",
                values="nilai",
                aggfunc="first",
                dropna=False,
            )
            wide = wide[[k for k in others["kpi_id"] if k in wide.columns]]
            wide.columns = [str(defs.at[k, "nama"]) for k in wide.columns]
        return view.village_table(
            village_values(),
            nama=str(d["nama"]),
            status_text=lambda s, k: (
                f"{components.status_label(s, labels)} ({view.scheme_label(k)})"
            ),
            wide=wide,
        )  # fmt: skip

    table = view.search_villages(
        data.kept(("desa_kab", kode_kab, f.tahun, kpi_id, show_all), _build=build), search
    )
    column_formats = {
        str(defs.at[k, "nama"]): lambda v, s=str(defs.at[k, "satuan"]): fmt.kpi_value_short(v, s)
        for k in definitions["kpi_id"]
        if str(defs.at[k, "nama"]) in table.columns
    }
    st.caption(
        f"{fmt.number(len(table))} baris. Klik judul kolom untuk mengurutkan. "
        "Nilai kosong ditandai “–” dengan alasannya di kolom Keterangan."
    )
    components.table(
        table.fillna({"Keterangan": "", "Status desa": ""}),
        f"desa_{kode_kab}_{f.tahun}",
        key="desa",
        column_formats=column_formats,
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
    ranks = dict(zip(statuses["status"], statuses["urutan"], strict=True))
    counts = view.transition_counts(rows)
    moved = view.transition_summary(rows, ranks)
    st.markdown(
        f"**{fmt.number(len(rows))}** desa memiliki kedua status: **{fmt.number(moved['naik'])}** "
        f"naik, **{fmt.number(moved['sama'])}** status sama (diagonal), "
        f"**{fmt.number(moved['turun'])}** turun."
    )
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
    labels = dict(zip(statuses["status"], statuses["label"], strict=True))
    cells = [
        (a, b, int(n)) for a in counts.index for b in counts.columns if (n := counts.at[a, b]) > 0
    ]
    cells.sort(key=lambda c: (ranks.get(c[0], 0), ranks.get(c[1], 0)))

    def cell_label(c: tuple[str, str, int]) -> str:
        same = " (status sama)" if c[0] == c[1] else ""
        return f"{labels.get(c[0], c[0])} → {labels.get(c[1], c[1])}{same}: {fmt.number(c[2])} desa"

    cell = st.selectbox(
        "Tampilkan desa dalam sel", cells, format_func=cell_label, key="_transisi_sel"
    )
    chosen = rows[(rows["status_idm"] == cell[0]) & (rows["status_id"] == cell[1])]
    names = components.status_labels()  # looked up once, not once per village row

    def status_name(status: object) -> str:
        return components.status_label(status, names)

    components.table(
        pd.DataFrame(
            {
                "Kode": chosen["kode_desa"],
                "Desa": chosen["nama_desa"],
                "Kecamatan": chosen["nama_kecamatan"],
                f"Status IDM {tahun_idm}": chosen["status_idm"].map(status_name),
                f"Status Indeks Desa {tahun_id}": chosen["status_id"].map(status_name),
            }
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
