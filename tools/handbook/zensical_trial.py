"""``python -m handbook.zensical_trial``: build the site with Zensical and say what carried over.

Material for MkDocs has an announced end of life and Zensical is its successor (ADR 3).
Whether the handbook can move is a question of fact, so this module answers it from a
build rather than from memory: it builds the same ``mkdocs.yml`` with MkDocs and with
Zensical, compares the two sites page by page and listing by listing, and writes the
figures between the ``zensical`` markers of the decision record that cites them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from handbook.machine import machine
from handbook.paths import repository_root

RECORD = "adr/0073-stay-on-mkdocs-until-zensical-runs-the-plugin.md"
START = "<!-- zensical:start -->"
END = "<!-- zensical:end -->"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Zensical reports a problem as a headline, then a box whose first line names the place:
#     Warning: page does not exist
#         ╭─[ decisions/0017-….md:89:20 ]
_HEADLINE = re.compile(r"^(Warning|Error): (?P<what>.+)$")
_PLACE = re.compile(r"╭─\[ (?P<page>[^:\]]+):\d+:\d+ \]")
_LISTING = re.compile(r'class="listing"')
_PENDING = re.compile(r'class="listing-proof listing-proof--pending"')
_API_OBJECT = re.compile(r'class="doc doc-object')


@dataclass(frozen=True)
class Problem:
    """One problem Zensical reported: what, and on which page."""

    what: str
    page: str


@dataclass(frozen=True)
class SiteFigures:
    """What a built site holds, counted the same way for both builders."""

    pages: frozenset[str]
    listings: int
    pending: int
    api_objects: int
    has_search_index: bool


@dataclass(frozen=True)
class Build:
    """One builder's run: how long it took and what it made."""

    seconds: float
    site: SiteFigures


def problems_in(output: str) -> list[Problem]:
    """The problems Zensical's output reports, each with the page it names."""
    found: list[Problem] = []
    headline: str | None = None
    for line in _ANSI.sub("", output).splitlines():
        stripped = line.strip()
        if match := _HEADLINE.match(stripped):
            headline = match["what"]
        elif headline is not None and (place := _PLACE.search(stripped)):
            found.append(Problem(headline, place["page"]))
            headline = None
    return found


def pages_of(site: Path) -> frozenset[str]:
    """Every HTML page of a built site, by its path in the site."""
    return frozenset(
        path.relative_to(site).as_posix() for path in site.rglob("*.html") if path.is_file()
    )


def figures_of(site: Path, counted: frozenset[str] | None = None) -> SiteFigures:
    """Count a built site's pages, and the listings, pending proofs and API objects of some.

    Args:
        site: The built site.
        counted: The pages whose listings are counted; all when ``None``. The trial counts
            the pages both builders made, so that a page only one of them made (a source
            page quoting this module's own patterns, say) does not count for one side.
    """
    pages = pages_of(site)
    listings = pending = api_objects = 0
    for page in pages if counted is None else pages & counted:
        html = (site / page).read_text(encoding="utf-8", errors="replace")
        listings += len(_LISTING.findall(html))
        pending += len(_PENDING.findall(html))
        api_objects += len(_API_OBJECT.findall(html))
    has_search_index = any(
        (site / candidate).is_file() for candidate in ("search.json", "search/search_index.json")
    )
    return SiteFigures(pages, listings, pending, api_objects, has_search_index)


