"""The Kabupaten/Kota page's sections: the province overview, the trend and the four tabs below it
(map and status, kecamatan, desa list, IDM -> Indeks Desa transitions). Layout only: the frames
come shaped from dashboards/views/kabupaten.py, the data from dashboards/data/."""

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import kabupaten as view
from dashboards.views import targets as target_view
from laporan import formatting as fmt


@dataclass(frozen=True)
class Chosen:
    """The kabupaten, year and KPI the reader chose, with the kabupaten's desa: what the trend and
    the tabs below it read."""

    kode_kab: str
    nama_kab: str
    tahun: int
    kpi_id: str
    kpi: pd.Series  # the KPI's definition row: nama, satuan, arah, rumus
    desa: pd.DataFrame  # data.desa_list(kode_kab)

    @property
    def satuan(self) -> str:
        return str(self.kpi["satuan"])

    @property
    def arah(self) -> str:
        return str(self.kpi["arah"])

    @property
    def per_desa(self) -> bool:
        """Whether the KPI has desa and kecamatan values (a programme KPI has not)."""
        return not self.kpi["program"]


def _programme_notice(chosen: Chosen) -> None:
    st.info(view.programme_kpi_note(str(chosen.kpi["nama"])), icon=":material/info:")


def province_overview(tahun: int, kab: pd.DataFrame, definitions: pd.DataFrame) -> None:
    """Every kabupaten/kota side by side (headline KPIs and a small map) until one is chosen,
    so the page is useful at once and shows where to look first."""
    headline = view.headline_kpis(definitions)
    rows = data.kpi(["kabupaten"], tahun=[tahun], kpi_id=list(headline["kpi_id"]))
    villages = data.desa_list()
    synthetic = data.synthetic_datasets(tahun)

    components.synthetic_notice(
        components.kpi_datasets(definitions, headline["kpi_id"]) & synthetic
    )
    st.header(f"Semua kabupaten/kota, {tahun}")
    table, column_formats = view.province_table(
        kab, rows, villages, headline, components.kpi_short_label
    )
    st.caption(
        "Indikator utama tiap kabupaten/kota. Klik judul kolom untuk mengurutkan; “–” berarti "
        "tidak ada nilai (bukan nol)."
    )
    components.table(
        table,
        f"indikator_utama_kabupaten_{tahun}",
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


def trend(chosen: Chosen, trend_df: pd.DataFrame, *, provinsi: tuple[str, str]) -> None:
    """The KPI's direction and formula, then its values over the years beside the province's,
    with the kabupaten's target when it has one."""
    d = chosen.kpi
    st.caption(f"{fmt.ARAH_LABELS.get(chosen.arah, '')}. Rumus: {components.safe_text(d['rumus'])}")

    st.subheader(f"{d['nama']} dari tahun ke tahun")
    kode_provinsi, nama_provinsi = provinsi
    kab_series = view.kpi_series(trend_df, chosen.kode_kab, chosen.kpi_id)
    prov_series = view.kpi_series(trend_df, kode_provinsi, chosen.kpi_id)
    target = data.target_of(chosen.kpi_id, chosen.kode_kab)
    if kab_series["nilai"].notna().any() or prov_series["nilai"].notna().any():
        components.chart(
            charts.trend(
                [(chosen.nama_kab, kab_series), (nama_provinsi, prov_series)],
                satuan=chosen.satuan,
                target=view.trend_target(target, target_view.level_text),
            ),
            key="tren",
            alt=f"Tren {d['nama']}",
        )
    if target is not None:
        components.target_lines(target, chosen.satuan)
        st.caption(
            "Bintang = target; garis putus-putus hitam = jalur lurus dari tahun pertama yang "
            "bernilai ke target."
        )
    components.missing_list(
        view.missing_years(kab_series),
        title=f"Tahun tanpa nilai untuk {chosen.nama_kab} (bukan nol)",
    )


def _village_values(chosen: Chosen) -> pd.DataFrame:
    """The kabupaten's desa with the chosen KPI's value and their village status."""
    return view.village_values(
        chosen.desa,
        data.kpi(["desa"], tahun=[chosen.tahun], kode_kab=chosen.kode_kab, kpi_id=[chosen.kpi_id]),
        data.desa_status(chosen.kode_kab, chosen.tahun),
    )


def map_and_status(chosen: Chosen) -> None:
    """The desa map of the KPI beside the count of desa per village status."""
    kode_kab, tahun, d = chosen.kode_kab, chosen.tahun, chosen.kpi
    skema = data.status_scheme(kode_kab, tahun)
    status_counts = data.status_counts(kode_kab, tahun)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"Peta desa: {d['nama']}")
        gj = data.geojson("desa", kode_kab)
        if not chosen.per_desa:
            _programme_notice(chosen)
        elif gj is None:
            components.no_map_notice("desa")
        else:
            figure = data.kept(
                ("peta_desa", kode_kab, tahun, chosen.kpi_id),
                _build=lambda: charts.area_map(
                    gj,
                    _village_values(chosen)[["kode", "nama", "nilai", "keterangan"]],
                    satuan=chosen.satuan,
                    arah=chosen.arah,
                    height=600,
                ),
            )
            components.chart(figure, key="peta_desa", alt=f"Peta desa {d['nama']}")
            st.caption("Abu-abu: tidak ada nilai (arahkan kursor untuk melihat alasannya).")
    with right:
        st.subheader(f"Status desa ({view.scheme_label(skema)}), {tahun}")
        if status_counts.empty:
            st.info("Tidak ada data IDM atau Indeks Desa untuk tahun ini.", icon=":material/info:")
            return
        thresholds = data.status_thresholds(skema, tahun)
        statuses = view.statuses_with_ranges(data.village_statuses(), thresholds, skema)
        components.chart(
            charts.status_idm(status_counts, statuses),
            key="status_idm",
            alt=f"Sebaran status desa menurut {view.scheme_label(skema)}",
        )
        st.caption(view.status_note(skema, tahun, int(status_counts["jumlah"].sum()), thresholds))


