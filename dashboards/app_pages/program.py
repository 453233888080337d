"""Program & Kegiatan: what the agency itself did for each strategic issue (its activities, their
budget absorption and output achievement, per kabupaten/kota), beside the villages' outcomes."""

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import program as view
from laporan import formatting as fmt

f = filters.start_page(
    "Program & Kegiatan", params=("isu_program", "wilayah_kegiatan", "hasil_program")
)

definitions = data.kpi_definitions()
if not definitions["program"].any():
    st.info(
        "Data yang diterbitkan belum berisi indikator program Dinas (program_kegiatan). "
        "Jalankan ulang pipeline untuk menerbitkannya.",
        icon=":material/info:",
    )
    st.stop()
isu_nama = dict(zip(definitions["isu"], definitions["isu_nama"], strict=False))
components.synthetic_notice({"program_kegiatan"} & data.synthetic_datasets(f.tahun, f.kode_kab))
st.markdown(
    "Apa yang dikerjakan Dinas PMD provinsi dan kabupaten/kota untuk setiap isu strategis: "
    "**serapan anggaran** (realisasi dibanding pagu) dan **capaian keluaran** (realisasi "
    "dibanding target, paling tinggi 100% per kegiatan) dari kegiatan yang dilaporkan. "
    "Angka provinsi menjumlahkan kegiatan Dinas provinsi dan semua kabupaten/kota."
)

isu = filters.choose(
    "Isu",
    list(isu_nama),
    "isu_program",
    format_func=lambda i: isu_nama[i] if i != "tujuan" else f"Tujuan: {isu_nama[i]}",
    kind="radio",
    horizontal=True,
    label_visibility="collapsed",
)
serapan_id, keluaran_id = view.program_kpis(definitions, isu)
defs = definitions.set_index("kpi_id")
kab = data.kabupaten()
program_ids = [k for k in (serapan_id, keluaran_id) if k]

# --- per kabupaten/kota --------------------------------------------------------------------
st.header(f"{isu_nama[isu]}: program per kabupaten/kota, {f.tahun}")
values = data.kpi(["kabupaten", "provinsi"], tahun=[f.tahun], kpi_id=program_ids)
prov = values[values["tingkat"] == "provinsi"].set_index("kpi_id")
left, right = st.columns(2, gap="large")
per_kab_tables = {}
for column, kpi_id in zip((left, right), program_ids, strict=False):
    rows = values[(values["tingkat"] == "kabupaten") & (values["kpi_id"] == kpi_id)]
    per_kab = (
        kab[["kode", "nama"]]
        .merge(
            rows[["kode_wilayah", "nilai", "keterangan"]],
            left_on="kode",
            right_on="kode_wilayah",
            how="left",
        )
        .drop(columns="kode_wilayah")
    )
    per_kab_tables[kpi_id] = per_kab
    province_value = prov["nilai"].get(kpi_id) if kpi_id in prov.index else None
    with column:
        st.subheader(str(defs.at[kpi_id, "nama"]).split(" (")[0])
        components.chart(
            charts.ranking(
                per_kab,
                satuan="%",
                arah="naik",
                reference=(f.nama_provinsi, province_value)
                if not fmt.is_missing(province_value)
                else None,
                highlight=f.kode_kab,
            ),
            key=f"peringkat_{kpi_id}",
            alt=f"{defs.at[kpi_id, 'nama']} per kabupaten/kota",
        )
if per_kab_tables:
    first = next(iter(per_kab_tables.values()))
    components.missing_note(first)

# --- the activities ------------------------------------------------------------------------
st.header(f"Daftar kegiatan, {f.tahun}")
activities = data.program_activities(f.tahun)
area_options = ["semua", f.kode_provinsi, *kab["kode"]]
area_names = {"semua": "Semua wilayah", f.kode_provinsi: f"Dinas PMD {f.nama_provinsi}"}
area_names |= dict(zip(kab["kode"], kab["nama"], strict=True))
c1, c2 = st.columns(2)
area = filters.choose(
    "Wilayah pelapor",
    area_options,
    "wilayah_kegiatan",
    default=f.kode_kab or "semua",
    format_func=lambda k: area_names.get(k, k),
    container=c1,
)
only_issue = c2.toggle(f"Hanya isu yang dipilih ({isu_nama[isu]})", value=True)
shown = activities
if area != "semua":
    shown = shown[shown["kode_wilayah"] == area]
if only_issue:
    shown = shown[shown["isu"] == view.ISU_CODE[isu]]
st.caption(view.totals_text(shown))
table = view.activity_table(shown, isu_nama)
components.table(
    table,
    f"program_kegiatan_{f.tahun}",
    key="tabel_kegiatan",
    column_formats=view.COLUMN_FORMATS,
    download=shown,
)

# --- beside the outcomes -------------------------------------------------------------------
st.header(f"Program dan hasil di desa: {f.nama_wilayah}")
st.info(view.SHOWN_TOGETHER, icon=":material/info:")
outcomes = view.outcome_kpis(definitions, isu)
outcome_id = filters.choose(
    "Indikator hasil",
    list(outcomes["kpi_id"]),
    "hasil_program",
    format_func=components.kpi_labels().get,
)
level = "provinsi" if f.kode_kab is None else "kabupaten"
history = data.kpi([level], kode_wilayah=[f.kode_wilayah], kpi_id=[*program_ids, outcome_id])
# from the first year anything has a value: the kpi table has a (NULL) row for every year
valued = history.loc[history["nilai"].notna(), "tahun"]
history = history[history["tahun"] >= (valued.min() if not valued.empty else 0)]
program_series = [
    (str(defs.at[k, "nama"]).split(" (")[0], view.series(history, f.kode_wilayah, k))
    for k in program_ids
]
outcome_series = [
    (str(defs.at[outcome_id, "nama"]), view.series(history, f.kode_wilayah, outcome_id))
]
if all(pd.isna(df["nilai"]).all() for _, df in [*program_series, *outcome_series]):
    st.info("Belum ada nilai untuk wilayah ini.", icon=":material/info:")
else:
    components.chart(
        charts.program_beside_outcome(
            program_series,
            outcome_series,
            outcome_satuan=str(defs.at[outcome_id, "satuan"]),
            outcome_title=f"Hasil di desa: {defs.at[outcome_id, 'nama']}",
        ),
        key="program_dan_hasil",
        alt=f"Program Dinas dan {defs.at[outcome_id, 'nama']} per tahun",
    )
    years = [int(t) for t in sorted(history["tahun"].unique())]
    side = pd.DataFrame({"Tahun": years})
    for label, df in [*program_series, *outcome_series]:
        side[label] = side["Tahun"].map(dict(zip(df["tahun"], df["nilai"], strict=True)))
    formats = {"Tahun": lambda v: str(int(v))}
    for k, (label, _) in zip(
        [*program_ids, outcome_id], [*program_series, *outcome_series], strict=True
    ):
        formats[label] = lambda v, s=defs.at[k, "satuan"]: fmt.kpi_value(v, s)
    components.table(
        side, f"program_dan_hasil_{isu}_{f.kode_wilayah}", key="tabel_hasil", column_formats=formats
    )
