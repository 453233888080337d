"""Dasbor Desa Kalteng: the entrypoint (`streamlit run dashboards/app.py`).

It sets the page frame, draws the shared sidebar filters and runs the chosen page. Pages live in
`app_pages/` and also work on their own (AppTest runs them one by one).
"""

import streamlit as st
from PIL import Image, ImageDraw

from dashboards import filters


def _ikon() -> Image.Image:
    """A small house icon drawn locally: the dashboard fetches nothing from the internet."""
    gambar = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    pena = ImageDraw.Draw(gambar)
    pena.rounded_rectangle((2, 2, 62, 62), radius=12, fill=(44, 111, 187))
    pena.polygon([(12, 34), (32, 14), (52, 34)], fill="white")
    pena.rectangle((19, 33, 45, 52), fill="white")
    pena.rectangle((28, 40, 36, 52), fill=(44, 111, 187))
    return gambar


st.set_page_config(
    page_title="Dasbor Desa Kalteng",
    page_icon=_ikon(),
    layout="wide",
    initial_sidebar_state="expanded",
)

HALAMAN = [
    st.Page(
        "app_pages/ringkasan.py",
        title="Ringkasan Provinsi",
        icon=":material/dashboard:",
        url_path="ringkasan",
        default=True,
    ),
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
]

halaman = st.navigation(HALAMAN)
filters.tandai_lewat_app()
filters.sidebar()
halaman.run()
