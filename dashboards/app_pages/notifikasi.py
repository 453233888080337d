"""Notifikasi: what the reminder and briefing jobs sent, for the `admin` login only.

Two views: the outbox (`<data dir>/kotak_keluar/`, the .eml files written when no mail server is
configured) and the latest rows of the published `notifikasi_log`. Addresses are personal data
(docs/operations.md): neither view shows one. A message's recipient is named by its account, taken
from the file's name and shown only where the log confirms that account.
"""

import pandas as pd
import streamlit as st

from dashboards import components, data
from dashboards.akun import sesi
from laporan import formatting as fmt

STATUS_TEXT = {"terkirim": "Terkirim", "kotak_keluar": "Kotak keluar", "gagal": "Gagal"}
JENIS_TEXT = {"pengingat": "Pengingat", "laporan": "Laporan bulanan"}

st.title("Notifikasi")

session = sesi.signed_in(
    "Pesan pengingat dan laporan yang dikirim dasbor: kotak keluar dan catatan notifikasi. "
    "Halaman ini untuk admin; masuk dengan akun admin."
)
if session.peran != "admin":
    st.info("Halaman ini hanya untuk peran admin.", icon=":material/lock:")
    st.stop()
data.pin()  # as the sidebar does under app.py; this page also runs alone

try:
    log = data.notification_log()
except data.SnapshotMissing:
    log = pd.DataFrame(columns=["dibuat_pada", "jenis", "penerima", "kode_kab", "rincian"])
    log = log.assign(status=None, alasan=None)

# --- the outbox ------------------------------------------------------------------------------
st.header("Kotak keluar")
st.caption(
    "Tanpa server surat (DASBOR_SMTP_HOST tidak diatur), tiap pesan ditulis sebagai berkas .eml "
    f"di folder `{data.outbox_dir().name}/` dalam direktori data. Alamat penerima tidak "
    "ditampilkan: penerima disebut dengan nama akunnya."
)
outbox = data.outbox_messages()
if outbox is None:
    st.info(
        "Folder kotak keluar belum ada: belum ada pesan yang ditulis ke berkas.",
        icon=":material/inbox:",
    )
elif outbox.empty:
    st.info("Kotak keluar kosong.", icon=":material/inbox:")
else:
    # an account named by a file is shown only when the log knows it sent to that account
    known = set(log.loc[log["status"] == "kotak_keluar", "penerima"].dropna())
    components.text_table(  # a subject reads in full, wrapped, on a phone too
        pd.DataFrame(
            {
                "Waktu (WIB)": outbox["dibuat_pada"].map(fmt.sortable_time),
                "Subjek": outbox["subjek"],
                "Akun penerima": outbox["akun_berkas"].where(outbox["akun_berkas"].isin(known)),
                "Berkas": outbox["berkas"],
            }
        ),
        "kotak_keluar",
        key="kotak_keluar",
        alt="Kotak keluar",
        max_height=500,
    )
    st.caption(f"{fmt.number(len(outbox))} pesan terbaru, terbaru di atas.")

# --- notifikasi_log --------------------------------------------------------------------------
st.header("Catatan notifikasi")
if log.empty:
    st.info("Belum ada notifikasi yang tercatat.", icon=":material/notifications_off:")
else:
    counts = log["status"].value_counts()
    st.markdown(
        " · ".join(
            f"**{fmt.number(counts.get(s, 0))}** {label.lower()}"
            for s, label in STATUS_TEXT.items()
        )
        + f" (dari {fmt.number(len(log))} pesan terakhir)"
    )
    components.text_table(
        pd.DataFrame(
            {
                "Waktu (WIB)": log["dibuat_pada"].map(fmt.sortable_time),
                "Jenis": log["jenis"].map(JENIS_TEXT).fillna(log["jenis"]),
                "Penerima (akun)": log["penerima"],
                "Kode wilayah": log["kode_kab"],
                "Rincian": log["rincian"],
                "Status": log["status"].map(STATUS_TEXT).fillna(log["status"]),
                "Alasan": log["alasan"],
            }
        ),
        "notifikasi_log",
        key="notifikasi_log",
        download=log.assign(dibuat_pada=log["dibuat_pada"].map(fmt.sortable_time)).rename(
            columns={"dibuat_pada": "dibuat_pada_wib"}
        ),
        alt="Catatan notifikasi",
        max_height=600,
    )
