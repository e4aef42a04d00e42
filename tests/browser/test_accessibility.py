"""Accessibility: axe-core audits every page of the built site against WCAG 2.1 A and AA.

axe-core comes from the npm registry at the version ``tests/browser/axe/package-lock.json``
pins; ``nox -s browser`` installs it with ``npm ci`` and passes its path in ``HANDBOOK_AXE``
(ADR 67). Each page is loaded as a reader gets it, with Material's scripts done (code
annotations, copy buttons, diagrams drawn), then axe is injected into it and run with the
rules tagged ``wcag2a``, ``wcag2aa``, ``wcag21a`` and ``wcag21aa``. Any violation, whatever
its impact, fails the test, which names every page, rule and element at once.

The pages are the written ones and one source page of each folder (``reading_pages`` in
``conftest.py``, walked in parts that run side by side), in the light palette with every
rule, and again in the dark palette with the rules that depend on colour: the markup is the
same in both, the colours are not. Each page is loaded once; the system's colour scheme then
turns dark under it, as a reader's can, and Material's palette follows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urljoin

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)
PlaywrightTimeoutError: type[Exception] = sync_api.TimeoutError

if TYPE_CHECKING:
    from playwright.sync_api import Page

WCAG_A_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
"""Every rule of WCAG 2.0 and 2.1 at levels A and AA, as axe-core tags them."""

COLOUR_RULES = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
"""The WCAG A/AA rules whose outcome depends on the palette: run again in the dark one."""

AUDIT = """
async (only) => {
  // Two frames: what the page's scripts do on the next frame is done, as a reader sees it.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const results = await axe.run(document, { runOnly: only, resultTypes: ["violations"] });
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact || "",
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      // A selector into a shadow root is a list of selectors, one per root.
      target: node.target.map((part) => [].concat(part).join(" >>> ")).join(" "),
      html: node.html.replace(/\\s+/g, " ").slice(0, 160),
    })),
  }));
}
"""
"""Run axe on the page's document; describe each violation by rule and element."""

DIAGRAMS_DRAWN = """
(expected) => [...document.querySelectorAll(".md-content .mermaid")]
  .filter((host) => (host.shadowRoot || host).querySelector("svg")).length >= expected
"""
"""True once every diagram of the page is drawn: axe then sees what a reader sees."""


class Element(TypedDict):
    """An element that breaks a rule: axe's CSS selector for it and the start of its HTML."""

    target: str
    html: str


class Violation(TypedDict):
    """A rule that elements of a page break, as :data:`AUDIT` reports it."""

    rule: str
    impact: str
    help: str
    nodes: list[Element]


def audit(tab: Page, axe_script: str, only: dict[str, Any]) -> list[Violation]:
    """Inject axe-core into the page the tab shows and run the rules ``only`` selects.

    Args:
        tab: A page that has finished loading.
        axe_script: axe-core's ``axe.min.js``.
        only: axe's ``runOnly`` option: rules by tag or by id.

    Returns:
        The violations found, none when the page passes.
    """
    if not tab.evaluate("() => typeof axe !== 'undefined'"):
        tab.add_script_tag(content=axe_script)
    violations: list[Violation] = tab.evaluate(AUDIT, only)
    return violations


def report(page: str, scheme: str, violations: list[Violation]) -> list[str]:
    """One line per element that breaks a rule: the page, the palette, the rule, the element.

    Args:
        page: The page's path in the site (``""`` is the home page).
        scheme: ``"light"`` or ``"dark"``.
        violations: What :func:`audit` found on it.

    Returns:
        Lines such as ``/layers/domain/ (light): link-name (serious), Links must have
        discernible text: aside > a.md-annotation__index <a href=...>``.
    """
    return [
        f"/{page} ({scheme}): {violation['rule']} ({violation['impact']}), "
        f"{violation['help']}: {element['target']} {element['html']}"
        for violation in violations
        for element in violation["nodes"]
    ]


def _settle(tab: Page, page: str, diagram_pages: dict[str, int]) -> None:
    """Wait until the page's diagrams are drawn, Mermaid being fetched on the first one.

    Material draws annotations and wraps tables when the document loads, which ``goto``
    waits for; only diagrams come later.
    """
    if page in diagram_pages:  # whether diagrams render is test_site's concern
        tab.wait_for_load_state("networkidle")
        with contextlib.suppress(PlaywrightTimeoutError):
            tab.wait_for_function(DIAGRAMS_DRAWN, arg=diagram_pages[page], timeout=10_000)


