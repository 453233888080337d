"""Reads of village statuses (IDM and Indeks Desa) and of KPI targets.

A year's village status is the Indeks Desa one where the year has Indeks Desa rows, and the
IDM one otherwise (docs/contracts.md, "Indeks Desa"): every function here says which scheme it used.
A snapshot published before Indeks Desa or targets simply lacks those tables: the functions
then answer with IDM only, or with no targets.
"""

import pandas as pd

from dashboards.data.catalogue import has_table
from dashboards.data.snapshot import read, snapshot_query
from laporan import formatting as fmt

IDM = "idm"
INDEKS_DESA = "indeks_desa"
SCHEME_LABELS = fmt.SCHEME_LABELS


def _has_indeks_desa() -> bool:
    return has_table(INDEKS_DESA)


@snapshot_query
def dimensions() -> dict[str, str]:
    """{indeks_desa column: label} of the six Indeks Desa dimensions in their order, as the
    snapshot's dimensi_indeks_desa states them; empty for a snapshot from before it."""
    if not has_table("dimensi_indeks_desa"):
        return {}
    df = read("select kolom, label from dimensi_indeks_desa order by urutan")
    return dict(zip(df["kolom"], df["label"], strict=True))


@snapshot_query
def status_years() -> dict[str, list[int]]:
    """{skema: [years with rows]} for IDM and Indeks Desa."""
    parts = ["select 'idm' as skema, tahun from idm"]
    if _has_indeks_desa():
        parts.append("select 'indeks_desa' as skema, tahun from indeks_desa")
    df = read(f"select distinct * from ({' union all '.join(parts)}) order by skema, tahun")
    return {
        skema: [int(t) for t in df.loc[df["skema"] == skema, "tahun"]]
        for skema in (IDM, INDEKS_DESA)
    }


@snapshot_query
def status_scheme(kode_kab: str | None, tahun: int) -> str:
    """The scheme a view uses for an area's village status in a year: 'indeks_desa' where the
    area has Indeks Desa rows that year, else 'idm'."""
    if not _has_indeks_desa():
        return IDM
    df = read(
        """
        select count(*) as n from indeks_desa
        where tahun = ? and (?::varchar is null or kode_kab = ?)
        """,
        [int(tahun), kode_kab, kode_kab],
    )
    return INDEKS_DESA if int(df["n"].iloc[0]) > 0 else IDM


