"""Python-Markdown extension: ``listing`` and the other directives of the pages.

The others: ``tree``, ``include``, ``openapi``, ``generated`` and ``decisions``.

Enable it in ``mkdocs.yml``::

    markdown_extensions:
      - handbook.listing:
          root: !relative $config_dir
          proof: .handbook/proof.json

A ``/// listing | path#region`` block becomes the region's code in a fenced block wrapped
in ``<div class="listing" data-source data-region data-tests>``, followed by the page's
annotations and the *proof*: the tests that executed the shown lines, linked to their
source (for lines that ran at import only, the tests that used what they declare).
Anything wrong (missing file or region, a shown line no test ran, a stale proof, a proof
that names nothing) is logged as a warning located at ``page:line`` or ``file:line``;
``mkdocs build --strict`` turns every warning into a failed build.

The extension is a preprocessor that writes Markdown for pymdownx.superfences and
md_in_html, so it works with any builder that runs Python-Markdown with those.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from handbook.decisions import index_markdown, read_decisions
from handbook.directives import Directive, find_directives
from handbook.examples import project_tree
from handbook.generated import generate_markdown
from handbook.openapi import load_document, render_document
from handbook.pages import page_of
from handbook.problems import Problem, ProblemError
from handbook.proof import LineProof, Proof, TestRef, judge
from handbook.reference_links import ReferencedModules
from handbook.render import ANNOTATION, Listing, fence_for, resolve_for_page
from handbook.run_state import RunState, read_state, state_file

log = logging.getLogger("mkdocs.handbook")
"""A child of MkDocs' logger, so that ``--strict`` counts our warnings."""
AWAITING_PROOF = "handbook_awaiting_proof"
"""Set on a warning's record when the listing only waits for a test run."""
NAMED_FILES = 10
"""How many files a listing's proof lists, those with the most of its tests first."""
NAMED_PER_FILE = 3
"""How many tests of one file a listing's proof names; it counts the others."""


