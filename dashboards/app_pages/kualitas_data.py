"""Kualitas Data: completeness, the ingest log, rejected files, and real vs sample data."""

import functools

import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import kepatuhan as kepatuhan_view
from dashboards.views import kualitas as view
from laporan import formatting as fmt
from laporan import kepatuhan as kp

f = filters.start_page("Kualitas Data", params=("tampilan", "dataset", "tahun_jadwal"))
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

sources = data.data_sources()
completeness = data.completeness()
log = data.ingest_log()
rejected = data.rejected_files()
kab = data.kabupaten()

kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))
kab_names.setdefault(f.kode_provinsi, f.nama_provinsi)

# --- real vs sample data -----------------------------------------------------------------------
st.header("Data resmi dan data contoh")
sources = view.with_kind(sources)
samples = view.sample_datasets(sources)
components.synthetic_notice(samples)
if samples.empty:
    st.success(
        "Semua data dalam snapshot ini adalah data resmi (bukan data contoh).",
        icon=":material/check_circle:",
    )
components.table(
    view.sources_table(sources, components.dataset_label),
    "sumber_data_ringkas",
    key="sumber",
    column_formats={"Baris": fmt.number},
    download=sources,
)
with st.expander(f"Semua sumber ({fmt.number(len(sources))} baris)"):
    components.table(
        view.all_sources_table(sources, components.dataset_label),
        "sumber_data",
        key="sumber_semua",
        column_formats={"Baris": fmt.number},
    )

# --- completeness heatmap ------------------------------------------------------------------------
st.header("Kelengkapan data")
st.caption(
    "Persentase desa yang melaporkan tiap dataset. Tanda * = data contoh. "
    "Abu-abu = tidak ada desa yang wajib melapor (misalnya kota yang hanya memiliki kelurahan)."
)
VIEWS = {"tahun": f"Per tahun ({f.tahun})", "dataset": "Per dataset (semua tahun)"}
shown_view = filters.choose(
    "Tampilan",
    list(VIEWS),
    "tampilan",
    format_func=VIEWS.get,
    kind="radio",
    horizontal=True,
)

kl = view.of_kabupaten(completeness, f.kode_kab)
if kl.empty:
    st.info("Belum ada catatan kelengkapan data.", icon=":material/info:")
else:
    if shown_view == "tahun":
        subset = kl[kl["tahun"] == f.tahun]
        row_field, column_field = "label_dataset", "nama_kab"
        file_name = f"kelengkapan_{f.tahun}"
    else:
        dataset_options = sorted(kl["dataset"].unique())
        ds = filters.choose(
            "Dataset", dataset_options, "dataset", format_func=components.dataset_label
        )
        subset = kl[kl["dataset"] == ds]
        row_field, column_field = "nama_kab", "tahun"
        file_name = f"kelengkapan_{ds}"
    if subset.empty:
        st.info("Tidak ada catatan kelengkapan untuk pilihan ini.", icon=":material/info:")
    else:
        subset = view.completeness_cells(
            subset, lambda k: charts.short_name(kab_names.get(k, k)), components.dataset_label
        )
        z, text, hover = view.completeness_grid(subset, row_field, column_field)
        components.chart(
            charts.heatmap(
                z, text, colorscale="Blues", zmin=0, zmax=100, colorbar_title="% desa", hover=hover
            ),
            key="panas_kelengkapan",
            alt="Kelengkapan data",
        )
        with st.expander("Tabel kelengkapan"):
            components.table(
                view.completeness_table(subset),
                file_name,
                key="tabel_kelengkapan",
                column_formats={"persen_lengkap": lambda v: fmt.percent(v, 1)},
            )

# --- reporting calendar: who sent what on time ---------------------------------------------------
st.header("Kepatuhan pelaporan")
compliance = data.compliance()
calendar = data.reporting_calendar()
if compliance.empty:
    st.info("Belum ada jadwal pelaporan dalam data yang diterbitkan.", icon=":material/event_busy:")
