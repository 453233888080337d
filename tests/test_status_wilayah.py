"""status_wilayah: the scheme, status and weakest Indeks Desa dimension of every desa, kabupaten
and province per year, computed once in the pipeline. Expected values are worked out by hand
from the small frames below."""

import polars as pl
import pytest

from pipelines.contracts.catalogue import dimensions_frame
from pipelines.transforms.status import status_wilayah, weakest
from tests.conftest import drop, published, run_pipeline

DIMENSIONS = dimensions_frame()["kolom"].to_list()  # layanan_dasar, sosial, ekonomi, lingkungan,
# aksesibilitas, tata_kelola: the official order, which breaks ties

A, B, C, D, E = "62.01.01.2001", "62.01.01.2002", "62.02.01.2001", "62.02.01.2002", "62.02.01.2003"
N = None
# kode_desa, tahun, IDM (skor, status) or None, Indeks Desa (skor, status, six dims) or None
ROWS = [
    (A, 2023, (0.70, "berkembang"), None),
    (B, 2023, (0.55, "tertinggal"), None),
    (C, 2023, (0.80, "maju"), None),
    (D, 2023, (0.50, "tertinggal"), None),
    # A: sosial and ekonomi tie at 50: sosial comes first in the official order.
    (A, 2024, None, (70.0, "maju", 60.0, 50.0, 50.0, 70.0, 80.0, 90.0)),
    # B: no Indeks Desa in 2024, so its IDM status stands.
    (B, 2024, (0.60, "berkembang"), None),
    (C, 2024, None, (55.0, "tertinggal", 56.0, 60.0, 45.0, 70.0, 35.0, 80.0)),
    # D: both schemes in 2024: Indeks Desa wins, its score is never mixed with IDM's 0.9.
    # Layanan dasar is missing: skipped, not a 0.
    (D, 2024, (0.90, "mandiri"), (64.0, "berkembang", N, 70.0, 65.0, 60.0, 75.0, 68.0)),
    (E, 2024, None, None),  # in the village list, no status data: no row
]


def _basis() -> pl.LazyFrame:
    records = []
    for kode, tahun, idm, indeks in ROWS:
        record = {
            "kode_desa": kode,
            "kode_kab": kode[:5],
            "kode_prov": kode[:2],
            "tahun": tahun,
            "ada_idm": idm is not None,
            "nilai_idm_hitung": idm[0] if idm else None,
            "status_idm_hitung": idm[1] if idm else None,
            "ada_indeks_desa": indeks is not None,
            "skor_indeks_desa": indeks[0] if indeks else None,
            "status_indeks_desa": indeks[1] if indeks else None,
        }
        for i, column in enumerate(DIMENSIONS):
            record[column] = indeks[2 + i] if indeks else None
        records.append(record)
    schema = {
        "kode_desa": pl.String, "kode_kab": pl.String, "kode_prov": pl.String,
        "tahun": pl.Int32, "ada_idm": pl.Boolean, "nilai_idm_hitung": pl.Float64,
        "status_idm_hitung": pl.String, "ada_indeks_desa": pl.Boolean,
        "skor_indeks_desa": pl.Float64, "status_indeks_desa": pl.String,
        **dict.fromkeys(DIMENSIONS, pl.Float64),
    }  # fmt: skip
    return pl.DataFrame(records, schema=schema).lazy()


@pytest.fixture(scope="module")
def result() -> dict[tuple[str, str, int], dict]:
    frame = status_wilayah(_basis(), DIMENSIONS).collect()
    return {(r["tingkat"], r["kode"], r["tahun"]): r for r in frame.iter_rows(named=True)}


def test_one_row_per_rated_desa_and_per_area_year(result):
    desa = sorted((k, t) for tingkat, k, t in result if tingkat == "desa")
    assert desa == [(A, 2023), (A, 2024), (B, 2023), (B, 2024), (C, 2023), (C, 2024),
                    (D, 2023), (D, 2024)]  # fmt: skip
    areas = sorted((tingkat, k, t) for tingkat, k, t in result if tingkat != "desa")
    assert areas == [
        ("kabupaten", "62.01", 2023), ("kabupaten", "62.01", 2024),
        ("kabupaten", "62.02", 2023), ("kabupaten", "62.02", 2024),
        ("provinsi", "62", 2023), ("provinsi", "62", 2024),
    ]  # fmt: skip


def test_a_desa_uses_indeks_desa_where_its_year_has_it_else_idm(result):
    a23, a24 = result[("desa", A, 2023)], result[("desa", A, 2024)]
    assert (a23["skema"], a23["skor"], a23["status"]) == ("idm", 0.70, "berkembang")
    assert (a24["skema"], a24["skor"], a24["status"]) == ("indeks_desa", 70.0, "maju")
    b24 = result[("desa", B, 2024)]  # no Indeks Desa: falls back to IDM
    assert (b24["skema"], b24["skor"], b24["status"]) == ("idm", 0.60, "berkembang")
    assert b24["dimensi_terlemah"] is None
    assert b24["skor_terlemah"] is None
    d24 = result[("desa", D, 2024)]  # both: Indeks Desa, never IDM's 0.9 score
    assert (d24["skema"], d24["skor"], d24["status"]) == ("indeks_desa", 64.0, "berkembang")
    assert result[("desa", C, 2024)]["kode_kab"] == "62.02"


