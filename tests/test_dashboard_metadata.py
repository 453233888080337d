"""Metadata Indikator page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def test_every_kpi_with_its_definition(snapshot: Path) -> None:
    at = sf.run_page("metadata")
    assert not at.exception
    table = sf.shown_table(at.dataframe[0]).set_index("Kode")
    assert list(table.index) == [d[0] for d in sf.DEFINITIONS]
    row = table.loc["kk_miskin_pct"]
    assert row["Indikator"] == "Keluarga miskin"
    assert row["Satuan"] == "%"
    assert row["Arah"] == "↓ Makin rendah makin baik"
    assert row["Rumus"] == "100 x jumlah kk_miskin / jumlah jumlah_kk"
    assert row["Sumber data"] == "Kemiskinan desa"
    assert table.loc["umkm_per_1000", "Sumber data"] == "UMKM, Kemiskinan desa"
    text = sf.page_text(at)
    for isu in sf.ISU_NAMA.values():
        assert isu in text
    assert not at.warning  # definitions are not figures: no sample-data notice


def test_search(snapshot: Path) -> None:
    at = sf.run_page("metadata")
    at.text_input[0].input("bumdes").run()
    assert set(sf.shown_table(at.dataframe[0])["Kode"]) == {"kontribusi_pades_rp"}
    at.text_input[0].input("DANA DESA").run()  # any case, any column (name, source, ...)
    assert set(sf.shown_table(at.dataframe[0])["Kode"]) == {
        "serapan_dana_desa_pct",
        "padat_karya_tk_per_desa",
    }
    assert "Serapan Dana Desa" in sf.page_text(at)
    assert "Keluarga miskin" not in sf.page_text(at)


# --- a template beside each dataset (issue 22) ------------------------------------------------


def _template(downloads: object, name: str) -> object:
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(downloads.content(name)))  # type: ignore[attr-defined]


def test_template_download_beside_each_dataset(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every declared dataset has `Unduh templat`, built from the published declaration when
    clicked; a village dataset lists the chosen kabupaten's desa, target_kpi the snapshot's
    KPIs as a drop-down."""
    from laporan.templat import AREA_SHEET, DATA_SHEET
    from pipelines.contracts.datasets import DATASETS
    from tests.download_capture import record_downloads

    downloads = record_downloads(monkeypatch)
    at = sf.run_page("metadata")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Unduh templat") == len(DATASETS)
    assert not downloads.eager  # nothing is built before a click
    kab = next(iter(sf.KAB))  # the first kabupaten is offered first: Kotawaringin Barat
    assert downloads.names() >= {
        f"templat_dana_desa_{kab}.xlsx",
        "templat_kemiskinan_kab.xlsx",
        "templat_target_kpi.xlsx",
    }
    text = sf.page_text(at)
    for dataset in DATASETS.values():
        assert dataset.label in text

    dana = _template(downloads, f"templat_dana_desa_{kab}.xlsx")
    declared = [c.name for c in DATASETS["dana_desa"].all_columns]
    assert [c.value for c in dana[DATA_SHEET][1]] == declared
    listed = sorted(r[0] for r in dana[AREA_SHEET].iter_rows(min_row=5, values_only=True) if r[0])
    # dana_desa is desa-only: the kabupaten's desa, never its kelurahan
    assert listed == sorted(
        k for k, (_, kec, jenis) in sf.DESA.items() if sf.KEC[kec][1] == kab and jenis == "desa"
    )

    target = _template(downloads, "templat_target_kpi.xlsx")
    validations = {
        str(v.sqref).split(":")[0]: v for v in target[DATA_SHEET].data_validations.dataValidation
    }
    kpi_list = validations["A2"].formula1  # kpi_id is the first column
    if kpi_list.startswith('"'):  # short enough to be written inline
        listed_kpis = kpi_list.strip('"').split(",")
    else:
        hidden, cells = kpi_list.split("!")
        listed_kpis = [c.value for (c,) in target[hidden.strip("'")][cells.replace("$", "")]]
    assert listed_kpis == sorted(d[0] for d in sf.DEFINITIONS)


def test_template_lists_the_chosen_kabupaten(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from laporan.templat import AREA_SHEET
    from tests.download_capture import record_downloads

    downloads = record_downloads(monkeypatch)
    at = sf.run_page("metadata")
    at.selectbox(key="metadata_templat_kab").set_value("62.03").run()
    assert not at.exception
    umkm = _template(downloads, "templat_umkm_62.03.xlsx")
    listed = sorted(r[0] for r in umkm[AREA_SHEET].iter_rows(min_row=5, values_only=True) if r[0])
    # umkm takes desa and kelurahan
    assert listed == sorted(k for k, (_, kec, _) in sf.DESA.items() if sf.KEC[kec][1] == "62.03")
