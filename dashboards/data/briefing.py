"""The briefing PDF of an area and year, made by laporan.briefing from the pinned snapshot."""

from pathlib import Path

from dashboards.data.settings import reference_dir
from dashboards.data.snapshot import (
    SnapshotMissing,
    SnapshotUnreadable,
    current_path,
    snapshot_query,
)


class BriefingUnavailable(RuntimeError):
    """The briefing PDF cannot be made on this server: Chromium is not installed."""


class BriefingFailed(RuntimeError):
    """Chromium is there but rendering the briefing PDF failed."""


@snapshot_query(max_entries=16)
def _briefing_pdf(kode: str, tahun: int) -> bytes:
    from laporan import briefing

    return briefing.pdf_bytes(current_path(), kode, tahun, reference_dir())


def briefing_pdf(kode: str, tahun: int) -> bytes:
    """The briefing PDF of an area (a kabupaten, or the province) and year, made with Chromium
    on first request (a few seconds) and cached per snapshot version."""
    from laporan import briefing

    if not Path(briefing.CHROMIUM).is_file():
        raise BriefingUnavailable(f"Chromium tidak ditemukan di {briefing.CHROMIUM}")
    try:
        return _briefing_pdf(kode, int(tahun))
    except (SnapshotMissing, SnapshotUnreadable):
        raise
    except Exception as e:  # Playwright, Chromium or a query: the page shows a message instead
        raise BriefingFailed(f"{type(e).__name__}: {e}") from e
