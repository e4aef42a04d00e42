"""The printable handbook: one page that holds every chapter (ADR 68).

mkdocs-print-site-plugin writes ``print_page/``, every page of the navigation one after
another, for a browser to print or save as a PDF. The test reads each written page's title
(its first heading) from the built HTML, opens the print page in headless Chromium, and
requires every title among the print page's chapter headings, with no error and nothing
asked of another host.
"""

from __future__ import annotations

import html.parser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

PRINT_PAGE = "print_page/"
"""Where the plugin writes the print page, in the site."""

LOADING_MS = 180_000
"""How long the print page, megabytes of HTML and every diagram, may take to load."""

CHAPTER_TITLES = """
() => [...document.querySelectorAll("section.print-page h1")].map((heading) => {
  const copy = heading.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach((link) => link.remove());
  return copy.textContent.trim();
})
"""
"""The text of each chapter's first-level heading on the print page, permalinks left out."""


class _Title(html.parser.HTMLParser):
    """The text of a page's first ``<h1>``, without its permalink."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.in_link = False
        self.done = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and not self.done:
            self.depth += 1
        elif tag == "a" and self.depth and "headerlink" in (dict(attrs).get("class") or ""):
            self.in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.depth:
            self.depth -= 1
            self.done = True
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data: str) -> None:
        if self.depth and not self.in_link:
            self.text += data


def page_title(page: Path) -> str:
    """The text of the first heading of a built page."""
    parser = _Title()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.text.split())


def test_the_print_page_holds_every_chapter(
    tab: Page,
    site_url: str,
    site_dir: Path,
    site_pages: list[str],
    problems: Callable[[], list[str]],
) -> None:
    written = [p for p in site_pages if not p.startswith(("source/", PRINT_PAGE))]
    titles = {page: page_title(site_dir / page / "index.html") for page in written}

    tab.goto(urljoin(site_url, PRINT_PAGE), timeout=LOADING_MS)
    printed = set(tab.evaluate(CHAPTER_TITLES))

    missing = {f"/{page}": title for page, title in titles.items() if title not in printed}
    assert len(written) > 1, "the site has no chapters to print"
    assert missing == {}, f"chapters missing from /{PRINT_PAGE}: {missing}"
    assert problems() == []
