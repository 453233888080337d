"""Unggah Data: an officer sends a file from their own office (docs/operations.md).

Anonymous visitors see only the login form. After login, an officer picks the dataset and the
file; the page writes it into the inbox (temporary name, sidecar, rename: dashboards.akun.unggah)
and then follows it, polling the published ingest_log, until the pipeline has judged it. The
page never runs the pipeline: under `make run` the inbox sensor picks the file up.

Each fragment here checks the session at each of its runs (`sesi.fragment`), as the page run
does, so a deactivated account's open tab stops showing its files at the next poll.
"""

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards import components, data, downloads
from dashboards.akun import riwayat, sesi, unggah
from laporan import formatting as fmt
from pengguna.store import default_kabupaten

POLL_SECONDS = 2.0
TRACKED_KEY = "_unggahan"
UPLOADER_VERSION_KEY = "_unggah_versi"
STATUS_TEXT = {"accepted": "Diterima", "rejected": "Ditolak", "duplicate": "Duplikat"}

st.title("Unggah Data")

kabupaten = default_kabupaten()
session = sesi.signed_in(
    "Petugas data kabupaten/kota dan analis provinsi mengirim berkas dari kantornya di sini. "
    "Masuk dengan akun yang dibuat oleh admin.",
    kabupaten,
)

if not session.may_upload:
    st.info(
        f"Peran {session.peran} dapat membaca semua halaman, tetapi tidak mengunggah berkas.",
        icon=":material/info:",
    )
    st.stop()
data.pin()  # as the sidebar does under app.py; this page also runs alone


def upload_datasets() -> list[str]:
    """The declared datasets this account may send (dataset_definisi), plus any newer inbox
    folder (the inbox is the door; the ingest step enforces every rule again)."""
    inbox = data.data_dir() / "inbox"
    folders = sorted(p.name for p in inbox.iterdir() if p.is_dir()) if inbox.is_dir() else []
    try:
        declared = data.uploadable_datasets(petugas=session.peran == "petugas")
    except (data.SnapshotMissing, KeyError):  # nothing published yet: the inbox folders
        return folders
    if session.peran == "petugas":
        return declared
    return [*declared, *(f for f in folders if f not in declared)]


@sesi.fragment
def template_button(dataset: str) -> None:
    """`Unduh templat`, listing the officer's desa (an analyst picks the kabupaten)."""
    downloads.template_button(dataset, session.kode_kab)


# --- send a file ------------------------------------------------------------------------------
st.header("Kirim berkas")
if session.kode_kab:
    st.caption(
        f"Semua baris harus desa/wilayah {kabupaten.get(session.kode_kab, session.kode_kab)}; "
        "satu baris dari kabupaten lain membuat seluruh berkas ditolak."
    )
