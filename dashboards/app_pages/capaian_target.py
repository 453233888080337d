"""Capaian Target: every KPI with an official target, how many kabupaten/kota are on track, and
a drill-down to those behind and, for village KPIs, the desa that pull them down the most.

Everything comes ready-made from the snapshot's `capaian_target` (each area against its own
target, else the nearest one above) and `kpi` (the desa rows); this page only shows it.
"""

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import targets as view
from laporan import formatting as fmt

f = filters.start_page("Capaian Target", params=("kpi_target", "kab_target"))

targets = data.targets()
if targets.empty:
    st.info(
        "Data yang diterbitkan belum berisi target indikator (tabel capaian_target). Jalankan "
        "ulang pipeline untuk menerbitkannya.",
        icon=":material/info:",
    )
    st.stop()

definitions = data.kpi_definitions()
defs = definitions.set_index("kpi_id")
summary = data.kept(("capaian_kpi",), _build=lambda: view.kpi_summary(targets, definitions))

st.markdown(
    "Setiap indikator yang memiliki target resmi, dan apakah wilayahnya **sesuai jalur**: "
    "nilai terakhir dibandingkan dengan garis lurus dari tahun pertama yang bernilai ke target. "
    "Kabupaten/kota tanpa target sendiri diukur dengan target provinsi atau nasional, dan "
    "tabel menyebut yang mana. Status dinilai pada tahun terakhir yang bernilai, bukan pada "
    "tahun yang dipilih di panel kiri."
)

# --- every KPI with a target -------------------------------------------------------------------
st.header("Indikator bertarget")
components.table(
    data.kept(("capaian_ringkas",), _build=lambda: view.summary_table(summary, definitions)),
    "capaian_target_ringkas",
    key="ringkas",
    download=summary,
    column_config={"Catatan": st.column_config.TextColumn(width="large")},
)
st.caption(
    "“Sesuai jalur” menghitung kabupaten/kota yang sesuai jalur atau sudah mencapai target. "
    "Target provinsi = target yang dipakai untuk provinsi (bisa target nasional)."
)

# --- one KPI -------------------------------------------------------------------------------------
st.divider()
kpi_ids = list(summary["kpi_id"])
kpi_id = filters.choose(
    "Indikator",
    kpi_ids,
    "kpi_target",
    format_func=lambda k: components.kpi_labels().get(k, k),
)
d = defs.loc[kpi_id]
satuan, arah = str(d["satuan"]), str(d["arah"])
area_target = data.target_of(kpi_id, f.kode_wilayah)
st.header(f"{d['nama']}: {f.nama_wilayah}")
if area_target is not None:
    components.target_lines(area_target, satuan)
    series = data.kpi(
        ["kabupaten", "provinsi"], kode_wilayah=[f.kode_wilayah], kpi_id=[kpi_id]
    ).sort_values("tahun")
    if series["nilai"].notna().any():
        components.chart(
            charts.trend(
                [(f.nama_wilayah, series)],
                satuan=satuan,
                target={**area_target, "label": view.level_text(area_target).capitalize()},
            ),
            key="tren_target",
            alt=f"Tren {d['nama']} dan targetnya",
        )
        st.caption(
            "Bintang = target; garis putus-putus = jalur lurus dari tahun pertama yang bernilai "
            "ke target. Di atas jalur (untuk indikator yang makin rendah makin baik) berarti "
            "tertinggal."
        )

kab = data.kept(("capaian_kab", kpi_id), _build=lambda: view.kabupaten_rows(targets, kpi_id))
behind = kab[kab["status"].isin(view.bad_statuses())]
st.subheader("Kabupaten/kota terhadap targetnya")
st.markdown(
    f"**{fmt.number(int(kab['status'].isin(view.good_statuses()).sum()))}** dari "
    f"**{fmt.number(len(kab))}** kabupaten/kota sesuai jalur atau sudah mencapai target; "
    f"**{fmt.number(len(behind))}** tertinggal dari jalur."
)
value_format = {
    "Nilai terakhir": lambda v: fmt.kpi_value(v, satuan),
    "Seharusnya (jalur)": lambda v: fmt.kpi_value(v, satuan),
    "Target": lambda v: fmt.target_value(v, satuan),
}
components.table(
    data.kept(
        ("capaian_kab_tabel", kpi_id),
        _build=lambda: view.kabupaten_table(kab, satuan).fillna({"Status": "belum ada nilai"}),
    ),
    f"capaian_target_{kpi_id}",
    key="per_kab",
    column_formats=value_format,
    download=kab.reset_index(drop=True),
)

