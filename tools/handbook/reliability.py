"""``python -m handbook.reliability``: the reliability page's figures, written and checked.

The shop's fault tests (``examples/shop/tests/faults``) stop, freeze and crash a PostgreSQL
server of their own under load, and overload the shop's pool, and write what they saw into
a JSON file, with a digest of their own files. ``write`` renders those figures between the
``reliability`` markers of the reliability page, with the figures themselves in a comment
beside the tables, the date and the machine; ``nox -s reliability`` runs the tests and
then this, so the figures on the page are produced by a run, never typed.

:func:`check_page`, part of ``python -m handbook check``, fails when the tables are not the
rendering of the figures beside them (someone edited them by hand) or when the fault tests
have changed since the figures were taken (the page is stale: run ``nox -s reliability``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def render(figures: Figures) -> str:
    """The block between the markers: the figures as a comment, then their tables."""
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
    return "\n".join(
        [
            START,
            f"{FIGURES}{json.dumps(figures, sort_keys=True)} -->",
            "",
            *rows,
            "",
            *recovery,
            "",
            f"Measured on {figures['date']} on {figures['machine']}, PostgreSQL "
            f"{outages['postgresql']}; each response of the overload run held "
            f"{overload['lines_per_response']:,} order lines.",
            END,
        ]
    )


def write(root: Path, measured: Path) -> None:
    """Render the figures in ``measured`` between the markers of the page.

    Raises:
        ValueError: The figures were taken by fault tests other than today's.
    """
    figures: Figures = json.loads(measured.read_text(encoding="utf-8"))
    if figures.get("sources") != sources_digest(root):
        raise ValueError(f"{measured} was written by other fault tests than {SOURCES}'s")
    figures |= {"date": f"{datetime.now(UTC):%Y-%m-%d}", "machine": machine()}
    path = root / PAGE
    text = path.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    path.write_text(text[:start] + render(figures) + text[end:], encoding="utf-8")


def check_page(root: Path) -> list[Problem]:
    """The page's tables render its figures, and the figures come from today's fault tests."""
    path = root / PAGE
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return [Problem(PAGE, 0, f"the page lost its markers {START} and {END}")]
    start, end = text.index(START), text.index(END) + len(END)
    line = text[:start].count("\n") + 1
    block = text[start:end]
    found = next((row for row in block.splitlines() if row.startswith(FIGURES)), None)
    if found is None:
        return [Problem(PAGE, line, "no figures between the markers: run nox -s reliability")]
    figures: Figures = json.loads(found.removeprefix(FIGURES).removesuffix(" -->"))
    if render(figures) != block:
        return [Problem(PAGE, line, "the tables differ from the figures: never edit them")]
    if figures.get("sources") != sources_digest(root):
        return [
            Problem(
                PAGE,
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
    print(f"wrote the figures of {arguments.figures} into {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
