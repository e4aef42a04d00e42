"""Search quality: what a reader types finds the page it should (``search_queries.toml``).

Each query is typed into the built site's search box, as a reader would, and Material's
search worker answers from the site's lunr index. The test reads the pages of the
results, in order (a page's sections count as that page), and requires the expected page
among the first three. Every failing query is reported at once, with what came up instead.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

QUERIES = Path(__file__).with_name("search_queries.toml")
"""The queries and the page each must find."""

FIRST = 3
"""How many pages of results the expected page must be among."""

RESULT_PAGES = """
(root) => {
  const pages = [];
  for (const a of document.querySelectorAll(".md-search-result__item > a.md-search-result__link")) {
    const url = new URL(a.href, location.href);
    const path = url.pathname.startsWith(root) ? url.pathname.slice(root.length) : url.pathname;
    if (!pages.includes(path)) pages.push(path);
  }
  return pages;
}
"""
"""The site paths of the result pages, in order, each once (anchors dropped)."""


def _queries() -> list[tuple[str, str]]:
    table = tomllib.loads(QUERIES.read_text(encoding="utf-8"))
    return [(entry["text"], entry["page"]) for entry in table["query"]]


def test_the_queries_file_names_each_query_once() -> None:
    texts = [text.lower() for text, _ in _queries()]

    assert len(texts) == len(set(texts)), "a query is listed twice"
    assert all(text.strip() for text in texts), "an empty query"


def _results(tab: Page, root: str, text: str) -> list[str]:
    search = tab.locator("input.md-search__input")
    search.fill("")
    search.press("End")  # Material reads the query on keyup
    tab.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    search.fill(text)
    search.press("End")
    tab.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    pages: list[str] = tab.evaluate(RESULT_PAGES, root)
    return pages


def test_every_query_finds_its_page_among_the_first_results(
    tab: Page, site_url: str, site_pages: list[str], problems: Callable[[], list[str]]
) -> None:
    root = urlsplit(site_url).path  # "/"
    tab.goto(site_url)
    tab.keyboard.press("/")  # Material's shortcut to open the search
    tab.locator("input.md-search__input").wait_for(state="visible")
    missed: dict[str, dict[str, object]] = {}

    for text, page in _queries():
        assert page in site_pages, f"{QUERIES.name}: {text!r} expects {page!r}, not a page"
        try:
            found = _results(tab, root, text)
        except sync_api.TimeoutError:
            found = []
        if page not in found[:FIRST]:
            missed[text] = {"expected": page, "first": found[:FIRST]}

    assert missed == {}, f"queries whose page is not in the first {FIRST} results: {missed}"
    assert problems() == []
