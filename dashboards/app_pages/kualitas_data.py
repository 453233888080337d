"""Kualitas Data: completeness, the ingest log, rejected files, and real vs sample data."""

import pandas as pd
import streamlit as st

from dashboards import charts, data, filters, komponen
from dashboards import formatting as fmt

f = filters.halaman("Kualitas Data", params=("tampilan", "dataset"))

try:
    sumber = data.sumber_data()
    kelengkapan = data.kelengkapan()
    log = data.ingest_log()
    ditolak = data.ditolak()
    kab = data.kabupaten()
except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
    filters.tangani_galat(e)

nama_kab = dict(zip(kab["kode"], kab["nama"], strict=True))
nama_kab.setdefault(f.kode_provinsi, f.nama_provinsi)

# --- real vs sample data -----------------------------------------------------------------------
st.header("Data resmi dan data contoh")
sumber = sumber.copy()
sumber["sintetis"] = sumber["sintetis"].fillna(False).astype(bool)
contoh = sumber[sumber["sintetis"] & (sumber["baris"].fillna(1) > 0)]
komponen.peringatan_sintetis(contoh["dataset"])
if contoh.empty:
    st.success(
        "Semua data dalam snapshot ini adalah data resmi (bukan data contoh).",
        icon=":material/check_circle:",
    )
# one line per dataset and kind (real / sample); a dataset can cite many sources
ringkas_sumber = (
    sumber.assign(sumber=sumber["sumber"].fillna("–"))
    .groupby(["dataset", "sintetis"], sort=True)
    .agg(baris=("baris", "sum"), sumber=("sumber", lambda s: list(dict.fromkeys(s))))
    .reset_index()
)


def _sumber_ringkas(daftar: list[str]) -> str:
    if len(daftar) <= 2:
        return "; ".join(daftar)
    return f"{'; '.join(daftar[:2])}; dan {len(daftar) - 2} sumber lain"


tabel_sumber = pd.DataFrame(
    {
        "Dataset": [komponen.label_dataset(d) for d in ringkas_sumber["dataset"]],
        "Jenis data": [
            "Data contoh (sintetis)" if s else "Data resmi" for s in ringkas_sumber["sintetis"]
        ],
        "Baris": ringkas_sumber["baris"],
        "Sumber": [_sumber_ringkas(d) for d in ringkas_sumber["sumber"]],
    }
)
komponen.tabel(
    tabel_sumber,
    "sumber_data_ringkas",
    key="sumber",
    format_kolom={"Baris": fmt.angka},
    unduhan=sumber,
)
with st.expander(f"Semua sumber ({fmt.angka(len(sumber))} baris)"):
    komponen.tabel(
        pd.DataFrame(
            {
                "Dataset": [komponen.label_dataset(d) for d in sumber["dataset"]],
                "Jenis data": [
                    "Data contoh (sintetis)" if s else "Data resmi" for s in sumber["sintetis"]
                ],
                "Baris": sumber["baris"],
                "Sumber": sumber["sumber"],
            }
        ),
        "sumber_data",
        key="sumber_semua",
        format_kolom={"Baris": fmt.angka},
    )

# --- completeness heatmap ------------------------------------------------------------------------
st.header("Kelengkapan data")
st.caption(
    "Persentase desa yang melaporkan tiap dataset. Tanda * = data contoh. "
    "Abu-abu = tidak ada desa yang wajib melapor (misalnya kota yang hanya memiliki kelurahan)."
)
TAMPILAN = {"tahun": f"Per tahun ({f.tahun})", "dataset": "Per dataset (semua tahun)"}
tampilan = filters.pilih(
    "Tampilan",
    list(TAMPILAN),
    "tampilan",
    format_func=TAMPILAN.get,
    jenis="radio",
    horizontal=True,
)

kl = kelengkapan.copy()
kl["nama_kab"] = kl["kode_kab"].map(lambda k: charts.nama_pendek(nama_kab.get(k, k)))
kl["label_dataset"] = kl["dataset"].map(komponen.label_dataset)
kl["teks"] = [
    fmt.persen(p, 0) + ("*" if s is True else "") if not fmt.kosong(p) else "–"
    for p, s in zip(kl["persen_lengkap"], kl["sintetis"], strict=True)
]
kl["hover"] = [
    f"{fmt.angka(m)} dari {fmt.angka(t)} desa"
    + (f", diterima {fmt.tanggal(w)}" if not fmt.kosong(w) else "")
    + (" (data contoh)" if s is True else "")
    for m, t, w, s in zip(
        kl["desa_melapor"], kl["desa_total"], kl["diterima_pada"], kl["sintetis"], strict=True
    )
]
if f.kode_kab:
    kl = kl[kl["kode_kab"] == f.kode_kab]

if kl.empty:
    st.info("Belum ada catatan kelengkapan data.", icon=":material/info:")
