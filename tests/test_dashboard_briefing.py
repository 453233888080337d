"""The briefing PDF download on the dashboard: two steps, made only when asked."""

from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from laporan import briefing
from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("page", "query", "key"),
    [
        ("ringkasan", {}, "ringkasan"),
        ("kabupaten", {"kab": "62.01"}, "kabupaten"),
        ("prioritas", {"kab": "62.01"}, "prioritas"),
    ],
)
def test_button_on_the_pages(snapshot: Path, page: str, query: dict[str, str], key: str) -> None:
    at = sf.run_page(page, **query)
    assert not at.exception
    button = at.button(key=f"siapkan_pdf_{key}")
    assert button.label == "Siapkan laporan PDF"
    # nothing is generated until asked
    assert "Unduh laporan ringkas (PDF)" not in [b.label for b in at.get("download_button")]


def test_missing_chromium_is_a_clear_message(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefing, "CHROMIUM", "/tidak/ada/chromium")
    at = sf.run_page("ringkasan")
    at.button(key="siapkan_pdf_ringkasan").click().run()
    assert not at.exception
    assert any("Chromium" in e.value and "tidak ditemukan" in e.value for e in at.error)
    assert "Unduh laporan ringkas (PDF)" not in [b.label for b in at.get("download_button")]
    # the button is back, to try again
    assert at.button(key="siapkan_pdf_ringkasan").label == "Siapkan laporan PDF"


@pytest.mark.browser
def test_clicking_produces_the_pdf(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: list[dict[str, Any]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: Any = None) -> Any:
        files.append({"data": path_or_data, "mimetype": mimetype, "filename": filename})
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    at = sf.run_page("kabupaten", kab="62.01")
    at.button(key="siapkan_pdf_kabupaten").click().run()
    assert not at.exception
    assert not at.error
    assert "Unduh laporan ringkas (PDF)" in [b.label for b in at.get("download_button")]
    pdfs = [f for f in files if f["mimetype"] == "application/pdf"]
    assert pdfs
    assert pdfs[-1]["filename"] == "laporan_ringkas_62.01_2024.pdf"
    assert pdfs[-1]["data"].startswith(b"%PDF")
    # the next run reuses the cached bytes: the download stays, no second Chromium run
    at.run()
    assert "Unduh laporan ringkas (PDF)" in [b.label for b in at.get("download_button")]
