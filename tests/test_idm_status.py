"""IDM status from the threshold table: the score rounded as Kemendesa publishes it, rows chosen
by scheme and year, and the `nilai_idm` tolerance of docs/contracts.md."""

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.contracts.idm_status import check_thresholds, cutoff, idm_status, load_thresholds
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import ERROR, validate
from pipelines.settings import REPO_ROOT, Settings

SHIPPED = REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv"
COLUMNS = SHIPPED.read_text().split("\n", 1)[0] + "\n"
# A second scheme on a 0-100 scale over the same years, listed first.
TOY = """toy,2015,2100,sangat_tertinggal,,49.49,false,4,1,true,uji
toy,2015,2100,tertinggal,49.49,57.39,false,4,2,true,uji
toy,2015,2100,berkembang,57.39,69.35,false,4,3,true,uji
toy,2015,2100,maju,69.35,79.63,false,4,4,true,uji
toy,2015,2100,mandiri,79.63,,false,4,5,true,uji
"""


def thresholds_with(tmp_path, extra: str, shipped: bool = True) -> pl.DataFrame:
    body = SHIPPED.read_text().split("\n", 1)[1] if shipped else ""
    path = tmp_path / "ambang.csv"
    path.write_text(COLUMNS + extra + body)
    return load_thresholds(path)


def status_of(components: list[tuple[float, float, float]], thresholds, tahun=2024, **kw):
    frame = pl.DataFrame(components, schema=["iks", "ike", "ikl"], orient="row")
    score = (pl.col("iks") + pl.col("ike") + pl.col("ikl")) / 3
    return frame.select(idm_status(score, pl.lit(tahun), thresholds, **kw))[:, 0].to_list()


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        # (0.3 + 0.3042 + 0.8679) / 3 = 0.4907 exactly; the float says 0.4907000000000001
        ((0.3, 0.3042, 0.8679), "sangat_tertinggal"),
        # 0.49074 rounds to 0.4907, which is not above the cut-off
        ((0.49074, 0.49074, 0.49074), "sangat_tertinggal"),
        # 0.49075 rounds half up to 0.4908
        ((0.49075, 0.49075, 0.49075), "tertinggal"),
        # (0.52179 + 0.6 + 0.99996) / 3 = 0.70725 exactly, the float 0.70724999999999998:
        # half up gives 0.7073 -> maju (half-even or a plain round of the float gives berkembang)
        ((0.52179, 0.6, 0.99996), "maju"),
        # 0.70724 -> 0.7072, at most maju's lower bound -> berkembang
        ((0.70724, 0.70724, 0.70724), "berkembang"),
        ((0.8155, 0.8155, 0.8155), "maju"),
        ((0.81555, 0.81555, 0.81555), "mandiri"),
    ],
)
def test_score_is_rounded_half_up_to_4_decimals_before_the_cutoffs(components, expected):
    assert status_of([components], load_thresholds(SHIPPED)) == [expected]


def test_another_schemes_rows_never_classify_idm(tmp_path):
    thresholds = thresholds_with(tmp_path, TOY)
    # IDM scores 0.3 / 0.6 / 0.9 under the idm rows only
    idm = [(0.3, 0.3, 0.3), (0.6, 0.6, 0.6), (0.9, 0.9, 0.9)]
    assert status_of(idm, thresholds) == ["sangat_tertinggal", "berkembang", "mandiri"]
    # ...while the toy scheme classifies its own 0-100 scores by its own rows
    toy = [(50.0, 50.0, 50.0), (60.0, 60.0, 60.0), (80.0, 80.0, 80.0)]
    assert status_of(toy, thresholds, skema="toy") == ["tertinggal", "berkembang", "mandiri"]


def test_new_cutoffs_of_a_scheme_apply_from_their_year(tmp_path):
    idm_rows = [r for r in SHIPPED.read_text().splitlines()[1:] if r.startswith("idm,")]
    rows = "\n".join(idm_rows).replace("2015,2100", "2015,2023") + "\n"
    newer = rows.replace("2015,2023", "2024,2100").replace("0.8155", "0.9")
    thresholds = thresholds_with(tmp_path, rows + newer, shipped=False)
    assert status_of([(0.85, 0.85, 0.85)], thresholds, tahun=2023) == ["mandiri"]
    assert status_of([(0.85, 0.85, 0.85)], thresholds, tahun=2024) == ["maju"]
    maju = pl.select(cutoff(pl.Series([2023, 2024, 2014]), thresholds, "maju", "batas_atas"))
    assert maju[:, 0].to_list() == [0.8155, 0.9, None]


def test_overlapping_rows_of_one_scheme_and_status_are_refused(tmp_path):
    with pytest.raises(ValueError, match="idm/mandiri 2024-2100"):
        thresholds_with(tmp_path, "idm,2024,2100,mandiri,0.9,,false,4,5,true,uji\n")
    # the same years under another scheme are fine
    shipped_rows = len(SHIPPED.read_text().splitlines()) - 1
    assert check_thresholds(thresholds_with(tmp_path, TOY)).height == shipped_rows + 5


IDM_FILE = "kode_desa,tahun,iks,ike,ikl,nilai_idm\n62.01.01.2001,2024,0.5,0.5,0.5,{}\n"


@pytest.mark.parametrize(
    ("nilai_idm", "accepted"),
    [
        ("0.501", True),  # |0.501 - 0.5| = 0.001 exactly (0.0010000000000000009 as floats)
        ("0.499", True),
        ("0.5011", False),  # 0.0011 > 0.001
    ],
)
def test_nilai_idm_within_exactly_the_tolerance_passes(tmp_path, nilai_idm, accepted):
    s = Settings.from_env()
    reference = Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")
    path = tmp_path / "idm.csv"
    path.write_text(IDM_FILE.format(nilai_idm))
    result = validate(read_table(path, 2**20, 2**20), DATASETS["idm"], reference)
    assert result.accepted == accepted
    if not accepted:
        issues = result.issues.filter(pl.col("tingkat") == ERROR)
        assert issues["kolom"].to_list() == ["nilai_idm"]