else:
    if tampilan == "tahun":
        potong = kl[kl["tahun"] == f.tahun]
        baris, kolom = "label_dataset", "nama_kab"
        nama_file = f"kelengkapan_{f.tahun}"
    else:
        pilihan_ds = sorted(kl["dataset"].unique())
        ds = filters.pilih("Dataset", pilihan_ds, "dataset", format_func=komponen.label_dataset)
        potong = kl[kl["dataset"] == ds]
        baris, kolom = "nama_kab", "tahun"
        nama_file = f"kelengkapan_{ds}"
    if potong.empty:
        st.info("Tidak ada catatan kelengkapan untuk pilihan ini.", icon=":material/info:")
    else:
        # order kabupaten by code (as everywhere else), not by name
        urut = potong.sort_values(["kode_kab", "dataset", "tahun"])
        urutan_baris = list(dict.fromkeys(urut[baris]))
        urutan_kolom = list(dict.fromkeys(urut[kolom]))
        if kolom == "tahun":
            urutan_kolom = sorted(urutan_kolom)
        if baris == "label_dataset":
            urutan_baris = sorted(urutan_baris)

        def _pivot(nilai: str) -> pd.DataFrame:
            return potong.pivot_table(
                index=baris, columns=kolom, values=nilai, aggfunc="first", dropna=False
            ).reindex(index=urutan_baris, columns=urutan_kolom)

        z = _pivot("persen_lengkap").astype(float)
        teks = _pivot("teks").fillna("–")
        hover = _pivot("hover").fillna("Tidak ada catatan untuk pilihan ini")
        z.columns = teks.columns = hover.columns = [str(c) for c in urutan_kolom]
        komponen.grafik(
            charts.peta_panas(
                z, teks, skala="Blues", zmin=0, zmax=100, judul_warna="% desa", hover=hover
            ),
            key="panas_kelengkapan",
            alt="Kelengkapan data",
        )
        unduhan = potong[
            [
                "dataset",
                "kode_kab",
                "nama_kab",
                "tahun",
                "desa_melapor",
                "desa_total",
                "persen_lengkap",
                "diterima_pada",
                "sintetis",
            ]
        ]
        with st.expander("Tabel kelengkapan"):
            komponen.tabel(
                unduhan.assign(diterima_pada=unduhan["diterima_pada"].map(fmt.waktu_urut)),
                nama_file,
                key="tabel_kelengkapan",
                format_kolom={"persen_lengkap": lambda v: fmt.persen(v, 1)},
            )

# --- ingest log ------------------------------------------------------------------------------------
st.header("Catatan penerimaan berkas")
STATUS = {"accepted": "Diterima", "rejected": "Ditolak", "duplicate": "Duplikat"}
ringkas = log["status"].map(STATUS).fillna(log["status"]).value_counts()
st.markdown(
    " · ".join(f"**{fmt.angka(ringkas.get(s, 0))}** {s.lower()}" for s in STATUS.values())
    + f" (dari {fmt.angka(len(log))} berkas terakhir)"
)
saring = st.multiselect(
    "Status", list(STATUS.values()), default=list(STATUS.values()), key="_status_log"
)
tabel_log = pd.DataFrame(
    {
        "Waktu (WIB)": log["received_at"].map(fmt.waktu_urut),
        "Berkas": log["file_name"],
        "Dataset": log["dataset"].map(komponen.label_dataset),
        "Status": log["status"].map(STATUS).fillna(log["status"]),
        "Baris": log["rows"],
        "Disimpan sebagai": log["stored_as"],
        "SHA-256": log["sha256"],
    }
)
tabel_log = tabel_log[tabel_log["Status"].isin(saring)]
komponen.tabel(tabel_log, "ingest_log", key="log", format_kolom={"Baris": fmt.angka})

st.subheader(f"Berkas yang ditolak ({fmt.angka(len(ditolak))})")
if ditolak.empty:
    st.success("Tidak ada berkas yang ditolak.", icon=":material/check_circle:")
else:
    st.caption("Laporan tiap berkas menjelaskan baris dan kolom yang perlu diperbaiki.")
    for _, r in ditolak.head(50).iterrows():
        with st.expander(
            f"{komponen.teks_aman(r['file_name'])} · {komponen.label_dataset(r['dataset'])} · "
            f"{fmt.tanggal_waktu(r['received_at'])}",
            icon=":material/block:",
        ):
            st.caption(f"Disimpan sebagai: {komponen.teks_aman(r['stored_as'] or '–')}")
            st.code(str(r["report"] or "(tanpa laporan)"), language=None, wrap_lines=True)
    komponen.tombol_unduh(
        ditolak.assign(received_at=ditolak["received_at"].map(fmt.waktu_urut)),
        "berkas_ditolak",
        key="ditolak",
    )
