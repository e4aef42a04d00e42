"""What each page is made from, so that ``nox -s serve`` rebuilds only what an edit changed.

Under ``mkdocs serve --dirty`` MkDocs rebuilds a page when its Markdown file is newer than
the HTML it wrote. A handbook page is made from more than its Markdown: the snippet
regions it shows and the proof under them, the files it includes, the example trees, the
OpenAPI documents and the API reference it renders. :func:`page_inputs` finds them in the
page's directives, and :func:`is_stale` tells whether any of them, or anything every page
is made from (:func:`site_inputs`), changed after the page was written.
:func:`judge_pages` gives each page of a build that test in place of MkDocs' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from mkdocs.structure.files import File, Files

from handbook.directives import fenced_line_numbers, find_directives
from handbook.examples import files_under
from handbook.run_state import state_file
from handbook.site_settings import SiteSettings

REFERENCE = re.compile(r"^[ ]*:::[ ]+(?P<identifier>[\w.]+)")
"""An mkdocstrings block: ``::: package.module.Name``."""

TOOLING = Path(__file__).resolve().parent
"""This package: the code that renders every page."""


@dataclass(frozen=True)
class Inputs:
    """What a page is made from.

    Attributes:
        files: Files that count one by one; a missing one makes the page stale.
        folders: Folders any file of which counts (a whole package, an example).
        optional: Files that count while they exist, such as the state of the test run
            that ``nox -s serve`` keeps (:mod:`handbook.run_state`).
    """

    files: frozenset[Path] = frozenset()
    folders: frozenset[Path] = frozenset()
    optional: frozenset[Path] = frozenset()

    def __or__(self, other: Inputs) -> Inputs:
        """Both sets of inputs."""
        return Inputs(
            self.files | other.files,
            self.folders | other.folders,
            self.optional | other.optional,
        )


def page_inputs(
    root: Path,
    page: Path,
    python_path: Sequence[str],
    proof: Path,
    seen: frozenset[Path] = frozenset(),
) -> Inputs:
    """List what the Markdown file ``page`` is made from, itself included.

    Args:
        root: The repository root; directive arguments are relative to it.
        page: The page's Markdown file.
        python_path: Folders (relative to ``root``) that hold the importable packages.
        proof: The proof file, which every page with a listing shows, or the state of the
            test run that makes it, while there is one.
        seen: Pages already being followed, so that an include loop ends.

    Returns:
        The page's inputs. An include is followed into the included file's own inputs.
        An OpenAPI document or a project tree may use any module, so they count every
        package; an API reference counts the package it documents.
    """
    inputs = Inputs(files=frozenset({page}))
    if page in seen or not page.is_file():
        return inputs
    lines = page.read_text(encoding="utf-8").splitlines()
    directives, _ = find_directives(page.as_posix(), lines)  # problems are the checks' job
    packages = [root / folder for folder in python_path]
    for directive in directives:
        if directive.kind == "listing":
            source = root / directive.argument.split("#", 1)[0]
            inputs |= Inputs(
                files=frozenset({source, proof}), optional=frozenset({state_file(proof)})
            )
        elif directive.kind == "include":
            included = root / directive.argument
            inputs |= page_inputs(root, included, python_path, proof, seen | {page})
        elif directive.kind == "tree":
            inputs |= Inputs(folders=frozenset({root / directive.argument, *packages}))
        elif directive.kind in {"openapi", "generated"}:
            inputs |= Inputs(folders=frozenset(packages))
        elif directive.kind == "decisions":
            inputs |= Inputs(folders=frozenset({root / directive.argument}))
    fenced = fenced_line_numbers(lines)
    for number, line in enumerate(lines):
        match = REFERENCE.match(line) if number not in fenced else None
        if match:
            top = match["identifier"].split(".", 1)[0]
            inputs |= Inputs(folders=frozenset(folder / top for folder in packages))
    return inputs


def site_inputs(root: Path, extra: Iterable[str]) -> Inputs:
    """What every page is made from: the configuration, this tooling, and ``extra``.

    Args:
        root: The repository root.
        extra: More paths (relative to ``root``) every page depends on, such as the
            theme's overrides; folders count every file in them, and a path that does
            not exist counts for nothing.
    """
    paths = [root / "mkdocs.yml", TOOLING, *(root / path for path in extra)]
    return Inputs(
        files=frozenset(path for path in paths if path.is_file()),
        folders=frozenset(path for path in paths if path.is_dir()),
    )


def newest_change(inputs: Inputs) -> float:
    """The latest modification time among the inputs; infinite when a file is missing."""
    newest = 0.0
    for file in inputs.files:
        try:
            newest = max(newest, file.stat().st_mtime)
        except OSError:
            return float("inf")  # gone or unreadable: rebuild, and let the page say why
    for file in inputs.optional:
        try:
            newest = max(newest, file.stat().st_mtime)
        except FileNotFoundError:
            continue  # counts only while it exists
    for folder in inputs.folders:
        for path in files_under(folder):  # what the pages show: no caches or builds
            newest = max(newest, path.stat().st_mtime)
    return newest


def is_stale(written: Path, inputs: Inputs, changed_elsewhere: float = 0.0) -> bool:
    """Tell whether the page written to ``written`` must be built again from ``inputs``.

    Args:
        written: The page's HTML from the previous build.
        inputs: What the page is made from.
        changed_elsewhere: When something every page is made from last changed
            (:func:`newest_change` of :func:`site_inputs`, worked out once per build).
    """
    try:
        built = written.stat().st_mtime
    except OSError:
        return True
    return built < max(changed_elsewhere, newest_change(inputs))


def judge_pages(
    files: Files, settings: SiteSettings, shown_source: Callable[[File], str | None]
) -> None:
    """Give every page of ``files`` MkDocs' ``is_modified`` test, judged on all of its inputs.

    Args:
        files: The build's files.
        settings: The site's settings.
        shown_source: The repository file a generated source page shows (it is made from
            that file alone); None for any other page.
    """
    root = settings.root
    everywhere = site_inputs(root, ["pyproject.toml", *settings.theme_overrides])
    changed_everywhere = newest_change(everywhere)  # once per build, not once per page
    for file in files.documentation_pages():
        shown = shown_source(file)
        if shown is not None:
            inputs = Inputs(files=frozenset({root / shown}))
        elif file.abs_src_path is not None:
            inputs = page_inputs(
                root, Path(file.abs_src_path), settings.python_path, settings.proof
            )
        else:
            continue  # another plugin's page: MkDocs' own test stands
        # MkDocs asks up to three times a build; one answer, from one look at the files.
        judged = cache(partial(is_stale, Path(file.abs_dest_path), inputs, changed_everywhere))
        setattr(file, "is_modified", judged)  # noqa: B010 - replaces the method on one file
