"""Ringkasan Provinsi: headline KPI cards per strategic issue, a map and a ranking."""

import pandas as pd
import streamlit as st

from dashboards import charts, components, data, filters
from dashboards.views import kabupaten as kab_view
from dashboards.views import targets as target_view
from laporan import formatting as fmt

f = filters.start_page("Ringkasan Provinsi", params=("kpi",))

definitions = data.kpi_definitions()
years_wanted = [t for t in (f.tahun, f.previous_tahun) if t is not None]
kpi_rows = data.kpi(["kabupaten", "provinsi"], tahun=years_wanted)
synthetic = data.synthetic_datasets(f.tahun, f.kode_kab)
kab = data.kabupaten()

components.synthetic_notice(components.kpi_datasets(definitions) & synthetic)
components.briefing_download(f, key="ringkasan")
components.late_notice(f)

# --- cards ------------------------------------------------------------------------------------
st.header(f"Indikator utama: {f.nama_wilayah}, {f.tahun}")
if f.kode_kab:
    st.caption(
        "Kartu menunjukkan kabupaten/kota pilihan. Pilih *Semua* di panel kiri untuk provinsi."
    )

cell = data.kept(
    ("kartu", f.kode_wilayah, *years_wanted),
    _build=lambda: components.area_cells(kpi_rows[kpi_rows["kode_wilayah"] == f.kode_wilayah]),
)

# One bordered row per issue, its headline KPIs side by side and then the agency's programme
# (wrapping on narrow screens): on a 1280-pixel projector the five issues fit in about one
# screen height.
for _isu, group in definitions.groupby("isu", sort=False):
    with st.container(border=True):
        st.markdown(f"#### {components.safe_text(group['isu_nama'].iloc[0])}")
        components.issue_cards(group, cell, f)

# --- map and ranking -------------------------------------------------------------------------
st.header(f"Perbandingan kabupaten/kota, {f.tahun}")
defs = definitions.set_index("kpi_id")
options = list(definitions["kpi_id"])
default = next(
    iter(definitions.loc[definitions["utama"], "kpi_id"]), options[0] if options else None
)
kpi_id = filters.choose(
    "Indikator",
    options,
    "kpi",
    default=default,
    format_func=components.kpi_labels().get,
)
d = defs.loc[kpi_id]
st.caption(f"{fmt.ARAH_LABELS.get(d['arah'], '')}. Rumus: {components.safe_text(d['rumus'])}")


def comparison() -> dict:
    """The chosen KPI per kabupaten/kota this year, the province's value, and each
    kabupaten's target (its own, else the province's or the nation's: capaian_target)."""
    rows = kpi_rows[(kpi_rows["kpi_id"] == kpi_id) & (kpi_rows["tahun"] == f.tahun)]
    per_kab = (
        kab[["kode", "nama"]]
        .merge(
            rows[rows["tingkat"] == "kabupaten"][["kode_wilayah", "nilai", "keterangan"]],
            left_on="kode",
            right_on="kode_wilayah",
            how="left",
        )
        .drop(columns="kode_wilayah")
    )
    per_kab["keterangan"] = per_kab["keterangan"].where(
        per_kab["nilai"].notna() | per_kab["keterangan"].notna(), fmt.NO_DATA
    )
    prov = rows[rows["tingkat"] == "provinsi"]
    targets = data.targets()
    kab_targets = targets[
        (targets["kpi_id"] == kpi_id) & (targets["tingkat"] == "kabupaten")
    ].set_index("kode_wilayah")
    return {
        "per_kab": per_kab,
        "province_value": prov["nilai"].iloc[0] if not prov.empty else None,
        "kab_targets": kab_targets,
        "target_marks": target_view.ranking_marks(targets, kpi_id),
    }


