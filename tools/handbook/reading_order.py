"""The reading order the home page recommends, which "previous" and "next" must follow.

The home page's section *How to read this handbook* links the pages a newcomer should
read, in order. MkDocs' previous and next links follow the navigation, so the navigation
must list those pages in the same order; :func:`order_problems` names each one it lists
too early, or not at all, and the strict build fails on them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from handbook.problems import Problem

SECTION = "How to read this handbook"
"""The home page's heading over the recommended order."""

_LINK = re.compile(r"\]\((?P<target>[^)#\s]+\.md)(?:#[^)]*)?\)")


def recommended(markdown: str, page: str = "index.md") -> list[tuple[int, str]]:
    """The pages linked under :data:`SECTION`, in order, with the line that links each.

    Args:
        markdown: The home page's Markdown.
        page: The home page's path in the docs folder, which links are relative to.

    Returns:
        ``(line, path)`` pairs, ``path`` relative to the docs folder; a page linked twice
        counts where it is first linked.
    """
    found: dict[str, int] = {}
    inside = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("#"):
            inside = line.lstrip("#").strip() == SECTION
            continue
        if not inside:
            continue
        for match in _LINK.finditer(line):
            base = posixpath.dirname(page)
            target = posixpath.normpath(posixpath.join(base, match["target"]))
            found.setdefault(target, number)
    return [(line, target) for target, line in found.items()]


def order_problems(
    home: str, links: Sequence[tuple[int, str]], navigation: Sequence[str]
) -> list[Problem]:
    """Each recommended page that the navigation lists out of order, or not at all.

    Args:
        home: The home page's path, for the problems' location (``docs/index.md``).
        links: :func:`recommended`'s answer.
        navigation: The navigation's pages in order, as paths in the docs folder.
    """
    position = {path: index for index, path in enumerate(navigation)}
    problems: list[Problem] = []
    latest = -1
    previous = ""
    for line, target in links:
        if target not in position:
            problems.append(Problem(home, line, f"{target} is recommended but not in the nav"))
            continue
        if position[target] < latest:
            problems.append(
                Problem(
                    home,
                    line,
                    f"the nav lists {target} before {previous}, so 'next' would not follow "
                    "the order recommended here",
                )
            )
            continue
        latest, previous = position[target], target
    return problems
