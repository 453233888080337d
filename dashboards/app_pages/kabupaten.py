"""Kabupaten/kota drill-down: KPIs over time vs the province, kecamatan, villages, IDM status."""

import pandas as pd
import streamlit as st

from dashboards import charts, data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Kabupaten/Kota", params=("kpi",))

try:
    kab = data.kabupaten()
    definisi = data.definisi()
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

nama_kab = dict(zip(kab["kode"], kab["nama"], strict=True))

if f.kode_kab is None:

    def _pilih_kab() -> None:
        filters.atur(filters.PARAM_KAB, st.session_state.get("_kab_lokal"))

    st.info("Pilih kabupaten/kota di panel kiri, atau di sini:", icon=":material/arrow_back:")
    st.selectbox(
        "Kabupaten/kota",
        list(nama_kab),
        index=None,
        format_func=nama_kab.get,
        placeholder="Pilih kabupaten/kota…",
        key="_kab_lokal",
        on_change=_pilih_kab,
    )
    st.stop()

kode_kab = f.kode_kab
jenis = str(kab.loc[kab["kode"] == kode_kab, "jenis"].iloc[0] or "kabupaten")
defs = definisi.set_index("kpi_id")

try:
    tren_df = data.kpi(["kabupaten", "provinsi"], kode_wilayah=[kode_kab, f.kode_provinsi])
    kec_df = data.kpi(["kecamatan"], tahun=[f.tahun], kode_kab=kode_kab)
    desa_df = data.kpi(["desa"], tahun=[f.tahun], kode_kab=kode_kab)
    desa_daftar = data.desa_daftar(kode_kab)
    idm = data.idm_status(kode_kab, f.tahun)
    idm_desa = data.idm_desa(kode_kab, f.tahun)
    sintetis = data.dataset_sintetis(f.tahun, kode_kab)
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

komponen.peringatan_sintetis(komponen.dataset_kpi(definisi) & sintetis)

st.header(f"{nama_kab[kode_kab]}, {f.tahun}")
jml_desa = int((desa_daftar["jenis"] == "desa").sum())
jml_kel = int((desa_daftar["jenis"] == "kelurahan").sum())
st.markdown(
    f"**{fmt.angka(len(data.kecamatan(kode_kab)))}** kecamatan · "
    f"**{fmt.angka(jml_desa)}** desa · **{fmt.angka(jml_kel)}** kelurahan"
)
if jml_desa == 0:
    st.info(
        f"{nama_kab[kode_kab]} hanya memiliki kelurahan: indikator berbasis desa tidak memiliki "
        "nilai di sini (bukan nol).",
        icon=":material/info:",
    )

# --- every KPI of this kabupaten vs the province ---------------------------------------------
st.subheader("Semua indikator")
ini = tren_df[tren_df["tahun"] == f.tahun]
kab_ini = ini[ini["kode_wilayah"] == kode_kab].set_index("kpi_id")
prov_ini = ini[ini["kode_wilayah"] == f.kode_provinsi].set_index("kpi_id")
lalu = tren_df[(tren_df["tahun"] == f.tahun_lalu) & (tren_df["kode_wilayah"] == kode_kab)]
lalu = lalu.set_index("kpi_id")


def _ambil(df: pd.DataFrame, kpi_id: str, kolom: str) -> object:
    return df.at[kpi_id, kolom] if kpi_id in df.index else None


ringkas = pd.DataFrame(
    {
        "Isu": definisi["isu_nama"],
        "Indikator": definisi["nama"],
        "Satuan": definisi["satuan"],
        nama_kab[kode_kab]: [_ambil(kab_ini, k, "nilai") for k in definisi["kpi_id"]],
        f"{nama_kab[kode_kab]} {f.tahun_lalu}": [
            _ambil(lalu, k, "nilai") for k in definisi["kpi_id"]
        ],
        f.nama_provinsi: [_ambil(prov_ini, k, "nilai") for k in definisi["kpi_id"]],
        "Keterangan": [
            komponen.alasan(_ambil(kab_ini, k, "keterangan"))
            if fmt.kosong(_ambil(kab_ini, k, "nilai"))
            else None
            for k in definisi["kpi_id"]
        ],
    }
)
if f.tahun_lalu is None:
    ringkas = ringkas.drop(columns=f"{nama_kab[kode_kab]} {f.tahun_lalu}")
