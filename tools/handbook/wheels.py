"""``python -m handbook.wheels ASSEMBLED EXPORTED``: two wheels of one example hold the same.

An example reaches users two ways: the wheel assembled from ``examples/NAME`` (its
packages pulled from ``snippets/``) and the exported project, whose wheel a reader builds
by installing it. ``nox -s examples`` runs the example's suite once, against the
exported wheel, and this check makes that run stand for the assembled wheel too: both
must hold the same files with the same bytes (region markers aside, which the export
strips) and the same metadata and entry points. Only ``RECORD`` may differ, since it
lists the hashes of the files that lost their markers. ADR 19 records the decision.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from handbook.problems import Problem
from handbook.regions import MARKER_TOKEN, strip_markers


def _comparable(content: bytes) -> bytes:
    """The bytes of a wheel member as the export would write them: marker lines removed."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return content
    return strip_markers(text).encode("utf-8") if MARKER_TOKEN in text else content


def wheel_members(path: Path) -> dict[str, bytes]:
    """Every member of a wheel but its ``RECORD``, by name, markers removed."""
    with zipfile.ZipFile(path) as archive:
        return {
            name: _comparable(archive.read(name))
            for name in archive.namelist()
            if not name.endswith(".dist-info/RECORD")
        }


def compare_wheels(assembled: Path, exported: Path) -> list[Problem]:
    """Name every member that one wheel holds and the other lacks, or holds differently.

    Each problem's path is the member's name inside the wheels.
    """
    ours, theirs = wheel_members(assembled), wheel_members(exported)
    problems = [
        Problem(name, 0, "in the assembled wheel, missing from the exported one")
        for name in sorted(ours.keys() - theirs.keys())
    ]
    problems += [
        Problem(name, 0, "in the exported wheel, missing from the assembled one")
        for name in sorted(theirs.keys() - ours.keys())
    ]
    problems += [
        Problem(name, 0, "differs between the assembled and the exported wheel")
        for name in sorted(ours.keys() & theirs.keys())
        if ours[name] != theirs[name]
    ]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Compare the wheels; exit 1 and name each difference when they differ."""
    parser = argparse.ArgumentParser(prog="python -m handbook.wheels", description=__doc__)
    parser.add_argument("assembled", type=Path, help="the wheel built from examples/NAME")
    parser.add_argument("exported", type=Path, help="the wheel built from the export")
    arguments = parser.parse_args(argv)
    problems = compare_wheels(arguments.assembled, arguments.exported)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"wheels: {len(problems)} difference(s)", file=sys.stderr)
        return 1
    members = len(wheel_members(arguments.exported))
    print(f"wheels: {arguments.assembled.name} and the export's hold the same {members} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
