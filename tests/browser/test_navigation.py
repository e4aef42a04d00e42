"""Navigation a reader can hold: the sidebar of every page fits a laptop screen (ADR 43).

The browser context is 1280 x 800 (``conftest.py``); Material shows the active tab's
section in the sidebar, its topics folded, and the test checks that the sidebar's content
is no taller than the space it is shown in, on every written page of the built site and
one source page of each folder (``reading_pages`` in ``conftest.py``, in parts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

SIDEBAR = """
() => {
  const wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
  if (!wrap) return null;
  // Against the window below the sidebar's top, not the sidebar's own height: on a page
  // shorter than the window, the theme shrinks the sidebar to the page.
  const room = Math.floor(window.innerHeight - wrap.getBoundingClientRect().top);
  return { scroll: wrap.scrollHeight, client: room };
}
"""
"""The primary sidebar's content height against the window's height below its top."""


def test_the_sidebar_of_every_page_fits_a_laptop_screen(
    tab: Page, site_url: str, reading_part: list[str], problems: Callable[[], list[str]]
) -> None:
    too_long: dict[str, dict[str, int]] = {}

    for page in reading_part:
        tab.goto(urljoin(site_url, page))
        size: dict[str, int] | None = tab.evaluate(SIDEBAR)
        assert size is not None, f"/{page} has no primary sidebar"
        if size["scroll"] > size["client"]:
            too_long[f"/{page}"] = size

    assert too_long == {}, f"sidebars taller than the 800-pixel window: {too_long}"
    assert problems() == []
