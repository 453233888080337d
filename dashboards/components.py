"""UI pieces every page uses: KPI cards, tables with downloads, notices."""

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.caching.cache_errors import UnhashableParamError

from dashboards import data, downloads
from dashboards.views import program as program_view
from dashboards.views import targets as target_view
from laporan import formatting as fmt
from laporan import kepatuhan as kp

SAMPLE_DATA_TITLE = "Data contoh"


_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$:"})


def safe_text(text: object) -> str:
    """Text from outside (file names, paths) escaped so Markdown shows it literally."""
    return str(text).translate(_MARKDOWN_SPECIAL)


def dataset_label(name: str) -> str:
    """A dataset's short title from the snapshot's dataset_definisi ("Dana Desa"); its name
    before anything is published (the upload page works from the first minute)."""
    try:
        return data.dataset_titles().get(name, name)
    except data.SnapshotMissing:
        return name


@data.snapshot_view
def status_labels() -> dict[str, str]:
    """{status: label} from the snapshot's status_desa, shared: read it, never change it."""
    statuses = data.village_statuses()
    return dict(zip(statuses["status"], statuses["label"], strict=True))


def status_label(status: object, labels: Mapping[str, str] | None = None) -> str:
    """A village status's label from the snapshot's status_desa ("Sangat Tertinggal"). Pass
    `labels` (status_labels()) when labelling many rows: one look-up instead of one per row."""
    if fmt.is_missing(status):
        return fmt.MISSING
    labels = status_labels() if labels is None else labels
    return labels.get(str(status), str(status).replace("_", " ").capitalize())


def kpi_datasets(definitions: pd.DataFrame, kpi_ids: Iterable[str] | None = None) -> set[str]:
    """The datasets the given KPIs are computed from (kpi_definisi.dataset_sumber)."""
    d = definitions if kpi_ids is None else definitions[definitions["kpi_id"].isin(list(kpi_ids))]
    result: set[str] = set()
    for text in d["dataset_sumber"].dropna():
        result.update(s.strip() for s in str(text).split(",") if s.strip())
    return result


def synthetic_notice(datasets: Iterable[str]) -> bool:
    """The "Data contoh" notice, shown when any of these datasets holds synthetic figures."""
    name = sorted({dataset_label(d) for d in datasets})
    if not name:
        return False
    st.warning(
        f"**{SAMPLE_DATA_TITLE}:** angka dari {', '.join(name)} di halaman ini adalah data "
        "sintetis untuk peragaan, bukan data resmi. Jangan dikutip sebagai statistik resmi.",
        icon=":material/warning:",
    )
    return True


def late_notice(f: Any) -> None:
    """One short line of what is late for the area shown (`f`: the page's filters.Filter), with
    a link to Kualitas Data; nothing when nothing is late (laporan.kepatuhan says what counts)."""
    line = data.kept(
        ("terlambat", f.kode_wilayah, f.kode_provinsi),
        _build=lambda: kp.late_line(
            data.compliance(), f.kode_wilayah, f.kode_provinsi, dataset_label
        ),
    )
    if line is None:
        return
    query = {"kab": f.kode_kab} if f.kode_kab else {}
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f":orange[:material/event_busy:] {safe_text(line)}", width="content")
        try:
            st.page_link(
                "app_pages/kualitas_data.py",
                label="lihat Kualitas Data",
                icon=":material/arrow_forward:",
                query_params=query,
            )
        except StreamlitPageNotFoundError:  # the page run on its own (AppTest): no navigation
            st.markdown("— lihat Kualitas Data", width="content")


def kpi_label(row: Mapping[str, Any]) -> str:
    return f"{row['nama']} ({row['satuan']})"


@data.snapshot_view
def kpi_labels() -> dict[str, str]:
    """{kpi_id: kpi_label} of every KPI, shared (read-only): a KPI chooser's `format_func`
    looks labels up instead of building one per option on every page run."""
    d = data.kpi_definitions()
    return {
        k: kpi_label({"nama": n, "satuan": s})
        for k, n, s in zip(d["kpi_id"], d["nama"], d["satuan"], strict=True)
    }


