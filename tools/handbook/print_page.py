"""The print page's links: each one leads somewhere (ADR 93).

mkdocs-print-site-plugin writes ``print_page/``: every page of the navigation one after
another, each in a section whose id is the page's *key* (its URL, ``/`` as ``-``, as
:func:`page_key` computes it). It turns every link to another page into an anchor of the
print page, ``#KEY`` or ``#KEY-ANCHOR``. That anchor exists only when the target is a
printed page and the anchor a heading, a footnote or a list item, which the plugin
renames. A link to any other page (the source page of each file, which the proof under
every listing links, a line or a class in it) or to any other element became an anchor
that does not exist.

:class:`PrintLinksPlugin` (``handbook-print`` in ``mkdocs.yml``, after ``print-site``) runs
after the print page is written and turns each anchor that the page lacks back into a link
to the page on the site, with its anchor: from the print page a reader reaches the same
place a reader of the chapter does. ``handbook check-site`` checks every link of the site,
the print page's among them.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.handbook")

PRINT_PLUGIN = "print-site"
ANCHOR_HREF = re.compile(r'href="#([^"]+)"')
IDENTIFIER = re.compile(r"""\s(?:id|name)=(?:"([^"]+)"|'([^']+)')""")
"""An element's id: print-site writes its sections' ids in single quotes."""
CROSS_REFERENCE = re.compile(
    r'<a class="autorefs[^"]*"(?: title="(?P<title>[^"]*)")? href="#(?P<anchor>[^"]+)">'
    r"(?P<text>.*?)</a>",
    re.DOTALL,
)
"""A link print-site makes of a cross-reference: every one, those the site leaves unlinked too."""


def page_key(url: str) -> str:
    """The id print-site gives a page's section: ``layers/domain/`` is ``layers-domain``."""
    key = url.lower().strip().rstrip("/").replace(".html", "").replace("/", "-").lstrip("-")
    return key or "index"


def repair_links(page: str, pages: dict[str, str], prefix: str) -> tuple[str, list[str]]:
    """Turn each anchor link the print page lacks into a link to the page on the site.

    Args:
        page: The print page's HTML.
        pages: Each page's key mapped to its URL in the site (``source/x.py/``).
        prefix: What leads from the print page to the site's root (``../``).

    Returns:
        The HTML, and the anchors no page's key begins (left as they were).
    """
    present = {double or single for double, single in IDENTIFIER.findall(page)}
    # The longest key first: ``source-a.py`` must not take ``source-a.py-b``'s links.
    keys = sorted(pages, key=len, reverse=True)
    unknown: list[str] = []

    def page_of(anchor: str) -> str | None:
        return next((key for key in keys if anchor == key or anchor.startswith(f"{key}-")), None)

    def unlinked(match: re.Match[str]) -> str:
        # A cross-reference to what no page documents (``typing.Annotated``) is a link on
        # the print page only: print-site links every one. The site shows it as text.
        anchor = html.unescape(match.group("anchor"))
        if anchor in present or page_of(anchor) is not None:
            return match.group(0)
        title = match.group("title") or match.group("anchor")
        return f'<span title="{title}">{match.group("text")}</span>'

    def repaired(match: re.Match[str]) -> str:
        anchor = html.unescape(match.group(1))
        key = None if anchor in present else page_of(anchor)
        if key is None:
            if anchor not in present:
                unknown.append(anchor)
            return match.group(0)
        rest = anchor[len(key) + 1 :]
        target = prefix + pages[key] + (f"#{rest}" if rest else "")
        return f'href="{html.escape(target)}"'

    return ANCHOR_HREF.sub(repaired, CROSS_REFERENCE.sub(unlinked, page)), unknown


class PrintLinksPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # mkdocs untyped
    """Repairs the links of the page that print-site writes, once it has written it."""

    def __init__(self) -> None:
        """A plugin that knows no page until ``on_files``."""
        super().__init__()
        self.pages: dict[str, str] = {}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Remember every page's key and URL: the targets links may need."""
        del config
        # The home page's URL is "./" here, "" by the time print-site reads it.
        urls = [file.url.removeprefix("./") for file in files.documentation_pages()]
        self.pages = {page_key(url): url for url in urls}
        # A link to the home page from a page at the root becomes "#.": print-site's key
        # of the path "." that it computes for it.
        if "index" in self.pages:
            self.pages["."] = self.pages["index"]
        return files

    @event_priority(-100)  # after print-site has written the print page
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Rewrite the print page's links to pages it does not hold."""
        printer = config.plugins.get(PRINT_PLUGIN)
        if printer is None or not printer.config.get("enabled", True):
            return
        url: str = printer.print_page.file.url
        path = Path(config.site_dir) / printer.print_page.file.dest_uri
        # The print page's own URL is one folder deep with directory URLs, none without.
        prefix = "../" * url.count("/")
        text, unknown = repair_links(path.read_text(encoding="utf-8"), self.pages, prefix)
        path.write_text(text, encoding="utf-8")
        for anchor in sorted(set(unknown)):
            log.warning("print page: a link to #%s, which no page of the site is", anchor)
