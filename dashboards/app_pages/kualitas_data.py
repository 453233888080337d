"""Kualitas Data: completeness, the ingest log, rejected files, and real vs sample data."""

import functools

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import kepatuhan as kepatuhan_view
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
sources = sources.copy()
sources["sintetis"] = sources["sintetis"].fillna(False).astype(bool)
samples = sources[sources["sintetis"] & (sources["baris"].fillna(1) > 0)]
components.synthetic_notice(samples["dataset"])
if samples.empty:
    st.success(
        "Semua data dalam snapshot ini adalah data resmi (bukan data contoh).",
        icon=":material/check_circle:",
    )
# one line per dataset and kind (real / sample); a dataset can cite many sources
sources_summary = (
    sources.assign(sumber=sources["sumber"].fillna("–"))
    .groupby(["dataset", "sintetis"], sort=True)
    .agg(baris=("baris", "sum"), sumber=("sumber", lambda s: list(dict.fromkeys(s))))
    .reset_index()
)


def _sources_text(items: list[str]) -> str:
    if len(items) <= 2:
        return "; ".join(items)
    return f"{'; '.join(items[:2])}; dan {len(items) - 2} sumber lain"


sources_table = pd.DataFrame(
    {
        "Dataset": [components.dataset_label(d) for d in sources_summary["dataset"]],
        "Jenis data": [
            "Data contoh (sintetis)" if s else "Data resmi" for s in sources_summary["sintetis"]
        ],
        "Baris": sources_summary["baris"],
        "Sumber": [_sources_text(d) for d in sources_summary["sumber"]],
    }
)
components.table(
    sources_table,
    "sumber_data_ringkas",
    key="sumber",
    column_formats={"Baris": fmt.number},
    download=sources,
)
with st.expander(f"Semua sumber ({fmt.number(len(sources))} baris)"):
    components.table(
        pd.DataFrame(
            {
                "Dataset": [components.dataset_label(d) for d in sources["dataset"]],
                "Jenis data": [
                    "Data contoh (sintetis)" if s else "Data resmi" for s in sources["sintetis"]
                ],
                "Baris": sources["baris"],
                "Sumber": sources["sumber"],
            }
        ),
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
view = filters.choose(
    "Tampilan",
    list(VIEWS),
    "tampilan",
    format_func=VIEWS.get,
    kind="radio",
    horizontal=True,
)

kl = completeness.copy()
kl["nama_kab"] = kl["kode_kab"].map(lambda k: charts.short_name(kab_names.get(k, k)))
kl["label_dataset"] = kl["dataset"].map(components.dataset_label)
kl["teks"] = [
    fmt.percent(p, 0) + ("*" if s is True else "") if not fmt.is_missing(p) else "–"
    for p, s in zip(kl["persen_lengkap"], kl["sintetis"], strict=True)
]
kl["hover"] = [
    f"{fmt.number(m)} dari {fmt.number(t)} desa"
    + (f", diterima {fmt.date_text(w)}" if not fmt.is_missing(w) else "")
    + (" (data contoh)" if s is True else "")
    for m, t, w, s in zip(
        kl["desa_melapor"], kl["desa_total"], kl["diterima_pada"], kl["sintetis"], strict=True
    )
]
if f.kode_kab:
    kl = kl[kl["kode_kab"] == f.kode_kab]

if kl.empty:
    st.info("Belum ada catatan kelengkapan data.", icon=":material/info:")
else:
    if view == "tahun":
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
        # order kabupaten by code (as everywhere else), not by name
        ordered = subset.sort_values(["kode_kab", "dataset", "tahun"])
        row_order = list(dict.fromkeys(ordered[row_field]))
        column_order = list(dict.fromkeys(ordered[column_field]))
        if column_field == "tahun":
            column_order = sorted(column_order)
        if row_field == "label_dataset":
            row_order = sorted(row_order)

        def _pivot(field: str) -> pd.DataFrame:
            return subset.pivot_table(
                index=row_field, columns=column_field, values=field, aggfunc="first", dropna=False
            ).reindex(index=row_order, columns=column_order)

        z = _pivot("persen_lengkap").astype(float)
        text = _pivot("teks").fillna("–")
        hover = _pivot("hover").fillna("Tidak ada catatan untuk pilihan ini")
        z.columns = text.columns = hover.columns = [str(c) for c in column_order]
        components.chart(
            charts.heatmap(
                z, text, colorscale="Blues", zmin=0, zmax=100, colorbar_title="% desa", hover=hover
            ),
            key="panas_kelengkapan",
            alt="Kelengkapan data",
        )
        download = subset[
            [
                "dataset",
                "kode_kab",
                "nama_kab",
                "tahun",
                "desa_melapor",
                "desa_total",
                "persen_lengkap",
                "diterima_pada",
                "sintetis",
            ]
        ]
        with st.expander("Tabel kelengkapan"):
            components.table(
                download.assign(diterima_pada=download["diterima_pada"].map(fmt.sortable_time)),
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
    years = sorted(compliance["tahun_data"].astype(int).unique(), reverse=True)
    due_years = sorted(
        compliance.loc[compliance["status"] != kp.NOT_DUE, "tahun_data"].astype(int), reverse=True
    )
    year_default = f.tahun if f.tahun in years else (due_years or years)[0]
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
    tepat, counted = kp.on_time(of_year)
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
                kp.rate_text(of_year[of_year["kode_kab"] == f.kode_kab]),
                border=True,
                width=300,
                help=f"Tepat waktu = {kp.RATE_MEANING}.",
            )
    st.caption(
        f"{fmt.number(tepat)} dari {fmt.number(counted)} irisan (dataset × wilayah) tahun data "
        f"{tahun_jadwal} yang sudah jatuh tempo atau sudah dikirim diterima paling lambat pada "
        "tenggatnya; irisan yang belum jatuh tempo tidak dihitung."
        if counted
        else f"Belum ada irisan tahun data {tahun_jadwal} yang jatuh tempo."
    )
    area_rows = of_year if not f.kode_kab else of_year[of_year["kode_kab"] == f.kode_kab]
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
STATUS_LABELS = {"accepted": "Diterima", "rejected": "Ditolak", "duplicate": "Duplikat"}
counts = log["status"].map(STATUS_LABELS).fillna(log["status"]).value_counts()
st.markdown(
    " · ".join(f"**{fmt.number(counts.get(s, 0))}** {s.lower()}" for s in STATUS_LABELS.values())
    + f" (dari {fmt.number(len(log))} berkas terakhir)"
)
shown_statuses = st.multiselect(
    "Status", list(STATUS_LABELS.values()), default=list(STATUS_LABELS.values()), key="_status_log"
)
log_table = pd.DataFrame(
    {
        "Waktu (WIB)": log["received_at"].map(fmt.sortable_time),
        "Berkas": log["file_name"],
        "Dataset": log["dataset"].map(components.dataset_label),
        "Status": log["status"].map(STATUS_LABELS).fillna(log["status"]),
        "Baris": log["rows"],
        "Disimpan sebagai": log["stored_as"],
        "SHA-256": log["sha256"],
    }
)
log_table = log_table[log_table["Status"].isin(shown_statuses)]
components.table(log_table, "ingest_log", key="log", column_formats={"Baris": fmt.number})

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
            f"{components.safe_text(r['file_name'])} · {components.dataset_label(r['dataset'])} · "
            f"{fmt.datetime_text(r['received_at'])}",
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
    components.download_buttons(
        rejected.assign(received_at=rejected["received_at"].map(fmt.sortable_time)),
        "berkas_ditolak",
        key="ditolak",
    )
