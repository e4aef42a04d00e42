"""``python -m handbook``: the handbook's tooling from the command line.

Commands (each exits 1 and prints ``file:line: message`` lines when something is wrong):

* ``check`` — invariants 1, 2, 3, 5 and 7 over pages, snippets and the proof.
* ``proof`` — turn the test run's coverage data into ``.handbook/proof.json``.
* ``check-site SITE`` — invariant 6 over a built site.
* ``export NAME DEST`` — write example NAME as a standalone project.
* ``fingerprint`` — print the digest of everything the proof depends on.
* ``claims`` — list what pages may name, each entry present (with what shows it) or absent.
"""

from __future__ import annotations

if not __package__:  # run as `python tools/handbook`, e.g. by the pre-commit hook
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import argparse
import json
import sys
from pathlib import Path

from handbook.checks import Settings, check_repository
from handbook.claims import evidence, gather_code, load_claims
from handbook.examples import write_export
from handbook.fingerprint import fingerprint
from handbook.problems import Problem, ProblemError
from handbook.proof import build_proof
from handbook.site_check import check_site


def _report(problems: list[Problem], what: str) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{what}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{what}: ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check pages, regions and proof")
    check.add_argument("--no-proof", action="store_true", help="skip invariant 2 (no test run)")
    proof = commands.add_parser("proof", help="build the proof from coverage data")
    proof.add_argument("--data", type=Path, default=Path(".handbook/.coverage"))
    proof.add_argument("--locations", type=Path, default=Path(".handbook/tests.json"))
    proof.add_argument(
        "--partial",
        action="store_true",
        help="the run was a subset of the suite: record no fingerprint, so nothing reuses it",
    )
    site = commands.add_parser("check-site", help="check a built site stands alone")
    site.add_argument("site", type=Path)
    site.add_argument("--site-url", default="")
    export = commands.add_parser("export", help="write an example as a standalone project")
    export.add_argument("name")
    export.add_argument("destination", type=Path)
    commands.add_parser("fingerprint", help="digest of what the proof depends on")
    commands.add_parser("claims", help="what pages may name, present or absent")
    arguments = parser.parse_args(argv)
    root: Path = arguments.root.resolve()
    settings = Settings.read(root)
    try:
        return _run(arguments, root, settings)
    except ProblemError as error:
        return _report(error.problems, arguments.command)


def _run(arguments: argparse.Namespace, root: Path, settings: Settings) -> int:
    if arguments.command == "check":
        return _report(check_repository(settings, with_proof=not arguments.no_proof), "check")
    if arguments.command == "proof":
        document = build_proof(
            root, root / arguments.data, root / arguments.locations, list(settings.measured)
        )
        # A subset's proof is shown but never reused as if the whole suite had run.
        document["fingerprint"] = None if arguments.partial else fingerprint(root)
        target = root / settings.proof
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
        print(f"proof: {len(document['tests'])} tests over {len(document['files'])} files")
        return 0
    if arguments.command == "check-site":
        return _report(check_site(arguments.site.resolve(), arguments.site_url), "check-site")
    if arguments.command == "export":
        files = write_export(root, arguments.name, arguments.destination.resolve())
        print(f"export: wrote {len(files)} files to {arguments.destination}")
        return 0
    if arguments.command == "claims":
        return _list_claims(root, settings)
    print(fingerprint(root))
    return 0


def _list_claims(root: Path, settings: Settings) -> int:
    if settings.claims is None:
        print("claims: no list configured (claims under [tool.handbook])", file=sys.stderr)
        return 1
    listing = load_claims(root, settings.claims)
    facts = gather_code(root, settings.snippets_dir)
    for claim in listing.claims:
        shown = evidence(claim, facts)
        print(
            f"{'present' if shown else 'absent '}  {claim.name}" + (f": {shown}" if shown else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
