"""The briefing PDF: its figures match the snapshot, and it renders into real pages."""

import html
import shutil
import subprocess

import dagster as dg
import pandas as pd
import pytest

from laporan.briefing import build_html, load, pdf_bytes
from pipelines.defs.resources import DasborResource
from tests.conftest import REPO, kpi_value, published, run_pipeline

HEADER = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
ROWS_2024 = "62.06.01.2001,2024,1000,200,40,10\n62.06.01.2002,2024,1000,200,20,2\n"
ROWS_2025 = "62.06.01.2001,2025,1000,200,30,6\n62.06.01.2002,2025,1000,200,10,2\n"
ID_HEADER = (
    "kode_desa,tahun,skor_indeks_desa,status_indeks_desa,skor_layanan_dasar,skor_sosial,"
    "skor_ekonomi,skor_lingkungan,skor_aksesibilitas,skor_tata_kelola\n"
)
ID_ROWS_2025 = (
    "62.06.01.2001,2025,72.0,maju,80,75,70,65,60,82\n"
    "62.06.01.2002,2025,55.0,tertinggal,60,58,50,52,62,48\n"
)
# Indeks Desa 2025: one maju, one tertinggal; the weakest dimension mean is lingkungan (58,5).
# Katingan (62.06) 2025: kk_miskin 40/400 = 10,0 %; ekstrem 8/400 = 2,0 %
# 2024: 60/400 = 15,0 % and 12/400 = 3,0 %: down 5,0 and 1,0 points.


@pytest.fixture
def snapshot(data_dir, first_run_of):
    first_run_of(
        ("kemiskinan_desa", "katingan.csv", HEADER + ROWS_2024 + ROWS_2025),
        ("indeks_desa", "katingan_id.csv", ID_HEADER + ID_ROWS_2025),
    )
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


def test_briefing_targets_match_capaian_target(data_dir, snapshot):
    data = load(snapshot, "62.06", 2025)
    expected = published(
        data_dir,
        "select kpi_id, status, sumber, target_tingkat, target_tahun, catatan from "
        "capaian_target where kode_wilayah = '62.06' order by kpi_id",
    )
    assert expected.height > 0
    assert sorted(data.targets["kpi_id"]) == list(expected["kpi_id"])
    document = build_html(data)
    section = document[document.index("<h2>Capaian target</h2>") : document.index("Status desa")]
    for row in expected.iter_rows(named=True):
        shown = data.targets.set_index("kpi_id").loc[row["kpi_id"]]
        assert (None if pd.isna(shown["status"]) else shown["status"]) == row["status"]
        assert html.escape(row["sumber"]) in section
        assert f"({row['target_tahun']})" in section
        level = {"kabupaten": "kabupaten/kota"}.get(row["target_tingkat"], row["target_tingkat"])
        assert f"<td>{level}{'*' if row['target_tingkat'] != 'kabupaten' else ''}</td>" in section
        if row["status"]:
            assert row["status"] in section
        else:
            assert "belum ada nilai" in section
        if row["catatan"]:
            assert html.escape(row["catatan"]) in section


def test_briefing_status_counts_and_weakest_dimension(data_dir, snapshot):
    data = load(snapshot, "62.06", 2025)
    assert data.status_scheme == "indeks_desa"
    counts = published(
        data_dir,
        "select status_indeks_desa as status, count(*) as n from indeks_desa "
        "where kode_kab = '62.06' and tahun = 2025 group by all",
    )
    shown = dict(zip(data.status_counts["status"], data.status_counts["jumlah"], strict=True))
    assert {k: v for k, v in shown.items() if v} == dict(
        zip(counts["status"], counts["n"], strict=True)
    )
    means = published(
        data_dir,
        "select avg(skor_layanan_dasar) as skor_layanan_dasar, avg(skor_sosial) as skor_sosial, "
        "avg(skor_ekonomi) as skor_ekonomi, avg(skor_lingkungan) as skor_lingkungan, "
        "avg(skor_aksesibilitas) as skor_aksesibilitas, avg(skor_tata_kelola) as "
        "skor_tata_kelola from indeks_desa where kode_kab = '62.06' and tahun = 2025",
    ).row(0, named=True)
    weakest = min(means, key=means.get)
    row = data.weakest.set_index("kode_kab").loc["62.06"]
    assert row["dimensi"] == weakest
    assert row["skor"] == pytest.approx(means[weakest])
    document = build_html(data)
    assert "Menurut <b>Indeks Desa 2025</b>" in document
    assert "belum diverifikasi" in document
    assert data.dimensions[weakest] in document
    # a year without Indeks Desa falls back to IDM (here: no IDM either) and says so
    assert load(snapshot, "62.06", 2024).status_scheme == "idm"


@pytest.mark.browser
def test_briefing_pdf_renders_pages_with_the_figures(snapshot, tmp_path):
    pdf = pdf_bytes(snapshot, "62.06", 2025, REPO / "data" / "reference")
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