def kpi_sources(row: Mapping[str, Any]) -> str:
    text = str(row.get("dataset_sumber") or "")
    return ", ".join(dataset_label(s.strip()) for s in text.split(",") if s.strip())


def kpi_help(row: Mapping[str, Any]) -> str:
    """A KPI's tooltip: name, unit, formula, direction and sources (kept per snapshot version
    and those five values: every card asks for one on every run)."""
    fields = tuple(str(row.get(k)) for k in ("nama", "satuan", "rumus", "arah"))
    sources = str(row.get("dataset_sumber") or "")

    def build() -> str:
        nama, satuan, rumus, arah = fields
        return (
            f"**{safe_text(nama)}** ({safe_text(satuan)})  \n"
            f"**Rumus:** {safe_text(rumus)}  \n"
            f"**Arah:** {fmt.ARAH_LABELS.get(arah, '')}  \n"
            f"**Sumber:** {kpi_sources({'dataset_sumber': sources})}"
        )

    return data.kept(("kpi_help", *fields, sources), _build=build)


reason_text = fmt.reason_text


def kpi_short_label(row: Mapping[str, Any]) -> str:
    """A KPI's name, with its unit only where the value alone would not say it."""
    name, satuan = str(row["nama"]), str(row["satuan"])
    if (
        satuan in ("%", "Rp")
        or satuan in name
        or satuan.startswith(("Rp per", "indeks"))
        or (satuan.startswith("per ") and " per " in f" {name}")
    ):
        return name
    return f"{name} ({satuan})"


def kpi_card(
    row: Mapping[str, Any],
    value: object,
    *,
    previous_value: object = None,
    previous_tahun: int | None = None,
    keterangan: object = None,
    desa_melapor: object = None,
    target: Mapping[str, Any] | None = None,
) -> None:
    """One KPI as a bordered st.metric: value, change vs last year coloured by direction.

    A NULL value shows "–" with "Tidak ada nilai: <reason>" underneath, never 0. With a
    `target` (a capaian_target row) the card also shows the target, its year, level and
    source, and whether the area is on track.
    """
    satuan = str(row["satuan"])
    label = kpi_short_label(row)
    if fmt.is_missing(value):
        st.metric(label, fmt.MISSING, border=True, help=kpi_help(row))
        st.caption(f":material/info: **Tidak ada nilai:** {safe_text(reason_text(keterangan))}")
        target_lines(target, satuan)
        return
    delta = None
    if not fmt.is_missing(previous_value):
        delta = fmt.kpi_change(float(value) - float(previous_value), satuan)  # type: ignore[arg-type]
    st.metric(
        label,
        fmt.kpi_value_short(value, satuan),
        delta=delta,
        delta_color="inverse" if row["arah"] == "turun" else "normal",
        delta_arrow="off" if delta and delta.startswith("±") else "auto",
        delta_description=f"dibanding {previous_tahun}" if delta else None,
        border=True,
        help=kpi_help(row),
    )
    if not fmt.is_missing(desa_melapor) and int(desa_melapor) > 0:  # type: ignore[call-overload]
        st.caption(f"Dari {fmt.number(desa_melapor)} desa melapor")
    target_lines(target, satuan)


def target_lines(target: Mapping[str, Any] | None, satuan: str) -> None:
    """The target of a KPI card: status badge, target with year, level and source, and the
    proxy note where the KPI only approximates the target's measure."""
    if target is None:
        return
    badge, caption = target_view.card_lines(target, satuan, escape=safe_text)
    st.markdown(badge)
    st.caption(f":material/flag: {caption}")
    note = target_view.proxy_note(target)
    if note:
        st.caption(f":material/info: {safe_text(note)}")


# What a card says the KPI is, for the agency's two figures of an issue (program_kegiatan).
PROGRAM_CARD_LABELS = {"serapan": "Serapan anggaran", "keluaran": "Capaian keluaran"}
PROGRAM_HELP = (
    "Kegiatan Dinas PMD provinsi dan kabupaten/kota untuk isu ini (program_kegiatan): serapan "
    "anggaran = realisasi dibanding pagu; capaian keluaran = realisasi dibanding target, paling "
    "tinggi 100% per kegiatan. Ditampilkan berdampingan dengan hasil di desa, bukan sebagai "
    "penyebabnya. Rincian di halaman Program & Kegiatan."
)


