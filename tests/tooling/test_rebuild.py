"""What a page is made from, and when it must be built again (``handbook.rebuild``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, get_files

from handbook import rebuild
from handbook.rebuild import (
    Inputs,
    is_stale,
    judge_pages,
    newest_change,
    page_inputs,
    site_inputs,
)
from handbook.site_settings import SiteSettings

Writer = Callable[[Path, Mapping[str, str]], Path]

PAGE = """\
# Everything a page can show

/// listing | snippets/demo/money.py#add
///

/// include | docs/shared.md
///

/// tree | examples/demo
///

/// openapi | demo.api:openapi_document
///

::: demo.money.add

```text
::: not.a.reference
/// listing | snippets/demo/fenced.py#not-a-listing
///
```
"""


def test_a_pages_inputs_are_what_its_directives_show(repo: Path, write: Writer) -> None:
    write(
        repo,
        {
            "docs/all.md": PAGE,
            "docs/shared.md": "/// listing | snippets/demo/rates.py#rate\n///\n",
        },
    )
    proof = repo / ".handbook" / "proof.json"

    inputs = page_inputs(repo, repo / "docs" / "all.md", ["snippets"], proof)

    assert inputs.files == {
        repo / "docs" / "all.md",
        repo / "snippets" / "demo" / "money.py",
        proof,
        repo / "docs" / "shared.md",
        repo / "snippets" / "demo" / "rates.py",
    }
    # The tree and the OpenAPI document may use any package; the reference, its own.
    assert inputs.folders == {
        repo / "examples" / "demo",
        repo / "snippets",
        repo / "snippets" / "demo",
    }
    # What nox -s serve's test run says in place of the proof, while it keeps one.
    assert inputs.optional == {repo / ".handbook" / "serve-run.json"}


def test_an_include_loop_ends(repo: Path, write: Writer) -> None:
    write(
        repo,
        {
            "docs/a.md": "/// include | docs/b.md\n///\n",
            "docs/b.md": "/// include | docs/a.md\n///\n",
        },
    )

    inputs = page_inputs(repo, repo / "docs" / "a.md", [], repo / "proof.json")

    assert inputs == Inputs(files=frozenset({repo / "docs" / "a.md", repo / "docs" / "b.md"}))


def at(path: Path, seconds: float) -> Path:
    """Set ``path``'s modification time to ``seconds`` after the epoch."""
    os.utime(path, (seconds, seconds))
    return path


def test_a_page_is_stale_when_an_input_changed_after_it_was_written(
    repo: Path, write: Writer
) -> None:
    write(repo, {"site/index.html": "<p>built</p>", "snippets/demo/__pycache__/x.pyc": ""})
    written = at(repo / "site" / "index.html", 2_000)
    snippet = at(repo / "snippets" / "demo" / "money.py", 1_000)
    package = repo / "snippets" / "demo"
    for path in package.rglob("*"):
        at(path, 1_000)
    inputs = Inputs(files=frozenset({snippet}), folders=frozenset({package}))

    fresh = is_stale(written, inputs)
    at(package / "__pycache__" / "x.pyc", 3_000)  # not an input: a cache
    after_cache = is_stale(written, inputs)
    at(package / "rates.py", 3_000)
    after_package = is_stale(written, inputs)

    assert (fresh, after_cache, after_package) == (False, False, True)
    assert is_stale(written, Inputs(files=frozenset({at(snippet, 3_000)})))
    assert is_stale(repo / "site" / "never-built.html", Inputs())
    # What every page is made from: its newest change, worked out once per build.
    unchanged = Inputs(files=frozenset({at(snippet, 1_000)}))
    assert not is_stale(written, unchanged, changed_elsewhere=1_500)
    assert is_stale(written, unchanged, changed_elsewhere=2_500)


def test_an_optional_input_counts_only_while_it_exists(repo: Path, write: Writer) -> None:
    written = at(write(repo, {"site/index.html": "<p>built</p>"}) / "site" / "index.html", 2_000)
    state = repo / ".handbook" / "serve-run.json"
    inputs = Inputs(files=frozenset({at(repo / "mkdocs.yml", 1_000)}), optional=frozenset({state}))

    without = is_stale(written, inputs)
    write(repo, {".handbook/serve-run.json": '{"running": true}'})
    older = is_stale(written, Inputs(optional=frozenset({at(state, 1_500)})) | inputs)
    newer = is_stale(written, Inputs(optional=frozenset({at(state, 2_500)})) | inputs)

    assert (without, older, newer) == (False, False, True)


def test_a_missing_input_makes_the_page_stale(repo: Path) -> None:
    gone = Inputs(files=frozenset({repo / "snippets" / "demo" / "gone.py"}))

    assert newest_change(gone) == float("inf")
    assert is_stale(repo / "mkdocs.yml", gone)


def test_every_page_is_made_from_the_configuration_and_the_tooling(
    repo: Path, write: Writer
) -> None:
    write(repo, {"overrides/main.html": "{% extends 'base.html' %}"})

    inputs = site_inputs(repo, ["pyproject.toml", "overrides", "no-such-folder"])

    assert inputs.files == {repo / "mkdocs.yml", repo / "pyproject.toml"}
    assert inputs.folders == {Path(rebuild.__file__).resolve().parent, repo / "overrides"}


def test_each_page_of_a_build_is_judged_on_its_own_inputs(
    repo: Path, write: Writer, site_config: MkDocsConfig
) -> None:
    write(repo, {"docs/other.md": "# Other\n\nNo listing here.\n", ".handbook/proof.json": "{}"})
    files = get_files(site_config)
    sources = {
        File.generated(site_config, f"source/{path}.md", content="# source"): path
        for path in ("snippets/demo/money.py", "snippets/demo/rates.py")
    }
    for file in sources:
        files.append(file)
    built = time.time() + 3_600  # after every input, the tooling's own files included
    for file in files.documentation_pages():
        write(Path(file.abs_dest_path).parent, {"index.html": "<p>built</p>"})
        at(Path(file.abs_dest_path), built)
    at(repo / "snippets" / "demo" / "money.py", built + 60)  # the edit

    judge_pages(files, SiteSettings.of(site_config), sources.get)

    rebuilt = {file.src_uri for file in files.documentation_pages() if file.is_modified()}
    # The page that shows money.py, and money.py's own page; nothing else.
    assert rebuilt == {"index.md", "source/snippets/demo/money.py.md"}
