"""The titles of the pages a dirty rebuild skips (``handbook.nav_titles``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

from handbook.nav_titles import heading_text, keep_titles

Writer = Callable[[Path, Mapping[str, str]], Path]


def test_a_heading_reads_as_text() -> None:
    assert heading_text("7. Every task is a `nox` session &amp; *more*") == (
        "7. Every task is a nox session & more"
    )


def test_a_skipped_page_gets_its_headings_text_and_a_rebuilt_one_is_left_to_rendering(
    repo: Path, write: Writer, site_config: MkDocsConfig
) -> None:
    write(
        repo,
        {
            "docs/other.md": "# The `other` page\n\nNo listing here.\n",
            "docs/titled.md": "---\ntitle: Chosen\n---\n\n# Its heading\n",
        },
    )
    files = get_files(site_config)
    for file in files.documentation_pages():
        rebuilt = file.src_uri == "index.md"
        file.is_modified = partial(bool, rebuilt)  # type: ignore[method-assign]
    nav = get_navigation(files, site_config)

    keep_titles(nav, site_config)

    titles = {page.file.src_uri: page.title for page in nav.pages}
    assert titles == {"index.md": None, "other.md": "The other page", "titled.md": "Chosen"}
