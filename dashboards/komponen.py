"""UI pieces every page uses: KPI cards, tables with downloads, notices."""

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboards import formatting as fmt
from dashboards import unduh

LABEL_DATASET = {
    "dana_desa": "Dana Desa",
    "bumdes": "BUMDes",
    "umkm": "UMKM",
    "kemiskinan_desa": "Kemiskinan desa",
    "kemiskinan_kab": "Kemiskinan BPS (kabupaten/provinsi)",
    "idm": "Indeks Desa Membangun (IDM)",
    "profil_desa": "Profil desa",
}

JUDUL_DATA_CONTOH = "Data contoh"


_MARKDOWN_KHUSUS = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$:"})


def teks_aman(teks: object) -> str:
    """Text from outside (file names, paths) escaped so Markdown shows it literally."""
    return str(teks).translate(_MARKDOWN_KHUSUS)


def label_dataset(nama: str) -> str:
    return LABEL_DATASET.get(nama, nama)


def dataset_kpi(definisi: pd.DataFrame, kpi_ids: Iterable[str] | None = None) -> set[str]:
    """The datasets the given KPIs are computed from (kpi_definisi.dataset_sumber)."""
    d = definisi if kpi_ids is None else definisi[definisi["kpi_id"].isin(list(kpi_ids))]
    hasil: set[str] = set()
    for teks in d["dataset_sumber"].dropna():
        hasil.update(s.strip() for s in str(teks).split(",") if s.strip())
    return hasil


def peringatan_sintetis(dataset: Iterable[str]) -> bool:
    """The "Data contoh" notice, shown when any of these datasets holds synthetic figures."""
    nama = sorted({label_dataset(d) for d in dataset})
    if not nama:
        return False
    st.warning(
        f"**{JUDUL_DATA_CONTOH}:** angka dari {', '.join(nama)} di halaman ini adalah data "
        "sintetis untuk peragaan, bukan data resmi. Jangan dikutip sebagai statistik resmi.",
        icon=":material/warning:",
    )
    return True


def label_kpi(baris: Mapping[str, Any]) -> str:
    return f"{baris['nama']} ({baris['satuan']})"


def sumber_kpi(baris: Mapping[str, Any]) -> str:
    teks = str(baris.get("dataset_sumber") or "")
    return ", ".join(label_dataset(s.strip()) for s in teks.split(",") if s.strip())


def bantuan_kpi(baris: Mapping[str, Any]) -> str:
    arah = fmt.ARAH_TEKS.get(str(baris.get("arah")), "")
    return (
        f"**{teks_aman(baris.get('nama'))}** ({teks_aman(baris.get('satuan'))})  \n"
        f"**Rumus:** {teks_aman(baris.get('rumus'))}  \n"
        f"**Arah:** {arah}  \n**Sumber:** {sumber_kpi(baris)}"
    )


def alasan(ket: object) -> str:
    return str(ket) if not fmt.kosong(ket) else "Tidak ada data yang dilaporkan"


def _label_kartu(baris: Mapping[str, Any]) -> str:
    nama, satuan = str(baris["nama"]), str(baris["satuan"])
    if (
        satuan in ("%", "Rp")
        or satuan in nama
        or satuan.startswith(("Rp per", "indeks"))
        or (satuan.startswith("per ") and " per " in f" {nama}")
    ):
        return nama
    return f"{nama} ({satuan})"


def kartu_kpi(
    baris: Mapping[str, Any],
    nilai: object,
    *,
    nilai_lalu: object = None,
    tahun_lalu: int | None = None,
    keterangan: object = None,
    desa_melapor: object = None,
) -> None:
    """One KPI as a bordered st.metric: value, change vs last year coloured by direction.

    A NULL value shows "–" with "Tidak ada nilai: <reason>" underneath, never 0.
    """
    satuan = str(baris["satuan"])
    label = _label_kartu(baris)
    if fmt.kosong(nilai):
        st.metric(label, fmt.TANPA_NILAI, border=True, help=bantuan_kpi(baris))
        st.caption(f":material/info: **Tidak ada nilai:** {teks_aman(alasan(keterangan))}")
        return
    delta = None
    if not fmt.kosong(nilai_lalu):
        delta = fmt.selisih_kpi(float(nilai) - float(nilai_lalu), satuan)  # type: ignore[arg-type]
    st.metric(
        label,
        fmt.nilai_kpi_pendek(nilai, satuan),
        delta=delta,
        delta_color="inverse" if baris["arah"] == "turun" else "normal",
        delta_arrow="off" if delta and delta.startswith("±") else "auto",
        delta_description=f"dibanding {tahun_lalu}" if delta else None,
        border=True,
        help=bantuan_kpi(baris),
    )
    if not fmt.kosong(desa_melapor) and int(desa_melapor) > 0:  # type: ignore[call-overload]
        st.caption(f"Dari {fmt.angka(desa_melapor)} desa melapor")


