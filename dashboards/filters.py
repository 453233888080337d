"""The global filters (tahun, kabupaten) and the frame every page shares.

`app.py` draws the sidebar once per run, before the page. A page run on its own (as AppTest
does, since it cannot drive st.navigation) draws it itself: every page starts with
`start_page(...)`, which reuses the filters app.py drew in this run or draws them.

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

from dashboards import components, data
from laporan import formatting as fmt

PARAM_TAHUN = "tahun"
PARAM_KAB = "kab"
PARAM_GLOBAL = (PARAM_TAHUN, PARAM_KAB)
ALL = ""
"""The kabupaten option meaning "the whole province" (kept out of the URL)."""

_VIA_APP = "_dasbor_lewat_app"
_FILTER_RUN = "_dasbor_filter"
_ERROR = "_dasbor_galat"

NOT_PUBLISHED_MESSAGE = (
    "Belum ada data yang diterbitkan. Jalankan pipeline untuk menerbitkan data "
    "(`dagster asset materialize -m pipelines.definitions --select '*'`, atau dari Dagster UI), "
    "lalu muat ulang halaman ini."
)


_STYLE = """
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
    tahun_options: tuple[int, ...]
    kode_kab: str | None
    nama_kab: str | None
    kode_provinsi: str
    nama_provinsi: str
    diterbitkan_pada: Any

    @property
    def previous_tahun(self) -> int | None:
        earlier = [t for t in self.tahun_options if t < self.tahun]
        return max(earlier) if earlier else None

    @property
    def kode_wilayah(self) -> str:
        return self.kode_kab or self.kode_provinsi

    @property
    def nama_wilayah(self) -> str:
        return self.nama_kab or self.nama_provinsi

    @property
    def stamp(self) -> str:
        return f"Data per {fmt.datetime_text(self.diterbitkan_pada)}"


def _keys(param: str) -> tuple[str, str]:
    return f"_nilai_{param}", f"_w_{param}"


def _from_url(param: str, options: Sequence[Any], default: Any) -> Any:
    raw = st.query_params.get(param)
    if raw is None:
        return default
    for o in options:
        if o is not None and str(o) == raw:
            return o
    return default


def _write_url(param: str, value: Any) -> None:
    if value is None or value == ALL:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


def set_choice(param: str, new_value: Any) -> None:
    """Set a choice from a callback (before its widget is drawn in the next run)."""
    value_key, widget_key = _keys(param)
    st.session_state[value_key] = new_value
    st.session_state[widget_key] = new_value


def choose(
    label: str,
    options: Sequence[Any],
    param: str,
    *,
    default: Any = None,
    allow_empty: bool = False,
    format_func: Callable[[Any], str] = str,
    container: Any = None,
    kind: str = "selectbox",
    **kwargs: Any,
) -> Any:
    """A selectbox (or `kind="radio"`) whose value persists across pages and appears in the
    URL as `param`. With `allow_empty`, nothing is selected until the user picks (None)."""
    container = container if container is not None else st
    options = list(options)
    valid = [*options, None] if allow_empty else options
    if default not in valid:
        default = None if allow_empty or not options else options[0]
    if allow_empty:
        kwargs.setdefault("index", None)
    value_key, widget_key = _keys(param)
    if value_key not in st.session_state:
        st.session_state[value_key] = _from_url(param, options, default)
    if st.session_state[value_key] not in valid:
        st.session_state[value_key] = default
    if st.session_state.get(widget_key, object()) not in valid:
        st.session_state[widget_key] = st.session_state[value_key]
    widget = getattr(container, kind)
    result = widget(label, options, key=widget_key, format_func=format_func, **kwargs)
    st.session_state[value_key] = result
    _write_url(param, result)
    return result