DARK = "() => document.body.getAttribute('data-md-color-scheme') === 'slate'"
"""True once Material has followed the system into the dark palette (``slate``)."""


@pytest.fixture
def audit_site(
    tab: Page,
    site_url: str,
    reading_part: list[str],
    diagram_pages: dict[str, int],
    axe_script: str,
) -> Callable[[], list[str]]:
    """Audit one part of the pages to read, in both palettes; each violation on a line.

    Each page is loaded once, with the system in light mode: every WCAG A/AA rule runs.
    Then the system turns dark, Material follows it as it does for a reader (the first
    palette follows the system), and the rules that depend on colour run again.

    Returns:
        A function returning :func:`report`'s lines for every page, none when all pass.
    """

    def audit_every_page() -> list[str]:
        found: list[str] = []
        for page in reading_part:
            tab.emulate_media(color_scheme="light")
            tab.goto(urljoin(site_url, page))
            _settle(tab, page, diagram_pages)
            found += report(page, "light", audit(tab, axe_script, WCAG_A_AA))
            tab.emulate_media(color_scheme="dark")
            tab.wait_for_function(DARK)
            found += report(page, "dark", audit(tab, axe_script, COLOUR_RULES))
        return found

    return audit_every_page


def test_every_page_meets_wcag_2_1_a_and_aa_in_both_palettes(
    audit_site: Callable[[], list[str]], problems: Callable[[], list[str]]
) -> None:
    found = audit_site()

    assert found == [], f"{len(found)} accessibility violation(s):\n" + "\n".join(found)
    assert problems() == []


KNOWN_VIOLATIONS = """<!doctype html>
<html lang="en">
<head><title>Known violations</title></head>
<body>
<main>
  <h1>Known violations</h1>
  <p>A code annotation's marker as Material draws it, a link with no name:
    <a id="marker" href="#note"><span data-md-annotation-id="1"></span></a></p>
  <div id="scroller" style="overflow: auto; width: 10em">
    <pre style="width: 60em">a line of code far wider than the box that scrolls it</pre>
  </div>
  <p id="note">The annotation.</p>
</main>
</body>
</html>
"""
"""A page that breaks two WCAG A rules, the two the site once broke (ADR 67)."""


def test_the_audit_names_the_page_rule_and_element_of_a_violation(
    tab: Page, axe_script: str
) -> None:
    tab.set_content(KNOWN_VIOLATIONS)

    lines = report("known-violations/", "light", audit(tab, axe_script, WCAG_A_AA))

    assert any(
        line.startswith("/known-violations/ (light): link-name (serious)") and "#marker" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("/known-violations/ (light): scrollable-region-focusable")
        and "#scroller" in line
        for line in lines
    ), lines


UNNAME_MARKERS = """
() => document.querySelectorAll(".md-annotation__index")
  .forEach((marker) => marker.setAttribute("aria-label", ""))
"""
"""Take away the names accessibility.js gives annotation markers, as if it were not there.

An empty name, not none: the script names every marker without an ``aria-label`` each time
the page changes, and would name them again before the audit; an empty ``aria-label`` names
nothing, as if it were absent.
"""


def test_annotation_markers_pass_by_the_names_the_site_gives_them(
    tab: Page,
    site_url: str,
    whole_listing: Callable[[bool], tuple[str, str, str, str] | None],
    axe_script: str,
) -> None:
    wanted = whole_listing(True)
    if wanted is None:
        pytest.skip("the built site has no whole annotated listing")
    page = wanted[0]
    link_name = {"type": "rule", "values": ["link-name"]}
    tab.goto(urljoin(site_url, page))
    # Material draws the markers after the page loads, and the script names them then.
    tab.wait_for_selector(".md-annotation__index[aria-label]", state="attached")

    named = report(page, "light", audit(tab, axe_script, link_name))
    tab.evaluate(UNNAME_MARKERS)
    unnamed = report(page, "light", audit(tab, axe_script, link_name))

    assert named == []
    assert unnamed, f"/{page}: the markers pass without their names; is the fix still needed?"
    assert all("md-annotation__index" in line for line in unnamed), unnamed
