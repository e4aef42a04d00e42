"""How far a run is, written as the tests run (``handbook.pytest_progress``)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Writer = Callable[[Path, Mapping[str, str]], Path]
Run = Callable[..., subprocess.CompletedProcess[str]]

FAILING = """\
import pytest


@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")


def test_fails() -> None:
    assert 1 == 2


def test_fails_twice(broken_teardown: None) -> None:
    assert 1 == 2


def test_teardown_fails(broken_teardown: None) -> None:
    pass


def test_passes() -> None:
    pass
"""


def progress_of(repo: Path, run: Run) -> dict[str, Any]:
    target = repo / "progress.json"
    run(repo, "-m", "pytest", "-p", "handbook.pytest_progress", f"--handbook-progress={target}")
    document: dict[str, Any] = json.loads(target.read_text("utf-8"))
    assert sorted(path.name for path in repo.iterdir() if "progress" in path.name) == [
        "progress.json"  # nothing half-written left beside it
    ]
    return document


def test_the_count_and_the_failed_tests_once_each(repo: Path, write: Writer, run: Run) -> None:
    demo = progress_of(repo, run)
    write(repo, {"tests/test_failing.py": FAILING})

    progress = progress_of(repo, run)

    assert demo["total"] == demo["done"] > 0
    assert demo["failed"] == []
    assert progress == {
        "total": demo["total"] + 4,
        "done": demo["total"] + 4,
        "failed": [
            "tests/test_failing.py::test_fails",
            "tests/test_failing.py::test_fails_twice",
            "tests/test_failing.py::test_teardown_fails",
        ],
    }


def test_a_file_that_cannot_be_collected_is_named(repo: Path, write: Writer, run: Run) -> None:
    write(repo, {"tests/test_broken.py": "def test_(:\n"})

    progress = progress_of(repo, run)

    # pytest runs no test when one file cannot be collected.
    assert progress["done"] == 0
    assert progress["failed"] == ["tests/test_broken.py"]


def test_without_the_option_nothing_is_written(repo: Path, run: Run) -> None:
    ran = run(repo, "-m", "pytest", "-p", "handbook.pytest_progress")

    assert ran.returncode == 0, ran.stdout
    assert not list(repo.rglob("progress.json"))
