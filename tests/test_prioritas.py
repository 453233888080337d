"""Desa prioritas on a hand-built fixture: scores, ranks, reasons, and missing data flagged."""

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import load_thresholds
from pipelines.contracts.prioritas import FACTORS
from pipelines.settings import REPO_ROOT
from pipelines.transforms.basis import village_year_basis
from pipelines.transforms.prioritas import (
    _reason_texts,
    _with_reasons,
    desa_prioritas,
    load_weights,
)
from tests.test_kpi_transforms import table

D1, D2, D3 = "62.01.01.2001", "62.01.01.2002", "62.01.02.2001"
VILLAGES = pl.DataFrame(
    {
        "kode_desa": [D1, D2, D3],
        "kode_kec": ["62.01.01", "62.01.01", "62.01.02"],
        "kode_kab": ["62.01"] * 3,
        "jenis": ["desa"] * 3,
    }
)
NAMES = pl.DataFrame(
    {"kode": [D1, D2, D3, "62.01.01", "62.01.02", "62.01"],
     "nama": ["Satu", "Dua", "Tiga", "Kec Satu", "Kec Dua", "Kab A"]}
)  # fmt: skip


def idm(kode, tahun, v):
    return {"kode_desa": kode, "tahun": tahun, "iks": v, "ike": v, "ikl": v}


DATA = {
    "kemiskinan_desa": [
        {"kode_desa": k, "tahun": 2024, "jumlah_penduduk": 400, "jumlah_kk": 100,
         "kk_miskin": 40, "kk_miskin_ekstrem": e}
        for k, e in ((D1, 30), (D2, 3), (D3, 10))
    ],
    "idm": [idm(D1, 2023, 0.85), idm(D1, 2024, 0.45), idm(D2, 2023, 0.9), idm(D2, 2024, 0.9),
            idm(D3, 2024, 0.6)],
    "bumdes": [{"kode_desa": D2, "tahun": 2024, "nama_bumdes": "B", "status_aktif": True,
                "badan_hukum": True}],
    "dana_desa": [
        {"kode_desa": D1, "tahun": 2024, "pagu": 1000, "salur": 1000, "realisasi": 500, "blt_kpm": 0},
        {"kode_desa": D2, "tahun": 2024, "pagu": 1000, "salur": 1000, "realisasi": 1000, "blt_kpm": 3},
    ],
}  # fmt: skip


REFERENCE = REPO_ROOT / "data" / "reference"


def compute(
    weights_path: Path = REFERENCE / "bobot_desa_prioritas.csv",
    data: dict | None = None,
    thresholds_path: Path = REFERENCE / "idm_ambang_status.csv",
):
    tables = {name: table(name, (data or DATA).get(name, [])).lazy() for name in DATASETS}
    thresholds = load_thresholds(thresholds_path)
    basis = village_year_basis(VILLAGES.lazy(), [2023, 2024], tables, thresholds)
    result = desa_prioritas(basis, load_weights(weights_path), NAMES.lazy(), thresholds).collect()
    floats = [c for c, t in result.schema.items() if t == pl.Float64]
    assert result.select(pl.any_horizontal(pl.col(floats).is_nan().any())).item() is False
    return {
        row["kode_desa"]: row
        for row in result.filter(pl.col("tahun") == 2024).iter_rows(named=True)
    }


def test_every_factor_at_full_need_scores_100_and_ranks_first():
    d1 = compute()[D1]
    # 30 % extreme poor, IDM 0.45 (below the 0.4907 full point), IDM fell from mandiri,
    # no active BUMDes, 50 % absorption, BLT reaching 0 % of the extreme poor: every factor is 1.
    assert d1["skor"] == pytest.approx(100.0)
    assert d1["peringkat_kab"] == 1
    assert d1["status"] == "dinilai"
    assert d1["alasan"] == (
        "30% KK miskin ekstrem, IDM 0,45 (sangat tertinggal), tidak ada BUMDes aktif"
    )


def test_a_single_factor_gives_its_weighted_share():
    d2 = compute()[D2]
    # only 3 % extreme poor: 0.30 x (3 / 30) = 0.03 of the total weight 1.0 -> 3 points
    assert d2["skor"] == pytest.approx(3.0)
    assert d2["peringkat_kab"] == 2
    assert d2["alasan"] == "3% KK miskin ekstrem"


def test_missing_data_is_flagged_not_ranked_as_fine():
    d3 = compute()[D3]
    assert d3["status"] == "data_kurang"
    assert d3["skor"] is None
    assert d3["peringkat_kab"] is None
    assert d3["data_kurang"] == "dana_desa"
    assert d3["alasan"] == "data belum lengkap: dana_desa"