def area_cells(rows: pd.DataFrame) -> Callable[[str, int | None, str], object]:
    """`cell(kpi_id, tahun, column)` over one area's kpi rows: None where there is no row."""
    # A plain dict: a card asks about ten cells, and a MultiIndex .loc per cell was a sixth
    # of a warm Ringkasan run.
    indexed = {
        (k, int(t)): r
        for k, t, r in zip(rows["kpi_id"], rows["tahun"], rows.to_dict("records"), strict=True)
    }

    def cell(kpi_id: str, tahun: int | None, column: str) -> object:
        row = indexed.get((kpi_id, tahun)) if tahun is not None else None
        return None if row is None else row[column]

    return cell


def issue_cards(
    group: pd.DataFrame,
    cell: Callable[[str, int | None, str], object],
    f: Any,
) -> None:
    """One issue's cards for the chosen area and year, in one wrapping row: its headline
    outcome KPIs (`utama`, else its first), then the agency's own two programme figures.
    `cell(kpi_id, tahun, column)` reads the area's kpi row (None where there is none)."""
    outcomes = group[~group["program"]]
    headline = outcomes[outcomes["utama"]]
    if headline.empty:
        headline = outcomes.head(1)
    with st.container(horizontal=True, gap="medium"):
        for _, d in headline.iterrows():
            with st.container(width=240):
                kpi_card(
                    d,
                    cell(d["kpi_id"], f.tahun, "nilai"),
                    previous_value=cell(d["kpi_id"], f.previous_tahun, "nilai"),
                    previous_tahun=f.previous_tahun,
                    keterangan=cell(d["kpi_id"], f.tahun, "keterangan"),
                    desa_melapor=cell(d["kpi_id"], f.tahun, "desa_melapor"),
                    target=data.target_of(d["kpi_id"], f.kode_wilayah),
                )
        program_cards(group, cell, f)


def program_cards(
    group: pd.DataFrame, cell: Callable[[str, int | None, str], object], f: Any
) -> None:
    """The agency's serapan anggaran and capaian keluaran for one issue in one small card,
    "Program Dinas", as wide and about as tall as an outcome card so it sits in the same row
    (nothing for a snapshot without programme KPIs). No activity is "–" with the reason once,
    never 0."""
    programme = group[group["program"]].set_index("kpi_id")
    if programme.empty:
        return
    isu = str(programme["isu"].iloc[0])
    ids = [k for k in program_view.program_kpis(group, isu) if k]
    with st.container(border=True, width=240, gap="small"):
        st.markdown("**Program Dinas**", help=PROGRAM_HELP)
        for kpi_id in ids:
            kind = "serapan" if "serapan" in kpi_id else "keluaran"
            value = cell(kpi_id, f.tahun, "nilai")
            st.markdown(
                f"{PROGRAM_CARD_LABELS[kind]}: **{fmt.kpi_value_short(value, '%')}**",
                help=kpi_help(programme.loc[kpi_id]),
            )
            previous = cell(kpi_id, f.previous_tahun, "nilai")
            if not (fmt.is_missing(value) or fmt.is_missing(previous)):
                change = float(value) - float(previous)  # type: ignore[arg-type]
                text = fmt.kpi_change(change, "%")
                # both figures are better higher (arah naik)
                colour, arrow = (
                    ("gray", "")
                    if text is None or text.startswith("±")
                    else ("green", "↑ ")
                    if change > 0
                    else ("red", "↓ ")
                )
                st.caption(f":{colour}[{arrow}{text}] dibanding {f.previous_tahun}")
        empty = [k for k in ids if fmt.is_missing(cell(k, f.tahun, "nilai"))]
        if empty:
            reasons = {reason_text(cell(k, f.tahun, "keterangan")) for k in empty}
            st.caption(f":material/info: **Tidak ada nilai:** {safe_text('; '.join(reasons))}")


