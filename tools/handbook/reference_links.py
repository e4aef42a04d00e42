"""Which module's API reference a listing links to.

The reference pages under ``docs/reference/`` document packages with mkdocstrings blocks
(``::: catalog.domain``, with ``show_submodules: true`` for a whole package).
:class:`ReferencedModules` reads those blocks, and :meth:`ReferencedModules.identifier`
names the documented module a source file is, so that the listing showing it links to
its entry through mkdocs-autorefs (an ``<autoref>`` that a strict build fails to leave
unresolved). A module the reference does not document gets no link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_BLOCK = re.compile(r"^:::[ ]+(?P<identifier>[\w.]+)[ ]*$")
_SUBMODULES = re.compile(r"^[ ]+show_submodules:[ ]*true[ ]*$")


@dataclass(frozen=True)
class ReferencedModules:
    """The modules the reference pages document.

    Attributes:
        exact: Identifiers documented by a block of their own.
        trees: Identifiers documented with every submodule (``show_submodules: true``).
    """

    exact: frozenset[str] = frozenset()
    trees: frozenset[str] = frozenset()

    @classmethod
    def read(cls, pages: Iterable[Path]) -> ReferencedModules:
        """Collect the blocks of the reference pages' Markdown."""
        exact: set[str] = set()
        trees: set[str] = set()
        for page in pages:
            lines = page.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines):
                block = _BLOCK.match(line)
                if block is None:
                    continue
                exact.add(block["identifier"])
                options = _indented(lines[number + 1 :])
                if any(_SUBMODULES.match(option) for option in options):
                    trees.add(block["identifier"])
        return cls(frozenset(exact), frozenset(trees))

    def documents(self, module: str) -> bool:
        """Whether ``module`` has an entry on a reference page."""
        if module in self.exact:
            return True
        parts = module.split(".")
        if any(part.startswith("_") for part in parts):
            return False  # private modules are left out of the reference
        return any(module.startswith(f"{tree}.") for tree in self.trees)

    def identifier(
        self, source: str, packages_folders: Iterable[str], root: Path | None = None
    ) -> str | None:
        """The documented module that ``source`` (repository-relative) is, if any.

        Args:
            source: A file such as ``snippets/catalog/domain/errors.py``.
            packages_folders: The folders that hold importable packages (``snippets``).
            root: The repository, when given: a module in a folder without
                ``__init__.py`` (Alembic's ``versions``) is no submodule mkdocstrings
                documents.
        """
        path = PurePosixPath(source)
        if path.suffix != ".py":
            return None
        if root is not None and not (root / path.parent / "__init__.py").is_file():
            return None
        for folder in packages_folders:
            base = PurePosixPath(folder)
            if base not in path.parents:
                continue
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            module = ".".join(parts)
            if module and self.documents(module):
                return module
        return None


def _indented(lines: list[str]) -> list[str]:
    """The indented lines right under a block: its options."""
    options: list[str] = []
    for line in lines:
        if not line.startswith(" ") or not line.strip():
            break
        options.append(line)
    return options
