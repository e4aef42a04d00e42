"""Named regions in source files, marked by comment lines.

A region starts and ends with a marker line in the file's own comment syntax::

    # --8<-- [start:entity]
    class Entity: ...
    # --8<-- [end:entity]

The syntax is pymdownx.snippets' section syntax, so editors and other tools that know it
keep working. Regions may nest; an inner region names lines that a page highlights or
elides inside an outer one. Marker lines never reach a page: :func:`strip_markers` drops
them from whatever is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from handbook.problems import Problem, ProblemError

MARKER_TOKEN = "--8<--"  # noqa: S105 - a marker, not a password
"""Any line holding this token is a marker line, or a misspelt one."""

_NAME = r"[a-z0-9][a-z0-9_-]*"
_MARKER = re.compile(
    r"^\s*(?:#|//|<!--|;|--)\s*--8<--\s*\[(?P<kind>start|end):(?P<name>" + _NAME + r")\]"
    r"\s*(?:-->)?\s*$"
)
_INCLUDE = re.compile(r"^\s*--8<--\s")
"""A pymdownx.snippets include line in Markdown (``--8<-- "file"``): not a region marker."""


@dataclass(frozen=True)
class Region:
    """A named range of lines in a file.

    Attributes:
        name: The region's name, unique within its file.
        start: 1-based line number of the start marker.
        end: 1-based line number of the end marker.
    """

    name: str
    start: int
    end: int

    @property
    def body(self) -> range:
        """The 1-based numbers of the lines between the two markers."""
        return range(self.start + 1, self.end)


@dataclass(frozen=True)
class MarkedFile:
    """A file's lines together with the regions marked in it.

    Attributes:
        path: The file, relative to the repository root.
        lines: The file's lines, without line endings.
        regions: The regions by name.
        marker_lines: 1-based numbers of every marker line in the file.
    """

    path: str
    lines: tuple[str, ...]
    regions: dict[str, Region]
    marker_lines: frozenset[int]

    def text(self, numbers: range | list[int]) -> list[str]:
        """Return the lines with the given 1-based numbers, marker lines left out."""
        return [self.lines[n - 1] for n in numbers if n not in self.marker_lines]


def is_marker_line(line: str) -> bool:
    """Tell whether a line is a region marker (or a misspelt attempt at one)."""
    return MARKER_TOKEN in line and not _INCLUDE.match(line)


def has_regions(text: str) -> bool:
    """Tell whether some line of ``text`` is a well-formed region marker.

    Code that merely mentions the marker syntax in a string (the tooling's own tests do)
    marks no region.
    """
    return any(_MARKER.match(line) for line in text.splitlines())


def parse_regions(path: str, text: str) -> MarkedFile:
    """Find the regions in a file's text.

    Args:
        path: The file's repository-relative path, used in problem messages.
        text: The file's content.

    Returns:
        The file with its regions.

    Raises:
        ProblemError: A marker is misspelt, unclosed, closed twice, closes a region that is
            not the innermost open one, or names a region that already exists.
    """
    lines = tuple(text.splitlines())
    problems: list[Problem] = []
    regions: dict[str, Region] = {}
    open_regions: list[tuple[str, int]] = []
    marker_lines: set[int] = set()
    for number, line in enumerate(lines, start=1):
        if not is_marker_line(line):
            continue
        marker_lines.add(number)
        match = _MARKER.match(line)
        if match is None:
            problems.append(
                Problem(
                    path,
                    number,
                    f"malformed region marker {line.strip()!r}; write "
                    "'# --8<-- [start:name]' or '# --8<-- [end:name]' "
                    "(name: lowercase letters, digits, '-' and '_')",
                )
            )
            continue
        kind, name = match["kind"], match["name"]
        if kind == "start":
            if name in regions or any(name == open_name for open_name, _ in open_regions):
                problems.append(Problem(path, number, f"region {name!r} is marked twice"))
            open_regions.append((name, number))
            continue
        if not open_regions:
            problems.append(Problem(path, number, f"end of region {name!r}, which never started"))
            continue
        innermost, started = open_regions[-1]
        if innermost != name:
            problems.append(
                Problem(
                    path,
                    number,
                    f"end of region {name!r} while region {innermost!r} (started on line "
                    f"{started}) is still open; regions must nest",
                )
            )
            continue
        open_regions.pop()
        regions.setdefault(name, Region(name, started, number))
    problems.extend(
        Problem(path, started, f"region {name!r} is never closed (no '[end:{name}]' marker)")
        for name, started in open_regions
    )
    if problems:
        raise ProblemError(problems)
    return MarkedFile(path, lines, regions, frozenset(marker_lines))


@lru_cache(maxsize=1024)
def _parse_cached(relative: str, text: str) -> MarkedFile:
    return parse_regions(relative, text)


def load_marked_file(root: Path, relative: str) -> MarkedFile:
    """Read and parse a repository file; parsing is cached by the file's content.

    Args:
        root: The repository root.
        relative: The file's path relative to ``root``.

    Returns:
        The parsed file.

    Raises:
        FileNotFoundError: There is no such file.
        ProblemError: Its markers are broken (see :func:`parse_regions`).
    """
    return _parse_cached(relative, (root / relative).read_text(encoding="utf-8"))


def strip_markers(text: str) -> str:
    """Return ``text`` without its region marker lines; used for whole-file views and exports."""
    kept = [line for line in text.splitlines(keepends=True) if not is_marker_line(line)]
    return "".join(kept)
