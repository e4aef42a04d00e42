"""The decision records as the site shows them: grouped by topic, each with its status.

Every record in ``adr/`` says what it is in its own first lines::

    # 24. Aggregates are stored with SQLAlchemy Core ...

    - Status: Proposed
    - Topic: Architecture

:func:`read_decisions` reads those lines and nothing else, so the decisions index
(``/// decisions | adr``, rendered by :func:`index_markdown`) and the navigation
(:func:`group_navigation`) are produced from the records, never typed a second time.
A record without a ``Topic`` line is listed under :data:`UNFILED` until it gets one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

UNFILED = "Other decisions"
"""The topic of a record that names none."""

FILE_NAME = re.compile(r"^(?P<number>\d{4})-[\w-]+\.md$")
"""A record's file name: ``0024-persistence-core-or-orm.md``."""

_HEADING = re.compile(r"^#[ ]+(?:\d+\.[ ]+)?(?P<title>.+?)[ ]*$")
_FIELD = re.compile(r"^-[ ]+(?P<key>Status|Topic):[ ]*(?P<value>.*?)[ ]*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Decision:
    """One decision record, as its first lines describe it.

    Attributes:
        number: The record's number, from its file name.
        file: The file's name, such as ``0024-persistence-core-or-orm.md``.
        title: Its heading without the number, Markdown kept.
        status: Its ``Status`` line, as written (``Superseded by [ADR 30](...)``).
        topic: Its ``Topic`` line, or :data:`UNFILED`.
    """

    number: int
    file: str
    title: str
    status: str
    topic: str

    @property
    def state(self) -> str:
        """The status in one lower-case word: ``accepted``, ``proposed``, ``superseded``."""
        words = _LINK.sub(r"\1", self.status).split()
        return words[0].lower().rstrip(".,;:") if words else "unknown"

    @property
    def settled(self) -> bool:
        """Whether the record is accepted, the state the navigation does not point out."""
        return self.state == "accepted"

    @property
    def nav_title(self) -> str:
        """The title in the navigation: number, the status unless accepted, plain title.

        The status comes first: the stylesheet keeps each record on one line of the
        sidebar, and cuts a long title short at its end.
        """
        plain = re.sub(r"[`*_]", "", _LINK.sub(r"\1", self.title))
        status = "" if self.settled else f"{self.state.capitalize()}: "
        return f"{self.number}. {status}{plain}"


def parse_decision(file: str, text: str) -> Decision:
    """Read a record's number, title, status and topic from its file name and text.

    Args:
        file: The record's file name (``NNNN-slug.md``).
        text: Its Markdown.

    Returns:
        The decision. Only the heading and the list right under it are read; a record
        with no ``Status`` line has the status ``Unknown``.

    Raises:
        ValueError: ``file`` is not a record's file name.
    """
    name = FILE_NAME.match(file)
    if name is None:
        raise ValueError(f"{file!r} is not a decision record's file name (NNNN-slug.md)")
    title = file
    fields: dict[str, str] = {}
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and title == file:
            title = heading["title"]
            continue
        if line.startswith("## "):
            break  # the record's body: a "Status:" in there is prose
        field = _FIELD.match(line)
        if field and field["key"] not in fields and field["value"]:
            fields[field["key"]] = field["value"]
    return Decision(
        number=int(name["number"]),
        file=file,
        title=title,
        status=fields.get("Status", "Unknown"),
        topic=fields.get("Topic", UNFILED),
    )


def read_decisions(folder: Path) -> list[Decision]:
    """Every record in ``folder``, by number."""
    found = [
        parse_decision(path.name, path.read_text(encoding="utf-8"))
        for path in folder.iterdir()
        if FILE_NAME.match(path.name) and path.is_file()
    ]
    return sorted(found, key=lambda decision: decision.number)


def by_topic(decisions: list[Decision]) -> dict[str, list[Decision]]:
    """The records grouped by topic: topics in the order of their first record, unfiled last."""
    groups: dict[str, list[Decision]] = {}
    for decision in decisions:
        groups.setdefault(decision.topic, []).append(decision)
    unfiled = groups.pop(UNFILED, None)
    if unfiled:
        groups[UNFILED] = unfiled
    return groups


def index_markdown(decisions: list[Decision]) -> list[str]:
    """The decisions index: a table per topic, each record with its status as written.

    Links are relative to the folder of the records, where the index page lives.
    """
    lines: list[str] = []
    for topic, members in by_topic(decisions).items():
        lines += [f"## {topic}", "", "| # | Decision | Status |", "|---:|---|---|"]
        lines += [
            f"| {d.number} | [{d.title.replace('|', '&#124;')}]({d.file}) "
            f"| {d.status.replace('|', '&#124;')} |"
            for d in members
        ]
        lines.append("")
    counts = {state: sum(d.state == state for d in decisions) for state in _states(decisions)}
    summary = ", ".join(f"{count} {state}" for state, count in counts.items())
    lines += [f"{len(decisions)} records: {summary}.", ""]
    return lines


def _states(decisions: list[Decision]) -> list[str]:
    return list(dict.fromkeys(d.state for d in decisions))


def decision_of(page: Page, folder: str = "decisions") -> str | None:
    """The record's file name when ``page`` is a decision record under ``folder``."""
    head, _, name = page.file.src_uri.rpartition("/")
    return name if head == folder and FILE_NAME.match(name) else None


def group_navigation(
    nav: Navigation, decisions: list[Decision], folder: str = "decisions"
) -> Navigation:
    """Put the records of the navigation into one section per topic, in reading order.

    ``mkdocs.yml`` lists the records as a plain list; the section that holds them keeps
    its other entries (the index) first and gets one sub-section per topic, in the order
    of :func:`by_topic`. Parents and previous/next links are set again to match, so
    "next" leads through a topic before the next one begins.
    """
    known = {d.file: d for d in decisions}
    holder = next(
        (
            item
            for item in nav.items
            if isinstance(item, Section)
            and any(isinstance(c, Page) and decision_of(c, folder) for c in item.children)
        ),
        None,
    )
    if holder is None:
        return nav
    pages = {
        name: child
        for child in holder.children
        if isinstance(child, Page) and (name := decision_of(child, folder)) and name in known
    }
    others = [child for child in holder.children if child not in pages.values()]
    listed = [d for d in decisions if d.file in pages]
    topics: list[Section | Page] = []
    for topic, members in by_topic(listed).items():
        section = Section(title=topic, children=[pages[d.file] for d in members])
        section.parent = holder
        for page in section.children:
            page.parent = section
        topics.append(section)
    holder.children = [*others, *topics]
    _relink(nav)
    return nav


def _relink(nav: Navigation) -> None:
    """Set the pages' order, and their previous and next pages, from the items' order."""
    ordered: list[Page] = []

    def walk(items: Sequence[object]) -> None:
        for item in items:
            if isinstance(item, Page):
                ordered.append(item)
            elif isinstance(item, Section):
                walk(item.children)

    walk(nav.items)
    nav.pages = ordered
    for before, after in itertools.pairwise(ordered):
        before.next_page = after
        after.previous_page = before
    if ordered:
        ordered[0].previous_page = None
        ordered[-1].next_page = None
