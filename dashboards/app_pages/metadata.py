"""Metadata Indikator: every KPI with its definition, formula, unit, direction and sources,
and every dataset with its Excel template."""

import pandas as pd
import streamlit as st

from dashboards import components, data, downloads, filters
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

# --- the datasets, each with its Excel template -----------------------------------------------
st.header("Dataset dan templat Excel")
st.caption(
    "Setiap indikator dihitung dari dataset berikut. Templat Excel setiap dataset memuat kolom "
    "yang diminta, arti dan aturannya, serta daftar kode wilayah untuk disalin. Kirim berkas "
    "yang sudah diisi melalui halaman Unggah Data."
)
dataset_rows = data.datasets()
village = set(data.village_datasets())
regions = data.wilayah() if data.has_table("wilayah") else None
if regions is not None and village & set(dataset_rows["dataset"]):
    kabupaten = regions[regions["tingkat"] == "kabupaten"]
    kab_options = dict(zip(kabupaten["kode"], kabupaten["nama"], strict=True))
    codes = list(kab_options)
    template_kab = st.selectbox(
        "Kabupaten/kota untuk daftar desa di templat dataset per desa",
        codes,
        index=codes.index(f.kode_kab) if f.kode_kab in codes else 0,
        format_func=kab_options.get,
        key="metadata_templat_kab",
    )
else:
    template_kab = None
for _, d in dataset_rows.iterrows():
    with st.container(border=True):
        left, right = st.columns([4, 1], vertical_alignment="center")
        safe = components.safe_text
        left.markdown(
            f"**{safe(d['judul'])}** · `{d['dataset']}`  \n{safe(d['nama'])} · satu baris per "
            + ", ".join(f"`{k}`" for k in d["kunci"])
        )
        if not fmt.is_missing(d.get("catatan")) and str(d.get("catatan") or "").strip():
            left.caption(safe(d["catatan"]))
        with right:
            downloads.template_button(
                d["dataset"],
                template_kab if d["dataset"] in village else None,
                key=f"metadata_templat_{d['dataset']}",
            )
