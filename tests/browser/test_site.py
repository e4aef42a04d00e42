"""The built site in a real browser: diagrams, copy buttons, search and instant navigation.

Each test drives headless Chromium over the site served from ``HANDBOOK_SITE_DIR`` (see
``conftest.py``) and ends by asserting that its pages logged no console error, raised no
uncaught error, got no HTTP error and asked no other host for anything (DESIGN.md invariant
6: the site stands alone). The pages to use are found by scanning the built HTML, so the tests
follow the content as it grows.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)
PlaywrightTimeoutError: type[Exception] = sync_api.TimeoutError

if TYPE_CHECKING:
    from playwright.sync_api import Page

SEARCH_QUERY = "AggregateRoot"
"""A class of the shared kernel that the API reference documents."""

COPY_BUTTON = 'button.md-clipboard, button.md-code__button[data-md-type="copy"]'
"""Material's copy button: ``md-clipboard`` in older releases, ``md-code__button`` in 9.8."""

DIAGRAM_STATE = """
() => [...document.querySelectorAll(".md-content .mermaid")].map((host) => {
  const svg = (host.shadowRoot || host).querySelector("svg");
  if (!svg) return { svg: false };
  const box = svg.getBoundingClientRect();
  return {
    svg: true,
    error: svg.getAttribute("aria-roledescription") === "error"
      || svg.querySelector(".error-icon") !== null,
    visible: host.offsetParent !== null,
    width: box.width,
    height: box.height,
  };
})
"""
"""Per diagram host (Material's ``div.mermaid``): has it an ``<svg>``, an error, a size?"""

RENDERED_EXACTLY = """
(expected) => {
  const hosts = [...document.querySelectorAll(".md-content .mermaid")];
  return hosts.length === expected
    && hosts.filter((host) => (host.shadowRoot || host).querySelector("svg")).length === expected;
}
"""
"""True once the page shows exactly its own diagrams, all rendered.

Exactly, not at least: after an instant navigation (or going back) the URL changes before
Material swaps the content, and the previous page's diagrams must not count for this one.
"""

MARK_LINK = """
(target) => {
  for (const old of document.querySelectorAll("[data-browser-test-link]")) {
    old.removeAttribute("data-browser-test-link");
  }
  const want = new URL(target, location.href);
  const visible = (a) => {
    const box = a.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(a).visibility !== "hidden";
  };
  const links = [
    ...document.querySelectorAll(".md-nav--primary a[href]"),
    ...document.querySelectorAll(".md-content a[href]"),
    ...document.querySelectorAll("a[href]"),
  ];
  for (const a of links) {
    const url = new URL(a.href, location.href);
    if (url.origin === want.origin && url.pathname === want.pathname && !url.hash
        && visible(a)) {
      a.setAttribute("data-browser-test-link", "nav");
      return "nav";
    }
  }
  // No visible link on this page: add one to the article. Clicking it still goes through
  // Material's instant navigation, which intercepts clicks on any link to a site page.
  const a = document.createElement("a");
  a.href = want.href;
  a.textContent = "browser test link";
  a.setAttribute("data-browser-test-link", "added");
  (document.querySelector(".md-content article") || document.body).prepend(a);
  return "added";
}
"""
"""Mark a visible link to the target page (primary navigation first) and say where it is."""


def _wait_for_diagrams(tab: Page, expected: int) -> list[dict[str, Any]]:
    """Wait until the page shows ``expected`` rendered diagrams, then describe them.

    Args:
        tab: The page, already on a page with diagrams.
        expected: How many diagrams the built HTML of the page holds.

    Returns:
        One description per diagram host (see ``DIAGRAM_STATE``).
    """
    timeout = None
    try:
        tab.wait_for_function(RENDERED_EXACTLY, arg=expected)
    except PlaywrightTimeoutError as error:  # report the page's state, not a bare timeout
        timeout = str(error).splitlines()[0]
    state: list[dict[str, Any]] = tab.evaluate(DIAGRAM_STATE)
    if timeout is not None:
        pytest.fail(
            f"{tab.url}: {expected} diagram(s) expected as <svg>, got {state} ({timeout})",
            pytrace=False,
        )
    return state


def _assert_diagrams_rendered(tab: Page, expected: int) -> None:
    """Assert that every diagram of the page is an ``<svg>`` and none is Mermaid's error.

    Args:
        tab: The page, already on a page with diagrams.
        expected: How many diagrams the built HTML of the page holds.
    """
    state = _wait_for_diagrams(tab, expected)
    assert len(state) == expected, f"{tab.url}: {len(state)} diagram hosts, {expected} built"
    assert all(diagram["svg"] for diagram in state), f"{tab.url}: {state}"
    assert not any(diagram["error"] for diagram in state), f"{tab.url}: Mermaid error: {state}"
    shown = [diagram for diagram in state if diagram["visible"]]
    assert all(d["width"] > 0 and d["height"] > 0 for d in shown), f"{tab.url}: empty: {state}"


def _mark_document(tab: Page) -> str:
    """Tag the current document, to tell an instant navigation from a full page load.

    Args:
        tab: The page.

    Returns:
        The tag; :func:`_same_document` checks it later.
    """
    tag = secrets.token_hex(8)
    tab.evaluate("(tag) => { window.__browserTestDocument = tag; }", tag)
    return tag


def _same_document(tab: Page, tag: str) -> bool:
    """Tell whether the page still shows the document tagged by :func:`_mark_document`."""
    kept: object = tab.evaluate("() => window.__browserTestDocument || null")
    return kept == tag


