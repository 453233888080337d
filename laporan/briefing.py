"""Laporan ringkas: a one-page-per-section PDF briefing for a kabupaten or the province.

It reads only the published snapshot (like the dashboard) and renders HTML with Plotly charts,
which Debian's Chromium prints to PDF through Playwright: one well-kept route that works
offline, with the same charts and number formats as the dashboard. The Dagster asset
`laporan_ringkas` calls `write_pdf` for every kabupaten and the province; the dashboard's
download button calls `pdf_bytes`.
"""

import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.express as px
import plotly.io as pio

from laporan import formatting as fmt
from laporan import kepatuhan as kp
from laporan import palet

CHROMIUM = os.environ.get("DASBOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
GOOD, BAD, NEUTRAL = "#1a7f37", "#b42318", "#57606a"
IDM, INDEKS_DESA = "idm", "indeks_desa"  # status_wilayah.skema
TOP_VILLAGES = 10


@dataclass
class BriefingData:
    kode: str
    nama: str
    tahun: int
    is_province: bool
    published_at: object
    headline: pd.DataFrame  # kpi_id, isu_nama, nama, satuan, arah, nilai, lalu, peringkat, n
    ranking: pd.DataFrame  # kabupaten values of the map KPI
    trend: pd.DataFrame  # tahun, kpi_id, nama, nilai (the area), nilai_provinsi
    priority: pd.DataFrame
    completeness: pd.DataFrame
    synthetic: list[str]
    provinsi: str
    map_values: pd.DataFrame  # kode_wilayah, nama_wilayah, nilai for the map
    map_kpi: dict = field(default_factory=dict)  # nama, arah of the map's KPI (kpi_laporan)
    # Where the boundary files are (kalteng_<level>.geojson): the caller's setting, since this
    # room reads no environment of its own. None: the briefing says the map is not available.
    reference_dir: Path | None = None
    status_scheme: str = IDM  # INDEKS_DESA where the area's year has it (status_wilayah)
    status_counts: pd.DataFrame | None = None  # status, label, urutan, jumlah
    thresholds_verified: bool = True
    weakest: pd.DataFrame | None = None  # kode_kab, nama, dimensi, skor (Indeks Desa)
    targets: pd.DataFrame | None = None  # capaian_target rows of the area + nama, satuan
    compliance: pd.DataFrame | None = None  # kepatuhan_pelaporan rows of the area + judul
    programme: pd.DataFrame | None = None  # per issue: kegiatan, pagu, realisasi, serapan, keluaran
    dimensions: dict[str, str] | None = None  # Indeks Desa column -> label (dimensi_indeks_desa)
    target_statuses: pd.DataFrame | None = None  # status_target: status, label, urutan, baik
    target_levels: dict[str, str] | None = None  # tingkat_target: target_tingkat -> label


SCHEME_LABELS = fmt.SCHEME_LABELS


def _query(snapshot: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        con.execute("attach ? as snap (read_only)", [str(snapshot)])
        con.execute("use snap")
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def load(snapshot: Path, kode: str, tahun: int, reference_dir: Path | None = None) -> BriefingData:
    """Everything the briefing shows, read in a few parameterised queries; the map's boundaries
    from `reference_dir`."""
    info = _query(snapshot, "select * from snapshot_info").iloc[0]
    provinsi = str(info["provinsi"])
    is_province = kode == provinsi
    nama = _query(snapshot, "select nama from wilayah where kode = ?", [kode])["nama"].iloc[0]
    tingkat = "provinsi" if is_province else "kabupaten"
    headline = _query(
        snapshot,
        """
        with kab as (
            select kpi_id, kode_wilayah, nilai,
                   rank() over (partition by kpi_id order by
                       case when d.arah = 'naik' then -nilai else nilai end) as peringkat,
                   count(nilai) over (partition by kpi_id) as n
            from kpi join kpi_definisi as d using (kpi_id)
            where tingkat = 'kabupaten' and tahun = ? and nilai is not null
        )
        select d.kpi_id, d.isu, d.isu_nama, d.nama, d.satuan, d.arah, d.urutan,
               now.nilai, now.keterangan, before.nilai as lalu, kab.peringkat, kab.n
        from kpi_definisi as d
        left join kpi as now
            on now.kpi_id = d.kpi_id and now.tingkat = ? and now.kode_wilayah = ? and now.tahun = ?
        left join kpi as before
            on before.kpi_id = d.kpi_id and before.tingkat = ? and before.kode_wilayah = ?
           and before.tahun = ? - 1
        left join kab on kab.kpi_id = d.kpi_id and kab.kode_wilayah = ?
        where d.utama
        order by d.urutan
        """,
        [tahun, tingkat, kode, tahun, tingkat, kode, tahun, kode],
    )
    roles = {"peta": [], "tren": []}  # the KPIs the charts show (kpi_laporan)
    if _has(snapshot, "kpi_laporan"):
        for r in _query(snapshot, "select * from kpi_laporan order by peran, urutan").itertuples():
            roles.setdefault(r.peran, []).append(r.kpi_id)
    ranking = _query(
        snapshot,
        "select kode_wilayah, nama_wilayah, nilai from kpi where tingkat = 'kabupaten' "
        "and tahun = ? and list_contains(?, kpi_id) order by nilai desc nulls last",
        [tahun, roles["peta"][:1]],
    )
    trend = _query(
        snapshot,
        """
        select k.tahun, k.kpi_id, d.nama, k.nilai, p.nilai as nilai_provinsi
        from kpi as k
        join kpi_definisi as d using (kpi_id)
        join kpi as p on p.kpi_id = k.kpi_id and p.tahun = k.tahun and p.tingkat = 'provinsi'
        where k.tingkat = ? and k.kode_wilayah = ?
          and list_contains(?, k.kpi_id)
          and (k.nilai is not null or p.nilai is not null)
        order by k.tahun
        """,
        [tingkat, kode, roles["tren"]],
    )
    # The province reads every kabupaten: `? is null` lets one literal statement serve both.
    kab = None if is_province else kode
    if _has(snapshot, "desa_prioritas"):
        priority = _query(
            snapshot,
            """
            select nama_desa, nama_kecamatan, nama_kabupaten, skor, peringkat_kab, alasan
            from desa_prioritas
            where tahun = ? and status = 'dinilai' and (?::varchar is null or kode_kab = ?)
            order by skor desc, kode_desa
            limit ?
            """,
            [tahun, kab, kab, TOP_VILLAGES],
        )
    else:  # a snapshot from before desa_prioritas was published
        priority = pd.DataFrame(
            columns=["nama_desa", "nama_kecamatan", "nama_kabupaten", "skor", "peringkat_kab",
                     "alasan"]
        )  # fmt: skip
    completeness = _query(
        snapshot,
        """
        select dataset, sum(desa_melapor) as melapor, sum(desa_total) as total,
               max(diterima_pada) as diterima, bool_or(sintetis) as sintetis
        from kelengkapan_data
        where tahun = ? and dataset <> 'kemiskinan_kab' and (?::varchar is null or kode_kab = ?)
        group by dataset order by dataset
        """,
        [tahun, kab, kab],
    )
    map_level = "kabupaten" if is_province else "desa"
    map_values = _query(
        snapshot,
        "select kode_wilayah, nama_wilayah, nilai from kpi where tingkat = ? and tahun = ? "
        "and list_contains(?, kpi_id) and (?::varchar is null or kode_kab = ?)",
        [map_level, tahun, roles["peta"][:1], kab, kab],
    )
    map_kpi = _query(
        snapshot,
        "select nama, arah from kpi_definisi where list_contains(?, kpi_id)",
        [roles["peta"][:1]],
    )
    synthetic = sorted(
        _query(snapshot, "select distinct dataset from sumber_data where sintetis")["dataset"]
    )
    data = BriefingData(
        kode, nama, tahun, is_province, info["diterbitkan_pada"], headline, ranking, trend,
        priority, completeness, synthetic, provinsi, map_values,
    )  # fmt: skip
    data.map_kpi = map_kpi.iloc[0].to_dict() if not map_kpi.empty else {}
    data.reference_dir = reference_dir
    _load_status(snapshot, data)
    _load_targets(snapshot, data)
    _load_compliance(snapshot, data)
    _load_programme(snapshot, data)
    return data


def _has(snapshot: Path, table: str) -> bool:
    return not _query(
        snapshot,
        "select 1 from information_schema.tables "
        "where table_catalog = current_database() and table_name = ?",
        [table],
    ).empty


def _load_status(snapshot: Path, data: BriefingData) -> None:
    """Village status counts under the area's scheme and the weakest Indeks Desa dimension per
    kabupaten, as status_wilayah publishes them (Indeks Desa where the area's year has it, IDM
    otherwise). A snapshot from before status_wilayah: no counts, no weakest dimension."""
    kab = None if data.is_province else data.kode
    data.dimensions = {}
    if _has(snapshot, "dimensi_indeks_desa"):
        rows = _query(snapshot, "select kolom, label from dimensi_indeks_desa order by urutan")
        data.dimensions = dict(zip(rows["kolom"], rows["label"], strict=True))
    has_status = _has(snapshot, "status_wilayah")
    n_id = 0
    if has_status:
        n_id = int(
            _query(
                snapshot,
                """
                select count(*) as n from status_wilayah
                where tahun = ? and skema = ?
                  and case when ?::varchar is null then tingkat = 'provinsi'
                           else tingkat = 'kabupaten' and kode = ? end
                """,
                [data.tahun, INDEKS_DESA, kab, kab],
            )["n"].iloc[0]
        )
    data.status_scheme = INDEKS_DESA if n_id else IDM
    # Every status of status_desa, 0 where no desa has it (none at all without the table).
    if has_status:
        data.status_counts = _query(
            snapshot,
            """
            select s.status, s.label, s.urutan, coalesce(c.jumlah, 0)::integer as jumlah
            from status_desa as s
            left join (
                select status, count(*) as jumlah from status_wilayah
                where tingkat = 'desa' and tahun = ? and skema = ?
                  and (?::varchar is null or kode_kab = ?)
                group by status
            ) as c using (status)
            order by s.urutan desc
            """,
            [data.tahun, data.status_scheme, kab, kab],
        )
    else:
        data.status_counts = _query(
            snapshot,
            "select status, label, urutan, 0::integer as jumlah from status_desa "
            "order by urutan desc",
        )
    verified = _query(
        snapshot,
        "select * from idm_ambang_status where skema = ? and ? between tahun_mulai and tahun_selesai",
        [data.status_scheme, data.tahun],
    )
    if "terverifikasi" in verified.columns and not verified.empty:
        data.thresholds_verified = bool(verified["terverifikasi"].fillna(False).all())
    if not has_status or not data.dimensions:
        data.weakest = pd.DataFrame(columns=["kode_kab", "nama", "dimensi", "skor"])
        return
    data.weakest = _query(
        snapshot,
        """
        select s.kode as kode_kab, w.nama, s.dimensi_terlemah as dimensi,
               s.skor_terlemah as skor
        from status_wilayah as s
        left join wilayah as w on w.kode = s.kode and w.tingkat = 'kabupaten'
        where s.tingkat = 'kabupaten' and s.tahun = ? and s.dimensi_terlemah is not null
          and (?::varchar is null or s.kode = ?)
        order by s.kode
        """,
        [data.tahun, kab, kab],
    )


def _load_targets(snapshot: Path, data: BriefingData) -> None:
    """The area's KPIs with a target (capaian_target), with the KPI's name and unit, and the
    words of the statuses and levels (status_target, tingkat_target)."""
    data.target_statuses = pd.DataFrame(columns=["status", "label", "urutan", "baik"])
    if _has(snapshot, "status_target"):
        data.target_statuses = _query(
            snapshot, "select status, label, urutan, baik from status_target order by urutan"
        )
    data.target_levels = {}
    if _has(snapshot, "tingkat_target"):
        rows = _query(snapshot, "select tingkat, label from tingkat_target order by urutan")
        data.target_levels = dict(zip(rows["tingkat"], rows["label"], strict=True))
    if not _has(snapshot, "capaian_target"):
        data.targets = pd.DataFrame()
        return
    data.targets = _query(
        snapshot,
        """
        select c.*, d.nama, d.satuan
        from capaian_target as c join kpi_definisi as d using (kpi_id)
        where c.kode_wilayah = ?
        order by d.urutan, c.kpi_id
        """,
        [data.kode],
    )


def _load_compliance(snapshot: Path, data: BriefingData) -> None:
    """The area's slices of the reporting calendar (the province: every area's), every year,
    with each dataset's declared title; empty for a snapshot from before the calendar."""
    if not _has(snapshot, "kepatuhan_pelaporan"):
        data.compliance = pd.DataFrame()
        return
    rows = _query(
        snapshot,
        """
        select k.*, d.nama as nama_dataset
        from kepatuhan_pelaporan as k left join dataset_definisi as d using (dataset)
        where ?::varchar is null or k.kode_kab = ?
        order by k.tahun_data, k.kode_kab, d.urutan, k.dataset
        """,
        [None, None] if data.is_province else [data.kode, data.kode],
    )
    rows["judul"] = [
        fmt.short_title(n) if not fmt.is_missing(n) else d
        for n, d in zip(rows["nama_dataset"], rows["dataset"], strict=True)
    ]
    data.compliance = rows


def _load_programme(snapshot: Path, data: BriefingData) -> None:
    """Per issue, the area's two programme KPIs of the year. Their sums say the rest: serapan
    holds realisasi / pagu, keluaran the capped sum / the number of activities.
    Empty for a snapshot from before program_kegiatan."""
    if not _has(snapshot, "program_kegiatan"):
        data.programme = pd.DataFrame()
        return
    rows = _query(
        snapshot,
        """
        select d.isu, d.isu_nama, d.kpi_id, k.nilai, k.pembilang, k.penyebut
        from kpi_definisi as d
        left join isu_definisi as i using (isu)
        left join kpi as k
            on k.kpi_id = d.kpi_id and k.tingkat = ? and k.kode_wilayah = ? and k.tahun = ?
        where d.program
        order by coalesce(i.urutan, 99), d.urutan
        """,
        ["provinsi" if data.is_province else "kabupaten", data.kode, data.tahun],
    )
    rows["jenis"] = ["serapan" if "serapan" in k else "keluaran" for k in rows["kpi_id"]]
    wide = rows.pivot(
        index=["isu", "isu_nama"], columns="jenis", values=["nilai", "pembilang", "penyebut"]
    )
    data.programme = (
        pd.DataFrame(
            {
                "isu_nama": wide.index.get_level_values("isu_nama"),
                "kegiatan": wide[("penyebut", "keluaran")].to_numpy(),
                "pagu": wide[("penyebut", "serapan")].to_numpy(),
                "realisasi": wide[("pembilang", "serapan")].to_numpy(),
                "serapan": wide[("nilai", "serapan")].to_numpy(),
                "keluaran": wide[("nilai", "keluaran")].to_numpy(),
            }
        )
        .set_index(wide.index.get_level_values("isu"))
        .reindex(rows["isu"].unique())
    )


def _change_cell(row: pd.Series) -> str:
    if fmt.is_missing(row["nilai"]) or fmt.is_missing(row["lalu"]):
        return "–"
    delta = row["nilai"] - row["lalu"]
    if delta == 0:
        return f'<span style="color:{NEUTRAL}">tetap</span>'
    good = (delta > 0) == (row["arah"] == "naik")
    arrow = "▲" if delta > 0 else "▼"
    text = fmt.kpi_change(delta, row["satuan"]) or ""
    return f'<span style="color:{GOOD if good else BAD}">{arrow} {html.escape(text)}</span>'


def _headline_html(data: BriefingData) -> str:
    parts = []
    for isu_nama, group in data.headline.groupby("isu_nama", sort=False):
        rows = []
        for _, row in group.iterrows():
            value = (
                fmt.kpi_value(row["nilai"], row["satuan"])
                if not fmt.is_missing(row["nilai"])
                else f'<span class="null">{html.escape(str(row["keterangan"] or "tidak ada data"))}</span>'
            )
            rank = (
                f"{int(row['peringkat'])} dari {int(row['n'])}"
                if not data.is_province and not fmt.is_missing(row["peringkat"])
                else "–"
            )
            rows.append(
                f"<tr><td>{html.escape(row['nama'])}</td><td class='num'>{value}</td>"
                f"<td class='num'>{_change_cell(row)}</td><td class='num'>{rank}</td></tr>"
            )
        parts.append(
            f"<h3>{html.escape(isu_nama)}</h3><table><tr><th>Indikator</th><th>Nilai {data.tahun}</th>"
            f"<th>Perubahan</th><th>Peringkat kab/kota</th></tr>{''.join(rows)}</table>"
        )
    return "".join(parts)


PLOTLY_JS = "plotly.min.js"  # written beside the HTML when rendering a batch


def _figure_html(fig, plotly_js: bool | str) -> str:
    """`plotly_js`: True inlines the bundle, a file name references it, False omits it."""
    fig.update_layout(width=680, font={"size": 13}, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    # The first figure brings the Plotly bundle: inline for a single PDF, or as a file beside
    # the page for a batch, so Chromium parses and caches it once (see write_pdfs).
    include = plotly_js
    return pio.to_html(fig, full_html=False, include_plotlyjs=include, config={"staticPlot": True})


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _map_html(data: BriefingData, width: int = 680, height: int = 460) -> str:
    """Kabupaten map for the province, desa map for a kabupaten, coloured by the map KPI.

    Drawn as plain SVG from the GeoJSON: crisp in the PDF and needs no map tiles or base-map
    files from the internet (Plotly's geo and map traces both fetch those)."""
    level = "kabupaten" if data.is_province else "desa"
    path = data.reference_dir / f"kalteng_{level}.geojson" if data.reference_dir else None
    if path is None or not path.exists() or data.map_values.empty:
        return "<p class='meta'>Peta tidak tersedia untuk wilayah ini.</p>"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    if not data.is_province:
        features = [f for f in features if f["properties"].get("kode_kab") == data.kode]
    values = dict(zip(data.map_values["kode_wilayah"], data.map_values["nilai"], strict=True))
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return "<p class='meta'>Peta tidak tersedia untuk wilayah ini.</p>"
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, y1 = min(xs), max(ys)
    scale = min(width / (max(xs) - x0), height / (y1 - min(ys)))
    known = [v for v in values.values() if v is not None and not pd.isna(v)]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    arah = data.map_kpi.get("arah")
    colors = palet.step_colors(arah)  # the dashboard's map scale: blue is good

    def color(value: float | None) -> str:
        if value is None or pd.isna(value):
            return palet.GREY
        return colors[int(palet.steps_of([value], low, high)[0])]

    shapes = []
    for feature in features:
        kode = feature["properties"]["kode"]
        d = " ".join(
            "M"
            + " L".join(f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in _rings(feature["geometry"])
        )
        title = html.escape(
            f"{feature['properties'].get('nama', kode)}: {fmt.percent(values.get(kode))}"
        )
        shapes.append(
            f'<path d="{d}" fill="{color(values.get(kode))}" stroke="#ffffff" '
            f'stroke-width="0.6" fill-rule="evenodd"><title>{title}</title></path>'
        )
    good, bad = (low, high) if arah == "turun" else (high, low)
    legend = (
        f"<div class='meta'>Warna: biru = lebih baik ({fmt.percent(good)}), merah = lebih buruk "
        f"({fmt.percent(bad)}), seperti peta di dasbor; abu-abu = tanpa data.</div>"
    )
    title = data.map_kpi.get("nama", "Peta")
    return (
        f"<h3>{html.escape(str(title))} per {level}, {data.tahun}</h3>"
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(shapes)}</svg>'
        + legend
    )


def _charts_html(data: BriefingData, plotly_js: bool | str) -> str:
    ranking = data.ranking.dropna(subset=["nilai"]).sort_values("nilai")
    # Bars in the map's colours (the dashboard's ranking does the same); the area outlined.
    steps = palet.steps_of(ranking["nilai"], ranking["nilai"].min(), ranking["nilai"].max())
    scale = palet.step_colors(data.map_kpi.get("arah"))
    chosen = (ranking["kode_wilayah"] == data.kode).to_numpy()
    bar = px.bar(
        ranking, x="nilai", y="nama_wilayah", orientation="h",
        title=f"{data.map_kpi.get('nama', 'Peringkat')} per kabupaten/kota, {data.tahun} (%)",
        labels={"nilai": "%", "nama_wilayah": ""}, height=400,
    )  # fmt: skip
    bar.update_traces(
        marker_color=[scale[int(s)] for s in steps],
        marker_line_color=["#111111" if c else "rgba(0,0,0,0)" for c in chosen],
        marker_line_width=2.5,
    )
    trend = data.trend.melt(
        id_vars=["tahun", "nama"], value_vars=["nilai", "nilai_provinsi"], var_name="seri",
        value_name="persen",
    ).replace({"seri": {"nilai": data.nama, "nilai_provinsi": "Provinsi"}})  # fmt: skip
    line = px.line(
        trend, x="tahun", y="persen", color="seri", facet_col="nama", facet_col_wrap=2,
        markers=True, height=430, title=f"Tren {data.nama} dibanding provinsi (%)",
        labels={"persen": "%", "tahun": "", "seri": ""},
        color_discrete_map={data.nama: palet.SERIES_COLORS[0], "Provinsi": palet.SERIES_COLORS[1]},
    )  # fmt: skip
    line.update_yaxes(matches=None, showticklabels=True)
    line.update_xaxes(dtick=1, tickformat="d")
    line.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    line.update_layout(legend={"orientation": "h", "y": -0.12})
    return (
        _figure_html(bar, plotly_js)
        + _map_html(data)
        + "<div class='page'></div>"
        + _figure_html(line, False)
    )


def _priority_html(data: BriefingData) -> str:
    if data.priority.empty:
        return "<p>Belum ada desa yang dapat dinilai untuk tahun ini.</p>"
    rows = "".join(
        f"<tr><td>{i}</td><td>{html.escape(r.nama_desa)}</td><td>{html.escape(r.nama_kecamatan)}"
        f"{'' if not data.is_province else ', ' + html.escape(r.nama_kabupaten)}</td>"
        f"<td class='num'>{fmt.number(r.skor, 1)}</td><td>{html.escape(r.alasan)}</td></tr>"
        for i, r in enumerate(data.priority.itertuples(), start=1)
    )
    return (
        "<table><tr><th>#</th><th>Desa</th><th>Kecamatan</th><th>Skor</th><th>Alasan</th></tr>"
        f"{rows}</table>"
    )


def _status_html(data: BriefingData) -> str:
    counts = data.status_counts
    if counts is None or int(counts["jumlah"].sum()) == 0:
        return "<p>Tidak ada data IDM atau Indeks Desa untuk tahun ini.</p>"
    scheme = SCHEME_LABELS.get(data.status_scheme, data.status_scheme)
    total = int(counts["jumlah"].sum())
    rows = "".join(
        f"<tr><td>{html.escape(str(r.label))}</td><td class='num'>{fmt.number(r.jumlah)}</td>"
        f"<td class='num'>{fmt.percent(100 * r.jumlah / total, 0)}</td></tr>"
        for r in counts.itertuples()
    )
    note = (
        "Status Indeks Desa seperti tertulis di berkas resmi Kemendesa."
        if data.status_scheme == INDEKS_DESA
        else "Status IDM dihitung dari skor (IKS + IKE + IKL) / 3 dengan ambang Kemendesa."
    )
    if not data.thresholds_verified:
        note += (
            " Ambang status Indeks Desa yang dipakai dasbor belum diverifikasi terhadap Kepmendesa."
        )
    return (
        f"<p>Menurut <b>{scheme} {data.tahun}</b>, {fmt.number(total)} desa dinilai.</p>"
        f"<table><tr><th>Status</th><th>Desa</th><th>Bagian</th></tr>{rows}</table>"
        f"<p class='meta'>{html.escape(note)}</p>"
    )


def _weakest_html(data: BriefingData) -> str:
    weakest = data.weakest
    if weakest is None or weakest.empty:
        return f"<p>Belum ada data Indeks Desa untuk {data.tahun}.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.nama or r.kode_kab))}</td>"
        f"<td>{html.escape((data.dimensions or {}).get(r.dimensi, r.dimensi))}</td>"
        f"<td class='num'>{fmt.number(r.skor, 2)}</td></tr>"
        for r in weakest.itertuples()
    )
    return (
        "<table><tr><th>Kabupaten/kota</th><th>Dimensi terlemah</th><th>Rata-rata skor (0-100)</th></tr>"
        f"{rows}</table>"
    )


def _status_cell(status: object, statuses: pd.DataFrame | None) -> str:
    """The status in its words, green when status_target calls it good, red when not, grey
    when it does not know it."""
    if fmt.is_missing(status):
        return "<span class='null'>belum ada nilai</span>"
    known = (
        statuses.set_index("status")
        if statuses is not None
        else pd.DataFrame(columns=["label", "baik"])
    )
    if status not in known.index:
        return f'<b style="color:{NEUTRAL}">{html.escape(str(status))}</b>'
    row = known.loc[status]
    color = GOOD if bool(row["baik"]) else BAD
    return f'<b style="color:{color}">{html.escape(str(row["label"]))}</b>'


def _targets_html(data: BriefingData) -> str:
    targets = data.targets
    if targets is None or targets.empty:
        return "<p>Belum ada indikator bertarget untuk wilayah ini.</p>"
    rows, notes = [], []
    for r in targets.itertuples():
        sign = "≤" if r.arah == "turun" else "≥"
        level = (data.target_levels or {}).get(r.target_tingkat, r.target_tingkat)
        above = "*" if r.target_dari_atas else ""
        last = (
            f"{fmt.kpi_value(r.nilai_terakhir, r.satuan)} ({int(r.tahun_terakhir)})"
            if not fmt.is_missing(r.nilai_terakhir)
            else "–"
        )
        rows.append(
            f"<tr><td>{html.escape(r.nama)}</td>"
            f"<td class='num'>{sign} {fmt.target_value(r.target_nilai, r.satuan)} ({int(r.target_tahun)})</td>"
            f"<td>{html.escape(level)}{above}</td><td class='num'>{last}</td>"
            f"<td class='num'>{fmt.kpi_value(r.nilai_seharusnya, r.satuan)}</td>"
            f"<td>{_status_cell(r.status, data.target_statuses)}</td></tr>"
        )
        source = f"{html.escape(r.nama)}: sumber target {html.escape(str(r.sumber or '-'))}."
        if not fmt.is_missing(r.catatan) and str(r.catatan).strip():
            source += f" {html.escape(str(r.catatan))}."
        notes.append(f"<li>{source}</li>")
    return (
        "<table><tr><th>Indikator</th><th>Target</th><th>Target tingkat</th><th>Nilai terakhir</th>"
        f"<th>Seharusnya (jalur)</th><th>Status</th></tr>{''.join(rows)}</table>"
        f"<ul class='meta'>{''.join(notes)}</ul>"
        "<p class='meta'>* belum ada target sendiri: diukur dengan target tingkat di atasnya. "
        "Jalur = garis lurus dari tahun pertama yang bernilai ke target; status membandingkan "
        "nilai terakhir dengan jalur.</p>"
    )


def _programme_html(data: BriefingData) -> str:
    """One line per issue: the area's activities, their budget and absorption, and output
    achievement; "tidak ada kegiatan" where the area reported none for that issue."""
    title = "<h2>Program Dinas per isu strategis</h2>"
    rows = data.programme
    if rows is None or rows.empty:
        return (
            f"{title}<p>Data kegiatan Dinas (program_kegiatan) belum ada dalam data yang "
            "diterbitkan.</p>"
        )
    lines = []
    for r in rows.itertuples():
        if fmt.is_missing(r.kegiatan):
            cells = "<td colspan='5' class='null'>tidak ada kegiatan</td>"
        else:
            cells = (
                f"<td class='num'>{fmt.number(r.kegiatan)}</td>"
                f"<td class='num'>{fmt.rupiah(r.pagu)}</td>"
                f"<td class='num'>{fmt.rupiah(r.realisasi)}</td>"
                f"<td class='num'>{fmt.percent(r.serapan)}</td>"
                f"<td class='num'>{fmt.percent(r.keluaran)}</td>"
            )
        lines.append(f"<tr><td>{html.escape(str(r.isu_nama))}</td>{cells}</tr>")
    whose = (
        "kegiatan Dinas PMD provinsi dan semua kabupaten/kota"
        if data.is_province
        else "kegiatan yang dilaporkan untuk wilayah ini"
    )
    # title and table kept on one page; fixed widths so the issue names are not squeezed
    widths = "".join(f"<col style='width:{w}%'>" for w in (32, 11, 15, 15, 13, 14))
    return (
        f"<div style='break-inside: avoid'>{title}<table style='table-layout: fixed'>{widths}"
        "<tr><th>Isu strategis</th><th class='num'>Kegiatan</th><th class='num'>Pagu</th>"
        "<th class='num'>Realisasi</th><th class='num' style='white-space: normal'>Serapan "
        "anggaran</th><th class='num' style='white-space: normal'>Capaian keluaran</th></tr>"
        f"{''.join(lines)}</table>"
        f"<p class='meta'>Dari {whose} (program_kegiatan), tahun {data.tahun}. Serapan = "
        "realisasi dibanding pagu; capaian keluaran = rata-rata realisasi dibanding target, "
        "paling tinggi 100% per kegiatan. Ditampilkan di samping indikator hasil di desa, bukan "
        "sebagai penyebabnya.</p></div>"
    )


def _completeness_html(data: BriefingData) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(r.dataset)}</td><td class='num'>{fmt.number(r.melapor)}</td>"
        f"<td class='num'>{fmt.number(r.total)}</td>"
        f"<td class='num'>{fmt.percent(100 * r.melapor / r.total if r.total else None)}</td>"
        f"<td>{'data contoh' if r.sintetis else 'resmi'}</td></tr>"
        for r in data.completeness.itertuples()
    )
    return (
        "<table><tr><th>Dataset</th><th>Desa melapor</th><th>Desa/kel. seharusnya</th>"
        f"<th>Kelengkapan</th><th>Sifat data</th></tr>{rows}</table>"
    )


