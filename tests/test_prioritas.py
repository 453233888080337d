"""Desa prioritas on a hand-built fixture: scores, ranks, reasons, and missing data flagged."""

from pathlib import Path

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import THRESHOLD_SCHEMA, load_thresholds
from pipelines.settings import REPO_ROOT
from pipelines.transforms.basis import village_year_basis
from pipelines.transforms.prioritas import desa_prioritas, load_weights
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


def compute(weights_path: Path = REPO_ROOT / "data" / "reference" / "bobot_desa_prioritas.csv"):
    tables = {name: table(name, DATA.get(name, [])).lazy() for name in DATASETS}
    thresholds = load_thresholds(REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv")
    basis = village_year_basis(
        VILLAGES.lazy(), [2023, 2024], tables, thresholds.cast(THRESHOLD_SCHEMA)
    )
    result = desa_prioritas(basis, load_weights(weights_path), NAMES.lazy()).collect()
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