else:
    st.caption(
        "Tiap sel: kapan kabupaten/kota mengirim dataset untuk satu tahun data, dibanding "
        "tenggat pada jadwal pelaporan. ✓ tepat waktu · ⚠ terlambat (dengan jumlah hari) · "
        "✗ belum dikirim padahal tenggat sudah lewat · ○ belum jatuh tempo · kosong = dataset itu "
        "tidak diminta dari wilayah tersebut. Kabupaten/kota dipilih di panel kiri."
    )
    if (calendar["asal"] == "bawaan").any():
        st.caption(
            ":material/info: Sebagian tenggat berasal dari contoh jadwal bawaan proyek, bukan "
            "ketentuan resmi; analis provinsi menggantinya dengan mengirim dataset Jadwal "
            "pelaporan."
        )
    years, year_default = kepatuhan_view.year_choices(compliance, f.tahun)
    with st.container(horizontal=True, gap="medium"):
        tahun_jadwal = filters.choose(
            "Tahun data", years, "tahun_jadwal", default=year_default, width=160
        )
        shown_status = st.multiselect(
            "Status",
            list(kp.STATUSES),
            default=list(kp.STATUSES),
            format_func=lambda s: f"{kp.MARKS[s]} {s}",
            key="_status_kepatuhan",
            width=700,
        )
    of_year = compliance[compliance["tahun_data"] == tahun_jadwal]
    with st.container(horizontal=True, gap="medium"):
        st.metric(
            f"Tepat waktu: {f.nama_provinsi}, {tahun_jadwal}",
            kp.rate_text(of_year),
            border=True,
            width=300,
            help=f"Tepat waktu = {kp.RATE_MEANING}.",
        )
        if f.kode_kab:
            st.metric(
                f"Tepat waktu: {f.nama_kab}, {tahun_jadwal}",
                kp.rate_text(kepatuhan_view.of_area(of_year, f.kode_kab)),
                border=True,
                width=300,
                help=f"Tepat waktu = {kp.RATE_MEANING}.",
            )
    st.caption(kepatuhan_view.on_time_note(*kp.on_time(of_year), tahun_jadwal))
    sent = set(of_year.loc[of_year["pertama_diterima"].notna(), "dataset"])
    sample_note = kepatuhan_view.sample_arrival_note(
        sent & data.synthetic_datasets(tahun_jadwal), components.dataset_label
    )
    if sample_note:
        st.caption(sample_note)
    area_rows = kepatuhan_view.of_area(of_year, f.kode_kab)
    filtered = area_rows[area_rows["status"].isin(shown_status)]
    cells, cell_status = kepatuhan_view.grid(
        area_rows,
        list(data.datasets()["dataset"]),
        components.dataset_label,
        charts.short_name,
        shown_status,
    )
    st.dataframe(
        kepatuhan_view.styled(cells, cell_status),
        hide_index=True,
        width="stretch",
        height=min(35 * (len(cells) + 1) + 3, 560),
        column_config={kepatuhan_view.AREA_COLUMN: st.column_config.Column(pinned=True)},
        key="grid_kepatuhan",
    )
    components.download_buttons(
        kepatuhan_view.download_frame(filtered),
        f"kepatuhan_pelaporan_{tahun_jadwal}",
        key="kepatuhan",
    )

    st.subheader(f"Irisan terlambat per kabupaten/kota, {tahun_jadwal}")
    late_shown, late_download = kepatuhan_view.late_table(filtered, components.dataset_label)
    if late_shown.empty:
        st.success(
            f"Tidak ada irisan tahun data {tahun_jadwal} yang terlambat atau belum dikirim "
            "untuk pilihan ini.",
            icon=":material/check_circle:",
        )
    else:
        st.caption("Yang belum dikirim lebih dulu, lalu yang paling lama terlambat.")
        components.text_table(
            late_shown,
            f"irisan_terlambat_{tahun_jadwal}",
            key="terlambat",
            download=late_download,
            alt="Irisan terlambat per kabupaten/kota",
            max_height=520,
        )

# --- ingest log ------------------------------------------------------------------------------------
st.header("Catatan penerimaan berkas")
st.markdown(view.log_counts_text(log))
statuses = list(view.LOG_STATUS_LABELS.values())
shown_statuses = st.multiselect("Status", statuses, default=statuses, key="_status_log")
components.table(
    view.log_table(log, components.dataset_label, shown_statuses),
    "ingest_log",
    key="log",
    column_formats={"Baris": fmt.number},
)

st.subheader(f"Berkas yang ditolak ({fmt.number(len(rejected))})")
if rejected.empty:
    st.success("Tidak ada berkas yang ditolak.", icon=":material/check_circle:")
else:
    st.caption(
        "Laporan tiap berkas menjelaskan baris dan kolom yang perlu diperbaiki; buku kerja "
        "kesalahan (.xlsx) menandai sel yang salah pada baris berkas itu sendiri."
    )
    for _, r in rejected.head(50).iterrows():
        with st.expander(
            view.rejected_title(r, components.safe_text, components.dataset_label),
            icon=":material/block:",
        ):
            st.caption(f"Disimpan sebagai: {components.safe_text(r['stored_as'] or '–')}")
            st.code(str(r["report"] or "(tanpa laporan)"), language=None, wrap_lines=True)
            workbook = data.error_workbook_path(r["stored_as"])
            if workbook is not None:
                st.download_button(
                    "Unduh buku kerja kesalahan (.xlsx)",
                    # Read only when clicked: up to 50 workbooks per page run would be slow.
                    functools.partial(data.error_workbook, r["stored_as"]),
                    file_name=workbook.name,
                    mime=XLSX_MIME,
                    icon=":material/download:",
                    key=f"kesalahan_xlsx_{r['stored_as']}",
                    help="Baris berkas ini dengan setiap sel yang salah ditandai merah dan "
                    "alasannya. Kolom data pribadi tidak disalin ke buku kerja ini.",
                )
    components.download_buttons(view.rejected_download(rejected), "berkas_ditolak", key="ditolak")
