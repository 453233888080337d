"""The agency's activities (the published `program_kegiatan` table), for the Program & Kegiatan
page: the rows as sent, with the area's name."""

import pandas as pd

from dashboards.data.catalogue import has_table
from dashboards.data.snapshot import read, snapshot_query

COLUMNS = [
    "kode_wilayah", "nama_wilayah", "tahun", "kode_kegiatan", "nama_kegiatan", "isu",
    "indikator_keluaran", "satuan_keluaran", "target_keluaran", "realisasi_keluaran", "pagu",
    "realisasi_anggaran", "desa_sasaran", "sintetis",
]  # fmt: skip


@snapshot_query
def program_activities(tahun: int | None = None) -> pd.DataFrame:
    """Every activity of a year (all years when None), province first, then by area and code.
    Empty for a snapshot published before the dataset existed."""
    if not has_table("program_kegiatan"):
        return pd.DataFrame(columns=COLUMNS)
    df = read(
        """
        select p.kode_wilayah, w.nama as nama_wilayah, p.tahun, p.kode_kegiatan,
               p.nama_kegiatan, p.isu, p.indikator_keluaran, p.satuan_keluaran,
               p.target_keluaran, p.realisasi_keluaran, cast(p.pagu as double) as pagu,
               cast(p.realisasi_anggaran as double) as realisasi_anggaran, p.desa_sasaran,
               coalesce(p.sintetis, false) as sintetis
        from program_kegiatan as p
        left join wilayah as w on w.kode = p.kode_wilayah
        where ?::integer is null or p.tahun = ?
        order by p.tahun, length(p.kode_wilayah), p.kode_wilayah, p.kode_kegiatan
        """,
        [tahun, tahun],
    )
    return df[COLUMNS]
