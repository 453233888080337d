"""An eighth dataset takes one declaration and no other production edit (issue 13).

In a fresh Python process (the declarations are read at import time all over the pipeline), a
toy `Dataset(...)` is added to `pipelines.contracts.datasets.DATASETS` before anything else of
the pipeline is imported. Nothing else is changed: a CSV for it goes into its inbox folder, the
real pipeline runs, and the dashboard's Kualitas Data page, run by AppTest on that snapshot,
shows the toy dataset by its declared title.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import snapshot_fixture as sf

TOY_TITLE = "Sumur bor per desa per tahun"
TOY_SHORT_TITLE = "Sumur bor"

_SCRIPT = """
import json, sys
from pathlib import Path

from pipelines.contracts.datasets import (
    DATASETS, Column, Dataset, Kind, PROVENANCE_COLUMNS, Villages,
)

# The one declaration: nothing else in pipelines/, dashboards/ or laporan/ is touched.
DATASETS["sumur_bor"] = Dataset(
    name="sumur_bor",
    title=sys.argv[3],
    label="Sumur bor",
    villages=Villages.DESA_KELURAHAN,
    key=("kode_desa", "tahun"),
    columns=(
        Column("kode_desa", Kind.KODE_DESA, "kode desa Kemendagri", required=True),
        Column("tahun", Kind.TAHUN, "tahun data", required=True),
        Column("jumlah_sumur", Kind.INTEGER, "sumur bor yang berfungsi", required=True, minimum=0),
    ),
)

from streamlit.testing.v1 import AppTest

from tests.conftest import drop, published, run_pipeline
from tests.small_inbox import DESA, KELURAHAN, write_small_inbox

data_dir = Path(sys.argv[1])
write_small_inbox(data_dir)
drop(
    data_dir, "sumur_bor", "sumur_2024.csv",
    f"kode_desa,tahun,jumlah_sumur\\n{DESA},2024,3\\n{KELURAHAN},2024,0\\n",
)
result = run_pipeline(data_dir)
failures = [
    e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"
]
toy_rows = published(data_dir, "select kode_desa, jumlah_sumur from sumur_bor order by 1").rows()
log = published(data_dir, "select status from ingest_log where dataset = 'sumur_bor'").rows()
completeness = published(
    data_dir,
    "select kode_kab, tahun, desa_melapor from kelengkapan_data where dataset = 'sumur_bor'",
).rows()

at = AppTest.from_file(sys.argv[2], default_timeout=120)
at.query_params["tampilan"] = "dataset"
at.query_params["dataset"] = "sumur_bor"
at.run()
tables = [[str(el.value.columns[0]), *map(str, el.value.iloc[:, 0])] for el in at.dataframe]
print(json.dumps({
    "success": result.success,
    "failures": failures,
    "toy_rows": toy_rows,
    "log": log,
    "completeness": completeness,
    "exception": [str(e.value) for e in at.exception],
    "dataset_choice": [str(s.value) for s in at.selectbox],
    "dataset_options": [list(s.options) for s in at.selectbox],
    "tables": tables,
}))
"""


def test_an_eighth_dataset_needs_one_declaration(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {
        **os.environ,  # DAGSTER_HOME: conftest's per-test instance
        "DASBOR_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(sf.REPO),
    }
    for name in ("DASBOR_REFERENCE_DIR", "DASBOR_PROVINSI", "DAGSTER_CLI_API_GRPC_HOST"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data_dir), str(sf.PAGES_DIR / "kualitas_data.py"),
         TOY_TITLE],
        check=False, env=env, cwd=sf.REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["success"], shown["failures"]
    # the pipeline took the file and published the table and its completeness
    assert shown["log"] == [["accepted"]]
    assert shown["toy_rows"] == [["62.01.01.1011", 0], ["62.01.01.2001", 3]]
    assert ["62.01", 2024, 2] in shown["completeness"]
    # the dashboard shows it by its declared title, with no edit of its own
    assert not shown["exception"], shown["exception"]
    dataset_picker = shown["dataset_options"][0]
    assert TOY_SHORT_TITLE in dataset_picker  # "Kelengkapan data", per dataset
    assert shown["dataset_choice"][0] == "sumur_bor"
    # each table as [its first column's name, then that column's cells], in page order
    sources, _all_sources, completeness = (t[1:] for t in shown["tables"][:3])
    assert TOY_SHORT_TITLE in sources  # "Data resmi dan data contoh"
    assert set(completeness) == {"sumur_bor"}  # its completeness rows, one kabupaten
