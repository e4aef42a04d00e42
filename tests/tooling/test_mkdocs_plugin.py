"""The MkDocs plugin: source pages, example downloads, and the page being rendered."""

from __future__ import annotations

import io
import logging
import os
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from handbook.examples import export_zip
from handbook.mkdocs_plugin import (
    SOURCE_PLACEHOLDER,
    HandbookPlugin,
    _source_page,
    heading_text,
    highlighted_source,
    source_fence,
    symbol_lines,
)
from handbook.pages import current_page

Writer = Callable[[Path, Mapping[str, str]], Path]


@pytest.fixture
def config(repo: Path, write: Writer) -> MkDocsConfig:
    write(
        repo,
        {
            "mkdocs.yml": (repo / "mkdocs.yml")
            .read_text("utf-8")
            .replace(
                "  - handbook\n",
                "  - handbook:\n"
                "      extra_sources: [pyproject.toml]\n"
                "      repo_blob_url: https://git.example.com/blob/main/\n",
            ),
            "examples/demo/pyproject.toml": (
                '[tool.hatch.build.targets.wheel.force-include]\n"../../snippets/demo" = "demo"\n'
            ),
            "examples/notes/README.md": "no pyproject, no download\n",
            "tests/data/blob.bin": "no language, no page\n",
            "snippets/demo/__pycache__/money.cpython-311.pyc": "",
        },
    )
    return load_config(str(repo / "mkdocs.yml"))


@pytest.fixture
def plugin(config: MkDocsConfig) -> Iterator[HandbookPlugin]:
    found = config.plugins["handbook"]
    assert isinstance(found, HandbookPlugin)
    yield found
    # MkDocs keeps one instance of a plugin that has on_startup, for every config loaded.
    found.on_startup(command="build", dirty=False)


@pytest.fixture
def no_page() -> Iterator[None]:
    token = current_page.set(None)
    yield
    current_page.reset(token)


def generated(plugin: HandbookPlugin, config: MkDocsConfig) -> dict[str, File]:
    config.plugins._current_plugin = "handbook"  # as MkDocs sets it for a plugin's event
    files = plugin.on_files(Files([]), config=config)
    return {file.src_uri: file for file in files}


def test_a_source_page_for_every_source_file_and_a_download_per_example(
    repo: Path, plugin: HandbookPlugin, config: MkDocsConfig
) -> None:
    files = generated(plugin, config)

    assert sorted(files) == [
        "downloads/demo.zip",
        "source/pyproject.toml.md",
        "source/snippets/demo/__init__.py.md",
        "source/snippets/demo/currencies.py.md",
        "source/snippets/demo/money.py.md",
        "source/snippets/demo/rates.py.md",
        "source/tests/conftest.py.md",
        "source/tests/test_currencies.py.md",
        "source/tests/test_money.py.md",
        "source/tests/unit/conftest.py.md",
        "source/tests/unit/test_rates.py.md",
    ]
    assert files["source/tests/test_money.py.md"].inclusion == InclusionLevel.NOT_IN_NAV
    assert files["downloads/demo.zip"].content_bytes == export_zip(repo, "demo")
    with zipfile.ZipFile(io.BytesIO(files["downloads/demo.zip"].content_bytes)) as archive:
        assert "demo/src/demo/money.py" in archive.namelist()


def test_a_source_page_shows_the_whole_file(repo: Path) -> None:
    test_file = (repo / "tests" / "test_money.py").read_text("utf-8")

    assert _source_page("tests/test_money.py") == (
        "---\nsearch:\n  exclude: true\n---\n\n# `tests/test_money.py`\n\n"
        + SOURCE_PLACEHOLDER.format(path="tests/test_money.py")
        + "\n"
    )
    assert source_fence("tests/test_money.py", test_file) == (
        f'```` python linenums="1"\n{test_file.rstrip()}\n````\n'
    )
    html = highlighted_source("tests/test_money.py", test_file, '{"anchor_linenums": true}')
    assert '<a id="test_add"></a><a id="__codelineno-0-4"' in html  # a link by name
    assert "test_add" in html