def _click_through_to(tab: Page, target: str) -> str:
    """Click a link to ``target`` on the current page and wait for it to be shown.

    Args:
        tab: The page.
        target: The absolute URL of a page of the site.

    Returns:
        ``"nav"`` when a visible link was clicked, ``"added"`` when the page had none and a
        link was added to the article for the test to click.
    """
    where: str = tab.evaluate(MARK_LINK, target)
    tab.locator("[data-browser-test-link]").first.click()
    # Without its fragment: a link clicked in the article may leave the section it was in
    # (navigation.tracking) on the new page's address.
    tab.wait_for_url(lambda url: url.split("#", 1)[0] == target)
    return where


def test_mermaid_diagram_renders_to_svg(
    tab: Page,
    site_url: str,
    diagram_pages: dict[str, int],
    unrendered_mermaid_fences: dict[str, int],
    problems: Callable[[], list[str]],
) -> None:
    assert unrendered_mermaid_fences == {}, (
        "```mermaid fences built as code blocks (is the pymdownx.superfences custom fence "
        f"`mermaid` configured?): {unrendered_mermaid_fences}"
    )
    if not diagram_pages:
        pytest.skip("the built site has no Mermaid diagram (pre.mermaid or div.mermaid)")
    page, expected = next(iter(diagram_pages.items()))

    tab.goto(urljoin(site_url, page))

    _assert_diagrams_rendered(tab, expected)
    assert problems() == []


@pytest.mark.parametrize("kind", ["plain", "annotated"])
def test_copy_button_yields_exactly_the_region(
    tab: Page,
    site_url: str,
    whole_listing: Callable[[bool], tuple[str, str, str, str] | None],
    problems: Callable[[], list[str]],
    kind: str,
) -> None:
    wanted = whole_listing(kind == "annotated")
    if wanted is None:
        pytest.skip(f"the built site has no whole (non-elided) {kind} listing")
    page, source, region, expected = wanted
    tab.goto(urljoin(site_url, page))
    listing = tab.locator(
        f'div.listing[data-source="{source}"][data-region="{region}"]:not([data-elided="true"])'
    ).first
    button = listing.locator(COPY_BUTTON).first
    sentinel = f"clipboard before the copy {secrets.token_hex(4)}"
    tab.evaluate("(text) => navigator.clipboard.writeText(text)", sentinel)

    listing.hover()
    button.click()
    tab.wait_for_function(
        "(sentinel) => navigator.clipboard.readText().then((text) => text !== sentinel)",
        arg=sentinel,
    )
    copied: str = tab.evaluate("() => navigator.clipboard.readText()")

    assert copied == expected, f"copying {source}#{region} on /{page}"
    assert problems() == []


def test_search_finds_a_kernel_class_in_the_api_reference(
    tab: Page, site_url: str, problems: Callable[[], list[str]]
) -> None:
    tab.goto(site_url)
    tab.keyboard.press("/")  # Material's shortcut to open the search
    search = tab.locator("input.md-search__input")
    search.wait_for(state="visible")

    search.press_sequentially(SEARCH_QUERY)
    results = tab.locator(".md-search-result a.md-search-result__link")
    results.first.wait_for()
    hrefs: list[str] = results.evaluate_all("(links) => links.map((a) => a.href)")

    in_reference = [href for href in hrefs if "reference" in urlsplit(href).path]
    assert in_reference, f"no result for {SEARCH_QUERY!r} in the API reference: {hrefs}"
    assert problems() == []


def test_instant_navigation_keeps_diagrams_rendered(
    tab: Page,
    site_url: str,
    site_pages: list[str],
    diagram_pages: dict[str, int],
    problems: Callable[[], list[str]],
) -> None:
    if not diagram_pages:
        pytest.skip("the built site has no Mermaid diagram (pre.mermaid or div.mermaid)")
    targets = list(diagram_pages)[:2]
    # Start where no diagram is, when there is such a page: Mermaid then first loads during
    # an instant navigation, the path a reader takes most often.
    start = next((page for page in site_pages if page not in diagram_pages), targets[0])
    if start == targets[0]:
        targets = targets[1:] or targets
    tab.goto(urljoin(site_url, start))
    tab.wait_for_load_state("networkidle")
    document = _mark_document(tab)

    visited = []
    for target in targets:
        how = _click_through_to(tab, urljoin(site_url, target))
        visited.append(f"/{target} ({how} link)")
        assert _same_document(tab, document), f"a full page load, not instant navigation: {visited}"
        _assert_diagrams_rendered(tab, diagram_pages[target])

    tab.go_back()
    back = start if len(targets) == 1 else targets[-2]
    tab.wait_for_url(lambda url: url.split("#", 1)[0] == urljoin(site_url, back))
    assert _same_document(tab, document), "going back reloaded the page"
    if back in diagram_pages:
        _assert_diagrams_rendered(tab, diagram_pages[back])
    else:
        tab.go_forward()
        tab.wait_for_url(lambda url: url.split("#", 1)[0] == urljoin(site_url, targets[-1]))
        _assert_diagrams_rendered(tab, diagram_pages[targets[-1]])
    assert problems() == []


def test_pages_stand_alone(
    tab: Page,
    site_url: str,
    sample_pages: list[str],
    diagram_pages: dict[str, int],
    problems: Callable[[], list[str]],
) -> None:
    """Every kind of page loads nothing from another host and logs no error."""
    found: dict[str, list[str]] = {}

    for page in sample_pages:
        before = len(problems())
        tab.goto(urljoin(site_url, page))
        tab.wait_for_load_state("networkidle")
        if page in diagram_pages:  # rendering may log errors; whether it works is tested above
            with contextlib.suppress(PlaywrightTimeoutError):
                tab.wait_for_function(RENDERED_EXACTLY, arg=diagram_pages[page], timeout=5000)
        new = problems()[before:]
        if new:
            found[f"/{page}"] = new

    assert found == {}, f"of {len(sample_pages)} pages visited, these did not stand alone: {found}"
