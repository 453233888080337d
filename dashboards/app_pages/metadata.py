"""Metadata Indikator: every KPI with its definition, formula, unit, direction and sources."""

import pandas as pd
import streamlit as st

from dashboards import data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Metadata Indikator")

try:
    definisi = data.definisi()
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

st.markdown(
    """
Setiap indikator dihitung per tahun untuk desa, kecamatan, kabupaten/kota dan provinsi.

- **Persentase dan angka per jiwa** di atas tingkat desa adalah **rasio dari jumlah**
  (misalnya jumlah realisasi dibagi jumlah pagu seluruh desa yang melapor), bukan rata-rata
  rasio desa.
- **Tidak ada nilai bukan berarti nol.** Bila tidak ada desa yang melapor atau penyebutnya nol,
  indikator dibiarkan kosong dan alasannya ditampilkan. Contoh: Kota Palangka Raya hanya memiliki
  kelurahan, sehingga indikator berbasis desa kosong di sana.
- **Arah** menunjukkan apakah nilai yang lebih tinggi atau lebih rendah lebih baik; warna di
  semua grafik mengikutinya (biru = lebih baik).
"""
)

cari = st.text_input("Cari indikator", placeholder="Misalnya: dana desa, miskin, BUMDes…")
tabel = pd.DataFrame(
    {
        "Isu": definisi["isu_nama"],
        "Indikator": definisi["nama"],
        "Kode": definisi["kpi_id"],
        "Satuan": definisi["satuan"],
        "Arah": [
            ("↑ " if a == "naik" else "↓ ") + fmt.ARAH_TEKS.get(a, str(a)) for a in definisi["arah"]
        ],
        "Rumus": definisi["rumus"],
        "Sumber data": [
            ", ".join(komponen.label_dataset(s.strip()) for s in str(x or "").split(",") if s)
            for x in definisi["dataset_sumber"]
        ],
        "Indikator utama": ["Ya" if u else "Tidak" for u in definisi["utama"]],
    }
)
if cari.strip():
    q = cari.strip().casefold()
    cocok = tabel.apply(lambda r: any(q in str(v).casefold() for v in r.to_numpy()), axis=1).astype(
        bool
    )
    tabel = tabel[cocok]

st.caption(f"{fmt.angka(len(tabel))} indikator.")
for isu, kelompok in tabel.groupby("Isu", sort=False):
    st.subheader(str(isu))
    for _, r in kelompok.iterrows():
        with st.container(border=True):
            aman = komponen.teks_aman
            st.markdown(
                f"**{aman(r['Indikator'])}**  \n"
                f"`{r['Kode']}` · Satuan: **{aman(r['Satuan'])}** · {r['Arah']}"
                + (" · :material/star: indikator utama" if r["Indikator utama"] == "Ya" else "")
            )
            st.markdown(f"Rumus: {aman(r['Rumus'])}  \nSumber data: {r['Sumber data']}")

st.subheader("Tabel lengkap")
komponen.tabel(tabel, "metadata_indikator", key="metadata")
