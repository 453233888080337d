"""The dataset rules registry: a dataset names its rules in pipelines.contracts, each name is one
function in pipelines.ingest.validation.rules, and a name without a function fails at import."""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import WARNING, validate
from pipelines.ingest.validation.issues import Check
from pipelines.ingest.validation.rules import RULES, check_declared, rule
from pipelines.settings import Settings
from tests.conftest import REPO

DANA = (
    "kode_desa,tahun,pagu,salur,realisasi\n"
    "62.01.01.2001,2024,1000,900,800\n"
    "62.01.01.2002,2024,1000,1000,1000\n"
)


def test_every_declared_rule_has_a_function_and_every_function_is_declared():
    declared = {name for d in DATASETS.values() for name in d.rules}
    assert declared == set(RULES)
    assert "kpi_id_in_catalogue" in DATASETS["target_kpi"].rules


def test_an_unknown_rule_name_is_refused_naming_the_dataset_and_the_rule():
    typo = replace(DATASETS["target_kpi"], rules=("kpi_id_in_katalog",))
    with pytest.raises(LookupError, match="target_kpi: kpi_id_in_katalog"):
        check_declared([typo])
    check_declared(DATASETS.values())  # the shipped declarations pass


def test_an_unknown_rule_name_fails_at_import():
    """In a fresh interpreter: a declaration naming no function stops the ingest core loading."""
    program = (
        "from dataclasses import replace\n"
        "from pipelines.contracts.datasets import DATASETS\n"
        "DATASETS['umkm'] = replace(DATASETS['umkm'], rules=('nib_unik',))\n"
        "import pipelines.ingest.validation\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "LookupError" in run.stderr
    assert "umkm: nib_unik" in run.stderr


@pytest.fixture
def registered_rule():
    """A rule of the test's own, removed again afterwards."""

    @rule("salur_penuh")
    def _salur_penuh(reference: Reference) -> Check:
        full = pl.col("salur") == pl.col("pagu")
        return Check("salur", pl.when(full).then(pl.lit("salur sama dengan pagu")), WARNING)

    yield "salur_penuh"
    del RULES["salur_penuh"]


def test_a_new_rule_is_a_declaration_plus_one_function(tmp_path: Path, registered_rule):
    s = Settings.from_env()
    reference = Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")
    path = tmp_path / "dana.csv"
    path.write_text(DANA, encoding="utf-8")
    table = read_table(path, 1 << 20, 1 << 20)
    plain = validate(table, DATASETS["dana_desa"], reference)
    assert plain.accepted
    assert plain.warnings.height == 0

    declared = replace(DATASETS["dana_desa"], rules=(registered_rule,))
    checked = validate(table, declared, reference)
    assert checked.accepted  # a warning keeps the file
    assert checked.warnings.select("baris", "kolom", "nilai", "alasan").rows() == [
        (3, "salur", "1000", "salur sama dengan pagu")
    ]


def test_a_rule_name_registers_once(registered_rule):
    with pytest.raises(ValueError, match="salur_penuh"):
        rule(registered_rule)(lambda reference: Check("salur", pl.lit(None)))
