"""Reads of village statuses (IDM and Indeks Desa) and of KPI targets.

Which scheme a village-year uses, its status and its weakest Indeks Desa dimension, and the
same per kabupaten and province, are published once, in `status_wilayah` (docs/contracts.md,
"Indeks Desa"): these functions read it and say which scheme they used, never choosing again.
A snapshot published before that table answers with no statuses (IDM as the scheme); one
before Indeks Desa or targets simply lacks those tables and their readings are empty.
"""

import pandas as pd

from dashboards.data.catalogue import has_table
from dashboards.data.snapshot import read, snapshot_query
from laporan import formatting as fmt

IDM = "idm"
INDEKS_DESA = "indeks_desa"
SCHEME_LABELS = fmt.SCHEME_LABELS
STATUS_TABLE = "status_wilayah"


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
    """{skema: [years with rows]}: the years of the idm and indeks_desa datasets themselves
    (a year may have both), for comparing one scheme's statuses with the other's."""
    idm = read("select distinct tahun from idm order by tahun")
    indeks_desa = (
        read("select distinct tahun from indeks_desa order by tahun")
        if _has_indeks_desa()
        else pd.DataFrame(columns=["tahun"])
    )
    return {
        IDM: [int(t) for t in idm["tahun"]],
        INDEKS_DESA: [int(t) for t in indeks_desa["tahun"]],
    }


@snapshot_query
def status_scheme(kode_kab: str | None, tahun: int) -> str:
    """The scheme a view uses for an area's village status in a year (status_wilayah.skema of
    the kabupaten, or of the province when kode_kab is None): 'indeks_desa' where the area
    has Indeks Desa rows that year, else 'idm'."""
    if not has_table(STATUS_TABLE):
        return IDM
    df = read(
        """
        select count(*) as n from status_wilayah
        where tahun = ? and skema = ?
          and case when ?::varchar is null then tingkat = 'provinsi'
                   else tingkat = 'kabupaten' and kode = ? end
        """,
        [int(tahun), INDEKS_DESA, kode_kab, kode_kab],
    )
    return INDEKS_DESA if int(df["n"].iloc[0]) > 0 else IDM