def missing_list(items: Iterable[tuple[str, object]], *, title: str | None = None) -> None:
    """List what has no value and why, grouped by reason: "- reason: **A**, **B**".

    `butir` is (label, keterangan) pairs; the labels are Markdown-escaped.
    """
    by_reason: dict[str, list[str]] = {}
    for label, reason in items:
        by_reason.setdefault(reason_text(reason), []).append(f"**{safe_text(label)}**")
    if not by_reason:
        return
    row = [f"- {safe_text(a)}: {', '.join(name)}" for a, name in by_reason.items()]
    st.markdown(f"**{title or 'Tanpa nilai (bukan nol)'}:**\n" + "\n".join(row))


def missing_note(df: pd.DataFrame, *, name_column: str = "nama") -> None:
    """List the areas without a value and why, under a chart."""
    missing_rows = df[df["nilai"].isna()]
    missing_list(zip(missing_rows[name_column], missing_rows["keterangan"], strict=True))


def download_buttons(df: pd.DataFrame, file_name: str, *, key: str) -> None:
    """CSV and Excel downloads of df, built only when clicked, with formulas neutralised."""
    frame = df.copy()
    with st.container(horizontal=True):
        st.download_button(
            "Unduh CSV",
            data=partial(downloads.to_csv, frame),
            file_name=f"{file_name}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"unduh_csv_{key}",
            icon=":material/download:",
        )
        st.download_button(
            "Unduh Excel",
            data=partial(downloads.to_xlsx, frame, file_name[:31]),
            file_name=f"{file_name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            key=f"unduh_xlsx_{key}",
            icon=":material/download:",
        )


def _default_formatter(column: str, series: pd.Series) -> Callable[[Any], str]:
    if "tahun" in column.lower():
        return lambda v: str(int(v))
    if pd.api.types.is_integer_dtype(series):
        return fmt.number
    return lambda v: fmt.compact_number(v, 2)


def _content_key(df: pd.DataFrame, column_formats: Mapping[str, Callable[[Any], str]]) -> Any:
    """What a display table is built from: the frame's cells (every row hashed, not a sample)
    and each formatter's code, defaults and closed-over values (all a formatter here reads)."""
    cells = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    frame = (tuple(map(str, df.columns)), tuple(map(str, df.dtypes)), df.shape, cells)
    formats = tuple(
        (
            str(column),
            getattr(f, "__module__", None),
            getattr(f, "__qualname__", repr(f)),
            getattr(getattr(f, "__code__", None), "co_firstlineno", None),
            getattr(f, "__defaults__", None),
            tuple(c.cell_contents for c in getattr(f, "__closure__", None) or ()),
            tuple(  # page-level values a formatter reads (a page's `satuan`)
                (name, value)
                for name in getattr(getattr(f, "__code__", None), "co_names", ())
                if (value := getattr(f, "__globals__", {}).get(name, _ABSENT)) is not _ABSENT
                and not callable(value)
                and not isinstance(value, ModuleType)
            ),
        )
        for column, f in column_formats.items()
    )
    return frame, formats


_ABSENT = object()


class _Table:
    """A frame and its formatters, which Streamlit's caches hash by `key` alone (__reduce__):
    a page's formatters are new lambdas on every run, the same content each time."""

    def __init__(self, key: Any, df: pd.DataFrame, column_formats: Mapping[str, Any]) -> None:
        self.key, self.df, self.column_formats = key, df, column_formats

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Table, (self.key, None, None))


def _kept(build: Callable[..., Any], df: pd.DataFrame, column_formats: Mapping[str, Any]) -> Any:
    """build(table), kept per (snapshot version, content) by `_display_frame`'s and
    `_text_frame`'s @snapshot_view; built afresh when a formatter cannot be keyed."""
    try:
        return build(_Table(_content_key(df, column_formats), df, column_formats))
    except (TypeError, UnhashableParamError, data.SnapshotMissing):
        return build.__wrapped__(_Table(None, df, column_formats))  # type: ignore[attr-defined]


