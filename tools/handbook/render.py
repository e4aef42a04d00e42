"""What a listing shows: the code of a region, with sub-regions highlighted or elided.

This module decides the text a reader sees and copies; :mod:`handbook.listing` wraps it in
the page's HTML. Keeping the two apart lets the integrity checks resolve every listing
exactly as the build does, without building.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from handbook.directives import Directive
from handbook.problems import Problem, ProblemError
from handbook.regions import MarkedFile, Region, load_marked_file

LANGUAGES = {
    ".py": "python",
    ".pyi": "python",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".cfg": "ini",
    ".ini": "ini",
    ".json": "json",
    ".md": "markdown",
    ".sh": "bash",
    ".sql": "sql",
    ".txt": "text",
}
"""The highlighting language for each file suffix; other files need a ``lang:`` option."""

ELISION = {
    "python": "...",
    "toml": "# ...",
    "yaml": "# ...",
    "ini": "; ...",
    "bash": "# ...",
    "sql": "-- ...",
    "markdown": "<!-- ... -->",
}
"""What stands for an elided part, in each language's own syntax where it has one."""

ANNOTATION = re.compile(r"[ \t]*#[ ]*\((?P<number>\d+)\)!?[ \t]*$", re.MULTILINE)
"""A Material code annotation marker at the end of a line: ``x = 1  # (1)!``."""


@dataclass(frozen=True)
class Listing:
    """A region resolved into what a page shows.

    Attributes:
        source: The file, relative to the repository root.
        region: The region's name.
        language: The highlighting language.
        code: The code as shown and as copied: no markers, dedented, elisions as ``...``.
        highlight: 1-based line numbers within ``code`` to highlight.
        annotations: How many annotation markers ``code`` keeps for the page's list.
        shown: 1-based line numbers, in the source file, of every line on show.
        elided: Whether any part was replaced by ``...``.
    """

    source: str
    region: str
    language: str
    code: str
    highlight: tuple[int, ...]
    annotations: int
    shown: tuple[int, ...]
    elided: bool


def split_target(directive: Directive) -> tuple[str, str]:
    """Split ``path#region`` into its two parts.

    Raises:
        ProblemError: The argument has no ``#region`` or an absolute/escaping path.
    """
    path, _, region = directive.argument.partition("#")
    if not region or not path:
        raise ProblemError([directive.problem(f"write 'path#region', got {directive.argument!r}")])
    if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        raise ProblemError([directive.problem(f"{path!r} must be relative to the repository root")])
    return path, region


def resolve_for_page(root: Path, directive: Directive) -> Listing:
    """Resolve a listing as its page asks, annotations included.

    The page's annotations are the ordered list in the directive's body; the code keeps
    its markers only when the page gives their texts, and the two counts must agree.

    Raises:
        ProblemError: As :func:`resolve_listing`, or the counts differ.
    """
    annotations = count_annotation_items(directive.body)
    listing = resolve_listing(root, directive, keep_annotations=annotations > 0)
    if annotations and annotations != listing.annotations:
        raise ProblemError(
            [
                directive.problem(
                    f"the page gives {annotations} annotation(s) but the code of "
                    f"{listing.source}#{listing.region} has {listing.annotations} marker(s)"
                )
            ]
        )
    return listing


def resolve_listing(root: Path, directive: Directive, *, keep_annotations: bool) -> Listing:
    """Resolve a ``/// listing`` directive against the repository.

    Args:
        root: The repository root.
        directive: The directive as found on a page.
        keep_annotations: Keep annotation markers (the page supplies their texts);
            otherwise they are removed from the code.

    Returns:
        The listing.

    Raises:
        ProblemError: Every reason the directive cannot be shown, located at the page
            line of the directive (missing file or region, a highlighted or elided
            sub-region that is not inside the region, an unknown language), or at the
            source line of a broken marker.
    """
    path, name = split_target(directive)
    try:
        marked = load_marked_file(root, path)
    except (FileNotFoundError, IsADirectoryError):
        raise ProblemError([directive.problem(f"no file {path!r}")]) from None
    region = marked.regions.get(name)
    if region is None:
        known = ", ".join(sorted(marked.regions)) or "none"
        raise ProblemError(
            [directive.problem(f"no region {name!r} in {path} (regions there: {known})")]
        )
    language = directive.options.get("lang") or LANGUAGES.get(PurePosixPath(path).suffix)
    if language is None:
        raise ProblemError([directive.problem(f"no language known for {path}; add 'lang: ...'")])
    highlight = _subregions(directive, marked, region, "highlight")
    elide = _subregions(directive, marked, region, "elide")
    overlap = {sub.name for sub in highlight} & {sub.name for sub in elide}
    if overlap:
        raise ProblemError(
            [directive.problem(f"cannot both highlight and elide {sorted(overlap)}")]
        )
    return _assemble(
        marked, region, language, _Parts(highlight, elide), keep_annotations=keep_annotations
    )


