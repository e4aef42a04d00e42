"""The directives a page uses to show code, found in a page's Markdown.

A directive is a block that opens with ``/// kind | argument`` and closes with ``///``::

    /// listing | snippets/shared_kernel/entity.py#entity
    highlight: equality
    title: The Entity base class

    1.  Text of the listing's first code annotation.
    ///

Option lines (``key: value``) come first; after a blank line, the rest of the body is
Markdown placed right after the code (Material reads an ordered list there as the code's
annotations). The same parser serves the Markdown extension that renders the directives
and the integrity checks that resolve them, so both agree on what a page asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook.problems import Problem

KNOWN_OPTIONS: dict[str, frozenset[str]] = {
    "listing": frozenset({"highlight", "elide", "title", "lang"}),
    "tree": frozenset({"title"}),
    "include": frozenset(),
    "openapi": frozenset(),
    "generated": frozenset(),
    "decisions": frozenset(),
}
"""Each directive kind and the options it accepts."""

_OPEN = re.compile(
    r"^(?P<indent>[ ]*)///[ ]*(?P<kind>[A-Za-z][\w-]*)[ ]*(?:\|[ ]*(?P<arg>.*?))?[ ]*$"
)
_CLOSE = re.compile(r"^[ ]*///[ ]*$")
_OPTION = re.compile(r"^(?P<key>[a-z][a-z_-]*):[ ]*(?P<value>.*?)[ ]*$")
_FENCE = re.compile(r"^[ ]*(?P<fence>`{3,}|~{3,})")
_LANGUAGE = re.compile(r"^[ ]*\{?[ ]*\.?(?P<lang>[\w+-]*)")


@dataclass(frozen=True)
class Directive:
    """One directive as written on a page.

    Attributes:
        page: The page, relative to the repository root.
        line: 1-based line of the opening ``///``.
        end_line: 1-based line of the closing ``///``.
        indent: The opening line's indentation, kept for every line the directive renders.
        kind: ``listing`` or ``tree``.
        argument: What follows the ``|``.
        options: The ``key: value`` lines.
        body: The Markdown after the options, without the directive's indentation.
    """

    page: str
    line: int
    end_line: int
    indent: str
    kind: str
    argument: str
    options: dict[str, str] = field(default_factory=dict)
    body: tuple[str, ...] = ()

    def problem(self, message: str) -> Problem:
        """A problem located at this directive's opening line."""
        return Problem(self.page, self.line, message)

    def names(self, option: str) -> list[str]:
        """The comma-separated names of an option such as ``highlight: a, b``."""
        return [name.strip() for name in self.options.get(option, "").split(",") if name.strip()]


@dataclass(frozen=True)
class FencedBlock:
    """A fenced code block of a page.

    Attributes:
        start: 0-based index of the opening fence line.
        end: 0-based index of the closing fence line (the last line if never closed).
        language: The block's language, lower-cased; empty when none is given.
        body: The lines between the fences, stripped of surrounding whitespace.
    """

    start: int
    end: int
    language: str
    body: tuple[str, ...]


def fenced_blocks(lines: list[str]) -> list[FencedBlock]:
    """Find the fenced code blocks (backticks or tildes, any indentation) in a page."""
    blocks: list[FencedBlock] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        # As in CommonMark, a backtick fence's info string holds no backtick: a line like
        # "```` ```mermaid ```` fences ..." is inline code, not a fence.
        if match is None or (match["fence"][0] == "`" and "`" in lines[index][match.end() :]):
            index += 1
            continue
        fence = match["fence"]
        language = _LANGUAGE.match(lines[index][match.end() :])
        end = index + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if (
                closing
                and lines[end].strip() == closing["fence"]
                and closing["fence"][0] == fence[0]
            ) and len(closing["fence"]) >= len(fence):
                break
            end += 1
        body = tuple(line.strip() for line in lines[index + 1 : end])
        blocks.append(
            FencedBlock(
                index, min(end, len(lines) - 1), language["lang"].lower() if language else "", body
            )
        )
        index = end + 1
    return blocks


def fenced_line_numbers(lines: list[str]) -> set[int]:
    """Return the 0-based indexes of lines inside fenced code blocks (fences included)."""
    return {n for block in fenced_blocks(lines) for n in range(block.start, block.end + 1)}


def find_directives(page: str, lines: list[str]) -> tuple[list[Directive], list[Problem]]:
    """Find the directives in a page's lines, skipping fenced code blocks.

    Args:
        page: The page's repository-relative path, used to locate problems.
        lines: The page's lines without line endings.

    Returns:
        The directives found and the problems met (unknown kind, unknown option, no
        argument, never closed), each located at ``page:line``.
    """
    directives: list[Directive] = []
    problems: list[Problem] = []
    fenced = fenced_line_numbers(lines)
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index]) if index not in fenced else None
        if match is None or _CLOSE.match(lines[index]):
            index += 1
            continue
        start = index
        kind, argument, indent = match["kind"], (match["arg"] or "").strip(), match["indent"]
        end = next((i for i in range(start + 1, len(lines)) if _CLOSE.match(lines[i])), None)
        if end is None:
            problems.append(Problem(page, start + 1, f"'/// {kind}' is never closed by '///'"))
            break
        index = end + 1
        if kind not in KNOWN_OPTIONS:
            known = ", ".join(sorted(KNOWN_OPTIONS))
            problems.append(
                Problem(page, start + 1, f"unknown directive {kind!r} (known: {known})")
            )
            continue
        if not argument:
            problems.append(Problem(page, start + 1, f"'/// {kind}' needs an argument after '|'"))
            continue
        options, body, option_problems = _split_body(page, kind, start, lines[start + 1 : end])
        problems.extend(option_problems)
        directives.append(
            Directive(page, start + 1, end + 1, indent, kind, argument, options, body)
        )
    return directives, problems


def _split_body(
    page: str, kind: str, start: int, inner: list[str]
) -> tuple[dict[str, str], tuple[str, ...], list[Problem]]:
    """Split a directive's inner lines into its options and its Markdown body."""
    options: dict[str, str] = {}
    problems: list[Problem] = []
    position = 0
    for position, raw in enumerate(inner):
        line = raw.strip()
        if not line:
            break
        option = _OPTION.match(line)
        if option is None:
            problems.append(
                Problem(page, start + 2 + position, f"expected 'option: value', got {line!r}")
            )
            continue
        if option["key"] not in KNOWN_OPTIONS[kind]:
            known = ", ".join(sorted(KNOWN_OPTIONS[kind]))
            problems.append(
                Problem(
                    page,
                    start + 2 + position,
                    f"unknown option {option['key']!r} for '/// {kind}' (known: {known})",
                )
            )
            continue
        options[option["key"]] = option["value"]
    else:
        position = len(inner)
    body_lines = inner[position:]
    indent = min((len(line) - len(line.lstrip()) for line in body_lines if line.strip()), default=0)
    body = tuple(line[indent:] for line in body_lines)
    while body and not body[0].strip():
        body = body[1:]
    while body and not body[-1].strip():
        body = body[:-1]
    return options, body, problems
