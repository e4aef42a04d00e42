"""A strict build writes no page whose listing waits for its proof.

A listing without its proof says so on the page ("Proof pending: tests running.") and
logs a warning, so ``mkdocs build --strict`` fails; but MkDocs counts the warnings only
after it has written every page. :func:`refuse_pending` stops a strict build before any
page is written, naming the pages, so the site of ``nox -s docs`` never holds a pending
proof, even in the folder a failed build leaves behind.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

PENDING = '<p class="listing-proof listing-proof--pending">'
"""The sentence a listing shows instead of its proof (:mod:`handbook.listing`), as markup.

As markup, from the opening ``<``: a source page showing code that holds it has the ``<``
escaped, and shows no listing.
"""


def refuse_pending(pages: Iterable[Page | None]) -> None:
    """Stop the build if a rendered page shows a listing without its proof.

    Raises:
        PluginError: Names every such page.
    """
    pending = sorted(
        page.file.src_uri
        for page in pages
        if page is not None and page.content is not None and PENDING in page.content
    )
    if pending:
        raise PluginError(
            f"handbook: {len(pending)} page(s) show a listing without its proof, and a strict "
            f"build writes none of them: {', '.join(pending)}"
        )
