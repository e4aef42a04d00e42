"""Which page is being rendered, for messages that must say ``page:line``.

Python-Markdown does not tell an extension which document it is converting. The
handbook's MkDocs plugin (:mod:`handbook.mkdocs_plugin`) sets :data:`current_page` before each
page is rendered; another builder can do the same. When nothing set it, the preprocessor
falls back to MkDocs' own relative-path treeprocessor, which carries the page's file.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from markdown import Markdown

current_page: ContextVar[str | None] = ContextVar("current_page", default=None)
"""The page being rendered, relative to the repository root (``docs/index.md``)."""


def docs_page(root: Path, docs_dir: str, src_uri: str) -> str:
    """Name the page ``src_uri`` of ``docs_dir`` as messages do: relative to ``root``."""
    return (Path(docs_dir).resolve() / src_uri).relative_to(root).as_posix()


def page_of(md: Markdown, docs_dir: str) -> str:
    """Name the page ``md`` is converting, relative to the repository root."""
    page = current_page.get()
    if page is not None:
        return page
    # A Registry, not a dict: it has no .get().
    relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None  # noqa: SIM401
    source = getattr(getattr(relpath, "file", None), "src_uri", None)
    return f"{docs_dir}/{source}" if isinstance(source, str) else "<page>"