# --- drill-down: a kabupaten behind, and its desa -----------------------------------------------
if behind.empty:
    st.success(
        "Tidak ada kabupaten/kota yang tertinggal dari jalur untuk indikator ini.",
        icon=":material/check_circle:",
    )
    st.stop()

st.subheader("Kabupaten/kota yang tertinggal")
names = dict(zip(behind["kode_wilayah"], behind["nama_wilayah"], strict=True))
kode_kab = filters.choose(
    "Kabupaten/kota yang tertinggal",
    list(names),
    "kab_target",
    default=f.kode_kab if f.kode_kab in names else next(iter(names)),
    format_func=names.get,
)
row = behind[behind["kode_wilayah"] == kode_kab].iloc[0].to_dict()
st.markdown(
    f"**{components.safe_text(row['nama_wilayah'])}**: "
    f"{fmt.kpi_value(row['nilai_terakhir'], satuan)} pada {int(row['tahun_terakhir'])}; "
    f"menurut jalur seharusnya {fmt.kpi_value(row['nilai_seharusnya'], satuan)} "
    f"({view.level_text(row)} {int(row['target_tahun'])}: "
    f"{view.target_value_text(row, satuan)})."
)
desa_rows = data.kpi(
    ["desa"], tahun=[int(row["tahun_terakhir"])], kode_kab=kode_kab, kpi_id=[kpi_id]
)
if desa_rows.empty:
    st.info(
        "Indikator ini bukan indikator desa (misalnya angka BPS per kabupaten/kota): tidak ada "
        "rincian per desa.",
        icon=":material/info:",
    )
    st.stop()
worst = view.dragging_desa(desa_rows, row, satuan)
st.markdown(f"**Desa yang paling menahan {components.safe_text(row['nama_wilayah'])}**")
if worst.empty:
    st.info("Tidak ada desa dengan nilai di sisi yang salah dari jalur.", icon=":material/info:")
    st.stop()
desa_names = data.desa_list(kode_kab).set_index("kode")
table = pd.DataFrame(
    {
        "Desa": worst["nama_wilayah"],
        "Kecamatan": worst["kode_wilayah"].map(desa_names["nama_kec"]),
        d["nama"]: worst["nilai"],
        "Selisih dari jalur": worst["selisih"],
    }
)
counted = worst["kelebihan"].notna().all()
if counted:
    table["Kelebihan terhadap jalur"] = worst["kelebihan"]
components.table(
    table,
    f"desa_penahan_{kpi_id}_{kode_kab}",
    key="desa_penahan",
    column_formats={
        d["nama"]: lambda v: fmt.kpi_value(v, satuan),
        "Selisih dari jalur": lambda v: fmt.kpi_change(v, satuan) or fmt.MISSING,
        "Kelebihan terhadap jalur": lambda v: fmt.number(v, 0),
    },
    download=worst.reset_index(drop=True),
)
st.caption(
    (
        "Urut menurut kelebihan terhadap jalur: jumlah (pembilang indikator, misalnya KK miskin) "
        "di atas yang seharusnya bila desa tepat di jalur kabupaten/kota. "
        if counted
        else "Urut menurut selisih nilai desa dari nilai jalur kabupaten/kota. "
    )
    + f"Tahun {int(row['tahun_terakhir'])}; hanya desa di sisi yang salah dari jalur."
)
note = view.proxy_note(row)
if note:
    st.caption(f":material/info: {components.safe_text(note)}")
