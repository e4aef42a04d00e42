"""Raw HTML links to pages, made relative to their page (``handbook.page_links``)."""

from __future__ import annotations

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from handbook.page_links import relative_page_links


def page_file(config: MkDocsConfig, path: str) -> File:
    return File(path, config.docs_dir, config.site_dir, config.use_directory_urls)


def test_raw_links_to_pages_become_relative_to_the_page(site_config: MkDocsConfig) -> None:
    files = Files(
        [
            page_file(site_config, "index.md"),
            page_file(site_config, "source/snippets/demo/money.py.md"),
            page_file(site_config, "source/pyproject.toml.md"),
        ]
    )
    nested = page_file(site_config, "layers/domain.md")
    raw = (
        '<a href="/source/snippets/demo/money.py.md#__codelineno-0-4">a</a> '
        '<a href="/source/pyproject.toml.md">b</a> <a href="https://example.com/x.md">c</a> '
        '<a href="/index.md#session">d</a>'
    )

    html = relative_page_links(raw, Page(None, nested, site_config), files)

    assert html == (
        '<a href="../../source/snippets/demo/money.py/#__codelineno-0-4">a</a> '
        '<a href="../../source/pyproject.toml/">b</a> <a href="https://example.com/x.md">c</a> '
        '<a href="../../#session">d</a>'
    )


def test_a_raw_link_to_a_page_the_site_lacks_is_a_warning_naming_both(
    site_config: MkDocsConfig, caplog: pytest.LogCaptureFixture
) -> None:
    index = page_file(site_config, "index.md")
    raw = '<a href="/source/snippets/demo/gone.py.md#__codelineno-0-1">gone</a>'

    html = relative_page_links(raw, Page(None, index, site_config), Files([index]))

    assert html == raw
    assert [record.getMessage() for record in caplog.records if record.levelname == "WARNING"] == [
        "index.md links to source/snippets/demo/gone.py.md, which the site does not have"
    ]