def test_a_python_files_symbols_are_found_by_qualified_name() -> None:
    source = (
        "import functools\n"
        "\n"
        "@functools.cache\n"
        "def cached() -> int:\n"
        "    return 1\n"
        "\n"
        "class Store:\n"
        "    async def commit(self) -> None:\n"
        "        def inner() -> None: ...\n"
    )

    assert symbol_lines(source) == {"cached": 3, "Store": 7, "Store.commit": 8}
    assert symbol_lines("def broken(:\n") == {}


def test_a_source_page_of_a_marked_file_blanks_markers_and_keeps_the_numbers(repo: Path) -> None:
    text = (repo / "snippets/demo/rates.py").read_text()

    page = source_fence("snippets/demo/rates.py", text)

    assert "--8<--" not in page
    assert page.startswith('```` python linenums="1"\n')
    body = page.splitlines()[1:-1]
    expected = ["" if "--8<--" in line else line for line in text.splitlines()]
    # Line N of the page is line N of the file; only trailing blank lines are dropped.
    assert body == expected[: len(body)]
    assert not any(expected[len(body) :])


def test_a_source_page_fence_is_longer_than_any_run_of_backticks() -> None:
    page = "\n" + source_fence("docs/notes.md", "````\ncode\n````\n")

    assert '\n```````` markdown linenums="1"\n````\ncode\n````\n````````\n' in page


def test_a_file_with_a_known_name_gets_its_language() -> None:
    assert '```` dockerfile linenums="1"' in source_fence("examples/demo/Dockerfile", "FROM x\n")
    assert '```` text linenums="1"' in source_fence("LICENSE", "MIT\n")


@pytest.mark.usefixtures("no_page")
def test_the_plugin_names_the_page_being_rendered(
    repo: Path, plugin: HandbookPlugin, config: MkDocsConfig
) -> None:
    files = generated(plugin, config)
    docs_file = File("index.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    source_file = files["source/snippets/demo/money.py.md"]

    plugin.on_page_markdown(
        "# x", page=Page(None, docs_file, config), config=config, files=files_of(files)
    )
    on_docs_page = current_page.get()
    source_page = Page(None, source_file, config)
    plugin.on_page_markdown("# x", page=source_page, config=config, files=files_of(files))
    on_source_page = current_page.get()
    plugin.on_page_context({}, page=source_page, config=config, nav=None)

    assert (repo / "docs" / "index.md").is_file()
    assert on_docs_page == "docs/index.md"
    assert on_source_page == "snippets/demo/money.py"
    assert source_page.edit_url == "https://git.example.com/blob/main/snippets/demo/money.py"


def files_of(by_uri: dict[str, File]) -> Files:
    return Files(list(by_uri.values()))


def test_a_missing_extra_source_stops_the_build_and_names_it(
    plugin: HandbookPlugin, config: MkDocsConfig
) -> None:
    plugin.config.extra_sources = ["pyproject.toml", "nowhere.toml"]

    with pytest.raises(PluginError, match=r"extra_sources not found: nowhere\.toml"):
        generated(plugin, config)


def test_raw_links_to_pages_become_relative_to_the_page(
    plugin: HandbookPlugin, config: MkDocsConfig
) -> None:
    files = generated(plugin, config)
    files["index.md"] = File(
        "index.md", config.docs_dir, config.site_dir, config.use_directory_urls
    )
    nested = File("layers/domain.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    raw = (
        '<a href="/source/snippets/demo/money.py.md#__codelineno-0-4">a</a> '
        '<a href="/source/pyproject.toml.md">b</a> <a href="https://example.com/x.md">c</a> '
        '<a href="/index.md#session">d</a>'
    )

    html = plugin.on_page_content(
        raw, page=Page(None, nested, config), config=config, files=files_of(files)
    )

    assert html == (
        '<a href="../../source/snippets/demo/money.py/#__codelineno-0-4">a</a> '
        '<a href="../../source/pyproject.toml/">b</a> <a href="https://example.com/x.md">c</a> '
        '<a href="../../#session">d</a>'
    )


def test_a_raw_link_to_a_page_the_site_lacks_is_a_warning_naming_both(
    plugin: HandbookPlugin, config: MkDocsConfig, caplog: pytest.LogCaptureFixture
) -> None:
    files = generated(plugin, config)
    page = File("index.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    raw = '<a href="/source/snippets/demo/gone.py.md#__codelineno-0-1">gone</a>'

    html = plugin.on_page_content(
        raw, page=Page(None, page, config), config=config, files=files_of(files)
    )

    assert html == raw
    assert [record.getMessage() for record in caplog.records if record.levelname == "WARNING"] == [
        "index.md links to source/snippets/demo/gone.py.md, which the site does not have"
    ]


def build_incrementally(repo: Path) -> HandbookPlugin:
    """Build ``repo``'s site as ``mkdocs serve --dirty`` does each time something changes."""
    config = load_config(str(repo / "mkdocs.yml"), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    found = config.plugins["handbook"]
    assert isinstance(found, HandbookPlugin)
    return found


@pytest.fixture
def serving(repo: Path, no_page: None) -> Iterator[Callable[[], HandbookPlugin]]:
    """Incremental builds of ``repo``; afterwards the plugin builds whole sites again.

    ``no_page``: a build names the page it renders, and the name must not outlive the test.
    """
    del no_page
    yield lambda: build_incrementally(repo)
    config = load_config(str(repo / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # MkDocs keeps plugin instances


def test_an_incremental_rebuild_renders_only_the_pages_an_edit_changed(
    repo: Path, write: Writer, serving: Callable[[], HandbookPlugin]
) -> None:
    write(repo, {"docs/other.md": "# The `other` page\n\nNo listing here.\n"})
    other = repo / "site" / "other" / "index.html"

    first = serving().rebuilt
    untouched = other.stat().st_mtime_ns
    later = time.time() + 60  # an edit, after everything the first build wrote
    os.utime(repo / "snippets" / "demo" / "money.py", (later, later))
    second = serving().rebuilt

    assert {"", "other/", "source/snippets/demo/money.py/", "source/tests/test_money.py/"} <= first
    # The page that shows money.py and the file's own page; nothing else.
    assert second == {"", "source/snippets/demo/money.py/"}
    assert other.stat().st_mtime_ns == untouched
    # The skipped page keeps its title in the rebuilt page's navigation: text, not Markdown.
    assert "The other page" in (repo / "site" / "index.html").read_text("utf-8")


def test_a_heading_reads_as_text() -> None:
    assert heading_text("7. Every task is a `nox` session &amp; *more*") == (
        "7. Every task is a nox session & more"
    )


def test_an_incremental_rebuild_keeps_the_search_entries_of_the_pages_it_skipped(
    plugin: HandbookPlugin, config: MkDocsConfig
) -> None:
    def index(*locations: str) -> SimpleNamespace:
        return SimpleNamespace(entries=[{"location": location} for location in locations])

    search = SimpleNamespace(
        search_index_prev=index("", "#intro", "a/", "a/#x", "ab/"),
        search_index=index("a/", "a/#y"),
    )
    config.plugins["material/search"] = search  # type: ignore[assignment]  # its index alone
    plugin.incremental, plugin.rebuilt = True, {"a/"}

    plugin.on_post_build(config=config)

    entries: list[dict[str, Any]] = search.search_index.entries
    assert [entry["location"] for entry in entries] == ["", "#intro", "ab/", "a/", "a/#y"]
    assert search.search_index_prev is None  # nothing left for Material to merge


def test_serving_incrementally_says_what_it_does_once_instead_of_mkdocs_warning_each_time(
    plugin: HandbookPlugin, caplog: pytest.LogCaptureFixture
) -> None:
    build_log = logging.getLogger("mkdocs.commands.build")
    dirty = "A 'dirty' build is being performed, this will likely lead to inaccurate navigation"

    with caplog.at_level(logging.INFO):
        plugin.on_startup(command="serve", dirty=True)
        build_log.warning(dirty)
        plugin.on_startup(command="build", dirty=False)
        build_log.warning(dirty)

    assert [record.getMessage()[:30] for record in caplog.records] == [
        "handbook: a rebuild renders on",
        dirty[:30],  # a whole build warns as MkDocs does
    ]
