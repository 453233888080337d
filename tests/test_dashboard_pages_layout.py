"""Pages lay out, views shape: a page module stays short enough to read as the page's outline
(its long parts live in dashboards/sections/, its data shaping in dashboards/views/)."""

import pytest

from tests.conftest import REPO

PAGES = sorted((REPO / "dashboards" / "app_pages").glob("*.py"))
MAX_PAGE_LINES = 250


def test_the_pages_are_found():
    assert "kabupaten.py" in {page.name for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_a_page_module_is_under_250_lines(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_PAGE_LINES, f"{page.name}: {lines} lines"
