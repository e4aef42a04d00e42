"""The printable handbook: one page that holds every chapter (ADR 93).

mkdocs-print-site-plugin writes ``print_page/``, every page of the navigation one after
another, for a browser to print or save as a PDF. The test reads each written page's title
(its first heading) from the built HTML, opens the print page in headless Chromium, and
requires every title among the print page's chapter headings, with no error and nothing
asked of another host. That every link on it leads somewhere, ``handbook check-site``
checks over the built site (``nox -s docs``); here, the links to the source pages the
proof names, which the print page does not hold, must open those pages.
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

LOADING_MS = 300_000
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
    written = [p for p in site_pages if not p.startswith("source/")]
    titles = {page: page_title(site_dir / page / "index.html") for page in written}

    tab.goto(urljoin(site_url, PRINT_PAGE), timeout=LOADING_MS)
    printed = set(tab.evaluate(CHAPTER_TITLES))

    missing = {f"/{page}": title for page, title in titles.items() if title not in printed}
    assert len(written) > 1, "the site has no chapters to print"
    assert missing == {}, f"chapters missing from /{PRINT_PAGE}: {missing}"
    assert problems() == []


class _TestsLinks(html.parser.HTMLParser):
    """Every "See the tests" link of a page as built: where it leads, and the file it names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""
        self._awaiting_file = False
        self._file = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""
        elif tag == "code" and self._awaiting_file:
            self._file = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self._awaiting_file = self._text == "See the tests"
            if self._awaiting_file:
                self.links.append((self._href, ""))
            self._href = None
        elif tag == "code" and self._awaiting_file:
            self.links[-1] = (self.links[-1][0], self._file)
            self._awaiting_file = False

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data
        elif self._awaiting_file:
            self._file += data


def test_the_print_pages_links_to_source_pages_open_them(
    tab: Page, site_url: str, site_dir: Path, problems: Callable[[], list[str]]
) -> None:
    # Read from the built page rather than loaded again: the print page is megabytes of
    # HTML whose every link is written at build time, and the test above loads it already.
    parser = _TestsLinks()
    parser.feed((site_dir / PRINT_PAGE / "index.html").read_text(encoding="utf-8"))
    assert parser.links, "the print page links no test file"
    href, file = parser.links[0]

    tab.goto(urljoin(urljoin(site_url, PRINT_PAGE), href))

    assert tab.url.startswith(urljoin(site_url, "source/"))
    assert tab.locator("h1").first.inner_text().removesuffix("¶").strip() == file
    assert problems() == []
