"""Isu Strategis: one view per issue, comparing kabupaten/kota on all of the issue's KPIs."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import targets as target_view
from laporan import formatting as fmt
from laporan import palet

f = filters.start_page("Isu Strategis", params=("isu", "kpi_isu"))

definitions = data.kpi_definitions()
kab = data.kabupaten()
synthetic = data.synthetic_datasets(f.tahun, f.kode_kab)

isu_nama = dict(zip(definitions["isu"], definitions["isu_nama"], strict=False))
if not isu_nama:
    st.info("Snapshot belum berisi definisi indikator.", icon=":material/info:")
    st.stop()
isu = filters.choose(
    "Isu",
    list(isu_nama),
    "isu",
    format_func=lambda i: isu_nama[i] if i != "tujuan" else f"Tujuan: {isu_nama[i]}",
    kind="radio",
    horizontal=True,
    label_visibility="collapsed",
)
group = definitions[definitions["isu"] == isu]
kpi_ids = list(group["kpi_id"])
defs = group.set_index("kpi_id")

values = data.kpi(["kabupaten", "provinsi"], tahun=[f.tahun], kpi_id=kpi_ids)

components.synthetic_notice(components.kpi_datasets(group) & synthetic)
st.header(f"{isu_nama[isu]}, {f.tahun}")
# The chosen area's headline cards with the agency's own programme, as on Ringkasan
area_rows = data.kpi(
    ["provinsi" if f.kode_kab is None else "kabupaten"],
    tahun=[t for t in (f.tahun, f.previous_tahun) if t is not None],
    kode_wilayah=[f.kode_wilayah],
    kpi_id=kpi_ids,
)
with st.container(border=True):
    st.markdown(f"#### {components.safe_text(f.nama_wilayah)}")
    components.issue_cards(group, components.area_cells(area_rows), f)
st.caption(
    f"{len(kpi_ids)} indikator. Warna membandingkan kabupaten/kota per indikator: "
    "biru = terbaik, merah = terendah, sesuai arah indikator; abu-abu = tidak ada nilai."
)

kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))
kab_values = values[values["tingkat"] == "kabupaten"]
wide = kab_values.pivot_table(
    index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
).reindex(index=list(kab_names), columns=kpi_ids)
reasons = kab_values.pivot_table(
    index="kode_wilayah", columns="kpi_id", values="keterangan", aggfunc="first", dropna=False
).reindex(index=list(kab_names), columns=kpi_ids)

# Heatmap: colour = position between the worst and best kabupaten of each KPI (0 worst, 1 best)
score = pd.DataFrame(index=wide.index, columns=kpi_ids, dtype=float)
text = pd.DataFrame(index=wide.index, columns=kpi_ids, dtype=object)
hover = pd.DataFrame(index=wide.index, columns=kpi_ids, dtype=object)
for k in kpi_ids:
    column = wide[k].astype(float)
    lo, hi = column.min(), column.max()
    s = (column - lo) / (hi - lo) if hi > lo else column * 0 + 0.5
    score[k] = 1 - s if defs.at[k, "arah"] == "turun" else s
    text[k] = [fmt.kpi_value_short(v, defs.at[k, "satuan"]) for v in column]
    hover[k] = [
        fmt.kpi_value(v, defs.at[k, "satuan"])
        if not np.isnan(v)
        else f"Tidak ada nilai: {components.reason_text(reasons.at[i, k])}"
        for i, v in zip(column.index, column, strict=True)
    ]
column_labels = [str(defs.at[k, "nama"]) for k in kpi_ids]
score.index = text.index = hover.index = [charts.short_name(kab_names[i]) for i in wide.index]
score.columns = text.columns = hover.columns = column_labels
components.chart(
    charts.heatmap(
        score,
        text,
        colorscale=palet.GOOD_SCALE,
        zmin=0,
        zmax=1,
        colorbar_title="",
        hover=hover,
        show_scale=False,
    ),
    key="panas_isu",
    alt=f"Perbandingan kabupaten/kota untuk {isu_nama[isu]}",
)

# Table with the province on top, and the reasons for every empty cell
prov = values[values["tingkat"] == "provinsi"].set_index("kpi_id")["nilai"]
table = pd.DataFrame(
    {
        "Kode": [f.kode_provinsi, *wide.index],
        "Wilayah": [f.nama_provinsi, *[kab_names[i] for i in wide.index]],
    }
)
column_formats = {}
for k, label in zip(kpi_ids, column_labels, strict=True):
    table[label] = [prov.get(k), *wide[k].tolist()]
    column_formats[label] = lambda v, s=defs.at[k, "satuan"]: fmt.kpi_value_short(v, s)
components.table(
    table, f"{isu}_{f.tahun}_kabupaten", key="tabel_isu", column_formats=column_formats
)

# Empty cells grouped: the same reason for the same areas is said once, for all its KPIs
missing_groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
for k in kpi_ids:
    by_reason: dict[str, list[str]] = {}
    for i in wide.index:
        if np.isnan(wide.at[i, k]):
            by_reason.setdefault(components.reason_text(reasons.at[i, k]), []).append(
                charts.short_name(kab_names[i])
            )
    for reason, areas in by_reason.items():
        missing_groups.setdefault((reason, tuple(areas)), []).append(str(defs.at[k, "nama"]))
if missing_groups:
    st.markdown(
        "**Tanpa nilai (bukan nol):**\n"
        + "\n".join(
            f"- {components.safe_text('; '.join(kpi_names))} — {components.safe_text(reason)}: "
            + ", ".join(f"**{components.safe_text(w)}**" for w in areas)
            for (reason, areas), kpi_names in missing_groups.items()
        )
    )

st.subheader("Peringkat per indikator")
kpi_id = filters.choose(
    "Indikator",
    kpi_ids,
    "kpi_isu",
    format_func=components.kpi_labels().get,
)
per_kab = pd.DataFrame(
    {
        "kode": list(wide.index),
        "nama": [kab_names[i] for i in wide.index],
        "nilai": wide[kpi_id].to_numpy(),
        "keterangan": reasons[kpi_id].to_numpy(),
    }
)
components.chart(
    charts.ranking(
        per_kab,
        satuan=defs.at[kpi_id, "satuan"],
        arah=defs.at[kpi_id, "arah"],
        reference=(f.nama_provinsi, prov.get(kpi_id))
        if not fmt.is_missing(prov.get(kpi_id))
        else None,
        highlight=f.kode_kab,
        targets=target_view.ranking_marks(data.targets(), kpi_id),
    ),
    key="peringkat_isu",
    alt="Peringkat kabupaten/kota",
)
st.caption(components.kpi_help(defs.loc[kpi_id]).replace("  \n", " · "))
marks = target_view.ranking_marks(data.targets(), kpi_id)
if marks is not None:
    st.caption(
        "◆ = target tiap kabupaten/kota: target sendiri bila ada, selain itu target provinsi atau "
        "nasional (arahkan kursor untuk melihat yang mana). Rincian di halaman Capaian Target."
    )
