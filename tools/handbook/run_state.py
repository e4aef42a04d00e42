"""The background test run of ``nox -s serve``, as the pages tell it.

While the handbook is served, :mod:`handbook.prover` runs the suite in the background
whenever the proof does not match the sources, and keeps this state in a file beside the
proof (:func:`state_file`). A listing that waits for its proof says so with
:meth:`RunState.sentence`: "Proof pending: tests running.", or, after a failed run, which
tests failed. Without the file (``nox -s docs``, a plain ``mkdocs build``) listings keep
the sentences of :func:`handbook.proof.judge`; a strict build fails on any of them.

The file changes only when what the pages say changes, since every page with a listing
is rebuilt when it does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

NAMED = 5
"""How many failed tests a listing names; the terminal and the log name them all."""


@dataclass(frozen=True)
class RunState:
    """What the background run says to the listings that wait for it.

    Attributes:
        running: The tests are running (or about to); False after a failed run.
        failed: The tests that failed (node ids), after a failed run.
        log: Where the run's whole output is, relative to the repository.
    """

    running: bool
    failed: tuple[str, ...] = ()
    log: str = ""

    def sentence(self) -> str:
        """What a listing that waits for its proof says instead of the proof."""
        if self.running:
            return "Proof pending: tests running."
        if not self.failed:
            return f"Not proven: the last test run stopped early; see {self.log}."
        named = ", ".join(self.failed[:NAMED])
        more = len(self.failed) - NAMED
        named += f" and {more} more" if more > 0 else ""
        return f"Not proven: the last test run failed ({named}); see {self.log}."


def state_file(proof: Path) -> Path:
    """Where the run's state is kept: beside the proof."""
    return proof.with_name("serve-run.json")


def read_state(path: Path) -> RunState | None:
    """The state in ``path``; None when no run keeps one there (or it is unreadable)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return RunState(
            running=bool(document["running"]),
            failed=tuple(str(name) for name in document.get("failed", [])),
            log=str(document.get("log", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(path: Path, state: RunState) -> bool:
    """Write ``state`` unless the file already says it; tell whether it was written.

    The file is replaced in one step, so a build never reads half of it.
    """
    text = json.dumps({"running": state.running, "failed": list(state.failed), "log": state.log})
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return True
