"""Desa: find a village by name or code; its KPIs over the years, its rank, its data."""

from datetime import datetime
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards import data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Desa", params=("desa",))

try:
    daftar = data.desa_daftar(f.kode_kab)
    definisi = data.definisi()
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

label = {
    kode: f"{nama} ({jenis}) · Kec. {kec} · {kab} · {kode}"
    for kode, nama, jenis, kec, kab in zip(
        daftar["kode"],
        daftar["nama"],
        daftar["jenis"],
        daftar["nama_kec"],
        daftar["nama_kab"],
        strict=True,
    )
}
kode_desa = filters.pilih(
    "Cari desa atau kelurahan (ketik nama atau kode)",
    list(label),
    "desa",
    boleh_kosong=True,
    format_func=label.get,
    placeholder="Ketik nama atau kode desa…",
    help="Daftar mengikuti pilihan kabupaten/kota di panel kiri.",
)
if f.kode_kab:
    st.caption(
        f"Menampilkan desa di {f.nama_kab}. Pilih *Semua* di panel kiri untuk seluruh provinsi."
    )
if kode_desa is None:
    st.info("Pilih desa atau kelurahan untuk melihat profilnya.", icon=":material/search:")
    st.stop()

baris_desa = daftar[daftar["kode"] == kode_desa].iloc[0]
try:
    peringkat = data.peringkat_desa(kode_desa)
    dataset = data.dataset_desa(kode_desa)
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

ada_sintetis = {
    nama
    for nama, df in dataset.items()
    if "sintetis" in df.columns and df["sintetis"].fillna(False).astype(bool).any()
}
komponen.peringatan_sintetis(ada_sintetis)

jenis = str(baris_desa["jenis"] or "desa")
st.header(f"{'Kelurahan' if jenis == 'kelurahan' else 'Desa'} {baris_desa['nama']}")
st.markdown(
    f"Kecamatan **{baris_desa['nama_kec']}** · **{baris_desa['nama_kab']}** · kode `{kode_desa}`"
)
if jenis == "kelurahan":
    st.info(
        "Kelurahan tidak menerima Dana Desa, tidak dinilai IDM dan tidak mengisi profil desa: "
        "indikator berbasis desa tidak memiliki nilai di sini (lihat kolom Keterangan).",
        icon=":material/info:",
    )

# --- KPIs across years, with the rank in the kabupaten ----------------------------------------
st.subheader("Indikator dari tahun ke tahun")
# years in which the village has at least one value (plus the chosen year, for its reasons)
tahun_ada = sorted(
    set(peringkat.loc[peringkat["nilai"].notna(), "tahun"].tolist())
    | ({f.tahun} if f.tahun in set(peringkat["tahun"]) else set())
)
if not tahun_ada:
    st.info("Belum ada nilai indikator untuk desa ini.", icon=":material/info:")
else:
    nilai = peringkat.pivot_table(
        index="kpi_id", columns="tahun", values="nilai", aggfunc="first", dropna=False
    )
    ini = peringkat[peringkat["tahun"] == f.tahun].set_index("kpi_id")
    tabel = definisi[["kpi_id", "isu_nama", "nama", "satuan"]].copy()
    tabel = tabel[tabel["kpi_id"].isin(nilai.index)]
    tampil = pd.DataFrame({"Indikator": tabel["nama"]})
    unduhan = pd.DataFrame(
        {"Isu": tabel["isu_nama"], "Indikator": tabel["nama"], "Satuan": tabel["satuan"]}
    )
    for t in tahun_ada:
        kol = [nilai.at[k, t] if t in nilai.columns else None for k in tabel["kpi_id"]]
        tampil[str(t)] = [
            fmt.nilai_kpi_pendek(v, s) for v, s in zip(kol, tabel["satuan"], strict=True)
        ]
        unduhan[str(t)] = kol

    def _rank(k: str) -> str | None:
        if k not in ini.index or fmt.kosong(ini.at[k, "peringkat"]):
            return None
        return f"{int(ini.at[k, 'peringkat'])} dari {int(ini.at[k, 'jumlah_desa'])}"

    def _ket(k: str) -> str | None:
        if k not in ini.index:
            return "Tidak ada data yang dilaporkan"
        return komponen.alasan(ini.at[k, "keterangan"]) if fmt.kosong(ini.at[k, "nilai"]) else None

    kolom_rank = f"Peringkat di kabupaten {f.tahun}"
    tampil[kolom_rank] = [_rank(k) for k in tabel["kpi_id"]]
    tampil[f"Keterangan {f.tahun}"] = [_ket(k) for k in tabel["kpi_id"]]
    unduhan[kolom_rank] = tampil[kolom_rank].to_numpy()
    unduhan[f"Keterangan {f.tahun}"] = tampil[f"Keterangan {f.tahun}"].to_numpy()
    st.caption(
        "Peringkat 1 = terbaik di antara desa sekabupaten pada tahun terpilih (sesuai arah "
        "indikator); desa tanpa nilai tidak diperingkat."
    )
    komponen.tabel(
        tampil.fillna(""),
        f"indikator_{kode_desa}",
        key="kpi_desa",
        unduhan=unduhan,
    )

# --- every dataset's rows -------------------------------------------------------------------


def _sel_data(v: object) -> str:
    """One cell of a dataset row, in Indonesian formats."""
    if fmt.kosong(v):
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, datetime | pd.Timestamp):
        return fmt.waktu_urut(v)
    if isinstance(v, int | float | Decimal):
        angka = float(v)
        if angka.is_integer():
            return fmt.angka(angka, 0)
        return fmt.angka_ringkas(angka, 2 if abs(angka) >= 1000 else 4)
    return str(v)


st.subheader("Data yang dilaporkan")
KOLOM_SEMBUNYI = {"kode_desa", "kode_kab", "nama_desa"}
for nama, df in dataset.items():
    judul = komponen.label_dataset(nama)
    if df.empty:
        st.markdown(f"**{judul}:** tidak ada data untuk desa ini.")
        continue
    with st.expander(
        f"{judul} ({fmt.angka(len(df))} baris)"
        + (" · data contoh" if nama in ada_sintetis else ""),
        expanded=nama in ("dana_desa", "kemiskinan_desa", "idm"),
    ):
        isi = df.drop(columns=[c for c in df.columns if c in KOLOM_SEMBUNYI])
        if "sintetis" in isi.columns:
            isi["sintetis"] = isi["sintetis"].map(
                lambda v: "Ya (data contoh)" if v is True or v == 1 else "Tidak"
            )
        satu_per_tahun = not isi["tahun"].duplicated().any()
        if satu_per_tahun:
            # one row per year: show fields as rows and years as columns, easier to read
            lebar = isi.set_index("tahun").T
            lebar.columns = [str(c) for c in lebar.columns]
            lebar = lebar.map(_sel_data)
            lebar.insert(0, "Kolom", lebar.index)
            komponen.tabel(lebar, f"{nama}_{kode_desa}", key=f"ds_{nama}", unduhan=isi)
        else:
            komponen.tabel(isi, f"{nama}_{kode_desa}", key=f"ds_{nama}")
