"""``python -m handbook.timings``: measure how long the handbook's loops take, and say so.

Three figures matter to a contributor: a cold ``nox`` (no environments yet), a warm one
(everything reused), and the time from saving a snippet to the page showing it under
``nox -s serve``. This module measures each on the machine it runs on and writes them,
with the machine and the date, between the ``timings`` markers of ``CONTRIBUTING.md``, so
the figures in the guide are produced by a run, never typed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from handbook.paths import repository_root
from handbook.serve import mkdocs_serve

EDITED_SNIPPET = "snippets/shared_kernel/entity.py"
EDITED_PAGE = "layers/domain/"
START = "<!-- timings:start -->"
END = "<!-- timings:end -->"


def run_nox(root: Path, nox: list[str], *, cold: bool) -> float:
    """Time one full ``nox`` run; for a cold one, remove every environment first.

    Raises:
        SystemExit: The run failed; a failed run has no meaningful duration.
    """
    if cold:
        # Every environment goes, except the one this measurement itself runs in.
        running = Path(sys.prefix).resolve()
        for environment in (root / ".nox").glob("*"):
            if environment.resolve() != running:
                shutil.rmtree(environment, ignore_errors=True)
        for generated in ("venvs", "dist", "proof.json", ".coverage", "tests.json"):
            target = root / ".handbook" / generated
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
    started = time.perf_counter()
    result = subprocess.run(nox, cwd=root, check=False)  # noqa: S603 - our own nox command
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"timings: {' '.join(nox)} failed; nothing measured")
    return elapsed


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


def machine() -> str:
    """Describe the machine: processor model, cores, memory, Python."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text(encoding="utf-8"))
        model = found[1].strip() if found else model
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text(encoding="utf-8"))
        memory = f", {int(found[1]) / 1024 / 1024:.0f} GiB" if found else ""
    return f"{model}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def write_table(root: Path, figures: dict[str, float]) -> None:
    """Replace the text between the timings markers of CONTRIBUTING.md."""
    path = root / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8")
    rows = "\n".join(f"| {name} | {seconds:.1f} s |" for name, seconds in figures.items())
    table = (
        f"{START}\n| Loop | Wall time |\n|---|---|\n{rows}\n\n"
        f"Measured on {datetime.now(UTC):%Y-%m-%d} on {machine()}.\n{END}"
    )
    start, end = text.index(START), text.index(END) + len(END)
    path.write_text(text[:start] + table + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure and write the figures."""
    parser = argparse.ArgumentParser(prog="python -m handbook.timings")
    parser.add_argument("--nox", default="nox", help="the command that runs nox")
    parser.add_argument("--skip-nox", action="store_true", help="measure only the rebuild")
    arguments = parser.parse_args(argv)
    root = repository_root()
    figures: dict[str, float] = {}
    if not arguments.skip_nox:
        command = arguments.nox.split()
        figures["`nox`, cold (no environments; uv's download cache kept)"] = run_nox(
            root, command, cold=True
        )
        figures["`nox`, warm (environments reused)"] = run_nox(root, command, cold=False)
    figures["Rebuild under `nox -s serve` after saving a snippet"] = rebuild_seconds(
        root, sys.executable
    )
    write_table(root, figures)
    for name, seconds in figures.items():
        print(f"{seconds:7.1f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
