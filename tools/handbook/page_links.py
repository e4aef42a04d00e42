"""Raw HTML links to pages, made relative to the page that holds them.

The proof under a listing is raw HTML (see :mod:`handbook.listing`), which MkDocs does not
rewrite: its links read ``/source/PATH.md#anchor`` (a test's source page) or ``/PAGE.md``
(a session in a page), as Markdown links to pages do. :func:`relative_page_links` gives
them the treatment MkDocs gives Markdown links.
"""

from __future__ import annotations

import logging
import re

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.handbook")
"""A child of MkDocs' logger, so that ``--strict`` counts our warnings."""

RAW_PAGE_LINK = re.compile(r'href="/([^"#]+\.md)(#[^"]*)?"')


def relative_page_links(html: str, page: Page, files: Files) -> str:
    """Make raw HTML links to pages relative to ``page``, as MkDocs does with Markdown links.

    Each link becomes the target page's URL relative to ``page``; a link to a page the
    site does not have is a warning naming both, which fails a strict build, as a broken
    Markdown link would.
    """

    def resolve(match: re.Match[str]) -> str:
        target = files.get_file_from_path(match[1])
        if target is None:
            log.warning("%s links to %s, which the site does not have", page.file.src_uri, match[1])
            return match[0]
        return f'href="{target.url_relative_to(page.file)}{match[2] or ""}"'

    return RAW_PAGE_LINK.sub(resolve, html)