def daftar_kosong(butir: Iterable[tuple[str, object]], *, judul: str | None = None) -> None:
    """List what has no value and why, grouped by reason: "- reason: **A**, **B**".

    `butir` is (label, keterangan) pairs; the labels are Markdown-escaped.
    """
    per_alasan: dict[str, list[str]] = {}
    for label, ket in butir:
        per_alasan.setdefault(alasan(ket), []).append(f"**{teks_aman(label)}**")
    if not per_alasan:
        return
    baris = [f"- {teks_aman(a)}: {', '.join(nama)}" for a, nama in per_alasan.items()]
    st.markdown(f"**{judul or 'Tanpa nilai (bukan nol)'}:**\n" + "\n".join(baris))


def catatan_kosong(df: pd.DataFrame, *, kolom_nama: str = "nama") -> None:
    """List the areas without a value and why, under a chart."""
    kosong = df[df["nilai"].isna()]
    daftar_kosong(zip(kosong[kolom_nama], kosong["keterangan"], strict=True))


def tombol_unduh(df: pd.DataFrame, nama_file: str, *, key: str) -> None:
    """CSV and Excel downloads of df, built only when clicked, with formulas neutralised."""
    salinan = df.copy()
    with st.container(horizontal=True):
        st.download_button(
            "Unduh CSV",
            data=partial(unduh.ke_csv, salinan),
            file_name=f"{nama_file}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"unduh_csv_{key}",
            icon=":material/download:",
        )
        st.download_button(
            "Unduh Excel",
            data=partial(unduh.ke_xlsx, salinan, nama_file[:31]),
            file_name=f"{nama_file}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            key=f"unduh_xlsx_{key}",
            icon=":material/download:",
        )


def _format_bawaan(kolom: str, seri: pd.Series) -> Callable[[Any], str]:
    if "tahun" in kolom.lower():
        return lambda v: str(int(v))
    if pd.api.types.is_integer_dtype(seri):
        return fmt.angka
    return lambda v: fmt.angka_ringkas(v, 2)


def _siapkan_tampilan(df: pd.DataFrame, format_kolom: Mapping[str, Callable[[Any], str]]) -> Any:
    """A Styler that shows Indonesian formats while the grid still sorts on the numbers.

    Streamlit's grid prints an empty cell as "None" whatever the Styler says, so an empty
    number becomes +inf (sorted last, shown as "–"), and empty text becomes "".
    """
    tampil = df.copy()
    pemformat: dict[str, Callable[[Any], str]] = {}
    for kolom in tampil.columns:
        seri = tampil[kolom]
        if pd.api.types.is_bool_dtype(seri):
            tampil[kolom] = seri.map(lambda v: "" if fmt.kosong(v) else ("Ya" if v else "Tidak"))
        elif pd.api.types.is_numeric_dtype(seri):
            fungsi = format_kolom.get(kolom) or _format_bawaan(str(kolom), seri)
            tampil[kolom] = seri.astype("float64").fillna(np.inf)
            pemformat[kolom] = lambda v, f=fungsi: fmt.TANPA_NILAI if np.isinf(v) else f(v)
        elif kolom in format_kolom:
            fungsi = format_kolom[kolom]
            tampil[kolom] = seri.map(lambda v, f=fungsi: "" if fmt.kosong(v) else f(v))
        else:
            tampil[kolom] = seri.map(lambda v: "" if fmt.kosong(v) else str(v))
    return tampil.style.format(pemformat) if pemformat else tampil


def tabel(
    df: pd.DataFrame,
    nama_file: str,
    *,
    key: str,
    format_kolom: Mapping[str, Callable[[Any], str]] | None = None,
    unduhan: pd.DataFrame | None = None,
    tinggi: int | str | None = None,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A sortable table in Indonesian formats (numbers keep sorting as numbers), plus downloads.

    `format_kolom` maps a column to a formatter (e.g. fmt.persen); other number columns get
    "1.234" / "12,5". Empty cells show "–" (numbers) or nothing (text), never 0. The downloads
    carry the unformatted values (`unduhan`, default df).
    """
    if tinggi is None:
        tinggi = min(35 * (len(df) + 1) + 3, 458)
    st.dataframe(
        _siapkan_tampilan(df, format_kolom or {}),
        hide_index=True,
        width="stretch",
        height=tinggi,
        column_config=dict(column_config or {}),
    )
    tombol_unduh(unduhan if unduhan is not None else df, nama_file, key=key)


def grafik(fig: Any, *, key: str | None = None, alt: str | None = None) -> None:
    st.plotly_chart(
        fig,
        width="stretch",
        theme=None,
        key=key,
        config={"displaylogo": False},
        alt=alt,
    )


def tanpa_peta(tingkat: str) -> None:
    st.info(
        f"Peta {tingkat} tidak tersedia: berkas batas wilayah (GeoJSON) tidak ada untuk snapshot "
        "ini. Peringkat dan tabel tetap ditampilkan.",
        icon=":material/map:",
    )
