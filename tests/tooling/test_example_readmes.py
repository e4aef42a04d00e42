"""Each example's README and its page tell the truth about the exported project.

The README's tree is checked against the export (``plan_export``): every name it shows
exists where its indentation puts it, and nothing at the top of the project or among the
packages under ``src/`` is missing from it. Its commands are run, as written, by the
example's own end-to-end suite (``tests/e2e/test_readme.py``) in the installed wheel and in
the export. The ``curl`` requests on the example's page are the README's, so they are run
there too.
"""

from __future__ import annotations

import re
import shlex
from pathlib import PurePosixPath

import pytest

from handbook.examples import plan_export
from handbook.paths import repository_root

ROOT = repository_root()
PAGES = {
    "service-template": ROOT / "docs/examples/service-template.md",
    "shop": ROOT / "docs/examples/shop/index.md",
}
CONTINUATION_INDENT = 16
"""A tree line indented this far or more continues the comment of the line above."""


def readme_tree(readme: str) -> list[PurePosixPath]:
    """The paths the README's tree shows: its first plain fenced block, read by indentation."""
    block = re.search(r"^```\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert block, "the README shows no tree"
    paths: list[PurePosixPath] = []
    parents: list[str] = []
    for line in block.group(1).splitlines():
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent >= CONTINUATION_INDENT:
            continue
        name = line.split()[0]
        depth = indent // 2
        parents = [*parents[:depth], name.rstrip("/")]
        paths.append(PurePosixPath(*parents))
    return paths


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_readme_tree_is_the_exported_tree(name: str) -> None:
    exported = [PurePosixPath(file.destination) for file in plan_export(ROOT, name)]
    present = {path for file in exported for path in [file, *file.parents]}
    readme = (ROOT / "examples" / name / "README.md").read_text(encoding="utf-8")

    shown = readme_tree(readme)

    assert [path for path in shown if path not in present] == []
    top = {path.parts[0] for path in exported}
    packages = {path.parts[1] for path in exported if path.parts[0] == "src"}
    assert top <= {path.parts[0] for path in shown}
    assert packages <= {
        path.parts[1] for path in shown if len(path.parts) > 1 and path.parts[0] == "src"
    }
    assert ".gitignore" in top


def curl_commands(text: str) -> list[list[str]]:
    joined = re.sub(r"\\\n\s*", " ", text)  # a line ending in a backslash goes on
    return [
        shlex.split(line.strip().removeprefix("$ "))
        for line in joined.splitlines()
        if line.strip().removeprefix("$ ").startswith("curl ")
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_pages_requests_are_the_readmes_which_its_suite_runs(name: str) -> None:
    readme = curl_commands((ROOT / "examples" / name / "README.md").read_text(encoding="utf-8"))
    page = curl_commands(PAGES[name].read_text(encoding="utf-8"))

    assert page
    assert [command for command in page if command not in readme] == []
    for command in readme:
        if "-d" in command:  # a body is sent as what it is: JSON, or OAuth2's form
            assert {
                "Content-Type: application/json",
                "Content-Type: application/x-www-form-urlencoded",
            } & set(command), command


def test_a_tree_is_read_by_indentation() -> None:
    readme = (
        "# X\n\n```\nREADME.md     this\nsrc/          code\n  app/        the app\n"
        "    api/      routes\n                   (continued)\n  kernel/     shared\n"
        "tests/\n```\n"
    )

    assert readme_tree(readme) == [
        PurePosixPath(p)
        for p in ["README.md", "src", "src/app", "src/app/api", "src/kernel", "tests"]
    ]
