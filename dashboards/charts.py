"""Plotly figures sized for a projector: large type, Indonesian numbers, direction-aware colour.

Colour means the same on every chart: blue is good, red is bad. For a 'turun' KPI (lower is
better) the scale is reversed, so a low poverty rate is blue like a high budget absorption.
Areas without a value are grey and say why (the `keterangan`), never drawn as 0.
"""

import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboards import formatting as fmt

HURUF = 18
HURUF_JUDUL = 22
FONT_KELUARGA = "Source Sans, Arial, sans-serif"

SKALA_BAIK = "RdYlBu"
"""Red (bad) -> yellow -> blue (good), readable for the common colour-vision deficiencies."""
ABU = "#c8c8c8"
BIRU = "#2c6fbb"
ORANYE = "#e08214"

WARNA_STATUS_IDM = {
    "sangat_tertinggal": "#b2182b",
    "tertinggal": "#ef8a62",
    "berkembang": "#fddb8b",
    "maju": "#67a9cf",
    "mandiri": "#2166ac",
}


def skala_warna(arah: str | None) -> str:
    """Plotly colour scale for a KPI: high = blue for 'naik', low = blue for 'turun'."""
    return f"{SKALA_BAIK}_r" if arah == "turun" else SKALA_BAIK


_SUMBU = {
    "gridcolor": "#e6e6e6",
    "linecolor": "#bbbbbb",
    "zerolinecolor": "#cccccc",
    "automargin": True,
}
_TEMPLAT = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _SUMBU,
        "yaxis": _SUMBU,
        "colorway": [BIRU, ORANYE, "#555555", "#1b9e77"],
    }
}


def gambar(data: Any = None) -> go.Figure:
    """A new figure with a small template of our own.

    Plotly's default templates are copied into every new figure (30 ms each); this one is a
    few keys.
    """
    return go.Figure(data=data, layout={"template": _TEMPLAT})


def tata_letak(fig: go.Figure, *, tinggi: int = 520, judul: str | None = None) -> go.Figure:
    fig.update_layout(
        height=tinggi,
        font={"size": HURUF, "family": FONT_KELUARGA, "color": "#1f1f1f"},
        title={"text": judul, "font": {"size": HURUF_JUDUL}} if judul else None,
        separators=",.",  # decimal comma, thousands dot
        hoverlabel={"font": {"size": HURUF}},
        margin={"l": 10, "r": 10, "t": 60 if judul else 20, "b": 10},
        legend={"font": {"size": HURUF}},
    )
    return fig


def _teks_hover(nama: str, nilai: object, satuan: str, ket: object, ekstra: str = "") -> str:
    if fmt.kosong(nilai):
        alasan = ket if not fmt.kosong(ket) else "Tidak ada nilai"
        return f"<b>{nama}</b><br>Tidak ada nilai: {alasan}{ekstra}"
    return f"<b>{nama}</b><br>{fmt.nilai_kpi(nilai, satuan)}{ekstra}"


def _batas_warna(nilai: pd.Series) -> tuple[float, float] | None:
    ada = nilai.dropna()
    if ada.empty:
        return None
    lo, hi = float(ada.min()), float(ada.max())
    if lo == hi:
        lo, hi = lo - 1e-9 - abs(lo) * 0.01, hi + 1e-9 + abs(hi) * 0.01
    return lo, hi


def _bar_warna(satuan: str, arah: str | None, batas: tuple[float, float]) -> dict[str, Any]:
    """A colour bar with Indonesian tick labels and a reminder of which end is good."""
    langkah = [batas[0] + (batas[1] - batas[0]) * i / 4 for i in range(5)]
    return {
        "title": {"text": "biru = lebih baik", "font": {"size": HURUF - 4}, "side": "top"},
        "tickvals": langkah,
        "ticktext": [fmt.nilai_kpi_pendek(v, satuan) for v in langkah],
        "tickfont": {"size": HURUF - 4},
        "thickness": 16,
        "len": 0.7,
    }