def _top_folders(pages: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page in pages:
        folder = page.split("/", 1)[0] if "/" in page else "(top)"
        counts[folder] = counts.get(folder, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def report(
    mkdocs: Build,
    zensical: Build,
    problems: Sequence[Problem],
    version: str,
    load: float = 0.0,
) -> str:
    """The Markdown that goes between the markers: the figures, then what is missing."""
    missing = mkdocs.site.pages - zensical.site.pages
    kinds: dict[str, int] = {}
    for problem in problems:
        kinds[problem.what] = kinds.get(problem.what, 0) + 1
    rows = [
        ("Build time", f"{mkdocs.seconds:.1f} s", f"{zensical.seconds:.1f} s"),
        ("HTML pages", str(len(mkdocs.site.pages)), str(len(zensical.site.pages))),
        (
            "Listings, on the pages both made",
            str(mkdocs.site.listings),
            str(zensical.site.listings),
        ),
        ("… whose proof is pending", str(mkdocs.site.pending), str(zensical.site.pending)),
        ("API reference objects", str(mkdocs.site.api_objects), str(zensical.site.api_objects)),
        (
            "Search index",
            "yes" if mkdocs.site.has_search_index else "no",
            "yes" if zensical.site.has_search_index else "no",
        ),
    ]
    lines = [
        START,
        "| | MkDocs (strict) | Zensical |",
        "|---|---|---|",
        *(f"| {name} | {left} | {right} |" for name, left, right in rows),
        "",
        f"Pages MkDocs built and Zensical did not: {len(missing)}"
        + (
            ", by folder: "
            + ", ".join(f"`{folder}/` {count}" for folder, count in _top_folders(missing).items())
            if missing
            else ""
        )
        + ".",
        "",
        f"Problems Zensical reported: {len(problems)}"
        + (
            " (" + "; ".join(f"{what}: {count}" for what, count in sorted(kinds.items())) + ")"
            if problems
            else ""
        )
        + ".",
        "",
        f"Built on {datetime.now(UTC):%Y-%m-%d} on {machine()} by `nox -s zensical`, "
        f"zensical {version}, from the same `mkdocs.yml` and proof; the machine's one-minute "
        f"load average before the builds: {load:.2f} (other work slows both builds).",
        END,
    ]
    return "\n".join(lines)


def write_report(record: Path, text: str) -> None:
    """Replace the text between the markers of ``record``."""
    content = record.read_text(encoding="utf-8")
    start, end = content.index(START), content.index(END) + len(END)
    record.write_text(content[:start] + text + content[end:], encoding="utf-8")


TRIAL_CONFIG = ".zensical-trial.yml"
"""Written beside ``mkdocs.yml`` for the build and removed after it."""


def trial_config(root: Path, site: Path) -> Path:
    """A copy of ``mkdocs.yml`` that builds into ``site`` and lets Zensical finish.

    The copy is not strict: a strict Zensical build stops at the first missing page, and
    the trial wants to count them all. It sits beside the original, because Zensical
    takes the configuration's folder as the project's root and refuses a ``docs_dir``
    outside it.
    """
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^strict: true$", "strict: false", text)
    config = root / TRIAL_CONFIG
    config.write_text(f"{text}\nsite_dir: {site}\n", encoding="utf-8")
    return config


def timed(command: Sequence[str], cwd: Path) -> tuple[float, str]:
    """Run ``command``; return its wall time and its combined output, failing loudly."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own build commands
        command, cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(
            f"zensical_trial: {' '.join(command)} failed:\n{result.stdout}{result.stderr}"
        )
    return seconds, result.stdout + result.stderr


def main(argv: list[str] | None = None) -> int:
    """Build with both, compare, and write the figures into the decision record."""
    parser = argparse.ArgumentParser(prog="python -m handbook.zensical_trial")
    parser.add_argument("--out", type=Path, help="where to build (default: .handbook/zensical)")
    arguments = parser.parse_args(argv)
    root = repository_root()
    out = (arguments.out or root / ".handbook" / "zensical").resolve()
    shutil.rmtree(out, ignore_errors=True)
    bin_dir = Path(sys.executable).parent
    mkdocs_site, zensical_site = out / "mkdocs", out / "zensical"
    load = os.getloadavg()[0]
    mkdocs_seconds, _ = timed(
        [str(bin_dir / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(mkdocs_site)],
        root,
    )
    config = trial_config(root, zensical_site)
    try:
        zensical_seconds, output = timed(
            [str(bin_dir / "zensical"), "build", "--clean", "--config-file", str(config)], root
        )
    finally:
        config.unlink()
    _, version = timed([str(bin_dir / "zensical"), "--version"], root)
    both = pages_of(mkdocs_site) & pages_of(zensical_site)
    text = report(
        Build(mkdocs_seconds, figures_of(mkdocs_site, both)),
        Build(zensical_seconds, figures_of(zensical_site, both)),
        problems_in(output),
        version.strip().rsplit(" ", 1)[-1],
        load,
    )
    write_report(root / RECORD, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
