"""The downloadable archive works from disk: navigation and search over ``file://``.

``nox -s offline`` builds the site with Material's offline plugin on (ADR 68), packs it
into a zip and runs this module with ``HANDBOOK_OFFLINE_ARCHIVE`` naming the zip (the
``browser`` session leaves it out). The tests unpack the archive as a reader would, open
its ``index.html`` by its path, never through a server, and walk it in headless Chromium:
a tab and "next" lead to their pages, and a query typed into the search box finds its page,
which a click then opens. Nothing may be asked of another host and nothing may log an error
(``problems`` in ``conftest.py``).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s offline runs them)",
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

QUERY = ("unit of work", "layers/persistence.html")
"""A query of ``search_queries.toml`` and its page, as the archive names it."""


@pytest.fixture(scope="session")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive of ``HANDBOOK_OFFLINE_ARCHIVE``, unpacked: its one folder, the site.

    Returns:
        The folder that holds the site's ``index.html``.
    """
    archive = os.environ.get("HANDBOOK_OFFLINE_ARCHIVE")
    if not archive:
        reason = "HANDBOOK_OFFLINE_ARCHIVE is not set: `nox -s offline` builds and tests it"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI=true, so this fails instead of skipping: {reason}", pytrace=False)
        pytest.skip(reason)
    target = tmp_path_factory.mktemp("archive")
    with zipfile.ZipFile(archive) as packed:
        packed.extractall(target)
    (folder,) = [path for path in target.iterdir() if path.is_dir()]
    assert (folder / "index.html").is_file(), f"{archive} holds no {folder.name}/index.html"
    return folder


HEADING = """
() => {
  const heading = document.querySelector(".md-content h1").cloneNode(true);
  heading.querySelectorAll(".headerlink").forEach((link) => link.remove());
  return heading.textContent.trim();
}
"""
"""The page's title, its permalink left out."""


def test_the_archive_is_read_from_disk_by_links(
    tab: Page, unpacked: Path, problems: Callable[[], list[str]]
) -> None:
    tab.goto((unpacked / "index.html").as_uri())
    tab.locator(".md-tabs__link", has_text="Layers").first.click()
    tab.wait_for_url("**/layers/domain.html")
    heading = tab.evaluate(HEADING)
    tab.locator("a.md-footer__link--next").click()
    tab.wait_for_url("**/layers/application.html")

    assert heading == "The domain layer"
    assert tab.evaluate(HEADING) == "The application layer"
    assert problems() == []


def test_the_archive_searches_from_disk(
    tab: Page, unpacked: Path, problems: Callable[[], list[str]]
) -> None:
    text, page = QUERY
    tab.goto((unpacked / "index.html").as_uri())
    tab.keyboard.press("/")  # Material's shortcut to open the search
    search = tab.locator("input.md-search__input")
    search.wait_for(state="visible")

    search.fill(text)
    search.press("End")  # Material reads the query on keyup
    results = tab.locator(".md-search-result__item > a.md-search-result__link")
    found = results.locator(f'xpath=self::*[contains(@href, "/{page}?")]').first
    found.wait_for(timeout=10_000)
    found.click()
    tab.wait_for_url(f"**/{page}*")

    assert tab.evaluate(HEADING) == "Persistence"
    assert problems() == []


def test_the_archive_says_what_it_is_and_prints_from_disk(
    tab: Page, unpacked: Path, problems: Callable[[], list[str]]
) -> None:
    tab.goto((unpacked / "index.html").as_uri())
    said = tab.locator(".md-content", has_text="You are reading the archive that works from disk")
    offered = tab.locator('.md-content a[href*="downloads/enterprise-python-handbook"]')
    printed = (unpacked / "print_page.html").read_text(encoding="utf-8")

    assert said.count() == 1  # ADR 94: not a link to an archive inside the archive
    assert offered.count() == 0
    assert 'href="source/' in printed  # ADR 93: its links to source pages, from disk
    assert problems() == []
