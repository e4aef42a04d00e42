"""An exported example as a git bundle of one commit (``handbook.git_bundle``).

The bundle is written without git; git itself reads it back: ``git clone`` must check out
exactly the files given, on ``main``, under the fixed author and date, and ``git fsck``
must find every object well formed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handbook.git_bundle import commit_id, git_bundle

FILES = [
    ("pyproject.toml", b"[project]\nname = 'demo'\n"),
    ("src/demo/__init__.py", b""),
    ("src/demo/money.py", b"def add(a, b):\n    return a + b\n"),
    # "a.txt" sorts before the folder "a", which git orders as "a/".
    ("a.txt", b"text\n"),
    ("a/b.bin", bytes(range(256)) * 40),
]


def git(*arguments: str, cwd: Path) -> str:
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["git", *arguments],  # noqa: S607 - git from the PATH, as a reader runs it
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def clone(bundle: bytes, tmp_path: Path) -> Path:
    (tmp_path / "demo.bundle").write_bytes(bundle)
    git("clone", "--quiet", "demo.bundle", "demo", cwd=tmp_path)
    return tmp_path / "demo"


def test_a_clone_checks_out_the_files_on_main(tmp_path: Path) -> None:
    bundle = git_bundle(FILES, "The demo example")

    checkout = clone(bundle, tmp_path)

    found = {
        path.relative_to(checkout).as_posix(): path.read_bytes()
        for path in checkout.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(checkout).parts
    }
    assert found == dict(FILES)
    assert git("status", "--porcelain", cwd=checkout) == ""
    assert git("branch", "--show-current", cwd=checkout) == "main\n"
    assert git("log", "--format=%H|%an <%ae>|%aI|%cn|%s", cwd=checkout) == (
        f"{commit_id(bundle)}|The Enterprise Python Handbook <handbook@example.invalid>|"
        "2026-01-01T00:00:00+00:00|The Enterprise Python Handbook|The demo example\n"
    )
    git("fsck", "--strict", "--no-dangling", cwd=checkout)


def test_the_same_files_make_the_same_bundle() -> None:
    assert git_bundle(FILES, "m") == git_bundle(list(reversed(FILES)), "m")
    assert commit_id(git_bundle(FILES, "m")) != commit_id(git_bundle(FILES[:-1], "m"))


def test_a_bundle_without_main_has_no_commit() -> None:
    with pytest.raises(ValueError, match="no main branch"):
        commit_id(b"# v2 git bundle\n" + b"0" * 40 + b" refs/heads/other\n\nPACK")
