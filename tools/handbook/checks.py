"""Integrity checks over the sources: invariants 1, 2, 3, 5 and 7 of DESIGN.md.

Each check returns :class:`~handbook.problems.Problem` objects located at ``file:line``;
``python -m handbook check`` prints them all and fails when there is any. The build runs
the same resolution code, so a page that passes here renders the same way there.

* **1, no untested code on a page.** A fenced block on a page is a diagram, commands to
  type, a console session or doctest that the test suite executes, or Markdown syntax.
  Anything else (a pasted Python, TOML or text block) must be a ``/// listing``.
* **2, every shown line ran.** Each listing's executable lines ran under the tests (see
  :mod:`handbook.proof`).
* **3, nothing dangles.** Every listing resolves; every region in ``snippets/`` or in a
  file a page includes is shown by some page; no marker is malformed, unclosed or doubled.
* **5, shown output is produced.** Console sessions name a command the suite can run, so
  their output is compared with a real run; output typed into any other block is refused
  by rule 1.
* **7, pages claim only what runs.** A page names a technology or practice of the
  repository's list only once the code has it (see :mod:`handbook.claims`).

Vendored files must also match the sizes and checksums their README records
(:mod:`handbook.vendored`): those figures are output too.

And one house rule of the example systems: every module of ``snippets/`` where the
layout puts it (:mod:`handbook.layout`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handbook.claims import check_claims
from handbook.decisions import parse_decision
from handbook.directives import Directive, fenced_blocks, find_directives
from handbook.examples import files_under
from handbook.image_size import check_page as check_image_size
from handbook.layout import check_layout
from handbook.problems import Problem, ProblemError
from handbook.proof import Proof, judge
from handbook.regions import MARKER_TOKEN, MarkedFile, has_regions, parse_regions
from handbook.reliability import check_page as check_reliability_page
from handbook.render import resolve_for_page, split_target
from handbook.vendored import VENDOR_DIR, check_vendored

DIAGRAM_LANGUAGES = frozenset({"mermaid"})
COMMAND_LANGUAGES = frozenset({"bash", "sh", "shell"})
SYNTAX_LANGUAGES = frozenset({"markdown", "md"})
# After the prompt, the variables a shell would set for the command (NAME=value), if any.
_PROMPT = re.compile(r"^\$ (?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?P<command>\S+)")
_LINE_ANCHOR = re.compile(r"\.md#__codelineno-\d+-\d+")
_NO_COVER = re.compile(r"#\s*pragma:\s*no\s*cover", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """Where things are, read from ``[tool.handbook]`` in the root ``pyproject.toml``.

    Attributes:
        root: The repository root.
        docs_dir: The pages.
        page_dirs: Every folder of Markdown pages (the docs and the ADRs).
        page_files: Markdown files outside those folders that pages include.
        snippets_dir: The code the pages show.
        measured: Folders whose Python files the test run measures (the proof's scope).
        proof: The proof file.
        console: Commands a console session may run, by name.
        claims: The list of what pages may name only once the code has it (invariant 7),
            or None where the repository keeps none.
    """

    root: Path
    docs_dir: str
    page_dirs: tuple[str, ...]
    page_files: tuple[str, ...]
    snippets_dir: str
    measured: tuple[str, ...]
    proof: str
    console: dict[str, str]
    claims: str | None = None

    @classmethod
    def read(cls, root: Path) -> Settings:
        """Read the settings of the repository at ``root``."""
        with (root / "pyproject.toml").open("rb") as file:
            table = tomllib.load(file).get("tool", {}).get("handbook", {})
        return cls(
            root=root,
            docs_dir=table.get("docs-dir", "docs"),
            page_dirs=tuple(table.get("page-dirs", ["docs"])),
            page_files=tuple(table.get("page-files", [])),
            snippets_dir=table.get("snippets-dir", "snippets"),
            measured=tuple(table.get("measured", [table.get("snippets-dir", "snippets")])),
            proof=table.get("proof", ".handbook/proof.json"),
            console=dict(table.get("console", {})),
            claims=table.get("claims"),
        )


def pages(settings: Settings) -> list[str]:
    """Every Markdown page, relative to the root, each once (symlinked folders skipped)."""
    found = {page for page in settings.page_files if (settings.root / page).is_file()}
    for folder in settings.page_dirs:
        for path in (settings.root / folder).rglob("*.md"):
            relative = path.relative_to(settings.root)
            if any((settings.root / parent).is_symlink() for parent in relative.parents):
                continue
            found.add(path.relative_to(settings.root).as_posix())
    return sorted(found)


def check_fences(page: str, lines: list[str], console: Iterable[str]) -> list[Problem]:
    """Invariants 1 and 5: find fenced blocks that hold pasted code or typed output."""
    problems: list[Problem] = []
    commands = set(console)
    for block in fenced_blocks(lines):
        language = block.language
        if language in DIAGRAM_LANGUAGES | COMMAND_LANGUAGES | SYNTAX_LANGUAGES:
            continue
        if language == "console":
            problems += _check_console(page, block.start, list(block.body), commands)
            continue
        if language == "python" and any(line.startswith(">>> ") for line in block.body):
            continue  # a doctest session: Sybil executes it with the page's tests
        described = f"a pasted {language} block" if language else "a pasted block"
        problems.append(
            Problem(
                page,
                block.start + 1,
                f"{described}: show code with '/// listing | path#region' from a tested "
                "snippet, and produce output with a console session or doctest the tests run",
            )
        )
    return problems


def _check_console(page: str, start: int, body: list[str], commands: set[str]) -> list[Problem]:
    prompts = [_PROMPT.match(line) for line in body]
    if not body or prompts[0] is None:
        return [Problem(page, start + 1, "a console session must start with a '$ command' line")]
    unknown = sorted({m["command"] for m in prompts if m and m["command"] not in commands})
    if unknown:
        known = ", ".join(sorted(commands)) or "none"
        return [
            Problem(
                page,
                start + 1,
                f"console session runs {', '.join(unknown)}, which the tests cannot run "
                f"(runnable: {known}; register more under [tool.handbook.console]); "
                "use a 'bash' block for commands shown without their output",
            )
        ]
    return []


def check_line_links(page: str, lines: list[str]) -> list[Problem]:
    """A page links to a line of a source page by the symbol there, never by its number.

    Line numbers move with every edit above them; ``#FakeDatabase`` or
    ``#FakeRepository.changes`` follow the code (see handbook.source_pages.symbol_lines).
    """
    return [
        Problem(
            page,
            number,
            "a link to a source line by number goes stale with the next edit above it; "
            "link to the class or function instead, e.g. 'source/PATH.md#ClassName.method'",
        )
        for number, line in enumerate(lines, start=1)
        if _LINE_ANCHOR.search(line)
    ]


def check_listings(
    settings: Settings, page_lines: dict[str, list[str]], *, with_proof: bool = True
) -> tuple[list[Problem], list[Directive]]:
    """Invariants 2 and 3: resolve every directive and, unless told not to, check its proof."""
    problems: list[Problem] = []
    directives: list[Directive] = []
    proof = Proof.load(settings.root, settings.root / settings.proof)
    for page, lines in page_lines.items():
        found, found_problems = find_directives(page, lines)
        problems += found_problems
        directives += found
        for directive in found:
            if directive.kind == "include" and not (settings.root / directive.argument).is_file():
                problems.append(directive.problem(f"no file {directive.argument!r} to include"))
            if directive.kind == "decisions" and not (settings.root / directive.argument).is_dir():
                problems.append(directive.problem(f"no folder {directive.argument!r} of records"))
            if directive.kind != "listing":
                continue
            try:
                listing = resolve_for_page(settings.root, directive)
            except ProblemError as error:
                problems += error.problems
                continue
            if with_proof:
                problems += judge(directive, listing, proof, settings.proof).problems
    return problems, directives


def check_regions(settings: Settings, directives: list[Directive]) -> list[Problem]:
    """Invariant 3: markers well formed, and every region shown by some page."""
    problems: list[Problem] = []
    used: dict[str, set[str]] = {}
    for directive in directives:
        if directive.kind != "listing":
            continue
        try:
            path, region = split_target(directive)
        except ProblemError:
            continue
        names = used.setdefault(path, set())
        names.add(region)
        names.update(directive.names("highlight") + directive.names("elide"))
    # Each file read once. Every snippet is a candidate; so is a measured Python file that
    # marks regions (a page can show a fake or a fixture), and any file a page lists.
    paths = set(files_under(settings.root / settings.snippets_dir))
    paths |= {
        path
        for folder in settings.measured
        for path in files_under(settings.root / folder)
        if path.suffix == ".py"
    }
    texts = {path.relative_to(settings.root).as_posix(): _read_text(path) for path in paths}
    candidates = {
        relative
        for relative, text in texts.items()
        if relative.startswith(f"{settings.snippets_dir}/")
        or (relative.endswith(".py") and text is not None and has_regions(text))
    }
    candidates |= {path for path in used if (settings.root / path).is_file()}
    for relative in sorted(candidates):
        text = texts[relative] if relative in texts else _read_text(settings.root / relative)
        if text is None:
            continue
        problems += [
            Problem(relative, number, "'pragma: no cover' hides a line from the proof; test it")
            for number, line in enumerate(text.splitlines(), start=1)
            if relative.endswith(".py") and _NO_COVER.search(line)
        ]
        if MARKER_TOKEN not in text:
            continue
        try:
            marked: MarkedFile = parse_regions(relative, text)
        except ProblemError as error:
            problems += error.problems
            continue
        shown = used.get(relative, set())
        problems += [
            Problem(relative, region.start, f"region {name!r} is shown on no page")
            for name, region in sorted(marked.regions.items())
            if name not in shown
        ]
    return problems


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def check_decisions(settings: Settings) -> list[Problem]:
    """Every decision record says its status, and the index lists every record.

    An index that renders ``/// decisions`` lists them all by construction, from their
    ``Status`` and ``Topic`` lines; a typed index must link each record.
    """
    folder = settings.root / "adr"
    index = folder / "index.md"
    if not index.is_file():
        return []
    records = sorted(folder.glob("[0-9]*.md"))
    problems = [
        Problem(f"adr/{record.name}", 1, "a decision record needs a '- Status: ...' line")
        for record in records
        if parse_decision(record.name, record.read_text(encoding="utf-8")).status == "Unknown"
    ]
    listed = index.read_text(encoding="utf-8")
    if any(d.kind == "decisions" for d in find_directives("adr/index.md", listed.splitlines())[0]):
        return problems
    return problems + [
        Problem("adr/index.md", 0, f"decision {record.name} is missing from the index")
        for record in records
        if f"({record.name})" not in listed
    ]


def check_diagrams(page: str, lines: list[str]) -> list[Problem]:
    """Every Mermaid diagram has a text alternative: an ``accTitle`` and an ``accDescr``.

    Mermaid writes them into the SVG as its ``<title>`` and ``<desc>``, which name and
    describe the diagram to a screen reader (the browser test checks the name is there).
    """
    problems: list[Problem] = []
    for block in fenced_blocks(lines):
        if block.language != "mermaid":
            continue
        for key in ("accTitle", "accDescr"):
            if not any(re.match(rf"{key}\s*[:{{]", line) for line in block.body):
                message = f"a diagram needs '{key}: ...', its text alternative for screen readers"
                problems.append(Problem(page, block.start + 1, message))
    return problems


def check_repository(settings: Settings, *, with_proof: bool = True) -> list[Problem]:
    """Run every source check; return the problems sorted by place.

    Args:
        settings: Where things are.
        with_proof: Also check invariant 2 against the proof (a pre-commit hook skips it:
            it has not run the tests).
    """
    page_lines = {
        page: (settings.root / page).read_text(encoding="utf-8").splitlines()
        for page in pages(settings)
    }
    problems: list[Problem] = []
    for page, lines in page_lines.items():
        problems += check_fences(page, lines, settings.console)
        problems += check_line_links(page, lines)
        problems += check_diagrams(page, lines)
    listing_problems, directives = check_listings(settings, page_lines, with_proof=with_proof)
    problems += listing_problems
    problems += check_regions(settings, directives)
    problems += check_decisions(settings)
    problems += check_layout(settings.root, settings.snippets_dir)
    if settings.claims is not None:
        problems += check_claims(settings.root, settings.claims, settings.snippets_dir)
    problems += check_vendored(settings.root / settings.docs_dir / VENDOR_DIR, settings.root)
    problems += check_reliability_page(settings.root)
    problems += check_image_size(settings.root)
    return sorted(set(problems))