def kecamatan(chosen: Chosen) -> None:
    """The KPI per kecamatan of the kabupaten."""
    kode_kab, tahun, kpi_id, d = chosen.kode_kab, chosen.tahun, chosen.kpi_id, chosen.kpi
    st.subheader(f"Kecamatan, {tahun}")
    if not chosen.per_desa:
        _programme_notice(chosen)
        return
    table = data.kept(
        ("kecamatan_kab", kode_kab, tahun, kpi_id),
        _build=lambda: view.kecamatan_table(
            data.kecamatan(kode_kab),
            data.kpi(["kecamatan"], tahun=[tahun], kode_kab=kode_kab, kpi_id=[kpi_id]),
            nama=str(d["nama"]),
            arah=chosen.arah,
        ),
    )
    components.table(
        table.fillna({"Keterangan": ""}),
        f"{kpi_id}_{kode_kab}_{tahun}_kecamatan",
        key="kecamatan",
        column_formats={
            d["nama"]: lambda v: fmt.kpi_value(v, chosen.satuan),
            "Desa melapor": fmt.number,
        },
        download=table,
    )


def desa_list(chosen: Chosen, definitions: pd.DataFrame) -> None:
    """Every desa and kelurahan of the kabupaten with the KPI (or every KPI) and its status;
    searchable by name or code."""
    kode_kab, tahun, kpi_id = chosen.kode_kab, chosen.tahun, chosen.kpi_id
    st.subheader(f"Desa dan kelurahan, {tahun}")
    if not chosen.per_desa:
        _programme_notice(chosen)
    search = st.text_input("Cari desa atau kecamatan", placeholder="Ketik nama atau kode…")
    show_all = st.toggle("Tampilkan semua indikator", value=False)

    def build() -> pd.DataFrame:
        labels = components.status_labels()
        every_kpi = data.kpi(["desa"], tahun=[tahun], kode_kab=kode_kab) if show_all else None
        table = view.village_table(
            _village_values(chosen),
            nama=str(chosen.kpi["nama"]),
            status_text=lambda s, k: (
                f"{components.status_label(s, labels)} ({view.scheme_label(k)})"
            ),
            wide=None if every_kpi is None else view.other_kpis(every_kpi, definitions, kpi_id),
        )  # fmt: skip
        if not chosen.per_desa:  # a column of dashes would read as "no data sent"
            table = table.drop(columns=[str(chosen.kpi["nama"]), "Keterangan"])
        return table

    table = view.search_villages(
        data.kept(("desa_kab", kode_kab, tahun, kpi_id, show_all), _build=build), search
    )
    st.caption(
        f"{fmt.number(len(table))} baris. Klik judul kolom untuk mengurutkan. "
        "Nilai kosong ditandai “–” dengan alasannya di kolom Keterangan."
    )
    components.table(
        table.fillna({"Keterangan": "", "Status desa": ""}),
        f"desa_{kode_kab}_{tahun}",
        key="desa",
        column_formats=view.kpi_column_formats(definitions, table.columns),
        download=table,
    )


@st.fragment
def transitions(chosen: Chosen) -> None:
    """IDM status in one year against Indeks Desa status in another, for the desa with both;
    choosing a cell lists its desa (reruns this part only)."""
    kode_kab = chosen.kode_kab
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
            f"Tidak ada desa di {chosen.nama_kab} yang memiliki status IDM {tahun_idm} dan "
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
