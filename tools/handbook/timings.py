"""``python -m handbook.timings``: measure how long the handbook's loops take, and say so.

The figures that matter to a contributor: the README's ``./noxw`` cold (no environments,
no stamps), warm with nothing changed, and warm after an edit to one snippet; and the
time from saving a snippet to the page showing it under ``nox -s serve``. ``./noxw`` runs
as CI runs it: ``CI=true`` (a configured server or browser that is missing fails the run
rather than being skipped) and the caller's ``DATABASE_URL``, outside any virtual
environment. This module writes the figures, with what ran, the machine, its load and the
date, between the ``timings`` markers of ``CONTRIBUTING.md``, so the figures in the guide
are produced by a run, never typed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from handbook.machine import machine
from handbook.paths import repository_root
from handbook.serve import mkdocs_serve
from handbook.stamps import STAMPS

EDITED_SNIPPET = "snippets/shared_kernel/entity.py"
EDITED_PAGE = "layers/domain/"
START = "<!-- timings:start -->"
END = "<!-- timings:end -->"


GENERATED = ("venvs", "dist", "export", "proof.json", ".coverage", "tests.json")
"""What earlier runs left in ``.handbook/`` that a cold run must not find (the fetched uv stays)."""
CACHES = ("site", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".import_linter_cache")
"""What earlier runs left at the root that a fresh clone does not have."""


@dataclass(frozen=True)
class Run:
    """One timed run of ``nox``: its wall time and the machine's load around it."""

    seconds: float
    load_before: float
    load_after: float


def ci_environment(environment: Mapping[str, str], running_in: Path) -> dict[str, str]:
    """The environment of a CI run, from this one: ``CI=true``, no virtual environment.

    ``nox -s timings`` runs inside a session's environment; its ``bin`` folder leaves
    ``PATH`` and ``VIRTUAL_ENV`` goes, so ``./noxw`` finds the interpreter a contributor's
    shell would.
    """
    inside = str(running_in / "bin")
    path = [entry for entry in environment.get("PATH", "").split(os.pathsep) if entry != inside]
    cleaned = {key: value for key, value in environment.items() if key != "VIRTUAL_ENV"}
    return {**cleaned, "PATH": os.pathsep.join(path), "CI": "true"}


def forget_earlier_runs(root: Path, running_in: Path) -> None:
    """Remove every environment but ``running_in``, the stamps, the proof, the site, the caches."""
    for environment in (root / ".nox").glob("*"):
        if environment.resolve() != running_in.resolve():
            shutil.rmtree(environment, ignore_errors=True)
    for generated in (*GENERATED, STAMPS.name):
        target = root / ".handbook" / generated
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    for cache in CACHES:
        shutil.rmtree(root / cache, ignore_errors=True)


def run_nox(root: Path, nox: list[str], environment: Mapping[str, str]) -> Run:
    """Time one run of ``nox``.

    Raises:
        SystemExit: The run failed; a failed run has no meaningful duration.
    """
    before = os.getloadavg()[0]
    started = time.perf_counter()
    result = subprocess.run(nox, cwd=root, env=dict(environment), check=False)  # noqa: S603
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"timings: {' '.join(nox)} failed; nothing measured")
    return Run(elapsed, before, os.getloadavg()[0])


def configuration(environment: Mapping[str, str]) -> str:
    """Say what a run in ``environment`` runs: which databases, which browser."""
    url = environment.get("DATABASE_URL", "")
    server = url.split("+", 1)[0].split(":", 1)[0]
    databases = (
        f"SQLite and {server} (`DATABASE_URL`)"
        if server and server != "sqlite"
        else ("SQLite only (no `DATABASE_URL`)")
    )
    chromium = shutil.which(
        environment.get("HANDBOOK_CHROMIUM") or "chromium", path=environment.get("PATH")
    )
    browser = f"Chromium ({chromium})" if chromium else "none: the browser session fails under CI"
    return f"`CI=true`; databases: {databases}; browser tests: {browser}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
        body: bytes = response.read()
        return body.decode("utf-8")