# Kept and shared by every reader: neither the Styler nor its frame is changed after it is
# returned (st.dataframe / st.table only read them).
@data.snapshot_view
def _display_frame(table: _Table) -> Any:
    """A Styler that shows Indonesian formats while the grid still sorts on the numbers.

    Streamlit's grid prints an empty cell as "None" whatever the Styler says, so an empty
    number becomes +inf (sorted last, shown as "–"), and empty text becomes "". Its display
    strings are worked out here once (`_frozen`), not cell by cell on every page run.
    """
    df, column_formats = table.df, table.column_formats
    shown = df.copy()
    formatters: dict[str, Callable[[Any], str]] = {}
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_bool_dtype(series):
            shown[column] = series.map(
                lambda v: "" if fmt.is_missing(v) else ("Ya" if v else "Tidak")
            )
        elif pd.api.types.is_numeric_dtype(series):
            formatter = column_formats.get(column) or _default_formatter(str(column), series)
            shown[column] = series.astype("float64").fillna(np.inf)
            formatters[column] = lambda v, f=formatter: fmt.MISSING if np.isinf(v) else f(v)
        elif column in column_formats:
            formatter = column_formats[column]
            shown[column] = series.map(lambda v, f=formatter: "" if fmt.is_missing(v) else f(v))
        else:
            shown[column] = series.map(lambda v: "" if fmt.is_missing(v) else str(v))
    return _frozen(shown.style.format(formatters)) if formatters else shown


def _frozen(styler: Any) -> Any:
    """The Styler with its display strings worked out now: st.dataframe calls `_compute` and
    `_translate` (cell by cell) on every run; on this instance they return what was computed
    here. Still a plain pandas Styler, which st.dataframe checks by type name."""
    styler._compute()
    translated = styler._translate(False, False)
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: translated
    return styler


