"""The MkDocs plugin wires the build steps to MkDocs' events (``handbook.mkdocs_plugin``).

Each step has its own tests (``test_source_pages``, ``test_downloads``, ``test_page_links``,
``test_rebuild``, ``test_nav_titles``, ``test_search_merge``, ``test_build_log``); these
check that the plugin calls them at the right events, and that a site built twice the way
``mkdocs serve --dirty`` builds it renders only what an edit changed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from handbook.downloads import example_downloads
from handbook.mkdocs_plugin import HandbookPlugin
from handbook.pages import current_page
from handbook.source_pages import SourcePages

Writer = Callable[[Path, Mapping[str, str]], Path]


@pytest.fixture
def plugin(site_config: MkDocsConfig) -> Iterator[HandbookPlugin]:
    found = site_config.plugins["handbook"]
    assert isinstance(found, HandbookPlugin)
    found.on_config(site_config)
    # A build's start: MkDocs keeps the instance, and an earlier test's build its pages.
    found.on_pre_build(config=site_config)
    yield found
    # MkDocs keeps one instance of a plugin that has on_startup, for every config loaded.
    found.on_startup(command="build", dirty=False)


@pytest.fixture
def no_page() -> Iterator[None]:
    token = current_page.set(None)
    yield
    current_page.reset(token)


def generated(plugin: HandbookPlugin, config: MkDocsConfig) -> dict[str, File]:
    files = plugin.on_files(Files([]), config=config)
    return {file.src_uri: file for file in files}


def test_the_build_gets_the_source_pages_and_the_downloads(
    repo: Path, plugin: HandbookPlugin, site_config: MkDocsConfig
) -> None:
    files = generated(plugin, site_config)
    # What mkdocs.yml configures: the default folders, an extra file, the default prefix.
    sources = SourcePages(repo, ("snippets", "tests"), ("pyproject.toml",), "source", "")

    assert sorted(files) == sorted(
        file.src_uri
        for file in [*sources.files(site_config), *example_downloads(repo, site_config)]
    )
    assert "downloads/demo.zip" in files
    assert "downloads/demo.bundle" in files
    assert "source/pyproject.toml.md" in files


@pytest.mark.usefixtures("no_page")
def test_the_plugin_names_the_page_being_rendered_and_fills_source_pages(
    repo: Path, plugin: HandbookPlugin, site_config: MkDocsConfig
) -> None:
    files = generated(plugin, site_config)
    docs_file = File("index.md", site_config.docs_dir, site_config.site_dir, True)
    all_files = Files([docs_file, *files.values()])
    source_page = Page(None, files["source/snippets/demo/money.py.md"], site_config)
    docs_page = Page(None, docs_file, site_config)

    plugin.on_page_markdown("# x", page=docs_page, config=site_config, files=all_files)
    on_docs_page = current_page.get()
    plugin.on_page_markdown("# x", page=source_page, config=site_config, files=all_files)
    on_source_page = current_page.get()
    placeholder = files["source/snippets/demo/money.py.md"].content_string.splitlines()[-1]
    filled = plugin.on_page_content(
        placeholder, page=source_page, config=site_config, files=all_files
    )
    linked = plugin.on_page_content(
        '<a href="/source/snippets/demo/money.py.md">m</a>',
        page=docs_page,
        config=site_config,
        files=all_files,
    )
    plugin.on_page_context({}, page=source_page, config=site_config, nav=None)  # type: ignore[arg-type]

    assert (repo / "docs" / "index.md").is_file()
    assert on_docs_page == "docs/index.md"
    assert on_source_page == "snippets/demo/money.py"
    assert 'id="__codelineno-0-1"' in filled
    assert linked == '<a href="source/snippets/demo/money.py/">m</a>'
    assert source_page.edit_url == "https://git.example.com/blob/main/snippets/demo/money.py"
    assert plugin.rebuilt == {"", "source/snippets/demo/money.py/"}


def build_incrementally(repo: Path) -> HandbookPlugin:
    """Build ``repo``'s site as ``mkdocs serve --dirty`` does each time something changes."""
    config = load_config(str(repo / "mkdocs.yml"), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    found = config.plugins["handbook"]
    assert isinstance(found, HandbookPlugin)
    return found


@pytest.fixture
def serving(proved_repo: Path, no_page: None) -> Iterator[Callable[[], HandbookPlugin]]:
    """Incremental builds of ``proved_repo``; afterwards the plugin builds whole sites again.

    ``no_page``: a build names the page it renders, and the name must not outlive the test.
    """
    del no_page
    yield lambda: build_incrementally(proved_repo)
    config = load_config(str(proved_repo / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # MkDocs keeps plugin instances


def test_an_incremental_rebuild_renders_only_the_pages_an_edit_changed(
    proved_repo: Path, write: Writer, serving: Callable[[], HandbookPlugin]
) -> None:
    write(proved_repo, {"docs/other.md": "# The `other` page\n\nNo listing here.\n"})
    other = proved_repo / "site" / "other" / "index.html"

    first = serving().rebuilt
    untouched = other.stat().st_mtime_ns
    unchanged = serving().rebuilt
    later = time.time() + 60  # an edit, after everything the first build wrote
    os.utime(proved_repo / "snippets" / "demo" / "money.py", (later, later))
    edited = serving().rebuilt

    assert {"", "other/", "source/snippets/demo/money.py/", "source/tests/test_money.py/"} <= first
    assert unchanged == set()
    # The page that shows money.py and the file's own page; nothing else.
    assert edited == {"", "source/snippets/demo/money.py/"}
    assert other.stat().st_mtime_ns == untouched
    # The skipped page keeps its title in the rebuilt page's navigation: text, not Markdown.
    assert "The other page" in (proved_repo / "site" / "index.html").read_text("utf-8")