def sidebar() -> Filter | None:
    """Draw the shared sidebar (title, tahun, kabupaten, data stamp); None if no snapshot."""
    sb = st.sidebar
    sb.markdown("### Dasbor Desa Kalteng")
    data.pin()  # every read of this run comes from the snapshot published at its start
    if not data.is_available():
        st.session_state.pop(_ERROR, None)
        sb.info("Belum ada data yang diterbitkan.")
        st.session_state[_FILTER_RUN] = None
        return None
    try:
        info = data.info()
        tahun_options = tuple(data.available_years())
        kab = data.kabupaten()
    except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
        st.session_state[_FILTER_RUN] = None
        st.session_state[_ERROR] = e
        return None
    st.session_state.pop(_ERROR, None)
    if not tahun_options:
        sb.warning("Snapshot belum berisi nilai indikator.")
        st.session_state[_FILTER_RUN] = None
        return None
    province_name = str(info.get("nama_provinsi") or "Provinsi")
    kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))
    tahun = choose(
        "Tahun",
        sorted(tahun_options, reverse=True),
        PARAM_TAHUN,
        default=max(tahun_options),
        container=sb,
        format_func=str,
    )
    kode_kab = choose(
        "Kabupaten/kota",
        [ALL, *kab_names],
        PARAM_KAB,
        default=ALL,
        container=sb,
        format_func=lambda k: f"Semua ({province_name})" if k == ALL else kab_names[k],
        help="Pilihan ini berlaku di semua halaman dan ikut tersimpan di alamat (URL).",
    )
    f = Filter(
        tahun=int(tahun),
        tahun_options=tuple(sorted(tahun_options)),
        kode_kab=kode_kab or None,
        nama_kab=kab_names.get(kode_kab) if kode_kab else None,
        kode_provinsi=str(info.get("provinsi") or "62"),
        nama_provinsi=province_name,
        diterbitkan_pada=info.get("diterbitkan_pada"),
    )
    sb.caption(f":material/schedule: {f.stamp}")
    sb.caption("Bagikan alamat (URL) halaman ini untuk membuka tampilan yang sama.")
    st.session_state[_FILTER_RUN] = f
    return f


def mark_via_app() -> None:
    """Called by app.py: the sidebar is drawn there, before the page runs."""
    st.session_state[_VIA_APP] = True


def start_page(title: str, *, params: Sequence[str] = (), note: str | None = None) -> Filter:
    """Start a page: title, data stamp, filters. Stops the page when there is no snapshot.

    `params` are the page's own URL parameters; others (from other pages) are dropped from the
    URL so a shared link carries only what this page uses.
    """
    if st.session_state.get(_VIA_APP) and _FILTER_RUN in st.session_state:
        f = st.session_state[_FILTER_RUN]
    else:
        f = sidebar()
    st.html(_STYLE)
    st.title(title)
    if f is None:
        handle_error(st.session_state.get(_ERROR) or data.SnapshotMissing())
    for p in list(st.query_params):
        if p not in PARAM_GLOBAL and p not in params:
            del st.query_params[p]
    line = f":material/schedule: {f.stamp} · Tahun {f.tahun} · {f.nama_wilayah}"
    st.caption(line if note is None else f"{line}  \n{note}")
    return f


def handle_error(e: BaseException) -> NoReturn:
    """Show a friendly message for a snapshot that vanished or cannot be read, then stop."""
    if isinstance(e, data.SnapshotMissing):
        st.info(NOT_PUBLISHED_MESSAGE, icon=":material/info:")
    elif isinstance(e, data.SnapshotBusy):
        st.warning(
            "Data yang diterbitkan sedang digunakan oleh program lain (misalnya sedang "
            "diperbarui), sehingga belum dapat dibaca. Muat ulang halaman ini dalam beberapa "
            "detik. Bila pesan ini tetap muncul, hubungi pengelola pipeline.",
            icon=":material/hourglass_top:",
        )
        components.technical_details(e)
    else:
        st.error(
            "Data yang diterbitkan tidak dapat dibaca (skema berbeda atau berkas rusak). "
            "Hubungi pengelola pipeline.",
            icon=":material/error:",
        )
        components.technical_details(e)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def show_unexpected_error(e: Exception) -> None:
    """An error no page expected: an Indonesian message instead of an English traceback."""
    if isinstance(e, data.SnapshotMissing | data.SnapshotUnreadable):
        handle_error(e)
    st.error(
        "Terjadi kesalahan saat menampilkan halaman ini. Coba muat ulang halaman; bila "
        "kesalahan berulang, hubungi pengelola dasbor dan sertakan rincian teknis di bawah.",
        icon=":material/error:",
    )
    components.technical_details(e)
