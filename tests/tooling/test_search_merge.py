"""A dirty rebuild keeps the search entries of the pages it skipped (``handbook.search_merge``)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from handbook.search_merge import merge_search_index


def index(*locations: str) -> SimpleNamespace:
    """Material's search index, its entries alone."""
    return SimpleNamespace(entries=[{"location": location} for location in locations])


def test_the_entries_of_the_pages_a_rebuild_skipped_are_kept(site_config: MkDocsConfig) -> None:
    search = SimpleNamespace(
        search_index_prev=index("", "#intro", "a/", "a/#x", "ab/"),
        search_index=index("a/", "a/#y"),
    )
    site_config.plugins["material/search"] = search  # type: ignore[assignment]

    merge_search_index(site_config, {"a/"})

    entries: list[dict[str, Any]] = search.search_index.entries
    # Not Material's "every URL that starts with a/": ab/ is another page, and it stays.
    assert [entry["location"] for entry in entries] == ["", "#intro", "ab/", "a/", "a/#y"]
    assert search.search_index_prev is None  # nothing left for Material to merge


def test_without_a_previous_index_nothing_is_merged(site_config: MkDocsConfig) -> None:
    search = SimpleNamespace(search_index_prev=None, search_index=index("a/"))
    site_config.plugins["material/search"] = search  # type: ignore[assignment]

    merge_search_index(site_config, set())

    assert [entry["location"] for entry in search.search_index.entries] == ["a/"]