def _compliance_html(data: BriefingData) -> str:
    """The province: a line per kabupaten/kota for the briefing's year (how many slices on
    time, late, not sent, not yet due). A kabupaten: each of its slices. Then what is still
    not sent from other years."""
    rows = data.compliance
    if rows is None or rows.empty:
        return "<p>Belum ada jadwal pelaporan dalam data yang diterbitkan.</p>"
    titles = dict(zip(rows["dataset"], rows["judul"], strict=False))
    of_year = rows[rows["tahun_data"] == data.tahun]
    parts = []
    if of_year.empty:
        parts.append(f"<p>Jadwal pelaporan tidak memuat tahun data {data.tahun}.</p>")
    else:
        tepat, counted = kp.on_time(of_year)
        parts.append(
            f"<p>Tepat waktu, tahun data {data.tahun}: <b>{kp.rate_text(of_year)}</b> "
            f"({fmt.number(tepat)} dari {fmt.number(counted)} irisan). "
            f"<span class='meta'>Tepat waktu = {html.escape(kp.RATE_MEANING)}.</span></p>"
        )
        if data.is_province:
            heads = "".join(f"<th class='num'>{kp.MARKS[s]} {s}</th>" for s in kp.STATUSES)
            lines = []
            for (_kode, nama), group in of_year.groupby(["kode_kab", "nama_kab"], sort=True):
                counts = group["status"].value_counts()
                cells = "".join(
                    f"<td class='num'>{fmt.number(counts.get(s, 0))}</td>" for s in kp.STATUSES
                )
                lines.append(
                    f"<tr><td>{html.escape(str(nama))}</td>{cells}"
                    f"<td class='num'>{kp.rate_text(group)}</td></tr>"
                )
            parts.append(
                f"<table><tr><th>Wilayah</th>{heads}<th class='num'>Tepat waktu</th></tr>"
                f"{''.join(lines)}</table>"
            )
        else:
            lines = [
                f"<tr><td>{html.escape(str(r.judul))}</td><td>{fmt.date_text(r.tenggat)}</td>"
                f"<td style='background:{kp.COLOURS.get(r.status, '')}'>"
                f"{html.escape(kp.status_text(r.status, r.hari_terlambat))}</td>"
                f"<td>{fmt.datetime_text(r.pertama_diterima)}</td>"
                f"<td class='num'>{fmt.percent(r.kelengkapan_pct, 0)}</td></tr>"
                for r in of_year.itertuples()
            ]
            parts.append(
                "<table><tr><th>Dataset</th><th>Tenggat</th><th>Status</th>"
                f"<th>Pertama diterima</th><th>Kelengkapan</th></tr>{''.join(lines)}</table>"
            )
    others = rows[rows["tahun_data"] != data.tahun]
    items = kp.late_items(others, data.kode, data.provinsi, titles, limit=8)
    if items:
        parts.append(
            "<p>Belum dikirim dari tahun data lain, padahal tenggat sudah lewat: "
            f"{html.escape(', '.join(items))}.</p>"
        )
    return "".join(parts)


CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11pt; color: #1f2328; }
h1 { font-size: 20pt; margin: 0 0 4px 0; } h2 { font-size: 15pt; border-bottom: 2px solid #0969da;
padding-bottom: 3px; margin-top: 22px; } h3 { font-size: 12pt; margin: 14px 0 4px 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } .num { text-align: right; white-space: nowrap; }
.null { color: #57606a; font-style: italic; } .meta { color: #57606a; }
.notice { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px; margin: 10px 0; }
.page { page-break-before: always; }
"""


def build_html(data: BriefingData, plotly_js: bool | str = True) -> str:
    where = data.nama
    notice = ""
    if data.synthetic:
        notice = (
            "<div class='notice'><b>Data contoh.</b> Angka dari dataset "
            f"{html.escape(', '.join(data.synthetic))} adalah data sintetis untuk peragaan, bukan "
            "statistik resmi. Jangan dikutip sebagai angka resmi.</div>"
        )
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Laporan ringkas {html.escape(where)} {data.tahun}</title><style>{CSS}</style></head><body>
<h1>Laporan Ringkas: {html.escape(where)}, {data.tahun}</h1>
<p class="meta">Dinas PMD Provinsi Kalimantan Tengah · Data per {fmt.datetime_text(data.published_at)}</p>
{notice}
<h2>Indikator utama per isu strategis</h2>
{_headline_html(data)}
{_programme_html(data)}
<h2 class="page">Grafik utama</h2>
{_charts_html(data, plotly_js)}
<h2>Capaian target</h2>
{_targets_html(data)}
<h2 class="page">Status desa</h2>
{_status_html(data)}
<h3>Dimensi Indeks Desa terlemah per kabupaten/kota, {data.tahun}</h3>
{_weakest_html(data)}
<h2>Desa prioritas</h2>
<p class="meta">Peringkat menurut skor kebutuhan (0-100): KK miskin ekstrem, status desa (Indeks Desa, atau IDM bila belum ada) rendah atau turun,
tanpa BUMDes aktif, serapan Dana Desa rendah, cakupan BLT rendah.</p>
{_priority_html(data)}
<h2>Kelengkapan data {data.tahun}</h2>
{_completeness_html(data)}
<h2>Kepatuhan pelaporan</h2>
{_compliance_html(data)}
</body></html>"""


def _print(page) -> bytes:
    """The loaded page as an A4 PDF, once its charts are drawn."""
    page.wait_for_selector(".plot-container", timeout=60_000)
    return page.pdf(
        format="A4",
        print_background=True,
        margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
    )


def _write_atomic(target: Path, pdf: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".pdf.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    return target


def _launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def pdf_bytes(snapshot: Path, kode: str, tahun: int, reference_dir: Path | None) -> bytes:
    """Render one briefing with Chromium (Playwright) and return the PDF."""
    from playwright.sync_api import sync_playwright

    document = build_html(load(snapshot, kode, tahun, reference_dir))
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page()
            page.set_content(document, wait_until="load")
            return _print(page)
        finally:
            browser.close()


def write_pdfs(
    snapshot: Path, areas: list[str], tahun: int, folder: Path, reference_dir: Path | None
) -> list[Path]:
    """Every area's briefing with one browser: Chromium starts once, and the Plotly bundle
    is parsed once per page instead of once per browser."""
    import tempfile

    from playwright.sync_api import sync_playwright
    from plotly.offline import get_plotlyjs

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp_dir, sync_playwright() as p:
        work = Path(tmp_dir)
        (work / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
        browser = _launch(p)
        try:
            page = browser.new_page()
            for kode in areas:
                source = work / f"{kode}.html"
                document = build_html(
                    load(snapshot, kode, tahun, reference_dir), plotly_js=PLOTLY_JS
                )
                source.write_text(document, encoding="utf-8")
                page.goto(source.as_uri(), wait_until="load")
                target = folder / f"laporan_ringkas_{kode}_{tahun}.pdf"
                written.append(_write_atomic(target, _print(page)))
        finally:
            browser.close()
    return written


def write_pdf(
    snapshot: Path, kode: str, tahun: int, target: Path, reference_dir: Path | None
) -> Path:
    return _write_atomic(target, pdf_bytes(snapshot, kode, tahun, reference_dir))
