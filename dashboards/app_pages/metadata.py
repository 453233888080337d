"""Metadata Indikator: every KPI with its definition, formula, unit, direction and sources."""

import pandas as pd
import streamlit as st

from dashboards import components, data, filters
from laporan import formatting as fmt

f = filters.start_page("Metadata Indikator")

definitions = data.kpi_definitions()

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

search = st.text_input("Cari indikator", placeholder="Misalnya: dana desa, miskin, BUMDes…")
table = pd.DataFrame(
    {
        "Isu": definitions["isu_nama"],
        "Indikator": definitions["nama"],
        "Kode": definitions["kpi_id"],
        "Satuan": definitions["satuan"],
        "Arah": [
            ("↑ " if a == "naik" else "↓ ") + fmt.ARAH_LABELS.get(a, str(a))
            for a in definitions["arah"]
        ],
        "Rumus": definitions["rumus"],
        "Sumber data": [
            ", ".join(components.dataset_label(s.strip()) for s in str(x or "").split(",") if s)
            for x in definitions["dataset_sumber"]
        ],
        "Indikator utama": ["Ya" if u else "Tidak" for u in definitions["utama"]],
    }
)
if search.strip():
    q = search.strip().casefold()
    matches = table.apply(
        lambda r: any(q in str(v).casefold() for v in r.to_numpy()), axis=1
    ).astype(bool)
    table = table[matches]

st.caption(f"{fmt.number(len(table))} indikator.")
for isu, group in table.groupby("Isu", sort=False):
    st.subheader(str(isu))
    for _, r in group.iterrows():
        with st.container(border=True):
            safe = components.safe_text
            st.markdown(
                f"**{safe(r['Indikator'])}**  \n"
                f"`{r['Kode']}` · Satuan: **{safe(r['Satuan'])}** · {r['Arah']}"
                + (" · :material/star: indikator utama" if r["Indikator utama"] == "Ya" else "")
            )
            st.markdown(f"Rumus: {safe(r['Rumus'])}  \nSumber data: {r['Sumber data']}")

st.subheader("Tabel lengkap")
components.table(table, "metadata_indikator", key="metadata")