@snapshot_query
def status_counts(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """How many desa have each status in an area and year, under status_scheme(): status,
    jumlah. Indeks Desa uses the stated status, IDM the status computed from the score."""
    if status_scheme(kode_kab, tahun) == INDEKS_DESA:
        sql = """
            select status_indeks_desa as status, count(*)::integer as jumlah
            from indeks_desa
            where tahun = ? and (?::varchar is null or kode_kab = ?)
            group by all
        """
    else:
        sql = """
            select status_idm_hitung as status, count(*)::integer as jumlah
            from idm
            where tahun = ? and (?::varchar is null or kode_kab = ?)
            group by all
        """
    return read(sql, [int(tahun), kode_kab, kode_kab])


@snapshot_query
def desa_status(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """Each desa's status in a year: kode_desa, skema, skor, status. Indeks Desa where the desa
    has a row that year, IDM otherwise (as desa_prioritas does)."""
    if not _has_indeks_desa():
        return read(
            """
            select kode_desa, 'idm' as skema, nilai_idm_hitung as skor,
                   status_idm_hitung as status
            from idm where tahun = ? and (?::varchar is null or kode_kab = ?)
            order by kode_desa
            """,
            [int(tahun), kode_kab, kode_kab],
        )
    return read(
        """
        select coalesce(i.kode_desa, m.kode_desa) as kode_desa,
               case when i.kode_desa is not null then 'indeks_desa' else 'idm' end as skema,
               coalesce(i.skor_indeks_desa, m.nilai_idm_hitung) as skor,
               coalesce(i.status_indeks_desa, m.status_idm_hitung) as status
        from (select * from indeks_desa
              where tahun = ? and (?::varchar is null or kode_kab = ?)) as i
        full join (select * from idm
                   where tahun = ? and (?::varchar is null or kode_kab = ?)) as m
            on m.kode_desa = i.kode_desa
        order by kode_desa
        """,
        [int(tahun), kode_kab, kode_kab] * 2,
    )


@snapshot_query
def status_thresholds(skema: str, tahun: int) -> pd.DataFrame:
    """The cut-offs of a scheme in force in a year: status, batas_bawah, batas_atas,
    bawah_inklusif, desimal, urutan, terverifikasi, sumber (idm_ambang_status)."""
    df = read("select * from idm_ambang_status limit 0")
    extra = [c for c in ("bawah_inklusif", "desimal", "terverifikasi", "sumber") if c in df]
    columns = ", ".join(["status", "batas_bawah", "batas_atas", "urutan", *extra])
    out = read(
        f"""
        select {columns} from idm_ambang_status
        where skema = ? and ? between tahun_mulai and tahun_selesai
        order by urutan
        """,
        [skema, int(tahun)],
    )
    if "terverifikasi" not in out:
        out["terverifikasi"] = True
    return out


@snapshot_query
def status_transitions(kode_kab: str, tahun_idm: int, tahun_indeks_desa: int) -> pd.DataFrame:
    """The desa of a kabupaten with both an IDM status in `tahun_idm` and an Indeks Desa status
    in `tahun_indeks_desa`: kode_desa, nama_desa, nama_kecamatan, status_idm, status_id."""
    if not _has_indeks_desa():
        return pd.DataFrame(
            columns=["kode_desa", "nama_desa", "nama_kecamatan", "status_idm", "status_id"]
        )
    return read(
        """
        select m.kode_desa, w.nama as nama_desa, kc.nama as nama_kecamatan,
               m.status_idm_hitung as status_idm, i.status_indeks_desa as status_id
        from idm as m
        join indeks_desa as i on i.kode_desa = m.kode_desa and i.tahun = ?
        left join wilayah as w on w.kode = m.kode_desa and w.tingkat = 'desa'
        left join wilayah as kc on kc.kode = w.kode_kec and kc.tingkat = 'kecamatan'
        where m.tahun = ? and m.kode_kab = ?
        order by m.kode_desa
        """,
        [int(tahun_indeks_desa), int(tahun_idm), kode_kab],
    )


@snapshot_query
def dimension_scores(kode_desa: str, tahun: int) -> pd.DataFrame:
    """The desa's six Indeks Desa dimension scores in a year beside the means of its kabupaten
    and of the province (over the desa reporting that year): dimensi, desa, kabupaten,
    provinsi. Empty when the desa has no Indeks Desa row that year."""
    columns = list(dimensions())
    if not _has_indeks_desa() or not columns:
        return pd.DataFrame(columns=["dimensi", "desa", "kabupaten", "provinsi"])
    means = ", ".join(f"avg({c}) as {c}" for c in columns)
    desa_kab = read(
        f"""
        select 'desa' as wilayah, {", ".join(columns)} from indeks_desa
        where kode_desa = ? and tahun = ?
        union all
        select 'kabupaten', {means} from indeks_desa
        where tahun = ? and kode_kab = (select kode_kab from indeks_desa
                                        where kode_desa = ? and tahun = ?)
        union all
        select 'provinsi', {means} from indeks_desa where tahun = ?
        """,
        [kode_desa, int(tahun), int(tahun), kode_desa, int(tahun), int(tahun)],
    )
    if (desa_kab["wilayah"] == "desa").sum() == 0:
        return pd.DataFrame(columns=["dimensi", "desa", "kabupaten", "provinsi"])
    wide = desa_kab.set_index("wilayah")[columns].T
    wide.index.name = "dimensi"
    return wide.reset_index()[["dimensi", "desa", "kabupaten", "provinsi"]]


@snapshot_query
def weakest_dimensions(tahun: int) -> pd.DataFrame:
    """Per kabupaten: the Indeks Desa dimension with the lowest mean in a year, and its mean:
    kode_kab, dimensi, skor."""
    columns = list(dimensions())
    if not _has_indeks_desa() or not columns:
        return pd.DataFrame(columns=["kode_kab", "dimensi", "skor"])
    unpivot = " union all ".join(
        f"select kode_kab, '{c}' as dimensi, avg({c}) as skor from indeks_desa "
        "where tahun = ? group by kode_kab"
        for c in columns
    )
    return read(
        f"""
        select kode_kab, arg_min(dimensi, skor) as dimensi, min(skor) as skor
        from ({unpivot}) where skor is not null
        group by kode_kab order by kode_kab
        """,
        [int(tahun)] * len(columns),
    )


# --- targets -----------------------------------------------------------------------------------


@snapshot_query
def targets() -> pd.DataFrame:
    """capaian_target: every area (kabupaten and province) against its nearest target, for
    every KPI with a target anywhere. Empty for a snapshot without targets."""
    if not has_table("capaian_target"):
        return pd.DataFrame(
            columns=[
                "kpi_id", "tingkat", "kode_wilayah", "nama_wilayah", "arah",
                "target_kode_wilayah", "target_tingkat", "target_dari_atas", "target_tahun",
                "target_nilai", "sumber", "catatan", "asal", "tahun_awal", "nilai_awal",
                "tahun_terakhir", "nilai_terakhir", "nilai_seharusnya", "status",
            ]
        )  # fmt: skip
    df = read("select * from capaian_target order by kpi_id, tingkat desc, kode_wilayah")
    df["target_dari_atas"] = df["target_dari_atas"].fillna(False).astype(bool)
    return df


@snapshot_query
def target_of(kpi_id: str, kode_wilayah: str) -> dict | None:
    """The capaian_target row of one KPI and area as a dict, or None without a target (looked
    up per KPI card: cached)."""
    df = targets()
    rows = df[(df["kpi_id"] == kpi_id) & (df["kode_wilayah"] == kode_wilayah)]
    return None if rows.empty else rows.iloc[0].to_dict()