def table(
    df: pd.DataFrame,
    file_name: str,
    *,
    key: str,
    column_formats: Mapping[str, Callable[[Any], str]] | None = None,
    download: pd.DataFrame | None = None,
    height: int | str | None = None,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A sortable table in Indonesian formats (numbers keep sorting as numbers), plus downloads.

    `format_kolom` maps a column to a formatter (e.g. fmt.persen); other number columns get
    "1.234" / "12,5". Empty cells show "–" (numbers) or nothing (text), never 0. The downloads
    carry the unformatted values (`unduhan`, default df).
    """
    if height is None:
        height = min(35 * (len(df) + 1) + 3, 458)
    st.dataframe(
        _kept(_display_frame, df, column_formats or {}),
        hide_index=True,
        width="stretch",
        height=height,
        column_config=dict(column_config or {}),
    )
    download_buttons(download if download is not None else df, file_name, key=key)


def text_table(
    df: pd.DataFrame,
    file_name: str,
    *,
    key: str,
    column_formats: Mapping[str, Callable[[Any], str]] | None = None,
    download: pd.DataFrame | None = None,
    alt: str | None = None,
    max_height: int = 700,
) -> None:
    """A static table whose long text wraps, plus downloads, for lists read line by line.

    st.dataframe cuts a long sentence (e.g. a village's reason) at the column edge; st.table
    wraps it, so every word is readable on screen and in print. Cells are formatted like
    `table` and Markdown-escaped (st.table renders Markdown). Long lists scroll inside
    `max_height` with a sticky header.
    """
    shown = _kept(_text_frame, df, column_formats or {})
    height: int | str = "content" if len(shown) <= 25 else max_height
    st.table(shown, hide_index=True, height=height, alt=alt)
    download_buttons(download if download is not None else df, file_name, key=key)


@data.snapshot_view
def _text_frame(table: _Table) -> pd.DataFrame:
    """`text_table`'s cells as Markdown-escaped strings; kept and shared (see _display_frame)."""
    _df, _column_formats = table.df, table.column_formats
    shown = pd.DataFrame(index=range(len(_df)))
    for column in _df.columns:
        series = _df[column].reset_index(drop=True)
        if column in _column_formats:
            formatter = _column_formats[column]
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            formatter = _default_formatter(str(column), series)
        else:
            formatter = str
        shown[column] = [
            fmt.MISSING if fmt.is_missing(v) else safe_text(formatter(v)) for v in series
        ]
    return shown


def _frozen_figure(fig: Any) -> Any:
    """The figure with its `to_dict()` worked out once: st.plotly_chart calls it (a deep copy
    of every trace, the village map's boundaries too) on every run, and a kept figure is the
    same unchanged object run after run. Streamlit only reads the dict it gets."""
    if isinstance(fig, go.Figure) and "to_dict" not in vars(fig):
        as_dict = fig.to_dict()
        fig.to_dict = lambda: as_dict
    return fig


def chart(fig: Any, *, key: str | None = None, alt: str | None = None) -> None:
    st.plotly_chart(
        _frozen_figure(fig),
        width="stretch",
        theme=None,
        key=key,
        config={"displaylogo": False},
        alt=alt,
    )


def technical_details(e: BaseException) -> None:
    """The library's own (English) message, folded away below the Indonesian one, for
    whoever maintains the server."""
    with st.expander("Rincian teknis (untuk pengelola)"):
        st.code(f"{type(e).__name__}: {e}", language=None, wrap_lines=True)


def no_map_notice(tingkat: str) -> None:
    st.info(
        f"Peta {tingkat} tidak tersedia: berkas batas wilayah (GeoJSON) tidak ada untuk snapshot "
        "ini. Peringkat dan tabel tetap ditampilkan.",
        icon=":material/map:",
    )


_BRIEFINGS_READY = "_laporan_siap"


@st.fragment
def briefing_download(f: Any, *, key: str) -> None:
    """The briefing PDF of the chosen area and year, in two steps so nothing is made unless
    asked: "Siapkan laporan PDF" renders it (a few seconds, cached per snapshot version), then
    "Unduh laporan ringkas (PDF)" downloads it.

    `f` is the page's filters.Filter: its kabupaten, or the province when "Semua" is chosen.
    A fragment: preparing the PDF reruns this part only, not the whole page.
    """
    kode, tahun = f.kode_wilayah, int(f.tahun)
    wanted = (data.version(), kode, tahun)
    ready: set[Any] = st.session_state.setdefault(_BRIEFINGS_READY, set())
    pdf: bytes | None = None
    error: Exception | None = None
    with st.container(horizontal=True, vertical_alignment="center"):
        # One slot for the button, the spinner and the download, so the "Siapkan" button
        # does not linger beside the download while the rest of the page reruns.
        slot = st.empty()
        if wanted in ready:
            try:
                with slot, st.spinner("Menyiapkan laporan PDF…"):
                    pdf = data.briefing_pdf(kode, tahun)
            except (data.BriefingUnavailable, data.BriefingFailed) as e:
                ready.discard(wanted)
                error = e
        if pdf is None:
            # on_click runs before the next run, which then shows the download instead
            slot.button(
                "Siapkan laporan PDF",
                key=f"siapkan_pdf_{key}",
                icon=":material/picture_as_pdf:",
                help=f"Laporan ringkas {f.nama_wilayah} {tahun}: indikator utama, grafik, peta, "
                "desa prioritas dan kelengkapan data, dalam beberapa halaman A4. "
                "Pembuatannya memerlukan beberapa detik.",
                on_click=ready.add,
                args=(wanted,),
            )
            st.caption(f"Laporan ringkas {safe_text(f.nama_wilayah)} {tahun} (PDF)")
        else:
            slot.download_button(
                "Unduh laporan ringkas (PDF)",
                data=pdf,
                file_name=f"laporan_ringkas_{kode}_{tahun}.pdf",
                mime="application/pdf",
                on_click="ignore",
                key=f"unduh_pdf_{key}",
                icon=":material/download:",
                type="primary",
            )
    if error is None:
        return
    if isinstance(error, data.BriefingUnavailable):
        st.error(
            "Laporan PDF tidak dapat dibuat di server ini: peramban Chromium (paket Debian "
            "`chromium`) tidak ditemukan. Hubungi pengelola dasbor.",
            icon=":material/error:",
        )
    else:
        st.error(
            "Laporan PDF gagal dibuat. Coba lagi sebentar lagi, atau hubungi pengelola dasbor.",
            icon=":material/error:",
        )
    technical_details(error)