def rebuild_seconds(root: Path, python: str, attempts: int = 3) -> float:
    """Time from saving a snippet to ``mkdocs serve`` serving the page that shows it.

    The snippet gets a unique word in a docstring shown on the page; the clock stops when
    the served page contains it. The file is restored afterwards. The best of a few
    attempts is reported, as with any benchmark of a warm loop.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/{EDITED_PAGE}"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        mkdocs_serve(python, f"127.0.0.1:{port}"),
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    snippet = root / EDITED_SNIPPET
    original = snippet.read_text(encoding="utf-8")

    def edit(word: str) -> None:
        marked = f"An object ({word}) with a lifecycle"
        snippet.write_text(original.replace("An object with a lifecycle", marked, 1), "utf-8")

    results: list[float] = []
    try:
        _wait_for(lambda: "Entity" in _fetch(url), timeout=120)
        # MkDocs starts watching a few seconds after it starts serving: edit until it
        # notices once, uncounted, then measure.
        for warmup in range(12):
            edit(f"warmup{warmup}")
            if _seen(url, f"warmup{warmup}", timeout=10):
                break
        for attempt in range(attempts):
            word = f"timingprobe{attempt}x{time.time_ns()}"
            started = time.perf_counter()
            edit(word)
            if not _seen(url, word, timeout=120):
                raise SystemExit("timings: the served page did not change in time")
            results.append(time.perf_counter() - started)
    finally:
        snippet.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
    return min(results)


def _seen(url: str, word: str, timeout: float) -> bool:
    """Poll the page until it contains ``word``; tell whether it did in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if word in _fetch(url):
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("timings: the server did not serve the page in time")


def write_table(root: Path, figures: dict[str, Run], ran: str) -> None:
    """Replace the text between the timings markers of CONTRIBUTING.md."""
    path = root / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8")
    rows = "\n".join(
        f"| {name} | {run.seconds:.1f} s | {run.load_before:.2f} → {run.load_after:.2f} |"
        for name, run in figures.items()
    )
    table = (
        f"{START}\n| Loop | Wall time | Load before → after |\n|---|---|---|\n{rows}\n\n"
        f"Measured on {datetime.now(UTC):%Y-%m-%d} on {machine()}; `./noxw` ran with {ran}.\n"
        f"{END}"
    )
    start, end = text.index(START), text.index(END) + len(END)
    path.write_text(text[:start] + table + text[end:], encoding="utf-8")


def edited(snippet: Path) -> Callable[[], None]:
    """Change one docstring of ``snippet``, as a contributor's edit would; return the undo."""
    original = snippet.read_text(encoding="utf-8")
    snippet.write_text(
        original.replace("An object with a lifecycle", "An object (edited) with a lifecycle", 1),
        encoding="utf-8",
    )

    def undo() -> None:
        snippet.write_text(original, encoding="utf-8")

    return undo


def main(argv: list[str] | None = None) -> int:
    """Measure and write the figures."""
    parser = argparse.ArgumentParser(prog="python -m handbook.timings")
    parser.add_argument("--nox", default="./noxw", help="the command that runs nox")
    parser.add_argument("--skip-nox", action="store_true", help="measure only the rebuild")
    arguments = parser.parse_args(argv)
    root = repository_root()
    environment = ci_environment(os.environ, Path(sys.prefix))
    figures: dict[str, Run] = {}
    if not arguments.skip_nox:
        command = arguments.nox.split()
        forget_earlier_runs(root, Path(sys.prefix))
        figures["`./noxw`, cold (no environments, stamps or site; uv's cache kept)"] = run_nox(
            root, command, environment
        )
        figures["`./noxw`, warm, nothing changed since the last run"] = run_nox(
            root, command, environment
        )
        undo = edited(root / EDITED_SNIPPET)
        try:
            figures[f"`./noxw`, warm, after an edit to `{EDITED_SNIPPET}`"] = run_nox(
                root, command, environment
            )
        finally:
            undo()
    before = os.getloadavg()[0]
    rebuild = rebuild_seconds(root, sys.executable)
    figures["Rebuild under `nox -s serve` after saving a snippet"] = Run(
        rebuild, before, os.getloadavg()[0]
    )
    write_table(root, figures, configuration(environment))
    for name, run in figures.items():
        print(f"{run.seconds:7.1f} s  (load {run.load_before:.2f} → {run.load_after:.2f})  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
