"""The briefing PDF: its figures match the snapshot, and it renders into real pages."""

import shutil
import subprocess

import dagster as dg
import pytest

from laporan.briefing import build_html, load, pdf_bytes
from pipelines.defs.resources import DasborResource
from tests.conftest import drop, kpi_value, run_pipeline

HEADER = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
ROWS_2024 = "62.06.01.2001,2024,1000,200,40,10\n62.06.01.2002,2024,1000,200,20,2\n"
ROWS_2025 = "62.06.01.2001,2025,1000,200,30,6\n62.06.01.2002,2025,1000,200,10,2\n"
# Katingan (62.06) 2025: kk_miskin 40/400 = 10,0 %; ekstrem 8/400 = 2,0 %
# 2024: 60/400 = 15,0 % and 12/400 = 3,0 %: down 5,0 and 1,0 points.


@pytest.fixture
def snapshot(data_dir):
    drop(data_dir, "kemiskinan_desa", "katingan.csv", HEADER + ROWS_2024 + ROWS_2025)
    assert run_pipeline(data_dir).success
    return data_dir / "published" / "dasbor.duckdb"


def test_briefing_figures_match_the_snapshot(data_dir, snapshot):
    data = load(snapshot, "62.06", 2025)
    assert data.nama == "Kabupaten Katingan"
    row = data.headline.set_index("kpi_id").loc["kk_miskin_pct"]
    assert row["nilai"] == kpi_value(data_dir, "kabupaten", "62.06", 2025, "kk_miskin_pct")["nilai"]
    assert row["lalu"] == 15.0
    document = build_html(data)
    assert "Laporan Ringkas: Kabupaten Katingan, 2025" in document
    assert "10,0%" in document
    assert "2,0%" in document
    assert "▼ -5,0 poin" in document  # poverty fell: shown as a good change
    assert "1 dari 1" in document  # the only kabupaten with data ranks first
    # No sample-data notice: the fixture has no synthetic rows.
    assert "Data contoh" not in document


@pytest.mark.browser
def test_briefing_pdf_renders_pages_with_the_figures(snapshot, tmp_path):
    pdf = pdf_bytes(snapshot, "62.06", 2025)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Laporan Ringkas: Kabupaten Katingan, 2025" in text
    assert "10,0%" in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "hal")], check=True)
    pages = sorted(tmp_path.glob("hal-*.png"))
    assert len(pages) >= 3
    artefacts = tmp_path.parents[2] / "artefak_laporan"
    shutil.rmtree(artefacts, ignore_errors=True)
    shutil.copytree(tmp_path, artefacts, ignore=shutil.ignore_patterns("data", "dagster_home"))


@pytest.mark.browser
def test_laporan_asset_writes_a_pdf_per_kabupaten_and_province(data_dir, snapshot):
    from pipelines.defs.laporan import laporan_ringkas

    result = dg.materialize(
        [laporan_ringkas], resources={"dasbor": DasborResource(data_dir=str(data_dir))}
    )
    assert result.success
    pdfs = sorted((data_dir / "published" / "laporan" / "2025").glob("*.pdf"))
    assert len(pdfs) == 15
    assert pdfs[0].name == "laporan_ringkas_62.01_2025.pdf"


def test_full_run_skips_the_briefing(data_dir, snapshot):
    result = run_pipeline(data_dir)
    keys = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert "dasbor_terbit" in keys
    assert "laporan_ringkas" not in keys
    assert not (data_dir / "published" / "laporan").exists()
