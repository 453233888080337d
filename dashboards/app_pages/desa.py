"""Desa: find a village by name or code; its KPIs over the years, its rank, its data."""

from datetime import datetime
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards import components, data, filters
from laporan import formatting as fmt

f = filters.start_page("Desa", params=("desa",))

try:
    villages = data.desa_list(f.kode_kab)
    definitions = data.kpi_definitions()
except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
    filters.handle_error(e)

labels = {
    kode: f"{name} ({jenis}) · Kec. {kec} · {kab} · {kode}"
    for kode, name, jenis, kec, kab in zip(
        villages["kode"],
        villages["nama"],
        villages["jenis"],
        villages["nama_kec"],
        villages["nama_kab"],
        strict=True,
    )
}
kode_desa = filters.choose(
    "Cari desa atau kelurahan (ketik nama atau kode)",
    list(labels),
    "desa",
    allow_empty=True,
    format_func=labels.get,
    placeholder="Ketik nama atau kode desa…",
    help="Daftar mengikuti pilihan kabupaten/kota di panel kiri.",
)
if f.kode_kab:
    st.caption(
        f"Menampilkan desa di {f.nama_kab}. Pilih *Semua* di panel kiri untuk seluruh provinsi."
    )
if kode_desa is None:
    st.info("Pilih desa atau kelurahan untuk melihat profilnya.", icon=":material/search:")
    st.stop()

desa_row = villages[villages["kode"] == kode_desa].iloc[0]
try:
    ranks = data.desa_ranks(kode_desa)
    datasets = data.desa_datasets(kode_desa)
except (data.SnapshotMissing, data.SnapshotUnreadable) as e:
    filters.handle_error(e)

synthetic = {
    name
    for name, df in datasets.items()
    if "sintetis" in df.columns and df["sintetis"].fillna(False).astype(bool).any()
}
components.synthetic_notice(synthetic)

jenis = str(desa_row["jenis"] or "desa")
st.header(f"{'Kelurahan' if jenis == 'kelurahan' else 'Desa'} {desa_row['nama']}")
st.markdown(
    f"Kecamatan **{desa_row['nama_kec']}** · **{desa_row['nama_kab']}** · kode `{kode_desa}`"
)
if jenis == "kelurahan":
    st.info(
        "Kelurahan tidak menerima Dana Desa, tidak dinilai IDM dan tidak mengisi profil desa: "
        "indikator berbasis desa tidak memiliki nilai di sini (lihat kolom Keterangan).",
        icon=":material/info:",
    )

# --- KPIs across years, with the rank in the kabupaten ----------------------------------------
st.subheader("Indikator dari tahun ke tahun")
# years in which the village has at least one value (plus the chosen year, for its reasons)
years_with_values = sorted(
    set(ranks.loc[ranks["nilai"].notna(), "tahun"].tolist())
    | ({f.tahun} if f.tahun in set(ranks["tahun"]) else set())
)
if not years_with_values:
    st.info("Belum ada nilai indikator untuk desa ini.", icon=":material/info:")
else:
    values = ranks.pivot_table(
        index="kpi_id", columns="tahun", values="nilai", aggfunc="first", dropna=False
    )
    current = ranks[ranks["tahun"] == f.tahun].set_index("kpi_id")
    table = definitions[["kpi_id", "isu_nama", "nama", "satuan"]].copy()
    table = table[table["kpi_id"].isin(values.index)]
    shown = pd.DataFrame({"Indikator": table["nama"]})
    download = pd.DataFrame(
        {"Isu": table["isu_nama"], "Indikator": table["nama"], "Satuan": table["satuan"]}
    )
    for t in years_with_values:
        column_values = [values.at[k, t] if t in values.columns else None for k in table["kpi_id"]]
        shown[str(t)] = [
            fmt.kpi_value_short(v, s) for v, s in zip(column_values, table["satuan"], strict=True)
        ]
        download[str(t)] = column_values

    def _rank(k: str) -> str | None:
        if k not in current.index or fmt.is_missing(current.at[k, "peringkat"]):
            return None
        return f"{int(current.at[k, 'peringkat'])} dari {int(current.at[k, 'jumlah_desa'])}"

    def _reason(k: str) -> str | None:
        if k not in current.index:
            return "Tidak ada data yang dilaporkan"
        return (
            components.reason_text(current.at[k, "keterangan"])
            if fmt.is_missing(current.at[k, "nilai"])
            else None
        )

    rank_column = f"Peringkat di kabupaten {f.tahun}"
    shown[rank_column] = [_rank(k) for k in table["kpi_id"]]
    shown[f"Keterangan {f.tahun}"] = [_reason(k) for k in table["kpi_id"]]
    download[rank_column] = shown[rank_column].to_numpy()
    download[f"Keterangan {f.tahun}"] = shown[f"Keterangan {f.tahun}"].to_numpy()
    st.caption(
        "Peringkat 1 = terbaik di antara desa sekabupaten pada tahun terpilih (sesuai arah "
        "indikator); desa tanpa nilai tidak diperingkat."
    )
    components.table(
        shown.fillna(""),
        f"indikator_{kode_desa}",
        key="kpi_desa",
        download=download,
    )

# --- every dataset's rows -------------------------------------------------------------------


def _cell_text(v: object) -> str:
    """One cell of a dataset row, in Indonesian formats."""
    if fmt.is_missing(v):
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, datetime | pd.Timestamp):
        return fmt.sortable_time(v)
    if isinstance(v, int | float | Decimal):
        num = float(v)
        if num.is_integer():
            return fmt.number(num, 0)
        return fmt.compact_number(num, 2 if abs(num) >= 1000 else 4)
    return str(v)


st.subheader("Data yang dilaporkan")
HIDDEN_COLUMNS = {"kode_desa", "kode_kab", "nama_desa"}
for name, df in datasets.items():
    title = components.dataset_label(name)
    if df.empty:
        st.markdown(f"**{title}:** tidak ada data untuk desa ini.")
        continue
    with st.expander(
        f"{title} ({fmt.number(len(df))} baris)" + (" · data contoh" if name in synthetic else ""),
        expanded=name in ("dana_desa", "kemiskinan_desa", "idm"),
    ):
        rows = df.drop(columns=[c for c in df.columns if c in HIDDEN_COLUMNS])
        if "sintetis" in rows.columns:
            rows["sintetis"] = rows["sintetis"].map(
                lambda v: "Ya (data contoh)" if v is True or v == 1 else "Tidak"
            )
        one_per_year = not rows["tahun"].duplicated().any()
        if one_per_year:
            # one row per year: show fields as rows and years as columns, easier to read
            wide = rows.set_index("tahun").T
            wide.columns = [str(c) for c in wide.columns]
            wide = wide.map(_cell_text)
            wide.insert(0, "Kolom", wide.index)
            components.table(wide, f"{name}_{kode_desa}", key=f"ds_{name}", download=rows)
        else:
            components.table(rows, f"{name}_{kode_desa}", key=f"ds_{name}")