def _subregions(
    directive: Directive, marked: MarkedFile, region: Region, option: str
) -> list[Region]:
    found: list[Region] = []
    problems: list[Problem] = []
    for name in directive.names(option):
        sub = marked.regions.get(name)
        if sub is None:
            problems.append(directive.problem(f"{option}: no region {name!r} in {marked.path}"))
        elif not (region.start < sub.start and sub.end < region.end):
            problems.append(
                directive.problem(f"{option}: region {name!r} is not inside {region.name!r}")
            )
        else:
            found.append(sub)
    if problems:
        raise ProblemError(problems)
    return found


class _Parts(NamedTuple):
    """The sub-regions of a listing to highlight and to elide."""

    highlight: list[Region]
    elide: list[Region]


def _assemble(
    marked: MarkedFile,
    region: Region,
    language: str,
    parts: _Parts,
    *,
    keep_annotations: bool,
) -> Listing:
    highlight, elide = parts
    lines: list[str] = []
    shown: list[int] = []
    highlighted: list[int] = []
    elided_so_far: set[int] = set()
    for number in region.body:
        if number in marked.marker_lines or number in elided_so_far:
            continue
        hiding = next((sub for sub in elide if number in sub.body), None)
        if hiding is not None:
            elided_so_far.update(hiding.body)
            first = marked.text(hiding.body)
            indent = first[0][: len(first[0]) - len(first[0].lstrip())] if first else ""
            lines.append(indent + ELISION.get(language, "..."))
            continue
        text = marked.lines[number - 1]
        if not keep_annotations:
            text = ANNOTATION.sub("", text)
        lines.append(text)
        shown.append(number)
        if any(number in sub.body for sub in highlight):
            highlighted.append(len(lines))
    # Formatters leave a blank line before an end marker that follows a block; a listing
    # neither starts nor ends with one.
    while lines and not lines[-1].strip():
        lines.pop()
    leading = 0
    while leading < len(lines) and not lines[leading].strip():
        leading += 1
    lines = lines[leading:]
    highlighted = [number - leading for number in highlighted if 0 < number - leading <= len(lines)]
    highlighted = _trim_blank_ends(highlighted, lines)
    code = textwrap.dedent("\n".join(lines))
    annotations = sum(1 for line in lines if ANNOTATION.search(line))
    return Listing(
        source=marked.path,
        region=region.name,
        language=language,
        code=code,
        highlight=tuple(highlighted),
        annotations=annotations,
        shown=tuple(shown),
        elided=bool(elide),
    )


def _trim_blank_ends(highlighted: list[int], lines: list[str]) -> list[int]:
    """Drop blank lines that end a highlighted run: a highlight ends on code."""
    kept: list[int] = []
    for number in reversed(highlighted):
        run_continues = kept and kept[-1] == number + 1
        if lines[number - 1].strip() or run_continues:
            kept.append(number)
    return sorted(kept)


def count_annotation_items(body: tuple[str, ...]) -> int:
    """Count the top-level ordered-list items in a directive's body (its annotations)."""
    return sum(1 for line in body if re.match(r"^\d+\.\s", line))


def fence_for(text: str, margin: int = 1) -> str:
    """A backtick fence that ``text`` cannot close.

    At least three backticks, and ``margin`` more than the longest run in ``text``.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + margin)
