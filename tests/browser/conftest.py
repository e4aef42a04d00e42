"""Fixtures of the browser tests: the built site, served locally, seen by headless Chromium.

The tests run against a site that ``mkdocs build`` already wrote (``nox -s docs``), never
against ``mkdocs serve``, so they see exactly what would be published:

- ``HANDBOOK_SITE_DIR``: the built site (default ``site/``, relative to the working folder);
- ``HANDBOOK_REPO_ROOT``: the repository, whose source files the copy test reads
  (default: the working folder);
- ``HANDBOOK_CHROMIUM``: the Chromium (or Chrome) executable (default: ``chromium`` or
  ``chromium-browser`` on ``PATH``). Playwright's own browser download is not used.
- ``HANDBOOK_AXE``: axe-core's ``axe.min.js``, for the accessibility audit (``nox -s
  browser`` installs the version ``tests/browser/axe/package-lock.json`` pins and sets it).

Without Chromium or without a built site the tests are skipped with a reason saying that they
did not run (``pytest -rs`` prints it); when ``CI`` is ``true`` the run fails instead.

The site is served by :class:`http.server.ThreadingHTTPServer` on 127.0.0.1 and a free port.
Every test gets a fresh browser context that

- aborts, and records, every request to a host other than 127.0.0.1 / localhost;
- records console errors, uncaught page errors and local responses with an HTTP error status;
- forces shadow roots open, because Material renders each Mermaid diagram into a *closed*
  shadow root that a test could not look into otherwise;
- may read and write the clipboard.

Fixtures that return helpers return plain callables or builtin types, so the test module
imports nothing from this file.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Page,
        Request,
        Response,
        Route,
    )

HERE = Path(__file__).parent.resolve()

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags for a quiet, offline-friendly headless Chromium (``--no-sandbox``: CI runs as root)."""

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""The hosts the site may load from: the test server itself."""

OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""
"""Init script: make every shadow root open, so that rendered diagrams can be inspected."""

TIMEOUT_MS = 20_000
"""Default time a browser action or wait may take."""

_SITE_NOT_BUILT = "build it first with `nox -s docs` or `mkdocs build`"


# ---------------------------------------------------------------------------------------
# Configuration: where things are, and what happens when they are not there
# ---------------------------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _repo_root() -> Path:
    return Path(os.environ.get("HANDBOOK_REPO_ROOT") or Path.cwd()).resolve()


def _site_dir() -> Path:
    return Path(os.environ.get("HANDBOOK_SITE_DIR") or "site").resolve()


def _find_chromium() -> str | None:
    """Locate the Chromium executable.

    Returns:
        The path of ``HANDBOOK_CHROMIUM`` when set, else the first of ``chromium`` and
        ``chromium-browser`` found on ``PATH``, else ``None``.

    Raises:
        pytest.UsageError: ``HANDBOOK_CHROMIUM`` names something that is not an executable
            file (a misconfiguration is reported, never skipped).
    """
    configured = os.environ.get("HANDBOOK_CHROMIUM")
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise pytest.UsageError(
                f"HANDBOOK_CHROMIUM={configured} is not an executable file: "
                "the browser tests did not run"
            )
        return str(path)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's tests, or fail the run under CI, when Chromium or the site is missing.

    Args:
        config: The pytest configuration (unused; part of the hook's signature).
        items: Every collected test item of the session.
    """
    del config
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if not ours:
        return
    reasons: list[str] = []
    if _find_chromium() is None:
        reasons.append(
            "Chromium not found: the browser tests did not run "
            "(install it, e.g. `apt-get install chromium`, or set HANDBOOK_CHROMIUM)"
        )
    site = _site_dir()
    if not (site / "index.html").is_file():
        reasons.append(
            f"no built site at {site} (HANDBOOK_SITE_DIR): the browser tests did not run; "
            + _SITE_NOT_BUILT
        )
    if not reasons:
        return
    if _in_ci():
        pytest.exit("CI=true, so this fails instead of skipping: " + "; ".join(reasons), 1)
    for item in ours:
        for reason in reasons:
            item.add_marker(pytest.mark.skip(reason=reason))


# ---------------------------------------------------------------------------------------
# What the built site holds, read from its HTML files
# ---------------------------------------------------------------------------------------