class ListingExtension(Extension):
    """Registers the directive preprocessor."""

    def __init__(self, **kwargs: Any) -> None:
        """Declare the options ``mkdocs.yml`` may set."""
        self.config = {
            "root": [".", "The repository root; listing paths are relative to it."],
            "docs_dir": ["docs", "The docs directory, relative to the root."],
            "proof": [".handbook/proof.json", "The proof file, relative to the root."],
            "sources": ["source", "Where the source pages live, relative to docs_dir."],
            "python_path": [[], "Folders (relative to the root) to import documents from."],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        """Run after whitespace normalisation and before superfences (priority 25)."""
        md.preprocessors.register(
            ListingPreprocessor(md, self.getConfigs()), "handbook_listing", 28
        )


class ListingPreprocessor(Preprocessor):
    """Replaces each directive with the Markdown and HTML that show it."""

    def __init__(self, md: Markdown, config: dict[str, Any]) -> None:
        """Keep the configuration; the proof is loaded on each run (it changes under serve)."""
        super().__init__(md)
        self.root = Path(config["root"]).resolve()
        self.docs_dir = str(config["docs_dir"])
        self.proof_path = self.root / str(config["proof"])
        self.sources = str(config["sources"]).strip("/")
        self._including: list[str] = []
        self.python_path = [str(self.root / folder) for folder in config["python_path"]]
        self.package_folders = [str(folder) for folder in config["python_path"]]

    def run(self, lines: list[str]) -> list[str]:
        """Render every directive of the page, reporting problems instead of stopping."""
        return self._render(page_of(self.md, self.docs_dir), lines)

    def _render(self, page: str, lines: list[str]) -> list[str]:
        directives, problems = find_directives(page, lines)
        for problem in problems:
            log.warning(str(problem))
        if not directives:
            return lines
        proof = Proof.load(self.root, self.proof_path)
        run = read_state(state_file(self.proof_path))  # kept by nox -s serve, else None
        output: list[str] = []
        cursor = 0
        for directive in directives:
            output.extend(lines[cursor : directive.line - 1])
            cursor = directive.end_line
            try:
                if directive.kind == "tree":
                    rendered = self._tree(directive)
                elif directive.kind == "include":
                    rendered = self._include(directive)
                elif directive.kind == "openapi":
                    rendered = self._openapi(directive)
                elif directive.kind == "generated":
                    rendered = self._generated(directive)
                elif directive.kind == "decisions":
                    rendered = self._decisions(directive)
                else:
                    rendered = self._listing(directive, proof, run)
            except ProblemError as error:
                for problem in error.problems:
                    log.warning(str(problem))
                rendered = [self._raw(_error_box(error.problems)), ""]
            output.extend(directive.indent + line if line else "" for line in rendered)
        output.extend(lines[cursor:])
        return output

    def _importable(self) -> None:
        for folder in reversed(self.python_path):
            if folder not in sys.path:
                sys.path.insert(0, folder)

    def _generated(self, directive: Directive) -> list[str]:
        """The Markdown lines that ``module:function`` returns, as the build runs."""
        self._importable()
        try:
            return generate_markdown(directive.argument)
        except Exception as error:
            message = f"cannot generate the text: {type(error).__name__}: {error}"
            raise ProblemError([directive.problem(message)]) from error

    def _openapi(self, directive: Directive) -> list[str]:
        """Render the OpenAPI document that ``module:function`` builds, as the build runs."""
        self._importable()
        try:
            document = load_document(directive.argument)
        except (ImportError, AttributeError, ValueError) as error:
            message = f"cannot build the OpenAPI document: {error}"
            raise ProblemError([directive.problem(message)]) from error
        return render_document(document)

    def _decisions(self, directive: Directive) -> list[str]:
        """The decisions index, grouped by topic, from the records' own status lines."""
        folder = self.root / directive.argument
        if not folder.is_dir():
            raise ProblemError([directive.problem(f"no folder {directive.argument!r}")])
        return index_markdown(read_decisions(folder))

    def _include(self, directive: Directive) -> list[str]:
        """Inline a Markdown file of the repository (``CONTRIBUTING.md``) as page text."""
        path = self.root / directive.argument
        if not path.is_file() or path.suffix != ".md":
            raise ProblemError([directive.problem(f"no Markdown file {directive.argument!r}")])
        if directive.argument in self._including:
            raise ProblemError([directive.problem(f"{directive.argument} includes itself")])
        self._including.append(directive.argument)
        try:
            return self._render(directive.argument, path.read_text(encoding="utf-8").splitlines())
        finally:
            self._including.pop()

    def _listing(
        self, directive: Directive, proof: Proof | None, run: RunState | None
    ) -> list[str]:
        listing = resolve_for_page(self.root, directive)
        # Rendered either way, so that ``nox -s serve`` shows an edit at once; a strict
        # build fails on the problems.
        verdict = judge(directive, listing, proof, str(self.proof_path), run)
        line_proof, problems, pending = verdict.lines, verdict.problems, verdict.pending
        for problem in problems:
            log.warning(str(problem), extra={AWAITING_PROOF: verdict.awaiting})
        tests = len(line_proof.tests) if line_proof else 0
        # Material's copy button copies the `data-copy` of the nearest ancestor when there is
        # one: the code without annotation markers, exactly as the region reads.
        copied = ANNOTATION.sub("", listing.code) if listing.annotations else None
        attributes = (
            f'class="listing" data-source="{html.escape(listing.source)}" '
            f'data-region="{html.escape(listing.region)}" data-tests="{tests}"'
            + (' data-elided="true"' if listing.elided else "")
            + (f' data-copy="{html.escape(copied)}"' if copied is not None else "")
        )
        rendered = [self._raw(f"<div {attributes}>"), ""]
        title = directive.options.get("title")
        if title is not None:
            label = title or listing.source
            rendered += [
                f"[{_md_text(label)}]({self._source_link(listing.source)})",
                '{ .listing-title title="The whole file" }',
                "",
            ]
        rendered += _fence(listing)
        if directive.body:
            rendered += ["", *directive.body]
        note = (
            [
                self._raw(
                    f'<p class="listing-proof listing-proof--pending">{html.escape(pending)}</p>'
                )
            ]
            if pending
            else self._proof_note(listing, line_proof)
        )
        links = self._file_links(listing, line_proof, titled=title is not None)
        rendered += ["", *note, "", *links, *self._reference_link(listing.source)]
        rendered += [self._raw("</div>"), ""]
        return rendered

    def _file_links(self, listing: Listing, proof: LineProof | None, *, titled: bool) -> list[str]:
        """Links to the whole file (unless the title is one) and to the tests.

        The tests are the file that holds most of the tests the proof names, linked to its
        source page: where a reader finds how the code is used, not only which tests ran.
        """
        links = []
        if not titled:
            whole = html.escape(self._source_link(listing.source))
            links.append(f'<a href="{whole}">View the whole file</a>')
        tests_file = _tests_file(proof)
        if tests_file is not None:
            links.append(
                f'<a href="{html.escape(self._source_link(tests_file))}">See the tests</a> '
                f"in <code>{html.escape(tests_file)}</code>"
            )
        if not links:
            return []
        joined = " \N{MIDDLE DOT} ".join(links)
        return [self._raw(f'<p class="listing-links" data-search-exclude>{joined}</p>'), ""]

    def _reference_link(self, source: str) -> list[str]:
        """A link to the API reference of the module shown, when the reference has it.

        An ``<autoref>`` that mkdocs-autorefs resolves once every page is rendered; only a
        module a reference page documents gets one, so an unresolved link fails the build.
        """
        reference = self.root / self.docs_dir / "reference"
        pages = sorted(reference.rglob("*.md")) if reference.is_dir() else []
        module = ReferencedModules.read(pages).identifier(source, self.package_folders, self.root)
        if module is None:
            return []
        link = (
            f'<p class="listing-reference" data-search-exclude>'
            f'<autoref identifier="{html.escape(module)}">API reference of '
            f"<code>{html.escape(module)}</code></autoref></p>"
        )
        return [self._raw(link), ""]

    def _raw(self, markup: str) -> str:
        """Stash raw HTML so it survives any nesting (tabs, admonitions, lists) as is."""
        return self.md.htmlStash.store(markup)

    def _source_link(self, path: str, line: int | None = None) -> str:
        if path.startswith(f"{self.docs_dir}/"):
            return "/" + path.removeprefix(f"{self.docs_dir}/")
        anchor = f"#__codelineno-0-{line}" if line else ""
        return f"/{self.sources}/{path}.md{anchor}"

    def _proof_note(self, listing: Listing, proof: LineProof | None) -> list[str]:
        if proof is None:
            return [
                f"Shown from this repository's own `{_md_code(listing.source)}`, "
                "the file in force when this page was built.",
                "{ .listing-proof .listing-proof--config }",
            ]
        # A listing no test executed only declares (it ran when imported): its proof is
        # the tests that used what it declares (see handbook.uses).
        declaring = not proof.tests
        named = proof.users if declaring else proof.tests
        count = len(named)
        tests = f"{count} test{'s' if count != 1 else ''}"
        summary = f"Declarations used by {tests}" if declaring else f"Executed by {tests}"
        # Raw HTML, not Markdown: a page can name hundreds of tests under its listings, and
        # parsing them as Markdown was a fifth of a rebuild. The links keep the form
        # `/source/PATH.md#line` that Markdown links have, and the MkDocs plugin makes them
        # relative to the page (see handbook.page_links.relative_page_links). The list
        # stays out of the search index: test names are not what a reader searches for, and
        # they were two fifths of the index every visitor downloads.
        lead = ""
        if declaring:
            names = ", ".join(f"<code>{html.escape(name)}</code>" for name in proof.declared)
            lead = (
                "<p>These lines run when their module is imported. The tests that exercised "
                f"{names} (ran their code, or code that names them):</p>\n"
            )
        items = self._test_items(named)
        if proof.importers:
            modules = ", ".join(
                f'<a href="{html.escape(self._source_link(ref.path))}">'
                f"<code>{html.escape(ref.path)}</code></a>"
                for ref in proof.importers
            )
            items.append(f"<li>definitions executed when imported by {modules}</li>")
        named_list = "<ul>\n" + "\n".join(items) + "\n</ul>\n" if items else ""
        return [
            self._raw(
                f'<details class="listing-proof" data-search-exclude><summary>{summary}</summary>\n'
                f"{lead}{named_list}</details>"
            )
        ]

    def _test_items(self, tests: tuple[TestRef, ...]) -> list[str]:
        """One list item per file, its first tests linked to their lines, the rest counted.

        A test run once per parameter (on SQLite and on PostgreSQL, say) is named once,
        with how many runs it made. The files with the most tests that ran the listing come
        first; at most :data:`NAMED_FILES` of them are listed, each naming at most
        :data:`NAMED_PER_FILE` tests and linking the rest as "and N more" to the file, and a
        last item counts what is left. A listing of the persistence layer runs under
        hundreds of tests in dozens of files: naming each made its page two megabytes,
        which a reader never opens and every browser still lays out.
        """
        # Most runs first, as the "See the tests" link beside it chooses its file.
        files = sorted(
            _by_file(tests).items(),
            key=lambda item: (-sum(runs for _, runs in item[1].values()), item[0]),
        )
        items = []
        for path, by_name in files[:NAMED_FILES]:
            tests_of_file = list(by_name.items())
            shown = [
                f'<a href="{html.escape(self._source_link(path, line))}">'
                f"<code>{html.escape(name)}</code></a>"
                + (f" \N{MULTIPLICATION SIGN}{runs}" if runs > 1 else "")
                for name, (line, runs) in tests_of_file[:NAMED_PER_FILE]
            ]
            rest = len(tests_of_file) - NAMED_PER_FILE
            more = (
                f' and <a href="{html.escape(self._source_link(path))}">{rest} more</a>'
                if rest > 0
                else ""
            )
            items.append(f"<li><code>{html.escape(path)}</code>: {', '.join(shown)}{more}</li>")
        left = files[NAMED_FILES:]
        if left:
            count = sum(len(by_name) for _, by_name in left)
            items.append(
                f"<li>and {count} more test{'s' if count != 1 else ''} "
                f"in {len(left)} more file{'s' if len(left) != 1 else ''}</li>"
            )
        return items

    def _tree(self, directive: Directive) -> list[str]:
        paths = project_tree(self.root, directive.argument)
        lines = [directive.argument.rsplit("/", 1)[-1] + "/"]
        lines += _tree_lines(paths)
        title = directive.options.get("title")
        header = f' title="{title}"' if title else ""
        return [f"``` text{header}", *lines, "```", ""]


def _tests_file(proof: LineProof | None) -> str | None:
    """The file holding most of the tests a proof names (the first by path on a tie)."""
    named = (proof.tests or proof.users) if proof is not None else ()
    counts = Counter(ref.path for ref in named)
    return min(counts, key=lambda path: (-counts[path], path)) if counts else None


def _by_file(tests: tuple[TestRef, ...]) -> dict[str, dict[str, tuple[int, int]]]:
    """Group tests by file, and a parametrized test's runs under its name.

    Returns:
        For each file, in order: each test's name (parameters dropped) mapped to its line
        and its number of runs.
    """
    grouped: dict[str, dict[str, tuple[int, int]]] = {}
    for ref in tests:
        name = ref.label.split("[", 1)[0]
        line, runs = grouped.setdefault(ref.path, {}).get(name, (ref.line, 0))
        grouped[ref.path][name] = (line, runs + 1)
    return grouped


def _tree_lines(paths: list[str]) -> list[str]:
    """Draw sorted relative paths as an indented tree, the way ``tree`` prints one."""
    nested: dict[str, Any] = {}
    for path in paths:
        node = nested
        for part in path.split("/"):
            node = node.setdefault(part, {})

    def walk(node: dict[str, Any], prefix: str) -> list[str]:
        rows: list[str] = []
        names = sorted(node, key=lambda name: (not node[name], name))
        for position, name in enumerate(names):
            last = position == len(names) - 1
            suffix = "/" if node[name] else ""
            rows.append(f"{prefix}{'└── ' if last else '├── '}{name}{suffix}")
            rows += walk(node[name], prefix + ("    " if last else "│   "))
        return rows

    return walk(nested, "")


def _fence(listing: Listing) -> list[str]:
    fence = fence_for(listing.code)
    options = [listing.language]
    if listing.highlight:
        options.append(f'hl_lines="{" ".join(str(n) for n in listing.highlight)}"')
    return [f"{fence} {' '.join(options)}", *listing.code.splitlines(), fence]


def _md_code(text: str) -> str:
    return text.replace("`", "'")


def _md_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _error_box(problems: list[Problem]) -> str:
    items = "".join(f"<li><code>{html.escape(str(problem))}</code></li>" for problem in problems)
    return f'<div class="listing-broken"><p>This listing cannot be shown:</p><ul>{items}</ul></div>'


def makeExtension(**kwargs: Any) -> ListingExtension:  # noqa: N802 - Python-Markdown's API
    """Entry point used by Python-Markdown for ``handbook.listing``."""
    return ListingExtension(**kwargs)