satuan_per_baris = list(definisi["satuan"])
tampil = ringkas.copy()
for kolom in (c for c in ringkas.columns if c not in ("Isu", "Indikator", "Satuan", "Keterangan")):
    tampil[kolom] = [
        fmt.nilai_kpi_pendek(v, s) for v, s in zip(ringkas[kolom], satuan_per_baris, strict=True)
    ]
komponen.tabel(
    tampil.drop(columns=["Isu", "Satuan"]).fillna({"Keterangan": ""}),
    f"indikator_{kode_kab}_{f.tahun}",
    key="semua_kpi",
    unduhan=ringkas,
)

# --- one KPI: trend, kecamatan, villages ------------------------------------------------------
st.divider()
pilihan = list(definisi["kpi_id"])
bawaan = next(iter(definisi.loc[definisi["utama"], "kpi_id"]), pilihan[0])
kpi_id = filters.pilih(
    "Indikator untuk grafik, peta dan tabel di bawah",
    pilihan,
    "kpi",
    bawaan=bawaan,
    format_func=lambda k: komponen.label_kpi(defs.loc[k]),
)
d = defs.loc[kpi_id]
satuan, arah = str(d["satuan"]), str(d["arah"])
st.caption(f"{fmt.ARAH_TEKS.get(arah, '')}. Rumus: {komponen.teks_aman(d['rumus'])}")

st.subheader(f"{d['nama']} dari tahun ke tahun")
seri_kab = tren_df[(tren_df["kode_wilayah"] == kode_kab) & (tren_df["kpi_id"] == kpi_id)]
seri_prov = tren_df[(tren_df["kode_wilayah"] == f.kode_provinsi) & (tren_df["kpi_id"] == kpi_id)]
if seri_kab["nilai"].notna().any() or seri_prov["nilai"].notna().any():
    komponen.grafik(
        charts.tren([(nama_kab[kode_kab], seri_kab), (f.nama_provinsi, seri_prov)], satuan=satuan),
        key="tren",
        alt=f"Tren {d['nama']}",
    )
kosong_kab = seri_kab[seri_kab["nilai"].isna()]
komponen.daftar_kosong(
    zip(kosong_kab["tahun"].astype(str), kosong_kab["keterangan"], strict=True),
    judul=f"Tahun tanpa nilai untuk {nama_kab[kode_kab]} (bukan nol)",
)

st.subheader(f"Kecamatan, {f.tahun}")
kec = data.kecamatan(kode_kab)[["kode", "nama"]]
kec_kpi = kec_df[kec_df["kpi_id"] == kpi_id][
    ["kode_wilayah", "nilai", "desa_melapor", "keterangan"]
]
kec_tabel = kec.merge(kec_kpi, left_on="kode", right_on="kode_wilayah", how="left")
kec_tabel = pd.DataFrame(
    {
        "Kode": kec_tabel["kode"],
        "Kecamatan": kec_tabel["nama"],
        d["nama"]: kec_tabel["nilai"],
        "Desa melapor": kec_tabel["desa_melapor"],
        "Keterangan": [
            komponen.alasan(k) if fmt.kosong(v) else None
            for v, k in zip(kec_tabel["nilai"], kec_tabel["keterangan"], strict=True)
        ],
    }
).sort_values(d["nama"], ascending=arah == "turun", na_position="last")
komponen.tabel(
    kec_tabel.fillna({"Keterangan": ""}),
    f"{kpi_id}_{kode_kab}_{f.tahun}_kecamatan",
    key="kecamatan",
    format_kolom={d["nama"]: lambda v: fmt.nilai_kpi(v, satuan), "Desa melapor": fmt.angka},
    unduhan=kec_tabel,
)

