"""Desa: find a village by name or code; its KPIs over the years, its rank, its data."""

import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import desa as view
from dashboards.views import kabupaten as kab_view
from laporan import formatting as fmt

f = filters.start_page("Desa", params=("desa",))


@st.fragment
def village_profile() -> None:
    """The search and the profile: choosing another village reruns this part only."""
    villages = data.desa_list(f.kode_kab)
    labels = view.village_labels(villages)
    kode_desa = filters.choose(
        "Cari desa atau kelurahan (ketik nama atau kode)",
        list(labels),
        "desa",
        allow_empty=True,
        format_func=labels.get,
        placeholder="Ketik nama atau kode desa…",
        help="Daftar mengikuti pilihan kabupaten/kota di panel kiri.",
    )
    if f.kode_kab:
        st.caption(
            f"Menampilkan desa di {f.nama_kab}. Pilih *Semua* di panel kiri untuk seluruh provinsi."
        )
    if kode_desa is None:
        st.info("Pilih desa atau kelurahan untuk melihat profilnya.", icon=":material/search:")
        return

    desa_row = villages[villages["kode"] == kode_desa].iloc[0]
    ranks = data.desa_ranks(kode_desa)
    datasets = data.desa_datasets(kode_desa)
    synthetic = view.synthetic_in(datasets)
    components.synthetic_notice(synthetic)

    jenis = str(desa_row["jenis"] or "desa")
    st.header(f"{'Kelurahan' if jenis == 'kelurahan' else 'Desa'} {desa_row['nama']}")
    st.markdown(
        f"Kecamatan **{desa_row['nama_kec']}** · **{desa_row['nama_kab']}** · kode `{kode_desa}`"
    )
    if jenis == "kelurahan":
        st.info(
            "Kelurahan tidak menerima Dana Desa, tidak dinilai IDM dan tidak mengisi profil "
            "desa: indikator berbasis desa tidak memiliki nilai di sini (lihat kolom Keterangan).",
            icon=":material/info:",
        )

    # --- the village status (Indeks Desa where the year has it, IDM otherwise) --------------
    if jenis != "kelurahan":
        village_status(kode_desa, str(desa_row["kode_kab"]))

    # --- KPIs across years, with the rank in the kabupaten ------------------------------------
    st.subheader("Indikator dari tahun ke tahun")
    years = view.years_with_values(ranks, f.tahun)
    if not years:
        st.info("Belum ada nilai indikator untuk desa ini.", icon=":material/info:")
    else:
        shown, download = view.kpi_years_table(
            ranks, data.kpi_definitions(), f.tahun, years, components.reason_text
        )
        st.caption(
            "Peringkat 1 = terbaik di antara desa sekabupaten pada tahun terpilih (sesuai arah "
            "indikator); desa tanpa nilai tidak diperingkat."
        )
        components.table(shown, f"indikator_{kode_desa}", key="kpi_desa", download=download)

    # --- every dataset's rows -----------------------------------------------------------------
    st.subheader("Data yang dilaporkan")
    opened = view.one_row_per_year(data.datasets())
    for name, df in datasets.items():
        title = components.dataset_label(name)
        if df.empty:
            st.markdown(f"**{title}:** tidak ada data untuk desa ini.")
            continue
        sample = " · data contoh" if name in synthetic else ""
        with st.expander(f"{title} ({fmt.number(len(df))} baris){sample}", expanded=name in opened):
            rows, download = view.dataset_rows(df)
            components.table(rows, f"{name}_{kode_desa}", key=f"ds_{name}", download=download)


def village_status(kode_desa: str, kode_kab: str) -> None:
    """The desa's status in the chosen year, naming its scheme, and its six Indeks Desa
    dimensions against the kabupaten and province means."""
    st.subheader(f"Status desa, {f.tahun}")
    status = data.desa_status(kode_kab, f.tahun)
    row = status[status["kode_desa"] == kode_desa]
    if row.empty:
        st.info(
            f"Tidak ada status IDM atau Indeks Desa untuk desa ini pada {f.tahun}.",
            icon=":material/info:",
        )
        return
    r = row.iloc[0]
    skema = str(r["skema"])
    decimals = 2 if skema == data.INDEKS_DESA else 4
    st.markdown(
        f"**{components.status_label(r['status'])}** menurut **{kab_view.scheme_label(skema)} "
        f"{f.tahun}** (skor {fmt.number(r['skor'], decimals)}"
        + (", skala 0–100)" if skema == data.INDEKS_DESA else ", skala 0–1)")
    )
    if skema == data.INDEKS_DESA:
        thresholds = data.status_thresholds(skema, f.tahun)
        st.caption(
            "Status Indeks Desa seperti tertulis di berkas resmi."
            + (
                " Ambang status Indeks Desa yang dipakai dasbor belum diverifikasi terhadap "
                "Kepmendesa."
                if kab_view.unverified(thresholds)
                else ""
            )
        )
    else:
        st.caption("Tahun ini desa belum memiliki Indeks Desa: status dari IDM.")
    scores = data.dimension_scores(kode_desa, f.tahun)
    if scores.empty:
        return
    scores = scores.assign(dimensi=scores["dimensi"].map(data.dimensions()))
    left, right = st.columns([3, 2], gap="large")
    with left:
        components.chart(
            charts.dimension_radar(
                scores,
                {
                    "desa": "Desa ini",
                    "kabupaten": "Rata-rata kabupaten/kota",
                    "provinsi": "Rata-rata provinsi",
                },
            ),
            key="radar_dimensi",
            alt="Enam dimensi Indeks Desa: desa, kabupaten dan provinsi",
        )
    with right:
        st.markdown(f"**Enam dimensi Indeks Desa {f.tahun}** (0–100)")
        components.table(
            scores.rename(
                columns={
                    "dimensi": "Dimensi",
                    "desa": "Desa",
                    "kabupaten": "Kab/kota",
                    "provinsi": "Provinsi",
                }
            ),
            f"dimensi_indeks_desa_{kode_desa}_{f.tahun}",
            key="dimensi",
            column_formats={
                c: lambda v: fmt.number(v, 2) for c in ("Desa", "Kab/kota", "Provinsi")
            },
        )
        weakest = data.status.weakest_dimension("desa", kode_desa, f.tahun)
        st.caption(
            (
                f"Dimensi terlemah desa: **{weakest['label']}** "
                f"({fmt.number(weakest['skor'], 2)}). "
                if weakest
                else ""
            )
            + "Kab/kota dan provinsi: rata-rata desa yang memiliki Indeks Desa tahun ini."
        )


village_profile()
