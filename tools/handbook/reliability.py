"""``python -m handbook.reliability``: the fault tests' pages, written and checked.

The shop's fault tests (``examples/shop/tests/faults``) stop, freeze and crash a PostgreSQL
server of their own under load, overload the shop's pool, kill the relay and the consumer
and restart a RabbitMQ node of their own, and write what they saw into a JSON file, with a
digest of their own files. ``write`` renders those figures between the markers of two
pages, the reliability page and the delivery page (:mod:`handbook.delivery`), with each
page's figures in a comment beside its tables, the date and the machine; ``nox -s
reliability`` runs the tests and then this, so the figures on the pages are produced by a
run, never typed.

:func:`check_page`, part of ``python -m handbook check``, fails when a page's tables are not
the rendering of the figures beside them (someone edited them by hand) or when the fault
tests have changed since the figures were taken (the page is stale: run ``nox -s
reliability``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handbook import delivery
from handbook.machine import machine
from handbook.paths import repository_root
from handbook.problems import Problem

PAGE = "docs/practices/reliability.md"
SOURCES = "examples/shop/tests/faults"
START = "<!-- reliability:start -->"
END = "<!-- reliability:end -->"
FIGURES = "<!-- figures: "
OUTAGES = {
    "stopped": "Stopped cleanly (`pg_ctl stop --mode fast`)",
    "frozen": "Frozen: every server process sent `SIGSTOP`",
    "crashed": "Crashed (`pg_ctl stop --mode immediate`), recovered at start",
}

Figures = dict[str, Any]


def sources_digest(root: Path) -> str:
    """The SHA-256 over the names and bytes of the fault tests' files.

    The fault tests compute the same over their own folder and record it with their
    figures, so figures are known to come from the tests as they are now.
    """
    digest = hashlib.sha256()
    for path in sorted((root / SOURCES).glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _count(statuses: dict[str, int], first: int, last: int) -> int:
    return sum(count for status, count in statuses.items() if first <= int(status) <= last)


def render_tables(figures: Figures) -> list[str]:
    """The reliability page's tables and the sentence under them."""
    outages, overload = figures["outages"], figures["overload"]
    rows = [
        "| Run | Requests | 2xx | 503 with `Retry-After` | Other 5xx "
        "| Acknowledged orders checked | Slowest answer |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| Outages: {outages['workers']} clients placing orders "
        f"| {outages['requests']:,} | {_count(outages['statuses'], 200, 299):,} "
        f"| {outages['statuses'].get('503', 0):,} | {outages['server_errors_other_than_503']} "
        f"| {outages['acknowledged_checked']:,}, all found "
        f"| {outages['slowest_answer_seconds']:.2f} s |",
        f"| Overload: {overload['clients']} clients listing orders, a pool of "
        f"{overload['pool_connections']} | {overload['requests']:,} "
        f"| {_count(overload['statuses'], 200, 299):,} "
        f"| {overload['statuses'].get('503', 0):,} "
        f"| {overload['server_errors_other_than_503']} | (reads only) "
        f"| a 503: {overload['typical_refusal_seconds']:.2f} s typically, "
        f"{overload['slowest_refusal_seconds']:.2f} s at most |",
    ]
    recovery = [
        f"| Outage, {outages['outage_seconds']:g} s each "
        "| First order placed after the database returned |",
        "|---|---:|",
        *(
            f"| {label} | {outages['recovery_seconds'][name]:.2f} s |"
            for name, label in OUTAGES.items()
        ),
    ]
    return [
        *rows,
        "",
        *recovery,
        "",
        f"Measured on {figures['date']} on {figures['machine']}, PostgreSQL "
        f"{outages['postgresql']}; each response of the overload run held "
        f"{overload['lines_per_response']:,} order lines.",
    ]