# --- village map and IDM status ---------------------------------------------------------------
desa_kpi = desa_df[desa_df["kpi_id"] == kpi_id][["kode_wilayah", "nilai", "keterangan"]]
desa_tabel = desa_daftar.merge(desa_kpi, left_on="kode", right_on="kode_wilayah", how="left")
desa_tabel = desa_tabel.merge(idm_desa, left_on="kode", right_on="kode_desa", how="left")

kiri, kanan = st.columns([3, 2], gap="large")
with kiri:
    st.subheader(f"Peta desa: {d['nama']}")
    gj = data.geojson("desa", kode_kab)
    if gj is None:
        komponen.tanpa_peta("desa")
    else:
        komponen.grafik(
            charts.peta(
                gj,
                desa_tabel[["kode", "nama", "nilai", "keterangan"]],
                satuan=satuan,
                arah=arah,
                tinggi=600,
            ),
            key="peta_desa",
            alt=f"Peta desa {d['nama']}",
        )
        st.caption("Abu-abu: tidak ada nilai (arahkan kursor untuk melihat alasannya).")
with kanan:
    st.subheader(f"Status IDM desa, {f.tahun}")
    if idm.empty:
        st.info("Tidak ada data IDM untuk tahun ini.", icon=":material/info:")
    else:
        komponen.grafik(charts.status_idm(idm), key="status_idm", alt="Sebaran status IDM")
        st.caption(
            "Status dihitung dari skor (IKS + IKE + IKL) / 3 dengan ambang Kemendesa, "
            f"{fmt.angka(int(idm['jumlah'].sum()))} desa dinilai."
        )

# --- village table ----------------------------------------------------------------------------
st.subheader(f"Desa dan kelurahan, {f.tahun}")
cari = st.text_input("Cari desa atau kecamatan", placeholder="Ketik nama atau kode…")
semua = st.toggle("Tampilkan semua indikator", value=False)
tabel_desa = pd.DataFrame(
    {
        "Kode": desa_tabel["kode"],
        "Desa/kelurahan": desa_tabel["nama"],
        "Jenis": desa_tabel["jenis"],
        "Kecamatan": desa_tabel["nama_kec"],
        d["nama"]: desa_tabel["nilai"],
        "Keterangan": [
            komponen.alasan(k) if fmt.kosong(v) else None
            for v, k in zip(desa_tabel["nilai"], desa_tabel["keterangan"], strict=True)
        ],
        "Status IDM": [
            fmt.status_idm(s) if not fmt.kosong(s) else None
            for s in desa_tabel["status_idm_hitung"]
        ],
    }
)
format_kolom = {d["nama"]: lambda v: fmt.nilai_kpi_pendek(v, satuan)}
if semua:
    lebar = desa_df.pivot_table(
        index="kode_wilayah", columns="kpi_id", values="nilai", aggfunc="first", dropna=False
    )
    for k in definisi["kpi_id"]:
        if k == kpi_id or k not in lebar.columns:
            continue
        nama = str(defs.at[k, "nama"])
        tabel_desa[nama] = tabel_desa["Kode"].map(lebar[k])
        format_kolom[nama] = lambda v, s=str(defs.at[k, "satuan"]): fmt.nilai_kpi_pendek(v, s)
if cari.strip():
    q = cari.strip().casefold()
    cocok = (
        tabel_desa["Desa/kelurahan"].str.casefold().str.contains(q, regex=False)
        | tabel_desa["Kecamatan"].fillna("").str.casefold().str.contains(q, regex=False)
        | tabel_desa["Kode"].str.contains(q, regex=False)
    )
    tabel_desa = tabel_desa[cocok]
st.caption(
    f"{fmt.angka(len(tabel_desa))} baris. Klik judul kolom untuk mengurutkan. "
    "Nilai kosong ditandai “–” dengan alasannya di kolom Keterangan."
)
komponen.tabel(
    tabel_desa.fillna({"Keterangan": "", "Status IDM": ""}),
    f"desa_{kode_kab}_{f.tahun}",
    key="desa",
    format_kolom=format_kolom,
    unduhan=tabel_desa,
)
