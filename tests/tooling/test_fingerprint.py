"""The digest that tells a fresh proof from a stale one."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.fingerprint import fingerprint


def touch(root: Path, relative: str, text: str = "changed\n") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_same_sources_give_the_same_digest(repo: Path) -> None:
    digest = fingerprint(repo)

    assert len(digest) == 64
    assert fingerprint(repo) == digest


@pytest.mark.parametrize(
    "relative",
    [
        "snippets/demo/money.py",
        "tests/test_money.py",
        "docs/index.md",
        "pyproject.toml",
        "examples/demo/pyproject.toml",
        "tools/handbook/render.py",
        "snippets/demo/new.py",
        "docs/settings.yaml",
    ],
)
def test_a_change_to_an_input_changes_the_digest(repo: Path, relative: str) -> None:
    before = fingerprint(repo)

    touch(repo, relative)

    assert fingerprint(repo) != before


@pytest.mark.parametrize(
    "relative",
    [
        "site/index.html",
        "site/search.json",
        "docs/assets/stylesheets/extra.css",
        "docs/assets/data.json",
        "snippets/demo/__pycache__/money.json",
        "tests/.pytest_cache/v/cache.json",
        "docs/image.png",
        "README.md",
        ".handbook/proof.json",
    ],
)
def test_outputs_and_other_files_leave_it_alone(repo: Path, relative: str) -> None:
    before = fingerprint(repo)

    touch(repo, relative)

    assert fingerprint(repo) == before


def test_a_rename_changes_the_digest(repo: Path) -> None:
    before = fingerprint(repo)

    (repo / "tests" / "test_money.py").rename(repo / "tests" / "test_cash.py")

    assert fingerprint(repo) != before
