"""Tables kept per (snapshot version, content) (issue 23): a warm page run builds no table again."""

from pathlib import Path

import pandas as pd
import pytest

from dashboards import components
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_a_warm_rerun_builds_no_styled_table_and_shows_the_same_cells(snapshot, monkeypatch):
    built = []
    frozen = components._frozen
    monkeypatch.setattr(components, "_frozen", lambda s: built.append(s) or frozen(s))
    at = sf.run_page("kabupaten", kab="62.01")
    assert not at.exception
    first = [sf.shown_table(el) for el in at.dataframe]
    assert len(built) == 2  # the two tables with formatted numbers in Kotawaringin Barat
    at.run()
    assert not at.exception
    assert len(built) == 2
    again = [sf.shown_table(el) for el in at.dataframe]
    assert len(again) == len(first)
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_the_key_holds_what_a_formatter_reads_from_its_page():
    df = pd.DataFrame({"Nilai": [1.5]})
    persen = eval(
        "lambda v: f'{v}{satuan}'", {"satuan": "%"}
    )  # a lambda reading a page-level value
    rupiah = eval("lambda v: f'{v}{satuan}'", {"satuan": "Rp"})
    assert persen(1.5) != rupiah(1.5)
    assert components._content_key(df, {"Nilai": persen}) != components._content_key(
        df, {"Nilai": rupiah}
    )
    same = eval("lambda v: f'{v}{satuan}'", {"satuan": "%"})
    assert components._content_key(df, {"Nilai": persen}) == components._content_key(
        df, {"Nilai": same}
    )


def test_another_frame_is_another_key():
    a = pd.DataFrame({"Nilai": [1.0, 2.0]})
    b = pd.DataFrame({"Nilai": [1.0, 3.0]})
    assert components._content_key(a, {}) != components._content_key(b, {})