class _PageScan(html.parser.HTMLParser):
    """Collects the diagrams and listings of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.diagrams = 0
        self.raw_fences = 0
        self.listings: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if tag in {"pre", "div"} and "mermaid" in classes:
            self.diagrams += 1
        if tag == "code" and "language-mermaid" in classes:
            self.raw_fences += 1
        if tag == "div" and "listing" in classes and "data-source" in values:
            self.listings.append(values)


@dataclass(frozen=True)
class _Listing:
    page: str
    source: str
    region: str
    elided: bool


@dataclass(frozen=True)
class _SiteIndex:
    pages: tuple[str, ...]
    diagrams: dict[str, int]
    raw_fences: dict[str, int]
    listings: tuple[_Listing, ...]


def _page_path(site: Path, html_file: Path) -> str:
    """Turn a built file into the URL path (relative to the site root) that serves it.

    Args:
        site: The built site's folder.
        html_file: An HTML file inside it.

    Returns:
        ``""`` for the home page, ``"dir/page/"`` for ``dir/page/index.html``, and the file's
        relative path for other files.
    """
    relative = html_file.relative_to(site).as_posix()
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


@functools.cache
def _scan_site(site: Path) -> _SiteIndex:
    pages: list[str] = []
    diagrams: dict[str, int] = {}
    raw_fences: dict[str, int] = {}
    listings: list[_Listing] = []
    for html_file in sorted(site.rglob("*.html")):
        relative = html_file.relative_to(site).as_posix()
        # The print page is the written pages again, one after another: megabytes that
        # take longer to load than a test waits. test_print_page.py and the accessibility
        # test open it with time enough.
        # (print_page.html in the archive, whose pages are files.)
        if relative == "404.html" or relative.startswith(("assets/", "search/", "print_page")):
            continue
        path = _page_path(site, html_file)
        pages.append(path)
        scan = _PageScan()
        scan.feed(html_file.read_text(encoding="utf-8"))
        scan.close()
        if scan.diagrams:
            diagrams[path] = scan.diagrams
        if scan.raw_fences:
            raw_fences[path] = scan.raw_fences
        listings.extend(
            _Listing(
                page=path,
                source=values["data-source"],
                region=values.get("data-region", ""),
                elided=values.get("data-elided", "").lower() == "true",
            )
            for values in scan.listings
        )
    # Shallow pages first, so that the tests start from the most prominent ones.
    pages.sort(key=lambda path: (path.count("/"), path))
    return _SiteIndex(tuple(pages), diagrams, raw_fences, tuple(listings))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository whose files the listings show (``HANDBOOK_REPO_ROOT``, default cwd).

    Returns:
        The resolved repository root.
    """
    return _repo_root()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site under test (``HANDBOOK_SITE_DIR``, default ``site/``).

    Returns:
        The resolved folder holding the site's ``index.html``.
    """
    site = _site_dir()
    if not (site / "index.html").is_file():  # pragma: no cover - guarded at collection
        pytest.fail(f"no built site at {site}: {_SITE_NOT_BUILT}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site (the 404 and print pages left out), shallowest first.

    Args:
        site_dir: The built site.

    Returns:
        URL paths relative to the site root: ``""`` is the home page, ``"a/b/"`` a page.
    """
    return list(_scan_site(site_dir).pages)


SOURCE_PAGES = "source/"
"""Where the site's generated page of every source file lives."""


@pytest.fixture(scope="session")
def reading_pages(site_pages: list[str]) -> list[str]:
    """Every written page, and one generated source page per top-level folder.

    The source pages (hundreds, one per file of the repository) are one template over
    highlighted code, the code every listing on a written page shows too; one of each
    folder (snippets, tests, examples, the configuration files) stands for the rest, so
    that a check of every page's rendering stays minutes, not the better part of an hour.

    Args:
        site_pages: Every page of the site, shallowest first.

    Returns:
        URL paths relative to the site root, shallowest first.
    """
    written = [page for page in site_pages if not page.startswith(SOURCE_PAGES)]
    sources: dict[str, str] = {}
    for page in site_pages:
        if page.startswith(SOURCE_PAGES):
            folder = page.removeprefix(SOURCE_PAGES).split("/", 1)[0]
            sources.setdefault(folder, page)
    return written + list(sources.values())


