"""Dasbor Desa Kalteng: the entrypoint (`streamlit run dashboards/app.py`).

It sets the page frame, draws the shared sidebar filters and runs the chosen page. Pages live in
`app_pages/` and also work on their own (AppTest runs them one by one).
"""

import logging

import streamlit as st
from PIL import Image, ImageDraw

from dashboards import filters
from dashboards.akun import sesi

_log = logging.getLogger(__name__)


def _icon() -> Image.Image:
    """A small house icon drawn locally: the dashboard fetches nothing from the internet."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((2, 2, 62, 62), radius=12, fill=(44, 111, 187))
    pen.polygon([(12, 34), (32, 14), (52, 34)], fill="white")
    pen.rectangle((19, 33, 45, 52), fill="white")
    pen.rectangle((28, 40, 36, 52), fill=(44, 111, 187))
    return image


st.set_page_config(
    page_title="Dasbor Desa Kalteng",
    page_icon=_icon(),
    layout="wide",
    # "auto": open on a desktop, closed on a phone, where an open sidebar covers the page.
    initial_sidebar_state="auto",
)

RINGKASAN = st.Page(
    "app_pages/ringkasan.py",
    title="Ringkasan Provinsi",
    icon=":material/dashboard:",
    url_path="ringkasan",
)


def _open_ringkasan() -> None:
    """The root URL opens Ringkasan Provinsi at /ringkasan, keeping the link's filters."""
    st.switch_page(RINGKASAN, query_params=st.query_params.to_dict())


# Streamlit serves the default page at "/" only, never at its url_path. So Ringkasan is an
# ordinary page (reachable at /ringkasan, as links and bookmarks expect) and the default is
# a hidden page that forwards to it.
HOME = st.Page(
    _open_ringkasan, title="Beranda", url_path="beranda", default=True, visibility="hidden"
)

PAGES = [
    HOME,
    RINGKASAN,
    st.Page(
        "app_pages/kabupaten.py",
        title="Kabupaten/Kota",
        icon=":material/location_city:",
        url_path="kabupaten",
    ),
    st.Page(
        "app_pages/isu.py",
        title="Isu Strategis",
        icon=":material/flag:",
        url_path="isu",
    ),
    st.Page(
        "app_pages/program.py",
        title="Program & Kegiatan",
        icon=":material/assignment:",
        url_path="program",
    ),
    st.Page(
        "app_pages/prioritas.py",
        title="Desa Prioritas",
        icon=":material/priority_high:",
        url_path="prioritas",
    ),
    st.Page(
        "app_pages/capaian_target.py",
        title="Capaian Target",
        icon=":material/target:",
        url_path="capaian-target",
    ),
    st.Page(
        "app_pages/desa.py",
        title="Desa",
        icon=":material/cottage:",
        url_path="desa",
    ),
    st.Page(
        "app_pages/kualitas_data.py",
        title="Kualitas Data",
        icon=":material/fact_check:",
        url_path="kualitas-data",
    ),
    st.Page(
        "app_pages/metadata.py",
        title="Metadata Indikator",
        icon=":material/menu_book:",
        url_path="metadata",
    ),
    st.Page(
        "app_pages/unggah.py",
        title="Unggah Data",
        icon=":material/upload_file:",
        url_path="unggah",
    ),
    st.Page(
        "app_pages/notifikasi.py",
        title="Notifikasi",
        icon=":material/outgoing_mail:",
        url_path="notifikasi",
    ),
]

page = st.navigation(PAGES)
if page is HOME:
    page.run()  # switches to Ringkasan before any filter or data is read
if not sesi.gate():  # ends a deactivated session; with DASBOR_WAJIB_MASUK=1, asks for a login
    st.stop()
filters.mark_via_app()
filters.sidebar()
try:
    page.run()
except Exception as e:  # st.stop/st.rerun are BaseExceptions and pass through
    _log.exception("Halaman %s gagal", page.url_path)
    filters.show_unexpected_error(e)
