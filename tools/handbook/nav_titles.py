"""Titles of the pages a dirty rebuild skips, for the navigation of the pages it renders.

MkDocs finds a page's title by rendering it; a page that ``mkdocs serve --dirty`` skips
is never rendered, and the navigation of every rebuilt page would show its file name
instead (ADR 18). :func:`keep_titles` reads each skipped page's Markdown and sets the
text of its first heading as its title, as rendering would have.
"""

from __future__ import annotations

import html
import re

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.utils import get_markdown_title


def keep_titles(nav: Navigation, config: MkDocsConfig) -> None:
    """Give every page this rebuild skips the title that rendering it would find."""
    for page in nav.pages:
        if page.file.is_modified():
            continue  # rendered in this build, which finds its title
        page.read_source(config)
        title = get_markdown_title(page.markdown or "")
        if title is not None and "title" not in page.meta:
            page.meta["title"] = heading_text(title)


def heading_text(markdown_text: str) -> str:
    """The text of a heading written in Markdown: ``Use `nox` `` reads ``Use nox``."""
    rendered = markdown.markdown(f"# {markdown_text}")  # a heading: "1. Title" is no list
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
