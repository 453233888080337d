"""Isu Strategis: one view per issue, comparing kabupaten/kota on all of the issue's KPIs."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboards import charts, data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Isu Strategis", params=("isu", "kpi_isu"))

try:
    definisi = data.definisi()
    kab = data.kabupaten()
    sintetis = data.dataset_sintetis(f.tahun, f.kode_kab)
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

isu_nama = dict(zip(definisi["isu"], definisi["isu_nama"], strict=False))
if not isu_nama:
    st.info("Snapshot belum berisi definisi indikator.", icon=":material/info:")
    st.stop()
isu = filters.pilih(
    "Isu",
    list(isu_nama),
    "isu",
    format_func=lambda i: isu_nama[i] if i != "tujuan" else f"Tujuan: {isu_nama[i]}",
    jenis="radio",
    horizontal=True,
    label_visibility="collapsed",
)
kelompok = definisi[definisi["isu"] == isu]
kpi_ids = list(kelompok["kpi_id"])
defs = kelompok.set_index("kpi_id")

try:
    nilai = data.kpi(["kabupaten", "provinsi"], tahun=[f.tahun], kpi_id=kpi_ids)
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

komponen.peringatan_sintetis(komponen.dataset_kpi(kelompok) & sintetis)
st.header(f"{isu_nama[isu]}, {f.tahun}")
st.caption(
    f"{len(kpi_ids)} indikator. Warna membandingkan kabupaten/kota per indikator: "
    "biru = terbaik, merah = terendah, sesuai arah indikator; abu-abu = tidak ada nilai."
)

nama_kab = dict(zip(kab["kode"], kab["nama"], strict=True))
kab_nilai = nilai[nilai["tingkat"] == "kabupaten"]
lebar = kab_nilai.pivot_table(
    index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
).reindex(index=list(nama_kab), columns=kpi_ids)
ket = kab_nilai.pivot_table(
    index="kode_wilayah", columns="kpi_id", values="keterangan", aggfunc="first", dropna=False
).reindex(index=list(nama_kab), columns=kpi_ids)

# Heatmap: colour = position between the worst and best kabupaten of each KPI (0 worst, 1 best)
skor = pd.DataFrame(index=lebar.index, columns=kpi_ids, dtype=float)
teks = pd.DataFrame(index=lebar.index, columns=kpi_ids, dtype=object)
hover = pd.DataFrame(index=lebar.index, columns=kpi_ids, dtype=object)
for k in kpi_ids:
    kol = lebar[k].astype(float)
    lo, hi = kol.min(), kol.max()
    s = (kol - lo) / (hi - lo) if hi > lo else kol * 0 + 0.5
    skor[k] = 1 - s if defs.at[k, "arah"] == "turun" else s
    teks[k] = [fmt.nilai_kpi_pendek(v, defs.at[k, "satuan"]) for v in kol]
    hover[k] = [
        fmt.nilai_kpi(v, defs.at[k, "satuan"])
        if not np.isnan(v)
        else f"Tidak ada nilai: {komponen.alasan(ket.at[i, k])}"
        for i, v in zip(kol.index, kol, strict=True)
    ]
label_kolom = [str(defs.at[k, "nama"]) for k in kpi_ids]
skor.index = teks.index = hover.index = [charts.nama_pendek(nama_kab[i]) for i in lebar.index]
skor.columns = teks.columns = hover.columns = label_kolom
komponen.grafik(
    charts.peta_panas(
        skor,
        teks,
        skala=charts.SKALA_BAIK,
        zmin=0,
        zmax=1,
        judul_warna="",
        hover=hover,
        tampil_skala=False,
    ),
    key="panas_isu",
    alt=f"Perbandingan kabupaten/kota untuk {isu_nama[isu]}",
)

# Table with the province on top, and the reasons for every empty cell
prov = nilai[nilai["tingkat"] == "provinsi"].set_index("kpi_id")["nilai"]
tabel = pd.DataFrame(
    {
        "Kode": [f.kode_provinsi, *lebar.index],
        "Wilayah": [f.nama_provinsi, *[nama_kab[i] for i in lebar.index]],
    }
)
format_kolom = {}
for k, label in zip(kpi_ids, label_kolom, strict=True):
    tabel[label] = [prov.get(k), *lebar[k].tolist()]
    format_kolom[label] = lambda v, s=defs.at[k, "satuan"]: fmt.nilai_kpi_pendek(v, s)
komponen.tabel(tabel, f"{isu}_{f.tahun}_kabupaten", key="tabel_isu", format_kolom=format_kolom)

# Empty cells grouped: the same reason for the same areas is said once, for all its KPIs
kelompok_kosong: dict[tuple[str, tuple[str, ...]], list[str]] = {}
for k in kpi_ids:
    per_alasan: dict[str, list[str]] = {}
    for i in lebar.index:
        if np.isnan(lebar.at[i, k]):
            per_alasan.setdefault(komponen.alasan(ket.at[i, k]), []).append(
                charts.nama_pendek(nama_kab[i])
            )
    for alasan, wilayah in per_alasan.items():
        kelompok_kosong.setdefault((alasan, tuple(wilayah)), []).append(str(defs.at[k, "nama"]))
if kelompok_kosong:
    st.markdown(
        "**Tanpa nilai (bukan nol):**\n"
        + "\n".join(
            f"- {komponen.teks_aman('; '.join(kpi))} — {komponen.teks_aman(alasan)}: "
            + ", ".join(f"**{komponen.teks_aman(w)}**" for w in wilayah)
            for (alasan, wilayah), kpi in kelompok_kosong.items()
        )
    )

st.subheader("Peringkat per indikator")
kpi_id = filters.pilih(
    "Indikator",
    kpi_ids,
    "kpi_isu",
    format_func=lambda k: komponen.label_kpi(defs.loc[k]),
)
per_kab = pd.DataFrame(
    {
        "kode": list(lebar.index),
        "nama": [nama_kab[i] for i in lebar.index],
        "nilai": lebar[kpi_id].to_numpy(),
        "keterangan": ket[kpi_id].to_numpy(),
    }
)
komponen.grafik(
    charts.peringkat(
        per_kab,
        satuan=defs.at[kpi_id, "satuan"],
        arah=defs.at[kpi_id, "arah"],
        pembanding=(f.nama_provinsi, prov.get(kpi_id))
        if not fmt.kosong(prov.get(kpi_id))
        else None,
        sorot=f.kode_kab,
    ),
    key="peringkat_isu",
    alt="Peringkat kabupaten/kota",
)
st.caption(komponen.bantuan_kpi(defs.loc[kpi_id]).replace("  \n", " · "))
