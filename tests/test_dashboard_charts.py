"""Chart builders (dashboards/charts.py), checked on the Plotly figure objects."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import charts
from tests import snapshot_fixture as sf


def _series(values: dict[int, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tahun": list(values),
            "nilai": list(values.values()),
            "keterangan": [None if v is not None else "Tidak ada data" for v in values.values()],
        }
    )


def test_trend_starts_at_the_first_year_with_data() -> None:
    """Years before any shown series has a value are not drawn (issue 12)."""
    empty_until_2020 = dict.fromkeys(range(2015, 2021))
    kab = _series({**empty_until_2020, 2021: 8.0, 2022: None, 2023: 7.4, 2024: 7.0})
    prov = _series({**empty_until_2020, 2021: None, 2022: 7.6, 2023: 7.2, 2024: 6.8})
    fig = charts.trend([("Kabupaten", kab), ("Provinsi", prov)], satuan="%")
    for trace in fig.data:
        assert min(trace.x) == 2021
        assert max(trace.x) == 2024
    low, high = fig.layout.xaxis.range
    assert 2020 < low < 2021
    assert 2024 < high < 2025
    # a year without a value after the first one stays as a gap, not dropped
    assert list(fig.data[0].x) == [2021, 2022, 2023, 2024]
    assert pd.isna(fig.data[0].y[1])


def test_trend_first_year_counts_every_series() -> None:
    """The axis starts where the earliest series starts, so no series loses a value."""
    late = _series({2019: None, 2020: None, 2021: 5.0})
    early = _series({2019: None, 2020: 4.0, 2021: 4.5})
    fig = charts.trend([("A", late), ("B", early)], satuan="%")
    assert [min(t.x) for t in fig.data] == [2020, 2020]
    assert fig.layout.xaxis.range[0] < 2020


def test_trend_on_the_kabupaten_page_skips_leading_empty_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # without targets: the fixture's capaian_target rows would not follow the edited values
    data_dir = sf.prepare(tmp_path, monkeypatch, with_targets=False)
    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb")) as con:
        con.execute(
            "update kpi set nilai = null, keterangan = 'Belum ada data' "
            "where kpi_id = 'kk_miskin_pct' and tahun = 2023 and kode_wilayah in ('62', '62.01')"
        )
    at = sf.run_page("kabupaten", kab="62.01", kpi="kk_miskin_pct")
    assert not at.exception
    trend = sf.figures(at)[0]
    assert [sf.plotly_array(t["x"]) for t in trend["data"]] == [[2024], [2024]]
    low, high = trend["layout"]["xaxis"]["range"]
    assert 2023 < low < 2024 < high


def test_trend_target_extends_the_axis_to_the_target_year() -> None:
    series = _series({2021: 8.0, 2022: 7.0})
    target = {
        "target_tahun": 2026, "target_nilai": 4.0, "tahun_awal": 2021, "nilai_awal": 8.0,
        "label": "Target provinsi",
    }  # fmt: skip
    fig = charts.trend([("A", series)], satuan="%", target=target)
    path = next(t for t in fig.data if t.name == "Jalur ke target provinsi")
    assert list(path.x) == [2021, 2026]
    assert list(path.y) == [8.0, 4.0]
    assert path.line.dash == "dash"
    assert fig.layout.xaxis.range[1] > 2026


def test_a_figure_is_built_once_per_content_and_kept() -> None:
    """A page run that computes the same frame again gets the same figure (not rebuilt); a
    changed value, unit or highlight is a new figure showing the change."""
    df = pd.DataFrame(
        {
            "kode": ["62.01", "62.02", "62.03"],
            "nama": ["Kabupaten A", "Kabupaten B", "Kabupaten C"],
            "nilai": [12.5, None, 7.25],
            "keterangan": [None, "Tidak ada data", None],
        }
    )
    first = charts.ranking(df, satuan="%", arah="turun")
    assert charts.ranking(df.copy(deep=True), satuan="%", arah="turun") is first
    changed = df.copy()
    changed.loc[2, "nilai"] = 7.5
    other = charts.ranking(changed, satuan="%", arah="turun")
    assert other is not first
    assert 7.5 in list(other.data[-1].x)
    assert 7.5 not in list(first.data[-1].x)
    assert charts.ranking(df, satuan="Rp", arah="turun") is not first
    assert charts.ranking(df, satuan="%", arah="turun", highlight="62.01") is not first
    # a frame whose cells cannot be fingerprinted is drawn all the same, just not kept
    odd = df.assign(daftar=[[1], [2], [3]])
    assert charts.ranking(odd, satuan="%", arah="turun") is not charts.ranking(
        odd, satuan="%", arah="turun"
    )
