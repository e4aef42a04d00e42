"""A strict build writes no page whose listing waits for its proof (``handbook.pending_guard``)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from handbook.pending_guard import refuse_pending
from handbook.run_state import RunState, state_file, write_state

Run = Callable[..., subprocess.CompletedProcess[str]]
Writer = Callable[[Path, Mapping[str, str]], Path]


def rendered(config: MkDocsConfig, path: str, content: str) -> Page:
    page = Page(None, File(path, config.docs_dir, config.site_dir, True), config)
    page.content = content
    return page


def test_pages_showing_a_pending_proof_are_named(site_config: MkDocsConfig) -> None:
    pending = '<p class="listing-proof listing-proof--pending">Proof pending: tests running.</p>'
    pages = [
        rendered(site_config, "b.md", pending),
        rendered(site_config, "ok.md", '<details class="listing-proof">Executed by 1 test'),
        rendered(  # a source page showing code that holds the class, escaped
            site_config,
            "source/tests/test_x.py.md",
            '<code>&lt;p class="listing-proof listing-proof--pending"&gt;</code>',  # as Pygments
        ),
        rendered(site_config, "a.md", pending),
        None,  # a file MkDocs made no page of
    ]

    with pytest.raises(PluginError) as refused:
        refuse_pending(pages)

    assert str(refused.value) == (
        "handbook: 2 page(s) show a listing without its proof, and a strict build writes "
        "none of them: a.md, b.md"
    )
    refuse_pending(pages[1:3])  # every listing proven: nothing to refuse


@pytest.mark.parametrize("serving", [False, True], ids=["no-run", "while-serve-runs-tests"])
def test_a_strict_build_without_proof_fails_and_writes_no_page(
    repo: Path, run: Run, serving: bool
) -> None:
    if serving:
        write_state(state_file(repo / ".handbook" / "proof.json"), RunState(running=True))

    built = run(repo, "-m", "mkdocs", "build", "--strict")

    assert built.returncode == 1
    assert "a strict build writes none of them: index.md" in built.stderr
    assert not list((repo / "site").rglob("*.html"))


def test_a_build_that_is_not_strict_shows_the_pending_proof(repo: Path, run: Run) -> None:
    write_state(state_file(repo / ".handbook" / "proof.json"), RunState(running=True))

    built = run(repo, "-m", "mkdocs", "build", "--no-strict")

    assert built.returncode == 0, built.stderr
    assert "Proof pending: tests running." in (repo / "site" / "index.html").read_text("utf-8")


def test_a_strict_build_of_a_proven_site_passes_with_code_that_holds_the_markup(
    proved_repo: Path, write: Writer, run: Run
) -> None:
    markup = '<p class="listing-proof listing-proof--pending">Proof pending</p>'
    write(proved_repo, {"tests/test_markup.py": f"PENDING = {markup!r}\n"})

    built = run(proved_repo, "-m", "mkdocs", "build", "--strict")

    assert built.returncode == 0, built.stderr
    assert "listing-proof--pending" in (
        proved_repo / "site" / "source" / "tests" / "test_markup.py" / "index.html"
    ).read_text("utf-8")