READING_PARTS = 4
"""How many parts a walk over every reading page is cut into.

Each part is a test of its own, so that ``nox -s browser`` (``pytest -n``) walks them side
by side, a browser per core: the accessibility audit alone is the better part of the
session.
"""


@pytest.fixture(params=range(READING_PARTS), ids=lambda part: f"part {part + 1} of {READING_PARTS}")
def reading_part(request: pytest.FixtureRequest, reading_pages: list[str]) -> list[str]:
    """One part of :func:`reading_pages`: every ``READING_PARTS``-th page from its own.

    Args:
        request: Which part.
        reading_pages: Every page to read.

    Returns:
        The part's pages; the parts together hold every page once.
    """
    part: int = request.param
    return reading_pages[part::READING_PARTS]


@pytest.fixture(scope="session")
def diagram_pages(site_dir: Path) -> dict[str, int]:
    """The pages that hold Mermaid diagrams (``pre.mermaid`` or ``div.mermaid`` as built).

    Args:
        site_dir: The built site.

    Returns:
        Each such page's URL path (relative to the site root), shallowest first, mapped to
        the number of diagrams on it.
    """
    index = _scan_site(site_dir)
    return {page: index.diagrams[page] for page in index.pages if page in index.diagrams}


@pytest.fixture(scope="session")
def unrendered_mermaid_fences(site_dir: Path) -> dict[str, int]:
    """The pages where a ```` ```mermaid ```` fence was built as a plain code block.

    That happens when the ``pymdownx.superfences`` custom fence for ``mermaid`` is missing:
    the page then shows the diagram's source, and no test would find a diagram to check.

    Args:
        site_dir: The built site.

    Returns:
        Each such page's URL path mapped to the number of ``code.language-mermaid`` blocks.
    """
    return dict(_scan_site(site_dir).raw_fences)


@pytest.fixture(scope="session")
def listings(site_dir: Path) -> list[tuple[str, str, str]]:
    """The listings of the built site that show their region whole (no ``data-elided``).

    Args:
        site_dir: The built site.

    Returns:
        ``(page, source, region)`` for each ``div.listing``: the page's URL path relative to
        the site root, and its ``data-source`` and ``data-region``, shallowest page first.
    """
    index = _scan_site(site_dir)
    order = {page: number for number, page in enumerate(index.pages)}
    whole = [listing for listing in index.listings if not listing.elided]
    whole.sort(key=lambda listing: order[listing.page])
    return [(listing.page, listing.source, listing.region) for listing in whole]


# ---------------------------------------------------------------------------------------
# The region a listing shows, computed from the source file independently of the site
# ---------------------------------------------------------------------------------------

_ANNOTATION = re.compile(r"\s*# \(\d+\)!\s*$")
"""A Material code annotation marker ending a line, such as ``x = 1  # (1)!``."""


def _region_code(text: str, name: str) -> tuple[str, int]:
    """Extract a region's code the way a reader should receive it.

    Args:
        text: The source file's text.
        name: The region's name.

    Returns:
        The lines between ``--8<-- [start:NAME]`` and ``--8<-- [end:NAME]``, without any
        marker line (nested regions' too), with annotation markers stripped, leading and
        trailing blank lines dropped and the common indentation removed; and the number of
        annotation markers stripped.

    Raises:
        LookupError: The file has no such region.
    """
    lines = text.splitlines()
    start = re.compile(r"--8<--\s*\[start:" + re.escape(name) + r"\]")
    end = re.compile(r"--8<--\s*\[end:" + re.escape(name) + r"\]")
    first = next((n for n, line in enumerate(lines) if start.search(line)), None)
    last = next((n for n, line in enumerate(lines) if end.search(line)), None)
    if first is None or last is None or last < first:
        raise LookupError(f"no region {name!r}")
    body = [line for line in lines[first + 1 : last] if "--8<--" not in line]
    annotations = sum(1 for line in body if _ANNOTATION.search(line))
    body = [_ANNOTATION.sub("", line) for line in body]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return textwrap.dedent("\n".join(body)), annotations