def tik_bagus(bawah: float, atas: float, jumlah: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 x 10^n steps) covering [bawah, atas]."""
    if atas <= bawah:
        atas = bawah + 1.0
    kasar = (atas - bawah) / jumlah
    pangkat = 10 ** math.floor(math.log10(kasar))
    langkah = next(m * pangkat for m in (1, 2, 2.5, 5, 10) if m * pangkat >= kasar)
    awal = math.floor(bawah / langkah) * langkah
    hasil = [awal]
    while hasil[-1] < atas - 1e-12 * max(1.0, abs(atas)):
        hasil.append(round(hasil[-1] + langkah, 12))
    return hasil


def bungkus(teks: object, lebar: int) -> str:
    """Wrap text onto lines of at most `lebar` characters with <br> (Plotly's line break)."""
    return "<br>".join(textwrap.wrap(str(teks), lebar, break_long_words=False)) or str(teks)


def nama_pendek(nama: object) -> str:
    """ "Kabupaten Kotawaringin Barat" -> "Kotawaringin Barat" for chart labels (Kota stays)."""
    teks = str(nama)
    for awalan in ("Kabupaten ", "Kab. "):
        if teks.startswith(awalan):
            return teks[len(awalan) :]
    return teks


def _cincin(geometri: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring of a Polygon or MultiPolygon (holes drawn as rings too)."""
    if geometri.get("type") == "Polygon":
        return list(geometri["coordinates"])
    if geometri.get("type") == "MultiPolygon":
        return [r for poligon in geometri["coordinates"] for r in poligon]
    return []


def _xy(geometri: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """All rings of a feature as x and y arrays, rings separated by NaN (a gap for Plotly).

    NumPy arrays, not lists: Plotly validates a list element by element, which made a map of
    a large kabupaten (230 villages) take 0.3 s to build instead of 0.05 s.
    """
    bagian = [np.asarray(c, dtype=float)[:, :2] for c in _cincin(geometri) if len(c)]
    if not bagian:
        return None
    celah = np.full((1, 2), np.nan)
    semua = np.concatenate([b for cincin in bagian for b in (cincin, celah)])
    return semua[:, 0], semua[:, 1]


LANGKAH_WARNA = 24
"""The map's continuous scale is drawn in this many steps: one trace per step instead of one
per village keeps a 230-village map at a few traces (Plotly validates every trace)."""


def _titik_tengah(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The centroid of the largest ring (shoelace), for the hover point of a feature."""
    terbaik, luas_terbaik, hasil = -1.0, 0.0, (float(np.nanmean(x)), float(np.nanmean(y)))
    batas = np.flatnonzero(np.isnan(x))
    awal = 0
    for akhir in batas:
        cx, cy = x[awal:akhir], y[awal:akhir]
        awal = akhir + 1
        if len(cx) < 3:
            continue
        silang = cx * np.roll(cy, -1) - np.roll(cx, -1) * cy
        luas = silang.sum() / 2
        if abs(luas) > terbaik and luas != 0:
            terbaik, luas_terbaik = abs(luas), luas
            hasil = (
                float(((cx + np.roll(cx, -1)) * silang).sum() / (6 * luas_terbaik)),
                float(((cy + np.roll(cy, -1)) * silang).sum() / (6 * luas_terbaik)),
            )
    return hasil


def peta(
    gj: dict[str, Any],
    df: pd.DataFrame,
    *,
    satuan: str,
    arah: str | None,
    tinggi: int = 560,
    sorot: str | None = None,
) -> go.Figure:
    """A choropleth of df[kode, nama, nilai, keterangan] over the features of `gj`, matched on
    properties.kode.

    Drawn as filled SVG shapes on plain axes rather than a Plotly geo/map trace: those fetch a
    world topojson or need WebGL, and the dashboard must work offline in any browser. Features
    without a value are grey. Hovering near a feature's centre shows its name and value, or the
    reason it has none.
    """
    data_per_kode = df.set_index("kode")[["nama", "nilai", "keterangan"]].to_dict("index")
    ada = df[df["nilai"].notna()]
    batas = _batas_warna(ada["nilai"])
    skala = skala_warna(arah)
    langkah_per_kode: dict[Any, int] = {}
    if batas is not None:
        posisi = ((ada["nilai"].astype(float) - batas[0]) / (batas[1] - batas[0])).clip(0, 1)
        langkah = np.minimum((posisi.to_numpy() * LANGKAH_WARNA).astype(int), LANGKAH_WARNA - 1)
        langkah_per_kode = dict(zip(ada["kode"], langkah.tolist(), strict=True))
    warna_langkah = sample_colorscale(
        skala, [(i + 0.5) / LANGKAH_WARNA for i in range(LANGKAH_WARNA)]
    )
    celah = np.array([np.nan])
    kelompok: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}
    tengah_x, tengah_y, teks_tengah = [], [], []
    ditonjolkan: list[dict[str, Any]] = []
    for fitur in gj["features"]:
        prop = fitur.get("properties") or {}
        kode = prop.get("kode")
        xy = _xy(fitur.get("geometry") or {})
        if xy is None:
            continue
        baris = data_per_kode.get(kode, {})
        nama = baris.get("nama") or prop.get("nama") or str(kode)
        xs, ys = kelompok.setdefault(langkah_per_kode.get(kode, -1), ([], []))
        xs.extend((xy[0], celah))
        ys.extend((xy[1], celah))
        if isinstance(prop.get("lng"), int | float) and isinstance(prop.get("lat"), int | float):
            cx, cy = float(prop["lng"]), float(prop["lat"])  # the file's own label point
        else:
            cx, cy = _titik_tengah(*xy)
        tengah_x.append(cx)
        tengah_y.append(cy)
        teks_tengah.append(_teks_hover(nama, baris.get("nilai"), satuan, baris.get("keterangan")))
        if kode == sorot:
            ditonjolkan.append(
                {
                    "type": "scatter",
                    "x": xy[0],
                    "y": xy[1],
                    "mode": "lines",
                    "line": {"color": "#111111", "width": 3},
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    jejak: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": np.concatenate(xs),
            "y": np.concatenate(ys),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": ABU if i < 0 else warna_langkah[i],
            "line": {"color": "white", "width": 0.8},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for i, (xs, ys) in sorted(kelompok.items())
    ]
    jejak.append(
        {
            "type": "scatter",
            "x": tengah_x,
            "y": tengah_y,
            "mode": "markers",
            "marker": {"size": 10, "color": "rgba(0,0,0,0)"},
            "text": teks_tengah,
            "hoverinfo": "text",
            "showlegend": False,
        }
    )
    if batas is not None:
        # an invisible point that carries the colour bar
        jejak.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "marker": {
                    "color": [batas[0]],
                    "cmin": batas[0],
                    "cmax": batas[1],
                    "colorscale": skala,
                    "showscale": True,
                    "colorbar": _bar_warna(satuan, arah, batas),
                },
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    fig = gambar(jejak + ditonjolkan)
    tata_letak(fig, tinggi=tinggi)
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1, fixedrange=True)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        dragmode=False,
        hovermode="closest",
        hoverdistance=40,
        plot_bgcolor="white",
    )
    return fig


