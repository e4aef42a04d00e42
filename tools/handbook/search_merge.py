"""The search index of a dirty rebuild: the skipped pages' entries kept, nothing else.

Material's search plugin, under ``mkdocs serve --dirty``, merges the previous index by
assuming that one page was rebuilt, and drops the entries of every page whose URL starts
with that page's: all of them, when it is the home page (ADR 18). :func:`merge_search_index`
merges first, keeping exactly the entries of the pages this rebuild skipped, and leaves
Material nothing to merge. It must run before Material writes the index.
"""

from __future__ import annotations

from collections.abc import Set

from mkdocs.config.defaults import MkDocsConfig


def merge_search_index(config: MkDocsConfig, rebuilt: Set[str]) -> None:
    """Put the previous entries of every page not in ``rebuilt`` (URLs) into the index.

    Does nothing when the search plugin is missing or keeps no previous index (a whole
    build, or a Material release that renamed its attributes: Material's merge then runs).
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    previous = getattr(search, "search_index_prev", None)
    current = getattr(search, "search_index", None)
    if previous is None or current is None:
        return
    kept = [
        entry for entry in previous.entries if entry["location"].split("#", 1)[0] not in rebuilt
    ]
    current.entries = kept + current.entries
    search.search_index_prev = None  # type: ignore[union-attr]