def test_weights_come_from_configuration(tmp_path):
    config = (REPO_ROOT / "data" / "reference" / "bobot_desa_prioritas.csv").read_text()
    changed = tmp_path / "bobot.csv"
    changed.write_text(config.replace("miskin_ekstrem,0.30,", "miskin_ekstrem,0.60,"))
    # 0.60 x 0.1 over a total weight of 1.3
    assert compute(changed)[D2]["skor"] == pytest.approx(100 * 0.06 / 1.3)


def test_idm_cutoff_comes_from_the_threshold_table(tmp_path):
    shipped = (REFERENCE / "idm_ambang_status.csv").read_text()
    moved = tmp_path / "ambang.csv"
    moved.write_text(shipped.replace("0.8155", "0.95"))
    # D2's IDM 0.9 is mandiri under the shipped cut-off (factor 0) but maju below 0.95:
    # (0.95 - 0.9) / (0.95 - 0.4907) = 0.05 / 0.4593
    assert compute()[D2]["skor_idm_rendah"] == 0.0
    d2 = compute(thresholds_path=moved)[D2]
    assert d2["skor_idm_rendah"] == pytest.approx(0.05 / 0.4593)
    assert d2["status_idm_hitung"] == "maju"
    # 3 points from extreme poverty + 0.20 x 0.05 / 0.4593 of the total weight 1.0
    assert d2["skor"] == pytest.approx(3.0 + 100 * 0.20 * 0.05 / 0.4593)


def _with_dana_desa(**changes) -> dict:
    """DATA with D2's Dana Desa row changed."""
    data = {name: [dict(r) for r in rows] for name, rows in DATA.items()}
    data["dana_desa"][1].update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"pagu": 0, "salur": 0, "realisasi": 0}, "serapan_dana_desa"),  # 0 / 0
        ({"realisasi": None}, "serapan_dana_desa"),
        ({"pagu": None}, "serapan_dana_desa"),
    ],
)
def test_undefined_serapan_is_missing_data_never_nan_or_first(changes, named):
    result = compute(data=_with_dana_desa(**changes))
    d2 = result[D2]
    assert (d2["status"], d2["data_kurang"]) == ("data_kurang", named)
    assert (d2["skor"], d2["peringkat_kab"], d2["serapan_pct"]) == (None, None, None)
    assert d2["alasan"] == f"data belum lengkap: {named}"
    assert (result[D1]["peringkat_kab"], result[D1]["skor"]) == (1, pytest.approx(100.0))


def test_zero_households_leave_the_extreme_poverty_factor_unscored():
    data = {name: [dict(r) for r in rows] for name, rows in DATA.items()}
    data["kemiskinan_desa"][1].update(jumlah_kk=0, kk_miskin=0, kk_miskin_ekstrem=0)
    d2 = compute(data=data)[D2]
    assert d2["kk_miskin_ekstrem_pct"] is None
    assert (d2["status"], d2["data_kurang"], d2["skor"]) == (
        "data_kurang",
        "skor_miskin_ekstrem",
        None,
    )


def test_full_score_point_at_the_cutoff_scores_nobody_instead_of_dividing_by_zero(tmp_path):
    config = (REFERENCE / "bobot_desa_prioritas.csv").read_text()
    changed = tmp_path / "bobot.csv"
    changed.write_text(config.replace("serapan_rendah,0.10,50,", "serapan_rendah,0.10,100,"))
    d1 = compute(changed)[D1]
    assert (d1["status"], d1["data_kurang"], d1["skor"]) == (
        "data_kurang",
        "serapan_dana_desa",
        None,
    )


def indeks(kode, tahun, skor, status, **dims):
    return {"kode_desa": kode, "tahun": tahun, "skor_indeks_desa": skor,
            "status_indeks_desa": status, **{f"skor_{d}": v for d, v in dims.items()}}  # fmt: skip


def test_indeks_desa_replaces_idm_where_the_year_has_it():
    data = {
        **DATA,
        "indeks_desa": [
            indeks(D1, 2024, 45.0, "sangat_tertinggal", layanan_dasar=41, sosial=50, ekonomi=44)
        ],
    }
    d1 = compute(data=data)[D1]
    assert d1["skema_status"] == "indeks_desa"
    assert d1["status_desa"] == "sangat_tertinggal"
    # 45 is below the full point (the sangat tertinggal bound 49.49), though IDM 0.45 isn't read
    assert d1["skor_idm_rendah"] == 1.0
    # IDM 2023 (mandiri) says nothing about an Indeks Desa 2024 status: no "turun".
    assert d1["skor_idm_turun"] == 0.0
    # 0.30 + 0.20 + 0.15 + 0.10 + 0.15 of the total weight 1.0
    assert d1["skor"] == pytest.approx(90.0)
    assert d1["dimensi_terlemah"] == "skor_layanan_dasar"
    assert "Indeks Desa 45 (sangat tertinggal), terlemah skor layanan dasar 41" in d1["alasan"]