def value_table() -> tuple[pd.DataFrame, dict]:
    """The comparison as a table: value or why it is empty, and each kabupaten's target."""
    per_kab, kab_targets = compared["per_kab"], compared["kab_targets"]
    table = pd.DataFrame(
        {
            "Kode": per_kab["kode"],
            "Kabupaten/kota": per_kab["nama"],
            d["nama"]: per_kab["nilai"],
            "Keterangan": per_kab["keterangan"].where(per_kab["nilai"].isna()),
        }
    )
    column_formats = {d["nama"]: lambda v: fmt.kpi_value(v, d["satuan"])}
    if target_marks is not None:
        own = kab_targets.reindex(per_kab["kode"])
        table["Target"] = own["target_nilai"].to_numpy()
        table["Tahun target"] = own["target_tahun"].to_numpy()
        table["Target dari"] = [
            None if fmt.is_missing(r["target_tingkat"]) else target_view.level_text(r)
            for _, r in own.iterrows()
        ]
        table["Status"] = own["status"].to_numpy()
        column_formats["Target"] = lambda v: fmt.target_value(v, d["satuan"])
    return table, column_formats


compared = data.kept(("ringkasan_banding", kpi_id, f.tahun), _build=comparison)
per_kab, province_value = compared["per_kab"], compared["province_value"]
kab_targets, target_marks = compared["kab_targets"], compared["target_marks"]

height = max(420, 46 * len(per_kab) + 110)
left, right = st.columns([1, 1], gap="large")
with left:
    gj = data.geojson("kabupaten")
    if gj is None:
        components.no_map_notice("kabupaten/kota")
    else:
        figure = data.kept(
            ("ringkasan_peta", kpi_id, f.tahun, f.kode_kab),
            _build=lambda: charts.area_map(
                gj, per_kab, satuan=d["satuan"], arah=d["arah"], highlight=f.kode_kab, height=height
            ),
        )
        components.chart(figure, key="peta_kab", alt=f"Peta {d['nama']} per kabupaten/kota")
with right:
    figure = data.kept(
        ("ringkasan_peringkat", kpi_id, f.tahun, f.kode_kab),
        _build=lambda: charts.ranking(
            per_kab,
            satuan=d["satuan"],
            arah=d["arah"],
            reference=(f.nama_provinsi, province_value)
            if not fmt.is_missing(province_value)
            else None,
            highlight=f.kode_kab,
            targets=target_marks,
        ),
    )
    components.chart(figure, key="peringkat_kab", alt=f"Peringkat {d['nama']} per kabupaten/kota")
components.missing_note(per_kab)
if target_marks is not None:
    levels = sorted({target_view.level_text(r) for _, r in kab_targets.iterrows()})
    st.caption(
        "◆ = target tiap kabupaten/kota: target sendiri bila ada, selain itu target provinsi "
        f"atau nasional (di sini: {', '.join(levels)}). Rincian di tabel di bawah dan di "
        "halaman Capaian Target."
    )
    note = next((n for n in kab_targets["catatan"] if target_view.proxy_note({"catatan": n})), None)
    if note:
        st.caption(f":material/info: {components.safe_text(note)}")

# Built only when open (a rerun); open at first where the table holds the targets.
folded = st.expander(
    "Tabel nilai per kabupaten/kota",
    expanded=target_marks is not None,
    key="tabel_nilai_kab",
    on_change="rerun",
)
with folded:
    if folded.open:
        table, column_formats = value_table()
        components.table(
            table,
            f"{kpi_id}_{f.tahun}_kabupaten",
            key="tabel_kab",
            column_formats=column_formats,
        )

# --- village status ------------------------------------------------------------------------
st.header(f"Status desa: {f.nama_wilayah}, {f.tahun}")
skema = data.status_scheme(f.kode_kab, f.tahun)
status_counts = data.status_counts(f.kode_kab, f.tahun)
if status_counts.empty:
    st.info("Tidak ada data IDM atau Indeks Desa untuk tahun ini.", icon=":material/info:")
else:
    thresholds = data.status_thresholds(skema, f.tahun)
    left, _ = st.columns([3, 2])
    with left:
        st.markdown(f"**Menurut {kab_view.scheme_label(skema)} {f.tahun}**")
        components.chart(
            charts.status_idm(
                status_counts,
                kab_view.statuses_with_ranges(data.village_statuses(), thresholds, skema),
            ),
            key="status_desa_ringkasan",
            alt=f"Sebaran status desa menurut {kab_view.scheme_label(skema)}",
        )
    st.caption(kab_view.status_note(skema, f.tahun, int(status_counts["jumlah"].sum()), thresholds))
