"""The proof kept current in the background while the handbook is served (``handbook.prover``).

Each test drives a :class:`Prover` over the minimal handbook with real runs of its suite.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from handbook import prover as prover_module
from handbook.fingerprint import fingerprint, recorded_fingerprint
from handbook.proof import Proof, build_proof
from handbook.prover import Prover, TestRun
from handbook.run_state import RunState, read_state, state_file

Writer = Callable[[Path, Mapping[str, str]], Path]
Run = Callable[..., subprocess.CompletedProcess[str]]

pytestmark = pytest.mark.usefixtures("child_environment")

FAILING = "def test_fails() -> None:\n    assert 1 == 2\n"


class Told:
    """The lines a prover says."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        self.lines.append(line)

    def said(self, start: str) -> list[str]:
        return [line for line in self.lines if line.startswith(start)]


def tick_until(prover: Prover, condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the prover did not get there in time"
        prover.tick()
        time.sleep(0.1)


def running(prover: Prover) -> TestRun:
    assert prover.run is not None, "no run"
    return prover.run


@pytest.fixture
def told() -> Told:
    return Told()


def test_a_proof_of_the_current_sources_starts_no_run(proved_repo: Path, told: Told) -> None:
    prover = Prover(proved_repo, told)

    prover.begin()
    prover.tick()

    assert prover.run is None
    assert told.lines == []
    assert read_state(state_file(prover.proof)) == RunState(running=True)


def test_without_a_proof_the_tests_run_and_their_coverage_becomes_the_proof(
    repo: Path, told: Told, gate: Callable[[], None], run: Run
) -> None:
    prover = Prover(repo, told)
    prover.begin()

    prover.tick()
    test_run = running(prover)
    tick_until(prover, lambda: bool(told.said("handbook: tests running, ")))
    gate()
    tick_until(prover, lambda: prover.run is None)
    report = run(repo, "-m", "coverage", "report", "--include=snippets/*")  # as nox -s docs

    assert told.said("handbook: tests running in the background") == [
        "handbook: tests running in the background to prove the listings "
        "(output in .handbook/serve/pytest.log)"
    ]
    total = test_run.progress().total
    reports = told.said("handbook: tests running, ")
    assert reports
    assert all(re.fullmatch(rf"handbook: tests running, \d+ of {total}", line) for line in reports)
    assert told.lines[-1] == (
        f"handbook: tests passed ({total} run); proof updated, the pages with listings rebuild"
    )
    assert recorded_fingerprint(prover.proof) == test_run.fingerprint == fingerprint(repo)
    # Beside the proof, as nox -s tests leaves them, for nox -s docs to reuse.
    assert "tests/test_gate.py::test_waits_for_the_gate" in json.loads(
        (repo / ".handbook" / "tests.json").read_text("utf-8")
    )
    assert report.returncode == 0, report.stderr
    assert "snippets/demo/money.py" in report.stdout
    proof = Proof.load(repo, prover.proof)
    assert proof is not None
    assert proof.measures("snippets/demo/money.py")
    assert read_state(state_file(prover.proof)) == RunState(running=True)
    assert test_run.poll() == 0


def test_a_failed_run_names_the_failed_tests_and_writes_no_proof(
    repo: Path, write: Writer, told: Told
) -> None:
    write(repo, {"tests/test_failing.py": FAILING})
    prover = Prover(repo, told)

    prover.tick()
    run = running(prover)
    tick_until(prover, lambda: prover.run is None)

    total = run.progress().total
    assert told.lines[-1] == (
        f"handbook: tests FAILED, 1 of {total}; no proof until they pass "
        "(whole output in .handbook/serve/pytest.log):\n"
        "  tests/test_failing.py::test_fails"
    )
    assert "1 failed" in run.log.read_text("utf-8")
    assert not prover.proof.exists()
    assert read_state(state_file(prover.proof)) == RunState(
        running=False,
        failed=("tests/test_failing.py::test_fails",),
        log=".handbook/serve/pytest.log",
    )
    prover.tick()
    assert prover.run is None  # nothing changed since: no run until something does


def test_a_run_that_stops_before_its_tests_says_so(repo: Path, write: Writer, told: Told) -> None:
    write(repo, {"tests/conftest.py": "raise RuntimeError('a broken conftest')\n"})
    prover = Prover(repo, told)

    prover.tick()
    run = running(prover)
    tick_until(prover, lambda: prover.run is None)

    assert re.fullmatch(
        r"handbook: the test run stopped early \(exit status \d+, 0 of 0 run\); "
        r"see \.handbook/serve/pytest\.log",
        told.lines[-1],
    )
    assert "a broken conftest" in run.log.read_text("utf-8")
    assert read_state(state_file(prover.proof)) == RunState(
        running=False, failed=(), log=".handbook/serve/pytest.log"
    )


def test_an_edit_during_a_run_stops_it_and_proves_the_edited_sources(
    repo: Path, write: Writer, told: Told, gate: Callable[[], None]
) -> None:
    prover = Prover(repo, told)
    prover.tick()
    first = running(prover)
    tick_until(prover, lambda: bool(told.said("handbook: tests running, ")))
    money = repo / "snippets" / "demo" / "money.py"

    write(repo, {"snippets/demo/money.py": money.read_text("utf-8") + "\nCENTS = 100\n"})
    prover.tick()
    second = running(prover)
    gate()
    tick_until(prover, lambda: prover.run is None)

    assert first.poll() is not None  # ended, and not by passing: the gate was shut
    assert first.process.returncode != 0
    assert told.said("handbook: sources changed") == [
        "handbook: sources changed during the test run; it starts again"
    ]
    assert second.fingerprint == fingerprint(repo) != first.fingerprint
    assert recorded_fingerprint(prover.proof) == second.fingerprint


def test_stopping_ends_the_run_and_takes_its_state_from_the_pages(
    repo: Path, told: Told, gate: Callable[[], None]
) -> None:
    del gate  # shut: the run waits until it is stopped
    prover = Prover(repo, told)
    prover.begin()
    prover.tick()
    run = running(prover)

    prover.stop()

    assert run.poll() is not None
    assert prover.run is None
    assert not state_file(prover.proof).exists()
    assert not prover.proof.exists()


def test_an_edit_while_the_proof_is_built_leaves_no_proof_and_proves_again(
    repo: Path, write: Writer, told: Told, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build_then_edit(*arguments: Any) -> dict[str, Any]:
        document = build_proof(*arguments)
        money = repo / "snippets" / "demo" / "money.py"
        write(repo, {"snippets/demo/money.py": money.read_text("utf-8") + "\n# edited\n"})
        return document

    monkeypatch.setattr(prover_module, "build_proof", build_then_edit)
    prover = Prover(repo, told)
    prover.tick()
    first = running(prover)
    tick_until(prover, lambda: prover.run is None)
    prover.tick()  # the next look sees the edit

    assert not prover.proof.exists()
    assert told.said("handbook: tests passed") == [
        "handbook: tests passed, but the sources changed meanwhile; no proof"
    ]
    assert running(prover).fingerprint == fingerprint(repo) != first.fingerprint
    prover.stop()