def test_indeks_desa_score_between_the_cutoffs_scores_its_share():
    data = {**DATA, "indeks_desa": [indeks(D2, 2024, 70.0, "maju")]}
    d2 = compute(data=data)[D2]
    # (79.63 - 70) / (79.63 - 49.49) of the weight 0.20, plus 3 points from extreme poverty
    share = (79.63 - 70.0) / (79.63 - 49.49)
    assert d2["skor_idm_rendah"] == pytest.approx(share)
    assert d2["skor"] == pytest.approx(3.0 + 100 * 0.20 * share)
    assert d2["dimensi_terlemah"] is None  # no dimension given: the reason names none
    assert "terlemah" not in d2["alasan"]


def test_status_fall_counts_within_one_scheme():
    data = {
        **DATA,
        "indeks_desa": [indeks(D2, 2023, 75.0, "maju"), indeks(D2, 2024, 60.0, "berkembang")],
    }
    d2 = compute(data=data)[D2]
    assert d2["status_desa_lalu"] == "maju"
    assert d2["skor_idm_turun"] == 1.0
    assert "status Indeks Desa turun dari maju ke berkembang" in d2["alasan"]


SCORES = st.sampled_from([None, 0.0, 0.25, 0.5, 1.0])  # few values: ties are common


@given(
    rows=st.lists(st.tuples(*[SCORES] * len(FACTORS)), min_size=1, max_size=12),
    weights=st.tuples(*[st.sampled_from([0.0, 0.1, 0.2, 0.3])] * len(FACTORS)),
)
def test_the_reasons_are_the_three_largest_contributions_ties_to_the_earlier(rows, weights):
    # Each factor's reason reads a fixed text here; its contribution is score x weight. Held to
    # the rule in plain Python: the largest three above 0, the factor listed first on a tie.
    w = {name: (weight, 0.0) for name, weight in zip(FACTORS, weights, strict=True)}
    frame = pl.DataFrame(
        [
            {
                **{f"skor_{n}": s for n, s in zip(FACTORS, scores, strict=True)},
                "kode_desa": f"62.01.01.{2001 + i}",
                "tahun": 2024,
                "status": "dinilai",
                "data_kurang": None,
                "kk_miskin_ekstrem_pct": 1.0,
                "ada_indeks_desa": False,
                "nilai_idm_hitung": 0.5,
                "status_idm_hitung": "berkembang",
                "skor_indeks_desa": None,
                "status_indeks_desa": None,
                "dimensi_terlemah": None,
                "skor_dimensi_terlemah": None,
                "skema_status": "idm",
                "status_desa": "maju",
                "status_desa_lalu": "mandiri",
                "serapan_pct": 1.0,
                "cakupan_blt_pct": 1.0,
            }
            for i, scores in enumerate(rows)
        ],
        schema_overrides={
            **{f"skor_{n}": pl.Float64 for n in FACTORS},
            **dict.fromkeys(("data_kurang", "status_indeks_desa", "dimensi_terlemah"), pl.String),
            **dict.fromkeys(("skor_indeks_desa", "skor_dimensi_terlemah"), pl.Float64),
        },
    )
    texts = (
        frame.lazy()
        .select(_reason_texts()[n].alias(n) for n in FACTORS)
        .collect()
        .row(0, named=True)
    )
    result = _with_reasons(frame.lazy(), w).collect()  # rows in no particular order
    got = dict(zip(result["kode_desa"], result["alasan"], strict=True))
    for kode_desa, scores in zip(frame["kode_desa"], rows, strict=True):
        alasan = got[kode_desa]
        contributions = [(s or 0.0) * weight for s, weight in zip(scores, weights, strict=True)]
        top = sorted(
            (i for i, c in enumerate(contributions) if c > 0), key=lambda i: -contributions[i]
        )[:3]  # a stable sort: ties keep the listed order
        expected = ", ".join(texts[FACTORS[i]] for i in top)
        assert alasan == (expected or "tidak ada faktor kebutuhan yang menonjol")
