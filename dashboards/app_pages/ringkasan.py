"""Ringkasan Provinsi: headline KPI cards per strategic issue, a map and a ranking."""

import pandas as pd
import streamlit as st

from dashboards import charts, data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Ringkasan Provinsi", params=("kpi",))

try:
    definisi = data.definisi()
    tahun_q = [t for t in (f.tahun, f.tahun_lalu) if t is not None]
    atas = data.kpi(["kabupaten", "provinsi"], tahun=tahun_q)
    sintetis = data.dataset_sintetis(f.tahun, f.kode_kab)
    kab = data.kabupaten()
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

komponen.peringatan_sintetis(komponen.dataset_kpi(definisi) & sintetis)

# --- cards ------------------------------------------------------------------------------------
st.header(f"Indikator utama: {f.nama_wilayah}, {f.tahun}")
if f.kode_kab:
    st.caption(
        "Kartu menunjukkan kabupaten/kota pilihan. Pilih *Semua* di panel kiri untuk provinsi."
    )

wilayah = atas[atas["kode_wilayah"] == f.kode_wilayah].set_index(["kpi_id", "tahun"])


def _sel(kpi_id: str, tahun: int | None, kolom: str) -> object:
    if tahun is None or (kpi_id, tahun) not in wilayah.index:
        return None
    return wilayah.loc[(kpi_id, tahun), kolom]


# One bordered row per issue, its headline KPIs side by side (wrapping on narrow screens):
# on a 1280-pixel projector the five issues fit in about one screen height.
for _isu, kelompok in definisi.groupby("isu", sort=False):
    utama = kelompok[kelompok["utama"]]
    if utama.empty:
        utama = kelompok.head(1)
    with st.container(border=True):
        st.markdown(f"#### {komponen.teks_aman(kelompok['isu_nama'].iloc[0])}")
        with st.container(horizontal=True, gap="medium"):
            for _, d in utama.iterrows():
                with st.container(width=240):
                    komponen.kartu_kpi(
                        d,
                        _sel(d["kpi_id"], f.tahun, "nilai"),
                        nilai_lalu=_sel(d["kpi_id"], f.tahun_lalu, "nilai"),
                        tahun_lalu=f.tahun_lalu,
                        keterangan=_sel(d["kpi_id"], f.tahun, "keterangan"),
                        desa_melapor=_sel(d["kpi_id"], f.tahun, "desa_melapor"),
                    )

# --- map and ranking -------------------------------------------------------------------------
st.header(f"Perbandingan kabupaten/kota, {f.tahun}")
defs = definisi.set_index("kpi_id")
pilihan = list(definisi["kpi_id"])
bawaan = next(iter(definisi.loc[definisi["utama"], "kpi_id"]), pilihan[0] if pilihan else None)
kpi_id = filters.pilih(
    "Indikator",
    pilihan,
    "kpi",
    bawaan=bawaan,
    format_func=lambda k: komponen.label_kpi(defs.loc[k]),
)
d = defs.loc[kpi_id]
st.caption(f"{fmt.ARAH_TEKS.get(d['arah'], '')}. Rumus: {komponen.teks_aman(d['rumus'])}")

baris = atas[(atas["kpi_id"] == kpi_id) & (atas["tahun"] == f.tahun)]
per_kab = (
    kab[["kode", "nama"]]
    .merge(
        baris[baris["tingkat"] == "kabupaten"][["kode_wilayah", "nilai", "keterangan"]],
        left_on="kode",
        right_on="kode_wilayah",
        how="left",
    )
    .drop(columns="kode_wilayah")
)
per_kab["keterangan"] = per_kab["keterangan"].where(
    per_kab["nilai"].notna() | per_kab["keterangan"].notna(), "Tidak ada data yang dilaporkan"
)
prov = baris[baris["tingkat"] == "provinsi"]
nilai_prov = prov["nilai"].iloc[0] if not prov.empty else None

tinggi = max(420, 46 * len(per_kab) + 110)
kiri, kanan = st.columns([1, 1], gap="large")
with kiri:
    gj = data.geojson("kabupaten")
    if gj is None:
        komponen.tanpa_peta("kabupaten/kota")
    else:
        komponen.grafik(
            charts.peta(
                gj, per_kab, satuan=d["satuan"], arah=d["arah"], sorot=f.kode_kab, tinggi=tinggi
            ),
            key="peta_kab",
            alt=f"Peta {d['nama']} per kabupaten/kota",
        )
with kanan:
    komponen.grafik(
        charts.peringkat(
            per_kab,
            satuan=d["satuan"],
            arah=d["arah"],
            pembanding=(f.nama_provinsi, nilai_prov) if not fmt.kosong(nilai_prov) else None,
            sorot=f.kode_kab,
        ),
        key="peringkat_kab",
        alt=f"Peringkat {d['nama']} per kabupaten/kota",
    )
komponen.catatan_kosong(per_kab)

with st.expander("Tabel nilai per kabupaten/kota"):
    tabel = pd.DataFrame(
        {
            "Kode": per_kab["kode"],
            "Kabupaten/kota": per_kab["nama"],
            d["nama"]: per_kab["nilai"],
            "Keterangan": per_kab["keterangan"].where(per_kab["nilai"].isna()),
        }
    )
    komponen.tabel(
        tabel,
        f"{kpi_id}_{f.tahun}_kabupaten",
        key="tabel_kab",
        format_kolom={d["nama"]: lambda v: fmt.nilai_kpi(v, d["satuan"])},
    )
