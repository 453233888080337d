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
    at.session_state["bagian_kab"] = "Daftar desa"  # the section with the village table
    at.run()
    assert not at.exception
    first = [sf.shown_table(el) for el in at.dataframe]
    assert len(built) == 1  # the village table: formatted numbers in Kotawaringin Barat
    at.run()
    assert not at.exception
    assert len(built) == 1
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


def test_a_kept_figure_is_turned_into_a_dict_once_and_shows_the_same(snapshot, monkeypatch):
    """st.plotly_chart calls to_dict() on every run; a kept figure answers from the first."""
    import plotly.graph_objects as go

    calls = []
    original = go.Figure.to_dict
    monkeypatch.setattr(go.Figure, "to_dict", lambda self: calls.append(1) or original(self))
    fig = go.Figure(go.Bar(x=["Kapuas", "Katingan"], y=[12.5, 7.25]))
    expected = original(fig)
    frozen = components._frozen_figure(fig)
    assert frozen is fig
    assert len(calls) == 1
    assert fig.to_dict() == expected
    assert fig.to_dict() is fig.to_dict()
    components._frozen_figure(fig)  # shown again on the next run: nothing worked out again
    assert len(calls) == 1