datasets = upload_datasets()
dataset = st.selectbox("Dataset", datasets, format_func=components.dataset_label)
template_button(dataset)
limit_mb = max(1, int(unggah.max_file_bytes() // 1024**2))
# Not Streamlit's own "1GB per file • CSV, XLSX" under the uploader: it rounds a 512 MB limit up
# to whole gigabytes. The label states the true limit and the types, in Bahasa Indonesia. The
# button's own word, "Upload", cannot be set in Streamlit 1.67 (streamlit/streamlit#13500): it
# is drawn at size 0 and "Pilih berkas" written after it, at the size buttons use.
_BUTTON_TEXT = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
st.html(
    "<style>"
    '[data-testid="stFileUploaderDropzoneInstructions"] {display: none}'
    f"{_BUTTON_TEXT} {{font-size: 0}}"
    f'{_BUTTON_TEXT}::after {{content: "Pilih berkas"; font-size: 0.875rem}}'
    "</style>"
)
version = st.session_state.setdefault(UPLOADER_VERSION_KEY, 0)
berkas = st.file_uploader(
    f"Berkas (.csv atau .xlsx, paling besar {limit_mb} MB)",
    type=["csv", "xlsx"],
    max_upload_size=limit_mb,
    key=f"berkas_{version}",
)
if st.button("Kirim", type="primary", disabled=berkas is None, icon=":material/upload:"):
    inbox = data.data_dir() / "inbox"
    if dataset in datasets:  # before the first run the pipeline has not made the folder yet
        (inbox / dataset).mkdir(parents=True, exist_ok=True)
    try:
        written = unggah.write_upload(inbox, dataset, berkas.name, berkas.getvalue(), session)
    except unggah.UploadRefused as e:
        st.error(f"Berkas tidak dikirim: {e}.", icon=":material/block:")
    else:
        st.session_state.setdefault(TRACKED_KEY, []).insert(0, written)
        st.session_state[UPLOADER_VERSION_KEY] = version + 1  # clears the uploader
        st.rerun()


# --- follow the files sent in this session ------------------------------------------------------
def show_report(found: dict) -> None:
    report = str(found.get("report") or "")
    if found["status"] == "rejected":
        st.code(report, language=None, wrap_lines=True)
        downloads = [
            (".kesalahan.xlsx", "Unduh kesalahan (Excel)", "application/vnd.ms-excel"),
            (".kesalahan.csv", "Unduh kesalahan (CSV)", "text/csv"),
        ]
        for suffix, label, mime in downloads:
            path = riwayat.beside_stored(data.data_dir(), str(found["stored_as"]), suffix)
            if path is not None:
                st.download_button(
                    label,
                    path.read_bytes(),
                    file_name=path.name,
                    mime=mime,
                    key=f"unduh_{found['stored_as']}_{suffix}",
                )
                break
    else:
        with st.expander("Laporan pemeriksaan"):
            st.code(report, language=None, wrap_lines=True)


def judgement(item: unggah.Written) -> tuple[dict | None, Exception | None]:
    """The pipeline's judgement of an upload (None while it waits), or the error that kept the
    snapshot from telling."""
    try:
        found = data.upload_outcome(item.dataset, item.file_name, item.sha256, item.diunggah_pada)
    except data.SnapshotMissing:  # nothing published yet: the file waits for the first run
        return None, None
    except data.SnapshotUnreadable as e:
        return None, e
    return found, None


def follow() -> bool:
    """Draw every tracked upload's state; True while any still waits (or could not be read)."""
    waiting = False
    for item in st.session_state.get(TRACKED_KEY, []):
        found, error = judgement(item)
        title = f"{components.safe_text(item.file_name)} · {components.dataset_label(item.dataset)}"
        with st.container(border=True):
            if error is not None:
                waiting = True  # keep polling: the next publish may be readable
                st.error(f"**Hasil tidak dapat dibaca** · {title}", icon=":material/error:")
                st.caption(
                    "Data yang diterbitkan tidak dapat dibaca (sedang diperbarui, skema berbeda "
                    "atau berkas rusak). Halaman ini mencoba lagi sendiri; bila pesan ini tetap "
                    "muncul, hubungi pengelola pipeline."
                )
                components.technical_details(error)
                continue
            if found is None:
                waiting = True
                st.markdown(f"**Menunggu** · {title}")
                st.caption(
                    "Berkas sudah di inbox; pipeline akan memeriksanya dalam beberapa detik "
                    "sampai beberapa menit. Halaman ini diperbarui sendiri."
                )
                continue
            status = STATUS_TEXT.get(found["status"], found["status"])
            if found["status"] == "rejected":
                st.error(f"**{status}** · {title}", icon=":material/cancel:")
            else:
                rows = fmt.number(found["rows"])
                st.success(f"**{status}** · {title} · {rows} baris", icon=":material/check_circle:")
            show_report(found)
    return waiting


if st.session_state.get(TRACKED_KEY):
    st.header("Berkas yang baru dikirim")

    @sesi.fragment(run_every=POLL_SECONDS)
    def tracker() -> None:
        data.pin()  # each poll reads the newest publish
        was_waiting = st.session_state.get("_unggah_menunggu", False)
        waiting = follow()
        st.session_state["_unggah_menunggu"] = waiting
        if was_waiting and not waiting:
            st.rerun()  # refresh the history below, and stop polling

    if any(judgement(i)[0] is None for i in st.session_state[TRACKED_KEY]):
        tracker()
    else:
        st.session_state["_unggah_menunggu"] = False
        follow()


# --- this account's history -----------------------------------------------------------------------
st.header("Riwayat unggahan")
pending = unggah.pending_uploads(data.data_dir() / "inbox", session.nama)
try:
    judged = data.upload_history(session.nama)
except data.SnapshotMissing:
    judged = pd.DataFrame()
except data.SnapshotUnreadable as e:
    judged = pd.DataFrame()
    st.error(
        "Riwayat unggahan tidak dapat dibaca: data yang diterbitkan sedang diperbarui, skemanya "
        "berbeda atau berkasnya rusak. Muat ulang halaman ini sebentar lagi; bila tetap begini, "
        "hubungi pengelola pipeline.",
        icon=":material/error:",
    )
    components.technical_details(e)
rows = [
    {
        "Waktu": fmt.datetime_text(
            datetime.fromisoformat(p["diunggah_pada"].removesuffix("Z"))
            if p["diunggah_pada"]
            else None
        ),
        "Berkas": p["file_name"],
        "Dataset": components.dataset_label(p["dataset"]),
        "Hasil": "Menunggu",
        "Baris": None,
        "Kesalahan": None,
    }
    for p in pending
]
rows += [
    {
        "Waktu": fmt.datetime_text(r["received_at"]),
        "Berkas": r["file_name"],
        "Dataset": components.dataset_label(r["dataset"]),
        "Hasil": STATUS_TEXT.get(r["status"], r["status"]),
        "Baris": r["rows"],
        "Kesalahan": r["errors"],
    }
    for r in judged.to_dict("records")
]
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
else:
    st.caption("Belum ada berkas yang dikirim dari akun ini.")