@pytest.fixture(scope="session")
def region_code(repo_root: Path) -> Callable[[str, str], tuple[str, int]]:
    """Compute what copying a listing must yield, from the repository's source file.

    Args:
        repo_root: The repository root that ``data-source`` paths are relative to.

    Returns:
        A function of ``(source, region)`` returning the region's code and the number of
        annotation markers stripped from it (see :func:`_region_code`).
    """

    def compute(source: str, region: str) -> tuple[str, int]:
        path = repo_root / source
        try:
            return _region_code(path.read_text(encoding="utf-8"), region)
        except (OSError, LookupError) as error:
            pytest.fail(f"{source}#{region} (under {repo_root}): {error}", pytrace=False)

    return compute


@pytest.fixture(scope="session")
def whole_listing(
    listings: list[tuple[str, str, str]],
    region_code: Callable[[str, str], tuple[str, int]],
) -> Callable[[bool], tuple[str, str, str, str] | None]:
    """Pick a listing to copy: the first whole one with, or without, annotations.

    Args:
        listings: The site's whole listings, shallowest page first.
        region_code: Computes a region's expected code from the repository.

    Returns:
        A function of ``annotated`` returning ``(page, source, region, expected code)`` for
        the first whole listing whose region has annotation markers (``annotated=True``) or
        has none (``annotated=False``), or ``None`` when the site has no such listing.
    """

    def pick(annotated: bool) -> tuple[str, str, str, str] | None:
        for page, source, region in listings:
            code, annotations = region_code(source, region)
            if (annotations > 0) == annotated:
                return page, source, region, code
        return None

    return pick


@pytest.fixture(scope="session")
def sample_pages(
    site_pages: list[str], diagram_pages: dict[str, int], listings: list[tuple[str, str, str]]
) -> list[str]:
    """One page of each kind that loads something special, each once.

    Args:
        site_pages: Every page of the site, shallowest first.
        diagram_pages: The pages with diagrams.
        listings: The pages with whole listings.

    Returns:
        The home page, every page with a diagram or a listing, and the first page whose path
        holds ``reference`` (the API reference), in that order, without repeats.
    """
    pages = ["", *diagram_pages, *(page for page, _, _ in listings)]
    pages += [page for page in site_pages if "reference" in page][:1]
    return list(dict.fromkeys(pages))