def peringkat(
    df: pd.DataFrame,
    *,
    satuan: str,
    arah: str | None,
    pembanding: tuple[str, float] | None = None,
    sorot: str | None = None,
) -> go.Figure:
    """Horizontal bars of df[kode, nama, nilai, keterangan], best at the top.

    Areas without a value keep their row: a pale bar saying "Tidak ada nilai: <reason>".
    `pembanding` = (label, value) draws a dashed reference line (e.g. the province).
    """
    turun = arah == "turun"
    ada = df[df["nilai"].notna()].sort_values("nilai", ascending=turun)
    kosong = df[df["nilai"].isna()].sort_values("nama")
    urutan = [nama_pendek(n) for n in [*ada["nama"], *kosong["nama"]]]
    batas = _batas_warna(ada["nilai"]) or (0.0, 1.0)
    maks = float(ada["nilai"].max()) if not ada.empty else 1.0
    mins = min(0.0, float(ada["nilai"].min())) if not ada.empty else 0.0
    fig = gambar()
    if not kosong.empty:
        fig.add_trace(
            go.Bar(
                y=[nama_pendek(n) for n in kosong["nama"]],
                x=[maks if maks > 0 else 1.0] * len(kosong),
                orientation="h",
                marker={"color": "rgba(200,200,200,0.45)"},
                hovertext=[
                    _teks_hover(n, None, satuan, k)
                    for n, k in zip(kosong["nama"], kosong["keterangan"], strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Bar(
            y=[nama_pendek(n) for n in ada["nama"]],
            x=ada["nilai"],
            orientation="h",
            marker={
                "color": ada["nilai"],
                "colorscale": skala_warna(arah),
                "cmin": batas[0],
                "cmax": batas[1],
                "line": {
                    "color": ["#111111" if k == sorot else "rgba(0,0,0,0)" for k in ada["kode"]],
                    "width": 3,
                },
            },
            text=[fmt.nilai_kpi_pendek(v, satuan) for v in ada["nilai"]],
            textposition="outside",
            textfont={"size": HURUF},
            cliponaxis=False,
            hovertext=[
                _teks_hover(n, v, satuan, None)
                for n, v in zip(ada["nama"], ada["nilai"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    for nama, ket in zip(kosong["nama"], kosong["keterangan"], strict=True):
        fig.add_annotation(
            x=mins,
            y=nama_pendek(nama),
            xanchor="left",
            showarrow=False,
            text=bungkus(f"Tidak ada nilai: {_alasan(ket)}", 64),
            font={"size": HURUF - 5, "color": "#333333"},
            align="left",
        )
    if pembanding is not None and not fmt.kosong(pembanding[1]):
        fig.add_vline(
            x=pembanding[1],
            line={"dash": "dash", "color": "#333333", "width": 2},
            layer="below",
            annotation={
                "text": f"{pembanding[0]}: {fmt.nilai_kpi_pendek(pembanding[1], satuan)}",
                "font": {"size": HURUF - 2},
                "bgcolor": "rgba(255,255,255,0.85)",
                "yanchor": "bottom",
            },
            annotation_position="top",
        )
    tata_letak(fig, tinggi=max(300, 46 * len(urutan) + 110))
    fig.update_layout(showlegend=False, bargap=0.25, barmode="overlay")
    fig.update_layout(margin={"l": 10, "r": 30, "t": 50, "b": 10})
    fig.update_xaxes(
        title=None,
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        range=[mins, maks * 1.22 if maks > 0 else 1.0],
    )
    fig.update_yaxes(
        title=None,
        tickfont={"size": HURUF},
        automargin=True,
        categoryorder="array",
        categoryarray=urutan[::-1],  # plotly draws the first category at the bottom
        fixedrange=True,
    )
    return fig


def _alasan(ket: object) -> str:
    return str(ket) if not fmt.kosong(ket) else "tidak ada data yang dilaporkan"


def tren(
    seri: list[tuple[str, pd.DataFrame]],
    *,
    satuan: str,
) -> go.Figure:
    """Lines over years; each item is (label, df[tahun, nilai, keterangan]). NULL years are gaps."""
    fig = gambar()
    warna = [BIRU, ORANYE, "#555555", "#1b9e77"]
    for i, (label, df) in enumerate(seri):
        df = df.sort_values("tahun")
        fig.add_trace(
            go.Scatter(
                x=df["tahun"],
                y=df["nilai"],
                mode="lines+markers",
                name=label,
                line={
                    "width": 4,
                    "color": warna[i % len(warna)],
                    "dash": "solid" if i == 0 else "dash",
                },
                marker={"size": 12},
                connectgaps=False,
                text=[
                    _teks_hover(f"{label} {t}", v, satuan, k)
                    for t, v, k in zip(df["tahun"], df["nilai"], df["keterangan"], strict=True)
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    tata_letak(fig, tinggi=440)
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    semua = pd.concat([df["nilai"] for _, df in seri]).dropna()
    if not semua.empty:
        bawah = min(0.0, float(semua.min()))
        maks = float(semua.max())
        atas = maks * 1.08 if maks > 0 else 1.0
        if satuan == "%" and maks <= 100:
            atas = min(atas, 100.0)
        langkah = tik_bagus(bawah, atas)
        fig.update_yaxes(
            range=[langkah[0], langkah[-1]],
            tickvals=langkah,
            ticktext=[fmt.nilai_kpi_pendek(v, satuan) for v in langkah],
        )
    fig.update_yaxes(title=None)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return fig


def status_idm(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of df[status, jumlah], mandiri on top, sangat tertinggal at the bottom."""
    jumlah = dict(zip(df["status"], df["jumlah"], strict=True))
    urutan = [k for k, _ in fmt.STATUS_IDM]
    total = sum(int(jumlah.get(k, 0)) for k in urutan) or 1
    nilai = [int(jumlah.get(k, 0)) for k in urutan]
    fig = gambar(
        go.Bar(
            y=[fmt.status_idm(k) for k in urutan],
            x=nilai,
            orientation="h",
            marker={"color": [WARNA_STATUS_IDM[k] for k in urutan]},
            text=[f"{fmt.angka(n)} desa ({fmt.persen(100 * n / total, 0)})" for n in nilai],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": HURUF},
            hovertemplate="%{y}: %{x} desa<extra></extra>",
        )
    )
    tata_letak(fig, tinggi=380)
    fig.update_xaxes(visible=False, range=[0, max(nilai or [1]) * 2.1 or 1], fixedrange=True)
    fig.update_yaxes(title=None, tickfont={"size": HURUF}, automargin=True, fixedrange=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, bargap=0.3)
    return fig


def peta_panas(
    z: pd.DataFrame,
    teks: pd.DataFrame,
    *,
    skala: str | list[list[Any]],
    zmin: float,
    zmax: float,
    judul_warna: str,
    hover: pd.DataFrame | None = None,
    tampil_skala: bool = True,
) -> go.Figure:
    """A heatmap of z (rows x columns) with the formatted text written in each cell."""
    fig = gambar(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=[bungkus(c, 16) for c in z.columns],
            y=list(z.index),
            text=teks.to_numpy(),
            texttemplate="%{text}",
            textfont={"size": HURUF - 2},
            colorscale=skala,
            zmin=zmin,
            zmax=zmax,
            xgap=2,
            ygap=2,
            showscale=tampil_skala,
            colorbar={"title": {"text": judul_warna, "font": {"size": HURUF - 2}}},
            customdata=(hover if hover is not None else teks).to_numpy(),
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
        )
    )
    tata_letak(fig, tinggi=max(320, 56 * len(z.index) + 160))
    fig.update_layout(plot_bgcolor=ABU)
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": HURUF - 4}, showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": HURUF - 2}, showgrid=False)
    return fig
