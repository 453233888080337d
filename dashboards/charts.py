"""Plotly figures sized for a projector: large type, Indonesian numbers, direction-aware colour.

Colour means the same on every chart: blue is good, red is bad. For a 'turun' KPI (lower is
better) the scale is reversed, so a low poverty rate is blue like a high budget absorption.
Areas without a value are grey and say why (the `keterangan`), never drawn as 0.
"""

from typing import Any

import pandas as pd
import plotly.graph_objects as go

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


def tata_letak(fig: go.Figure, *, tinggi: int = 520, judul: str | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
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


def _bar_warna(judul: str, satuan: str, arah: str | None) -> dict[str, Any]:
    keterangan = "biru = lebih baik" if arah != "turun" else "biru = lebih baik (lebih rendah)"
    return {
        "title": {"text": f"{satuan}<br><sub>{keterangan}</sub>", "font": {"size": HURUF - 2}},
        "tickfont": {"size": HURUF - 2},
        "thickness": 18,
        "len": 0.8,
    }


def peta(
    gj: dict[str, Any],
    df: pd.DataFrame,
    *,
    satuan: str,
    arah: str | None,
    tinggi: int = 560,
    sorot: str | None = None,
) -> go.Figure:
    """Choropleth over `gj` (featureidkey properties.kode) of df[kode, nama, nilai, keterangan].

    Features without a value are drawn grey with the reason in the hover text.
    """
    fitur = {f["properties"]["kode"]: f["properties"] for f in gj["features"]}
    df = df[df["kode"].isin(fitur)].copy()
    ada = df[df["nilai"].notna()]
    kosong_kode = [k for k in fitur if k not in set(ada["kode"])]
    ket = dict(zip(df["kode"], df["keterangan"], strict=False))
    fig = go.Figure()
    if kosong_kode:
        fig.add_trace(
            go.Choropleth(
                geojson=gj,
                featureidkey="properties.kode",
                locations=kosong_kode,
                z=[0] * len(kosong_kode),
                colorscale=[[0, ABU], [1, ABU]],
                showscale=False,
                marker={"line": {"color": "white", "width": 1}},
                text=[
                    _teks_hover(fitur[k].get("nama", k), None, satuan, ket.get(k))
                    for k in kosong_kode
                ],
                hovertemplate="%{text}<extra></extra>",
                name="Tidak ada nilai",
            )
        )
    batas = _batas_warna(ada["nilai"])
    if batas is not None:
        garis = ["#111111" if k == sorot else "white" for k in ada["kode"]]
        lebar = [3 if k == sorot else 1 for k in ada["kode"]]
        fig.add_trace(
            go.Choropleth(
                geojson=gj,
                featureidkey="properties.kode",
                locations=ada["kode"],
                z=ada["nilai"],
                zmin=batas[0],
                zmax=batas[1],
                colorscale=skala_warna(arah),
                marker={"line": {"color": garis, "width": lebar}},
                colorbar=_bar_warna("", satuan, arah),
                text=[
                    _teks_hover(n, v, satuan, None)
                    for n, v in zip(ada["nama"], ada["nilai"], strict=True)
                ],
                hovertemplate="%{text}<extra></extra>",
                name="",
            )
        )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    tata_letak(fig, tinggi=tinggi)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, dragmode=False)
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

    Areas without a value keep their row, with the reason written where the bar would be.
    `pembanding` = (label, value) draws a dashed reference line (e.g. the province).
    """
    df = df.copy()
    turun = arah == "turun"
    ada = df[df["nilai"].notna()].sort_values("nilai", ascending=turun)
    kosong = df[df["nilai"].isna()].sort_values("nama")
    # plotly draws the first category at the bottom: reverse so the best is on top
    urut = pd.concat([ada, kosong])[::-1]
    batas = _batas_warna(ada["nilai"]) or (0.0, 1.0)
    teks = [
        fmt.nilai_kpi_pendek(v, satuan)
        if not fmt.kosong(v)
        else f"Tidak ada nilai: {k if not fmt.kosong(k) else 'tidak ada data'}"
        for v, k in zip(urut["nilai"], urut["keterangan"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=urut["nama"],
            x=urut["nilai"].fillna(0),
            orientation="h",
            marker={
                "color": urut["nilai"],
                "colorscale": skala_warna(arah),
                "cmin": batas[0],
                "cmax": batas[1],
                "line": {
                    "color": ["#111111" if k == sorot else "rgba(0,0,0,0)" for k in urut["kode"]],
                    "width": 3,
                },
            },
            text=teks,
            textposition=["outside" if not fmt.kosong(v) else "inside" for v in urut["nilai"]],
            insidetextanchor="start",
            textfont={"size": HURUF},
            cliponaxis=False,
            hovertext=[
                _teks_hover(n, v, satuan, k)
                for n, v, k in zip(urut["nama"], urut["nilai"], urut["keterangan"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    # Grey "bars" for the NULL rows so the row is visibly there, with its reason.
    if not kosong.empty:
        maks = float(ada["nilai"].max()) if not ada.empty else 1.0
        fig.add_trace(
            go.Bar(
                y=kosong["nama"],
                x=[maks] * len(kosong),
                orientation="h",
                marker={"color": "rgba(200,200,200,0.35)"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.update_layout(barmode="overlay")
        fig.data = (fig.data[1], fig.data[0])
    if pembanding is not None and not fmt.kosong(pembanding[1]):
        fig.add_vline(
            x=pembanding[1],
            line={"dash": "dash", "color": "#333333", "width": 2},
            annotation={
                "text": f"{pembanding[0]}: {fmt.nilai_kpi_pendek(pembanding[1], satuan)}",
                "font": {"size": HURUF - 2},
                "bgcolor": "rgba(255,255,255,0.8)",
            },
            annotation_position="top right",
        )
    tinggi = max(300, 48 * len(urut) + 90)
    tata_letak(fig, tinggi=tinggi)
    fig.update_layout(showlegend=False, bargap=0.25)
    fig.update_xaxes(title=None, showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(title=None, tickfont={"size": HURUF}, automargin=True)
    if not ada.empty:
        maks = float(ada["nilai"].max())
        fig.update_xaxes(range=[min(0.0, float(ada["nilai"].min())), maks * 1.25 or 1.0])
    return fig


def tren(
    seri: list[tuple[str, pd.DataFrame]],
    *,
    satuan: str,
) -> go.Figure:
    """Lines over years; each item is (label, df[tahun, nilai, keterangan]). NULL years are gaps."""
    fig = go.Figure()
    warna = [BIRU, ORANYE, "#555555", "#1b9e77"]
    for i, (label, df) in enumerate(seri):
        df = df.sort_values("tahun")
        fig.add_trace(
            go.Scatter(
                x=df["tahun"],
                y=df["nilai"],
                mode="lines+markers",
                name=label,
                line={"width": 4, "color": warna[i % len(warna)], "dash": "solid" if i == 0
                      else "dash"},  # fmt: skip
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
    fig.update_yaxes(title=satuan, rangemode="tozero" if satuan != "indeks 0-1" else "normal")
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return fig


def status_idm(df: pd.DataFrame) -> go.Figure:
    """Bars of df[status, jumlah] in the order sangat tertinggal .. mandiri."""
    jumlah = dict(zip(df["status"], df["jumlah"], strict=True))
    urutan = [k for k, _ in fmt.STATUS_IDM]
    total = sum(int(jumlah.get(k, 0)) for k in urutan) or 1
    nilai = [int(jumlah.get(k, 0)) for k in urutan]
    fig = go.Figure(
        go.Bar(
            x=[fmt.status_idm(k) for k in urutan],
            y=nilai,
            marker={"color": [WARNA_STATUS_IDM[k] for k in urutan]},
            text=[f"{fmt.angka(n)} desa<br>({fmt.persen(100 * n / total, 0)})" for n in nilai],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": HURUF},
            hovertemplate="%{x}: %{y} desa<extra></extra>",
        )
    )
    tata_letak(fig, tinggi=420)
    fig.update_yaxes(title="Jumlah desa", rangemode="tozero", range=[0, max(nilai or [1]) * 1.3])
    fig.update_xaxes(title=None)
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
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=list(z.columns),
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
    fig.update_xaxes(side="top", tickangle=-30, tickfont={"size": HURUF - 2}, showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": HURUF - 2}, showgrid=False)
    return fig
