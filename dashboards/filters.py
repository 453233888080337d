"""The global filters (tahun, kabupaten) and the frame every page shares.

`app.py` draws the sidebar once per run, before the page. A page run on its own (as AppTest
does, since it cannot drive st.navigation) draws it itself: every page starts with
`halaman(...)`, which reuses the filters app.py drew in this run or draws them.

Every choice lives in two places:
- the session (`st.session_state["_nilai_<param>"]`), so it survives switching pages, even for
  a page's own widgets that Streamlit forgets when they are not drawn;
- the URL (`st.query_params`), so a shared link opens the same view. The URL is read only when
  the session has no value yet, i.e. when a link is opened.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from dashboards import data
from dashboards import formatting as fmt

PARAM_TAHUN = "tahun"
PARAM_KAB = "kab"
PARAM_GLOBAL = (PARAM_TAHUN, PARAM_KAB)
SEMUA = ""
"""The kabupaten option meaning "the whole province" (kept out of the URL)."""

_LEWAT_APP = "_dasbor_lewat_app"
_FILTER_RUN = "_dasbor_filter"
_GALAT = "_dasbor_galat"

PESAN_BELUM_ADA = (
    "Belum ada data yang diterbitkan. Jalankan pipeline untuk menerbitkan data "
    "(`dagster asset materialize -m pipelines.definitions --select '*'`, atau dari Dagster UI), "
    "lalu muat ulang halaman ini."
)


_GAYA = """
<style>
/* KPI names on the cards wrap instead of being cut off with an ellipsis */
[data-testid="stMetricLabel"] p {
    white-space: normal !important;
    overflow: visible !important;
    text-overflow: clip !important;
}
/* a little smaller than Streamlit's 2.25rem so "Rp 1,2 miliar" fits a 240-pixel card */
[data-testid="stMetricValue"] { font-size: 2rem !important; }
</style>
"""


@dataclass(frozen=True)
class Filter:
    tahun: int
    tahun_list: tuple[int, ...]
    kode_kab: str | None
    nama_kab: str | None
    kode_provinsi: str
    nama_provinsi: str
    diterbitkan_pada: Any

    @property
    def tahun_lalu(self) -> int | None:
        lebih_awal = [t for t in self.tahun_list if t < self.tahun]
        return max(lebih_awal) if lebih_awal else None

    @property
    def kode_wilayah(self) -> str:
        return self.kode_kab or self.kode_provinsi

    @property
    def nama_wilayah(self) -> str:
        return self.nama_kab or self.nama_provinsi

    @property
    def stempel(self) -> str:
        return f"Data per {fmt.tanggal_waktu(self.diterbitkan_pada)}"


def _kunci(param: str) -> tuple[str, str]:
    return f"_nilai_{param}", f"_w_{param}"


def _dari_url(param: str, opsi: Sequence[Any], bawaan: Any) -> Any:
    mentah = st.query_params.get(param)
    if mentah is None:
        return bawaan
    for o in opsi:
        if o is not None and str(o) == mentah:
            return o
    return bawaan


def _tulis_url(param: str, nilai: Any) -> None:
    if nilai is None or nilai == SEMUA:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != str(nilai):
        st.query_params[param] = str(nilai)


def atur(param: str, nilai_baru: Any) -> None:
    """Set a choice from a callback (before its widget is drawn in the next run)."""
    kunci_nilai, kunci_widget = _kunci(param)
    st.session_state[kunci_nilai] = nilai_baru
    st.session_state[kunci_widget] = nilai_baru


def pilih(
    label: str,
    opsi: Sequence[Any],
    param: str,
    *,
    bawaan: Any = None,
    boleh_kosong: bool = False,
    format_func: Callable[[Any], str] = str,
    wadah: Any = None,
    jenis: str = "selectbox",
    **kwargs: Any,
) -> Any:
    """A selectbox (or `jenis="radio"`) whose value persists across pages and appears in the
    URL as `param`. With `boleh_kosong`, nothing is selected until the user picks (None)."""
    wadah = wadah if wadah is not None else st
    opsi = list(opsi)
    sah = [*opsi, None] if boleh_kosong else opsi
    if bawaan not in sah:
        bawaan = None if boleh_kosong or not opsi else opsi[0]
    if boleh_kosong:
        kwargs.setdefault("index", None)
    kunci_nilai, kunci_widget = _kunci(param)
    if kunci_nilai not in st.session_state:
        st.session_state[kunci_nilai] = _dari_url(param, opsi, bawaan)
    if st.session_state[kunci_nilai] not in sah:
        st.session_state[kunci_nilai] = bawaan
    if st.session_state.get(kunci_widget, object()) not in sah:
        st.session_state[kunci_widget] = st.session_state[kunci_nilai]
    widget = getattr(wadah, jenis)
    hasil = widget(label, opsi, key=kunci_widget, format_func=format_func, **kwargs)
    st.session_state[kunci_nilai] = hasil
    _tulis_url(param, hasil)
    return hasil


def sidebar() -> Filter | None:
    """Draw the shared sidebar (title, tahun, kabupaten, data stamp); None if no snapshot."""
    sb = st.sidebar
    sb.markdown("### Dasbor Desa Kalteng")
    if not data.tersedia():
        st.session_state.pop(_GALAT, None)
        sb.info("Belum ada data yang diterbitkan.")
        st.session_state[_FILTER_RUN] = None
        return None
    try:
        info = data.info()
        tahun_list = tuple(data.tahun_tersedia())
        kab = data.kabupaten()
    except (data.SnapshotTidakAda, data.SnapshotTidakTerbaca) as e:
        st.session_state[_FILTER_RUN] = None
        st.session_state[_GALAT] = e
        return None
    st.session_state.pop(_GALAT, None)
    if not tahun_list:
        sb.warning("Snapshot belum berisi nilai indikator.")
        st.session_state[_FILTER_RUN] = None
        return None
    nama_prov = str(info.get("nama_provinsi") or "Provinsi")
    nama_kab = dict(zip(kab["kode"], kab["nama"], strict=True))
    tahun = pilih(
        "Tahun",
        sorted(tahun_list, reverse=True),
        PARAM_TAHUN,
        bawaan=max(tahun_list),
        wadah=sb,
        format_func=str,
    )
    kode_kab = pilih(
        "Kabupaten/kota",
        [SEMUA, *nama_kab],
        PARAM_KAB,
        bawaan=SEMUA,
        wadah=sb,
        format_func=lambda k: f"Semua ({nama_prov})" if k == SEMUA else nama_kab[k],
        help="Pilihan ini berlaku di semua halaman dan ikut tersimpan di alamat (URL).",
    )
    f = Filter(
        tahun=int(tahun),
        tahun_list=tuple(sorted(tahun_list)),
        kode_kab=kode_kab or None,
        nama_kab=nama_kab.get(kode_kab) if kode_kab else None,
        kode_provinsi=str(info.get("provinsi") or "62"),
        nama_provinsi=nama_prov,
        diterbitkan_pada=info.get("diterbitkan_pada"),
    )
    sb.caption(f":material/schedule: {f.stempel}")
    sb.caption("Bagikan alamat (URL) halaman ini untuk membuka tampilan yang sama.")
    st.session_state[_FILTER_RUN] = f
    return f


def tandai_lewat_app() -> None:
    """Called by app.py: the sidebar is drawn there, before the page runs."""
    st.session_state[_LEWAT_APP] = True


def halaman(judul: str, *, params: Sequence[str] = (), keterangan: str | None = None) -> Filter:
    """Start a page: title, data stamp, filters. Stops the page when there is no snapshot.

    `params` are the page's own URL parameters; others (from other pages) are dropped from the
    URL so a shared link carries only what this page uses.
    """
    if st.session_state.get(_LEWAT_APP) and _FILTER_RUN in st.session_state:
        f = st.session_state[_FILTER_RUN]
    else:
        f = sidebar()
    st.html(_GAYA)
    st.title(judul)
    if f is None:
        tangani_galat(st.session_state.get(_GALAT) or data.SnapshotTidakAda())
    for p in list(st.query_params):
        if p not in PARAM_GLOBAL and p not in params:
            del st.query_params[p]
    baris = f":material/schedule: {f.stempel} · Tahun {f.tahun} · {f.nama_wilayah}"
    st.caption(baris if keterangan is None else f"{baris}  \n{keterangan}")
    return f


def tangani_galat(e: BaseException) -> NoReturn:
    """Show a friendly message for a snapshot that vanished or cannot be read, then stop."""
    if isinstance(e, data.SnapshotTidakAda):
        st.info(PESAN_BELUM_ADA, icon=":material/info:")
    else:
        st.error(
            "Data yang diterbitkan tidak dapat dibaca (skema berbeda atau berkas rusak). "
            "Hubungi pengelola pipeline.",
            icon=":material/error:",
        )
        with st.expander("Rincian teknis"):
            st.code(str(e))
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover
