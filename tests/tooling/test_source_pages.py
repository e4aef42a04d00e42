"""A page for every source file, numbered as the file is (``handbook.source_pages``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from handbook.source_pages import (
    PLACEHOLDER,
    SourcePages,
    highlighted_source,
    page_markdown,
    source_fence,
    symbol_lines,
)


def pages_of(repo: Path, *, extra: tuple[str, ...] = ("pyproject.toml",)) -> SourcePages:
    return SourcePages(
        root=repo,
        folders=("snippets", "tests"),
        extra=extra,
        prefix="source",
        blob_url="https://git.example.com/blob/main/",
    )


def test_every_file_of_a_known_language_gets_an_unlisted_page(
    repo: Path, site_config: MkDocsConfig
) -> None:
    files = pages_of(repo).files(site_config)

    assert [file.src_uri for file in files] == [
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
    ]  # no bytecode cache, no file of unknown language (tests/data/blob.bin)
    assert {file.inclusion for file in files} == {InclusionLevel.NOT_IN_NAV}


def test_a_missing_extra_source_stops_the_build_and_names_it(repo: Path) -> None:
    pages = pages_of(repo, extra=("pyproject.toml", "nowhere.toml"))

    with pytest.raises(PluginError, match=r"extra_sources not found: nowhere\.toml"):
        pages.shown_files()


def test_a_source_page_names_its_file_and_edits_the_real_one(
    repo: Path, site_config: MkDocsConfig
) -> None:
    pages = pages_of(repo)
    (money,) = [
        file for file in pages.files(site_config) if file.src_uri.endswith("demo/money.py.md")
    ]
    docs_page = File("index.md", site_config.docs_dir, site_config.site_dir, True)

    assert pages.shown(money) == "snippets/demo/money.py"
    assert pages.shown(docs_page) is None
    assert pages.edit_url("snippets/demo/money.py") == (
        "https://git.example.com/blob/main/snippets/demo/money.py"
    )
    assert SourcePages(repo, (), (), "source", "").edit_url("snippets/demo/money.py") is None


def test_a_source_page_shows_the_whole_file_highlighted_in_its_placeholder(
    repo: Path, site_config: MkDocsConfig
) -> None:
    test_file = (repo / "tests" / "test_money.py").read_text("utf-8")
    markdown = page_markdown("tests/test_money.py")

    html = pages_of(repo).fill(
        f"<h1>t</h1>{PLACEHOLDER.format(path='tests/test_money.py')}",
        "tests/test_money.py",
        site_config,
    )

    assert markdown == (
        "---\nsearch:\n  exclude: true\n---\n\n# `tests/test_money.py`\n\n"
        + PLACEHOLDER.format(path="tests/test_money.py")
        + "\n"
    )
    assert source_fence("tests/test_money.py", test_file) == (
        f'```` python linenums="1"\n{test_file.rstrip()}\n````\n'
    )
    assert html.startswith("<h1>t</h1>")
    assert "data-handbook-source" not in html
    assert '<a id="test_add"></a><a id="__codelineno-0-4"' in html  # a link by name


def test_highlighting_is_done_once_per_content() -> None:
    highlighted_source.cache_clear()
    options = '{"anchor_linenums": true}'

    first = highlighted_source("snippets/a.py", "x = 1\n", options)
    again = highlighted_source("snippets/a.py", "x = 1\n", options)
    changed = highlighted_source("snippets/a.py", "x = 2\n", options)

    assert again is first
    assert changed != first
    assert highlighted_source.cache_info().hits == 1


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
