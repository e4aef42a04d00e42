"""The proof kept current while the handbook is served: the suite runs in the background.

``python -m handbook.serve`` ticks a :class:`Prover` once a second, from the moment the
site answers. When the sources (:mod:`handbook.fingerprint`) differ from those the proof
was made from, it starts the suite under per-test coverage in a subprocess
(:class:`TestRun`) and says how far it is. A passed run becomes the proof, which MkDocs
watches: the pages with listings rebuild with their proof under them. A failed run writes
no proof; the terminal and the listings that wait for it name the tests that failed
(:mod:`handbook.run_state`). An edit during a run stops it and starts another, since its
proof would be of code that no longer exists.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handbook.checks import Settings
from handbook.coverage_options import coverage_arguments, proof_environment
from handbook.fingerprint import fingerprint, recorded_fingerprint
from handbook.proof import build_proof
from handbook.run_state import RunState, state_file, write_state

REPORT_EVERY = 10.0
"""Seconds between two lines on how far the tests are."""
STOP_GRACE = 10.0
"""Seconds a stopped run has to end before it is killed."""
NAMED = 20
"""How many failed tests the terminal names; the log has them all."""


@dataclass(frozen=True)
class Progress:
    """How far a run is.

    Attributes:
        total: How many tests were collected (0 until collection is over).
        done: How many have finished.
        failed: The node ids of the tests, or files, that failed so far.
    """

    total: int = 0
    done: int = 0
    failed: tuple[str, ...] = ()


class TestRun:
    """One run of the suite in a subprocess, its files in a folder of its own."""

    __test__ = False  # a class named Test*, but not a test

    def __init__(self, root: Path, work: Path, python: str = sys.executable) -> None:
        """Start the suite in ``root``; its coverage, progress and output go to ``work``."""
        self.fingerprint = fingerprint(root)
        work.mkdir(parents=True, exist_ok=True)
        for stale in (".coverage", "tests.json", "progress.json"):
            (work / stale).unlink(missing_ok=True)
        self.work = work
        self.log = work / "pytest.log"
        command = [
            python,
            "-m",
            "pytest",
            "-p",
            "handbook.pytest_progress",
            f"--handbook-progress={work / 'progress.json'}",
            *coverage_arguments(work),
        ]
        environment = proof_environment(os.environ, work / ".coverage")
        with self.log.open("w", encoding="utf-8") as output:
            # A session of its own: Ctrl-C in the terminal stops the server, and the server
            # stops the run; stopping the run ends whatever its tests started too.
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                command,
                cwd=root,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def progress(self) -> Progress:
        """How far the run is, as its pytest plugin last wrote it."""
        try:
            document = json.loads((self.work / "progress.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Progress()
        return Progress(document["total"], document["done"], tuple(document["failed"]))

    def poll(self) -> int | None:
        """The run's exit status, or None while it runs."""
        return self.process.poll()

    def stop(self) -> None:
        """End the run and everything it started; kill it if it does not end in time."""
        if self.process.poll() is None:
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
        try:
            self.process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Prover:
    """Runs the suite whenever the proof does not match the sources, and says so."""

    def __init__(
        self, root: Path, say: Callable[[str], None], python: str = sys.executable
    ) -> None:
        """Keep the proof of the repository at ``root`` current; ``say`` prints a line."""
        self.root = root
        self.say = say
        self.python = python
        self.settings = Settings.read(root)
        self.proof = root / self.settings.proof
        self.state = state_file(self.proof)
        self.work = root / ".handbook" / "serve"
        self.run: TestRun | None = None
        self.last_seen = recorded_fingerprint(self.proof)
        self.reported_at = 0.0
        self.reported_done = -1

    def begin(self) -> None:
        """Tell the pages that their proof comes from this prover's runs."""
        write_state(self.state, RunState(running=True))

    def tick(self) -> None:
        """Look at the sources and the run once: start, stop, report or finish it."""
        current = fingerprint(self.root)
        if self.run is not None:
            if current != self.run.fingerprint:
                self.say("handbook: sources changed during the test run; it starts again")
                self.run.stop()
                self.run = None
            elif (status := self.run.poll()) is not None:
                self._finish(self.run, status)
                self.run = None
            else:
                self._report(self.run.progress())
        if self.run is None and current not in (self.last_seen, recorded_fingerprint(self.proof)):
            self._start()
        self.last_seen = current

    def stop(self) -> None:
        """Stop any run, and take the run's state away from the pages."""
        self.state.unlink(missing_ok=True)
        if self.run is not None:
            self.run.stop()
            self.run = None

    def _start(self) -> None:
        write_state(self.state, RunState(running=True))
        self.run = TestRun(self.root, self.work, self.python)
        self.reported_at, self.reported_done = 0.0, -1
        self.say(
            "handbook: tests running in the background to prove the listings "
            f"(output in {self._relative(self.run.log)})"
        )

    def _report(self, progress: Progress) -> None:
        due = time.monotonic() - self.reported_at >= REPORT_EVERY
        if progress.total and progress.done != self.reported_done and due:
            failed = f", {len(progress.failed)} failed" if progress.failed else ""
            self.say(f"handbook: tests running, {progress.done} of {progress.total}{failed}")
            self.reported_at, self.reported_done = time.monotonic(), progress.done

    def _finish(self, run: TestRun, status: int) -> None:
        progress = run.progress()
        log = self._relative(run.log)
        if status == 0:
            self._write_proof(run)
            return
        failed = progress.failed
        if failed:
            named = "\n".join(f"  {name}" for name in failed[:NAMED])
            more = f"\n  and {len(failed) - NAMED} more" if len(failed) > NAMED else ""
            self.say(
                f"handbook: tests FAILED, {len(failed)} of {progress.total}; no proof until "
                f"they pass (whole output in {log}):\n{named}{more}"
            )
        else:  # pytest could not start, or the run was killed: no test to name
            self.say(
                f"handbook: the test run stopped early (exit status {status}, "
                f"{progress.done} of {progress.total} run); see {log}"
            )
        write_state(self.state, RunState(running=False, failed=failed, log=log))

    def _write_proof(self, run: TestRun) -> None:
        """Turn a passed run's coverage into the proof, if the sources are still its own."""
        document = build_proof(
            self.root,
            run.work / ".coverage",
            run.work / "tests.json",
            list(self.settings.measured),
        )
        if fingerprint(self.root) != run.fingerprint:
            # The next tick sees the edit and starts another run.
            self.say("handbook: tests passed, but the sources changed meanwhile; no proof")
            return
        document["fingerprint"] = run.fingerprint
        # Where nox -s tests leaves them: nox -s docs reuses a proof of the current sources,
        # and reports the coverage it was made from.
        for made in (".coverage", "tests.json"):
            os.replace(run.work / made, self.proof.with_name(made))
        partial = self.proof.with_name(f".{self.proof.name}.partial")
        partial.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, self.proof)  # in one step: a build never reads half a proof
        write_state(self.state, RunState(running=True))
        self.say(
            f"handbook: tests passed ({run.progress().done} run); "
            "proof updated, the pages with listings rebuild"
        )

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()