# ---------------------------------------------------------------------------------------
# Serving the site
# ---------------------------------------------------------------------------------------


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site quietly, with its sitemap pointed at this server.

    Material's instant navigation intercepts a click only when the link's URL is listed in
    ``sitemap.xml``, after setting the listed URLs' protocol and host name, but not their
    port, to the current ones. The sitemap holds ``site_url`` URLs, so this handler serves
    it with the ``site_url`` prefix (its shortest ``<loc>``, the home page) replaced by this
    server's origin as the browser addressed it (the ``Host`` header), as ``mkdocs serve``
    does. Every other file is served as built.
    """

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Keep the test output clean."""

    def do_GET(self) -> None:
        """Serve ``/sitemap.xml`` rewritten, everything else as is."""
        if urlsplit(self.path).path != "/sitemap.xml":
            super().do_GET()
            return
        sitemap = Path(self.directory) / "sitemap.xml"
        if not sitemap.is_file():
            self.send_error(404)
            return
        text = sitemap.read_text(encoding="utf-8")
        locs = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)
        if locs:
            origin = self.headers.get("Host", "127.0.0.1")  # host:port, as the browser asked
            text = text.replace(min(locs, key=len), f"http://{origin}/")
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 and a free port for the whole session.

    Args:
        site_dir: The built site.

    Yields:
        The site's root URL, ending in ``/``.
    """
    handler = functools.partial(_SiteHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's script, from ``HANDBOOK_AXE``, for the accessibility audit to inject.

    Returns:
        The text of ``axe.min.js``.

    Raises:
        pytest.UsageError: ``HANDBOOK_AXE`` names no file (a misconfiguration fails).
    """
    configured = os.environ.get("HANDBOOK_AXE")
    if not configured:
        reason = (
            "HANDBOOK_AXE is not set: the accessibility audit did not run "
            "(nox -s browser installs axe-core with npm and sets it)"
        )
        if _in_ci():
            pytest.fail(f"CI=true, so this fails instead of skipping: {reason}", pytrace=False)
        pytest.skip(reason)
    path = Path(configured)
    if not path.is_file():
        raise pytest.UsageError(f"HANDBOOK_AXE={configured} is not a file: the audit did not run")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Launch headless Chromium once per session, through Playwright.

    Yields:
        The running browser.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when tests run

    executable = _find_chromium()
    if executable is None:  # pragma: no cover - guarded at collection
        pytest.fail("Chromium not found: the browser tests did not run", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class _Traffic:
    """What the pages of one browser context did that a standalone site must not do."""

    problems: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        """Let requests to the test server through; abort and record any other."""
        parts = urlsplit(route.request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def on_request(self, request: Request) -> None:
        """Record requests that bypass routing (e.g. from service workers)."""
        parts = urlsplit(request.url)
        if parts.scheme in {"ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.problems.append(f"request to another host: {request.url}")

    def on_response(self, response: Response) -> None:
        """Record local responses with an HTTP error status (a missing asset, say)."""
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        """Record console errors, with where they came from."""
        if message.type == "error":
            where = message.location.get("url", "")
            self.problems.append(f"console error: {message.text} ({where})")

    def on_page_error(self, error: Error) -> None:
        """Record uncaught exceptions and unhandled promise rejections."""
        self.problems.append(f"uncaught error: {error.name}: {error.message}")


@pytest.fixture
def traffic() -> _Traffic:
    """The recorder behind :func:`problems`; one per test."""
    return _Traffic()


@pytest.fixture
def browser_context(
    chromium: Browser, site_url: str, traffic: _Traffic
) -> Iterator[BrowserContext]:
    """A fresh browser context per test, watched and confined to the test server.

    Args:
        chromium: The session's browser.
        site_url: The served site's root URL.
        traffic: Where the context's problems are recorded.

    Yields:
        A context with a laptop-sized viewport (1280 x 800), the light colour scheme,
        clipboard access for the site, shadow roots forced open, and every other host blocked.
    """
    context = _watched_context(chromium, site_url, traffic, "light")
    try:
        yield context
    finally:
        context.close()


def _watched_context(
    chromium: Browser, site_url: str, traffic: _Traffic, scheme: Literal["light", "dark"]
) -> BrowserContext:
    """A context on a laptop-sized viewport, in ``scheme``, watched by ``traffic``."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800},
        color_scheme=scheme,
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.route("**/*", traffic.route)
    context.on("request", traffic.on_request)
    context.on("response", traffic.on_response)
    context.on("console", traffic.on_console)
    context.on("weberror", lambda web_error: traffic.on_page_error(web_error.error))
    return context


@pytest.fixture
def tab_in_scheme(
    chromium: Browser, site_url: str, traffic: _Traffic
) -> Iterator[Callable[[str], Page]]:
    """Open tabs whose system colour scheme is ``"light"`` or ``"dark"``.

    The site's palette follows the system's until a reader picks one, so a dark system
    shows the dark palette (Material's ``slate``). Every tab is watched like :func:`tab`.

    Yields:
        A function of the scheme returning a blank page in a context of its own.
    """
    contexts: list[BrowserContext] = []

    def open_tab(scheme: str) -> Page:
        if scheme not in {"light", "dark"}:
            raise ValueError(f"no colour scheme {scheme!r}")
        context = _watched_context(
            chromium, site_url, traffic, "dark" if scheme == "dark" else "light"
        )
        contexts.append(context)
        return context.new_page()

    try:
        yield open_tab
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def tab(browser_context: BrowserContext) -> Page:
    """A page (browser tab) of the test's context.

    Args:
        browser_context: The test's watched context.

    Returns:
        A blank page; navigate it with ``tab.goto(site_url + path)``.
    """
    return browser_context.new_page()


@pytest.fixture
def problems(traffic: _Traffic) -> Callable[[], list[str]]:
    """Report what the test's pages did wrong so far.

    Args:
        traffic: The test's recorder.

    Returns:
        A function returning the console errors, uncaught errors, HTTP error responses and
        requests to other hosts recorded in the test's browser context, in order; a test
        ends with ``assert problems() == []``.
    """
    return lambda: list(traffic.problems)
