"""Naming the page being rendered, so that problems say ``page:line``."""

from __future__ import annotations

from dataclasses import dataclass

import markdown
from markdown.treeprocessors import Treeprocessor

from handbook.pages import current_page, page_of


@dataclass
class _File:
    src_uri: str


class _RelPath(Treeprocessor):
    """Stands in for MkDocs' relative-path treeprocessor, which carries the page's file."""

    def __init__(self, md: markdown.Markdown, src_uri: str) -> None:
        super().__init__(md)
        self.file = _File(src_uri)


def test_the_page_set_by_the_plugin_wins() -> None:
    md = markdown.Markdown()
    md.treeprocessors.register(_RelPath(md, "guide/intro.md"), "relpath", 0)
    token = current_page.set("adr/0001-record.md")
    try:
        assert page_of(md, "docs") == "adr/0001-record.md"
    finally:
        current_page.reset(token)


def test_mkdocs_relpath_treeprocessor_names_the_page() -> None:
    md = markdown.Markdown()
    md.treeprocessors.register(_RelPath(md, "guide/intro.md"), "relpath", 0)

    assert page_of(md, "docs") == "docs/guide/intro.md"


def test_no_one_named_the_page() -> None:
    assert page_of(markdown.Markdown(), "docs") == "<page>"
