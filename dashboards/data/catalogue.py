"""The catalogue the snapshot carries: datasets, KPIs, issues, village statuses, thresholds and
weights. The dashboard keeps no copy of any of them (issue 13): a new dataset, KPI or status
in the pipeline's declarations shows here without a dashboard edit.
"""

import pandas as pd

from dashboards.data.snapshot import read, snapshot_query
from laporan.formatting import short_title  # shared with the briefing PDF


@snapshot_query
def has_table(name: str) -> bool:
    """Whether the snapshot has this table (an older snapshot may lack a newer one)."""
    df = read(
        """
        select count(*) as n from information_schema.tables
        where table_catalog = current_database() and table_name = ?
        """,
        [name],
    )
    return bool(df["n"].iloc[0])


@snapshot_query
def datasets() -> pd.DataFrame:
    """dataset_definisi in its order: dataset, nama, judul (a short title), kunci (a tuple),
    hanya_desa, wilayah ('desa', 'desa_kelurahan' or 'kabupaten'), urutan, catatan."""
    if not has_table("dataset_definisi"):  # a snapshot from before the catalogue was published
        return pd.DataFrame(
            columns=["dataset", "nama", "judul", "kunci", "hanya_desa", "wilayah", "urutan"]
        )
    df = read(
        """
        select * exclude (kolom)
        from dataset_definisi
        order by urutan, dataset
        """
    )
    df["kunci"] = [tuple(k) if k is not None else () for k in df["kunci"]]
    short = df["nama_singkat"] if "nama_singkat" in df.columns else df["nama"].map(short_title)
    df.insert(2, "judul", short)
    return df


@snapshot_query
def dataset_definition(name: str) -> dict:
    """One dataset_definisi row as a dict (with `kolom`, the JSON the templates read)."""
    if not has_table("dataset_definisi"):
        raise KeyError(name)
    df = read("select * from dataset_definisi where dataset = ?", [name])
    if df.empty:
        raise KeyError(name)
    row = df.iloc[0].to_dict()
    row["kunci"] = tuple(row["kunci"]) if row.get("kunci") is not None else ()
    return row


def uploadable_datasets(petugas: bool) -> list[str]:
    """The datasets an account may send; a petugas not those its role may not (docs/operations.md)."""
    d = datasets()
    if d.empty:
        raise KeyError("dataset_definisi")
    if petugas and "unggah_petugas" in d.columns:
        d = d[d["unggah_petugas"].fillna(True).astype(bool)]
    return list(d["dataset"])


@snapshot_query
def dataset_titles() -> dict[str, str]:
    """{dataset: short title} for every declared dataset (looked up per label: cached)."""
    d = datasets()
    return dict(zip(d["dataset"], d["judul"], strict=True))


def village_datasets() -> list[str]:
    """The datasets whose rows name a village (desa, or desa and kelurahan), in order."""
    d = datasets()
    return list(d.loc[d["wilayah"].isin(["desa", "desa_kelurahan"]), "dataset"])


@snapshot_query
def issues() -> pd.DataFrame:
    """isu_definisi in the agency's order: isu, nama, urutan."""
    return read("select isu, nama, urutan from isu_definisi order by urutan, isu")


KPI_DEFINITION_COLUMNS = [
    "kpi_id", "isu", "isu_nama", "nama", "satuan", "arah", "rumus", "dataset_sumber", "urutan",
    "utama", "program",
]  # fmt: skip


@snapshot_query
def kpi_definitions() -> pd.DataFrame:
    """kpi_definisi in display order: by issue (isu_definisi.urutan), then urutan. `program`:
    the agency's own effort (program_kegiatan), shown beside an issue's outcome KPIs; false
    for every KPI of a snapshot published before kpi_definisi had that column."""
    # `d.*`, then the columns picked here: an older snapshot's kpi_definisi lacks `program`,
    # and the statement stays one literal whatever the snapshot's age.
    df = read(
        """
        select d.*
        from kpi_definisi as d
        left join isu_definisi as i using (isu)
        order by coalesce(i.urutan, 99), d.urutan, d.kpi_id
        """
    )
    program = df["program"] if "program" in df.columns else False
    return df.assign(
        utama=df["utama"].fillna(False).astype(bool),
        program=pd.Series(program, index=df.index).fillna(False).astype(bool),
    )[KPI_DEFINITION_COLUMNS]


@snapshot_query
def village_statuses() -> pd.DataFrame:
    """status_desa from worst to best: status, urutan (1 = worst), label."""
    return read("select status, urutan, label from status_desa order by urutan")


@snapshot_query
def idm_thresholds(tahun: int) -> pd.DataFrame:
    """The IDM status cut-offs in force in a year (idm_ambang_status, skema 'idm'): status,
    batas_bawah (exclusive, NULL for the lowest), batas_atas (inclusive, NULL for the highest),
    urutan."""
    return read(
        """
        select status, batas_bawah, batas_atas, urutan
        from idm_ambang_status
        where skema = 'idm' and ? between tahun_mulai and tahun_selesai
        order by urutan
        """,
        [int(tahun)],
    )


@snapshot_query
def _priority_weights() -> pd.DataFrame:
    return read("select faktor, bobot, nilai_penuh, keterangan from bobot_desa_prioritas")


@snapshot_query
def priority_factor_labels() -> dict[str, str]:
    """{faktor: short name} of the desa prioritas factors (faktor_desa_prioritas), in their
    order; empty for a snapshot from before it."""
    if not has_table("faktor_desa_prioritas"):
        return {}
    df = read("select faktor, label from faktor_desa_prioritas order by urutan")
    return dict(zip(df["faktor"], df["label"], strict=True))


def priority_weights() -> pd.DataFrame | None:
    """The desa prioritas weights the pipeline's run used (faktor, bobot, nilai_penuh,
    keterangan), or None for a snapshot published before they were."""
    if not has_table("bobot_desa_prioritas"):
        return None
    return _priority_weights()
