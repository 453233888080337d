"""Shaping for the Program & Kegiatan page and the programme lines elsewhere: which KPIs are an
issue's programme figures, the activities table in Indonesian, and per-year series."""

import pandas as pd

from laporan import formatting as fmt

# program_kegiatan writes the issue as 1..4 or tujuan; the catalogue as isu1..isu4, tujuan.
ISU_CODE = {"isu1": "1", "isu2": "2", "isu3": "3", "isu4": "4", "tujuan": "tujuan"}
SHOWN_TOGETHER = (
    "Angka program Dinas dan indikator hasil di desa ditampilkan **berdampingan** pada sumbu "
    "waktu yang sama. Ini **bukan** bukti bahwa yang satu menyebabkan yang lain: hasil di desa "
    "juga dipengaruhi Dana Desa, program lain, harga, cuaca dan banyak hal lain, dan biasanya "
    "berubah lebih lambat daripada anggaran."
)


def program_kpis(definitions: pd.DataFrame, isu: str) -> tuple[str | None, str | None]:
    """(serapan kpi_id, keluaran kpi_id) of an issue, from the catalogue's `program` flag."""
    group = definitions[(definitions["isu"] == isu) & definitions["program"]]
    serapan = next((k for k in group["kpi_id"] if "serapan" in k), None)
    keluaran = next((k for k in group["kpi_id"] if "keluaran" in k), None)
    return serapan, keluaran


def outcome_kpis(definitions: pd.DataFrame, isu: str) -> pd.DataFrame:
    """An issue's outcome KPIs (not the programme's), headline ones first."""
    group = definitions[(definitions["isu"] == isu) & ~definitions["program"]]
    return group.sort_values("utama", ascending=False, kind="stable")


def activity_table(rows: pd.DataFrame, isu_names: dict[str, str]) -> pd.DataFrame:
    """The activities as the page shows them (numbers stay numbers; formats are the page's)."""
    label = {code: isu_names.get(isu, code) for isu, code in ISU_CODE.items()}
    capaian = (rows["realisasi_keluaran"] / rows["target_keluaran"]).clip(upper=1.0) * 100
    return pd.DataFrame(
        {
            "Tahun": rows["tahun"].astype("int64"),
            "Wilayah": rows["nama_wilayah"].fillna(rows["kode_wilayah"]),
            "Kode kegiatan": rows["kode_kegiatan"],
            "Kegiatan": rows["nama_kegiatan"],
            "Isu": rows["isu"].map(label).fillna(rows["isu"]),
            "Indikator keluaran": rows["indikator_keluaran"],
            "Target": rows["target_keluaran"],
            "Realisasi": rows["realisasi_keluaran"],
            "Satuan": rows["satuan_keluaran"],
            "Capaian keluaran (%)": capaian,
            "Pagu": rows["pagu"],
            "Realisasi anggaran": rows["realisasi_anggaran"],
            "Serapan (%)": 100 * rows["realisasi_anggaran"] / rows["pagu"],
            "Desa sasaran": rows["desa_sasaran"],
        }
    )


COLUMN_FORMATS = {
    "Tahun": lambda v: str(int(v)),
    "Target": lambda v: fmt.compact_number(v, 2),
    "Realisasi": lambda v: fmt.compact_number(v, 2),
    "Capaian keluaran (%)": fmt.percent,
    "Pagu": fmt.rupiah,
    "Realisasi anggaran": fmt.rupiah,
    "Serapan (%)": fmt.percent,
    "Desa sasaran": lambda v: fmt.number(v, 0),
}


def totals_text(rows: pd.DataFrame) -> str:
    """ "12 kegiatan, pagu Rp 4,2 miliar, terealisasi Rp 3,6 miliar (85,7%)"."""
    if rows.empty:
        return "Tidak ada kegiatan."
    pagu, real = float(rows["pagu"].sum()), float(rows["realisasi_anggaran"].sum())
    return (
        f"{fmt.number(len(rows))} kegiatan, pagu {fmt.rupiah(pagu)}, terealisasi "
        f"{fmt.rupiah(real)} ({fmt.percent(100 * real / pagu if pagu else None)})"
    )


def series(kpi_rows: pd.DataFrame, kode_wilayah: str, kpi_id: str) -> pd.DataFrame:
    """One area's values of one KPI over the years: tahun, nilai."""
    rows = kpi_rows[(kpi_rows["kode_wilayah"] == kode_wilayah) & (kpi_rows["kpi_id"] == kpi_id)]
    return rows[["tahun", "nilai"]].sort_values("tahun")