@snapshot_query
def status_counts(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """How many desa have each status in an area and year, under status_scheme(): status,
    jumlah. Indeks Desa counts the stated status, IDM the status computed from the score."""
    if not has_table(STATUS_TABLE):
        return pd.DataFrame(columns=["status", "jumlah"])
    return read(
        """
        select status, count(*)::integer as jumlah
        from status_wilayah
        where tingkat = 'desa' and tahun = ? and skema = ?
          and (?::varchar is null or kode_kab = ?)
        group by all
        """,
        [int(tahun), status_scheme(kode_kab, tahun), kode_kab, kode_kab],
    )


@snapshot_query
def desa_status(kode_kab: str | None, tahun: int) -> pd.DataFrame:
    """Each desa's status in a year: kode_desa, skema, skor, status. Indeks Desa where the desa
    has a row that year, IDM otherwise (as desa_prioritas does)."""
    if not has_table(STATUS_TABLE):
        return pd.DataFrame(columns=["kode_desa", "skema", "skor", "status"])
    return read(
        """
        select kode as kode_desa, skema, skor, status
        from status_wilayah
        where tingkat = 'desa' and tahun = ? and (?::varchar is null or kode_kab = ?)
        order by kode
        """,
        [int(tahun), kode_kab, kode_kab],
    )


THRESHOLD_COLUMNS = ["status", "batas_bawah", "batas_atas", "urutan"]
THRESHOLD_EXTRAS = ["bawah_inklusif", "desimal", "terverifikasi", "sumber"]


@snapshot_query
def status_thresholds(skema: str, tahun: int) -> pd.DataFrame:
    """The cut-offs of a scheme in force in a year: status, batas_bawah, batas_atas,
    bawah_inklusif, desimal, urutan, terverifikasi, sumber (idm_ambang_status)."""
    # `select *`: an older snapshot's table lacks some of the extra columns.
    out = read(
        """
        select * from idm_ambang_status
        where skema = ? and ? between tahun_mulai and tahun_selesai
        order by urutan
        """,
        [skema, int(tahun)],
    )
    out = out[THRESHOLD_COLUMNS + [c for c in THRESHOLD_EXTRAS if c in out.columns]]
    if "terverifikasi" not in out:
        out = out.assign(terverifikasi=True)
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
    provinsi, in the order of dimensi_indeks_desa. Empty when the desa has no Indeks Desa row
    that year."""
    empty = pd.DataFrame(columns=["dimensi", "desa", "kabupaten", "provinsi"])
    if not _has_indeks_desa() or not dimensions():
        return empty
    # The scores long (one row per desa and indeks_desa score column); the join keeps the
    # six dimensions dimensi_indeks_desa names (the total score drops out).
    return read(
        """
        with dipilih as (
            select kode_kab from indeks_desa where kode_desa = ? and tahun = ?
        ),
        skor as (
            unpivot (select kode_desa, kode_kab, columns('^skor_') from indeks_desa
                     where tahun = ?)
            on columns('^skor_') into name kolom value nilai
        )
        select d.kolom as dimensi,
               avg(s.nilai) filter (where s.kode_desa = ?) as desa,
               avg(s.nilai) filter (where s.kode_kab = (select kode_kab from dipilih))
                   as kabupaten,
               avg(s.nilai) as provinsi
        from dimensi_indeks_desa as d
        left join skor as s using (kolom)
        where exists (select 1 from dipilih)
        group by d.kolom, d.urutan
        order by d.urutan
        """,
        [kode_desa, int(tahun), int(tahun), kode_desa],
    )


@snapshot_query
def weakest_dimension(tingkat: str, kode: str, tahun: int) -> dict | None:
    """The weakest Indeks Desa dimension of a desa (its lowest score) or of a kabupaten or
    province (its lowest mean) in a year, as status_wilayah states it: dimensi (the
    indeks_desa column), label, skor. None without Indeks Desa that year."""
    if not has_table(STATUS_TABLE) or not has_table("dimensi_indeks_desa"):
        return None
    df = read(
        """
        select d.kolom as dimensi, d.label, s.skor_terlemah as skor
        from status_wilayah as s
        join dimensi_indeks_desa as d on d.kolom = s.dimensi_terlemah
        where s.tingkat = ? and s.kode = ? and s.tahun = ?
        """,
        [tingkat, kode, int(tahun)],
    )
    return None if df.empty else df.iloc[0].to_dict()


@snapshot_query
def weakest_dimensions(tahun: int) -> pd.DataFrame:
    """Per kabupaten: the Indeks Desa dimension with the lowest mean in a year, and its mean:
    kode_kab, dimensi, skor (status_wilayah)."""
    if not has_table(STATUS_TABLE):
        return pd.DataFrame(columns=["kode_kab", "dimensi", "skor"])
    return read(
        """
        select kode as kode_kab, dimensi_terlemah as dimensi, skor_terlemah as skor
        from status_wilayah
        where tingkat = 'kabupaten' and tahun = ? and dimensi_terlemah is not null
        order by kode
        """,
        [int(tahun)],
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


@snapshot_query
def target_statuses() -> pd.DataFrame:
    """status_target: the statuses of capaian_target worst first, with the words to show and
    whether each is on the good side: status, label, urutan, baik. Empty for a snapshot from
    before it (every status then reads as unknown)."""
    if not has_table("status_target"):
        return pd.DataFrame(columns=["status", "label", "urutan", "baik"])
    df = read("select status, label, urutan, baik from status_target order by urutan")
    return df.assign(baik=df["baik"].fillna(False).astype(bool))


@snapshot_query
def target_levels() -> dict[str, str]:
    """{target_tingkat: label} (tingkat_target): 'kabupaten' -> 'kabupaten/kota'. Empty for a
    snapshot from before it (the level is then shown as stored)."""
    if not has_table("tingkat_target"):
        return {}
    df = read("select tingkat, label from tingkat_target order by urutan")
    return dict(zip(df["tingkat"], df["label"], strict=True))