@dataclass(frozen=True)
class Block:
    """A page's block of figures: where it is, which figures it shows, how it renders them."""

    page: str
    start: str
    end: str
    keys: tuple[str, ...]
    tables: Callable[[Figures], list[str]]

    def render(self, figures: Figures) -> str:
        """The block between the markers: its figures as a comment, then their tables."""
        return "\n".join(
            [
                self.start,
                f"{FIGURES}{json.dumps(figures, sort_keys=True)} -->",
                "",
                *self.tables(figures),
                self.end,
            ]
        )

    def figures_of(self, measured: Figures) -> Figures:
        """The part of a run's figures this block shows, with the run's date and machine.

        Raises:
            ValueError: The run has no figures of one of the block's tests.
        """
        absent = [key for key in self.keys if key not in measured]
        if absent:
            raise ValueError(f"no figures of {', '.join(absent)} for {self.page}")
        shown = (*self.keys, "date", "machine", "sources")
        return {key: measured[key] for key in shown}


BLOCKS = (
    Block(PAGE, START, END, ("outages", "overload"), render_tables),
    Block(delivery.PAGE, delivery.START, delivery.END, delivery.KEYS, delivery.render_tables),
)


def render(figures: Figures) -> str:
    """The reliability page's block between its markers."""
    return BLOCKS[0].render(figures)


def write(root: Path, measured: Path) -> None:
    """Render the figures in ``measured`` between the markers of each page there is.

    Raises:
        ValueError: The figures were taken by fault tests other than today's, or some of
            them are missing (a test skipped).
    """
    figures: Figures = json.loads(measured.read_text(encoding="utf-8"))
    if figures.get("sources") != sources_digest(root):
        raise ValueError(f"{measured} was written by other fault tests than {SOURCES}'s")
    figures |= {"date": f"{datetime.now(UTC):%Y-%m-%d}", "machine": machine()}
    blocks = [block for block in BLOCKS if (root / block.page).is_file()]
    rendered = [block.render(block.figures_of(figures)) for block in blocks]
    for block, text in zip(blocks, rendered, strict=True):
        path = root / block.page
        page = path.read_text(encoding="utf-8")
        start, end = page.index(block.start), page.index(block.end) + len(block.end)
        path.write_text(page[:start] + text + page[end:], encoding="utf-8")


def check_page(root: Path) -> list[Problem]:
    """Each page's tables render its figures, and the figures come from today's fault tests."""
    problems: list[Problem] = []
    for block in BLOCKS:
        problems += _check_block(root, block)
    return problems


def _check_block(root: Path, block: Block) -> list[Problem]:
    path = root / block.page
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if block.start not in text or block.end not in text:
        return [Problem(block.page, 0, f"the page lost its markers {block.start} and {block.end}")]
    start, end = text.index(block.start), text.index(block.end) + len(block.end)
    line = text[:start].count("\n") + 1
    found = next((row for row in text[start:end].splitlines() if row.startswith(FIGURES)), None)
    if found is None:
        return [Problem(block.page, line, "no figures between the markers: run nox -s reliability")]
    figures: Figures = json.loads(found.removeprefix(FIGURES).removesuffix(" -->"))
    try:
        same = block.render(figures) == text[start:end]
    except KeyError:  # figures of another version of the page
        same = False
    if not same:
        return [Problem(block.page, line, "the tables differ from the figures: never edit them")]
    if figures.get("sources") != sources_digest(root):
        return [
            Problem(
                block.page,
                line,
                f"stale: {SOURCES} changed since these figures were taken; run nox -s reliability",
            )
        ]
    return []


def main(argv: list[str] | None = None) -> int:
    """Write the page from a run's figures."""
    parser = argparse.ArgumentParser(prog="python -m handbook.reliability")
    parser.add_argument("figures", type=Path, help="the JSON file the fault tests wrote")
    arguments = parser.parse_args(argv)
    if not arguments.figures.is_file():
        print(f"{arguments.figures}: no figures; the fault tests did not run", file=sys.stderr)
        return 1
    try:
        write(repository_root(), arguments.figures)
    except ValueError as error:
        print(f"{error}; run them again", file=sys.stderr)
        return 1
    pages = ", ".join(block.page for block in BLOCKS if (repository_root() / block.page).is_file())
    print(f"wrote the figures of {arguments.figures} into {pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