def test_an_area_uses_indeks_desa_where_any_of_its_desa_has_it_that_year(result):
    assert result[("kabupaten", "62.01", 2023)]["skema"] == "idm"
    assert result[("kabupaten", "62.01", 2024)]["skema"] == "indeks_desa"  # A has it, B not
    assert result[("provinsi", "62", 2023)]["skema"] == "idm"
    assert result[("provinsi", "62", 2024)]["skema"] == "indeks_desa"
    for key in [("kabupaten", "62.01", 2024), ("provinsi", "62", 2024)]:
        assert result[key]["skor"] is None
        assert result[key]["status"] is None
    assert result[("kabupaten", "62.02", 2024)]["kode_kab"] == "62.02"
    assert result[("provinsi", "62", 2024)]["kode_kab"] is None


def test_weakest_dimension_of_a_desa_ties_to_the_official_order(result):
    a = result[("desa", A, 2024)]  # sosial 50 = ekonomi 50
    assert (a["dimensi_terlemah"], a["skor_terlemah"]) == ("skor_sosial", 50.0)
    c = result[("desa", C, 2024)]
    assert (c["dimensi_terlemah"], c["skor_terlemah"]) == ("skor_aksesibilitas", 35.0)
    d = result[("desa", D, 2024)]  # layanan dasar missing: the lowest of the other five
    assert (d["dimensi_terlemah"], d["skor_terlemah"]) == ("skor_lingkungan", 60.0)
    assert result[("desa", A, 2023)]["dimensi_terlemah"] is None  # IDM year


def test_weakest_dimension_of_an_area_is_the_lowest_mean_over_its_indeks_desa_villages(result):
    # 62.01 2024: only A has Indeks Desa (B's IDM row does not count): A's own tie, sosial.
    kab1 = result[("kabupaten", "62.01", 2024)]
    assert (kab1["dimensi_terlemah"], kab1["skor_terlemah"]) == ("skor_sosial", 50.0)
    # 62.02 2024: C and D. Means: layanan dasar 56 (D's missing score skipped, not 28),
    # sosial 65, ekonomi 55, lingkungan 65, aksesibilitas 55, tata kelola 74:
    # ekonomi and aksesibilitas tie at 55, ekonomi comes first.
    kab2 = result[("kabupaten", "62.02", 2024)]
    assert kab2["dimensi_terlemah"] == "skor_ekonomi"
    assert kab2["skor_terlemah"] == pytest.approx(55.0)
    # Province 2024: A, C, D. Means: 58, 60, 53.33, 66.67, 63.33, 79.33: ekonomi.
    prov = result[("provinsi", "62", 2024)]
    assert prov["dimensi_terlemah"] == "skor_ekonomi"
    assert prov["skor_terlemah"] == pytest.approx((50 + 45 + 65) / 3)
    assert result[("kabupaten", "62.01", 2023)]["dimensi_terlemah"] is None


def test_weakest_of_all_missing_scores_is_missing():
    frame = pl.DataFrame(
        {"a": [None, 3.0, 2.0], "b": [None, 3.0, 1.0]}, schema={"a": pl.Float64, "b": pl.Float64}
    )
    name, low = weakest(["a", "b"])
    out = frame.select(name.alias("n"), low.alias("s"))
    assert out.rows() == [(None, None), ("a", 3.0), ("b", 1.0)]


def test_the_table_is_narrow_and_typed(result):
    frame = status_wilayah(_basis(), DIMENSIONS).collect()
    assert frame.schema == pl.Schema(
        {
            "tingkat": pl.String, "kode": pl.String, "kode_kab": pl.String,
            "tahun": pl.Int32, "skema": pl.String, "skor": pl.Float64, "status": pl.String,
            "dimensi_terlemah": pl.String, "skor_terlemah": pl.Float64,
        }
    )  # fmt: skip


ID_HEADER = (
    "kode_desa,tahun,skor_indeks_desa,status_indeks_desa,skor_layanan_dasar,skor_sosial,"
    "skor_ekonomi,skor_lingkungan,skor_aksesibilitas,skor_tata_kelola\n"
)
# Katingan 2025. Means: layanan dasar 70, sosial 66.5, ekonomi 60, lingkungan 58.5,
# aksesibilitas 61, tata kelola 65: lingkungan.
ID_ROWS = (
    "62.06.01.2001,2025,72.0,maju,80,75,70,65,60,82\n"
    "62.06.01.2002,2025,55.0,tertinggal,60,58,50,52,62,48\n"
)


def test_the_pipeline_builds_and_publishes_status_wilayah(data_dir):
    drop(data_dir, "indeks_desa", "katingan_id.csv", ID_HEADER + ID_ROWS)
    assert run_pipeline(data_dir).success
    rows = published(
        data_dir,
        "select tingkat, kode, kode_kab, tahun, skema, skor, status, dimensi_terlemah, "
        "skor_terlemah from status_wilayah order by tingkat, kode",
    ).rows()
    assert rows == [
        ("desa", "62.06.01.2001", "62.06", 2025, "indeks_desa", 72.0, "maju",
         "skor_aksesibilitas", 60.0),
        ("desa", "62.06.01.2002", "62.06", 2025, "indeks_desa", 55.0, "tertinggal",
         "skor_tata_kelola", 48.0),
        ("kabupaten", "62.06", "62.06", 2025, "indeks_desa", None, None, "skor_lingkungan", 58.5),
        ("provinsi", "62", None, 2025, "indeks_desa", None, None, "skor_lingkungan", 58.5),
    ]  # fmt: skip
    statuses = published(data_dir, "select status, baik from status_target order by urutan")
    assert statuses.rows() == [
        ("tertinggal dari jalur", False),
        ("sesuai jalur", True),
        ("target tercapai", True),
    ]
    levels = published(data_dir, "select tingkat, label from tingkat_target order by urutan")
    assert dict(levels.rows())["kabupaten"] == "kabupaten/kota"
