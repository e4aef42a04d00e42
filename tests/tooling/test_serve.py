"""``python -m handbook.serve`` (what ``nox -s serve`` runs), as a reader meets it.

Each test starts the real command in the minimal handbook, on a real port, and reads the
pages over HTTP and the terminal's lines as they come.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from handbook.run_state import state_file

Writer = Callable[[Path, Mapping[str, str]], Path]
Run = Callable[..., subprocess.CompletedProcess[str]]

WAIT = 120.0
"""Seconds any step may take on a loaded machine before the test gives up."""


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
        return port


class Served:
    """A running ``python -m handbook.serve``: its terminal and its pages."""

    def __init__(
        self, repo: Path, environment: dict[str, str], *, ctrl_c_ignored: bool = False
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        command = [sys.executable, "-m", "handbook.serve", "--address", f"127.0.0.1:{self.port}"]
        if ctrl_c_ignored:
            # As a shell without job control starts a background command.
            command = ["/bin/sh", "-c", 'trap "" INT; exec "$@"', "serve", *command]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            command,
            cwd=repo,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # A group of its own, so that a failed test can end MkDocs with it.
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def said(self, start: str) -> list[str]:
        return [line for line in self.lines if line.startswith(start)]

    def page(self, path: str = "") -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
            body: bytes = response.read()
            return body.decode("utf-8")

    def wait_until(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            assert self.process.poll() is None, "serve ended early:\n" + "\n".join(self.lines)
            assert time.monotonic() < deadline, f"never {what}:\n" + "\n".join(self.lines)
            time.sleep(0.1)

    def wait_for_page_with(self, text: str) -> str:
        shown: list[str] = []

        def shows() -> bool:
            try:
                shown[:] = [self.page()]
            except OSError:
                return False  # not serving yet
            return text in shown[0]

        self.wait_until(f"a page with {text!r}", shows)
        return shown[0]

    def interrupt(self) -> int:
        """Press Ctrl-C, as a reader does; the exit status."""
        self.process.send_signal(signal.SIGINT)
        status = self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        return status

    def close(self) -> None:
        """End the process if a failed test left it running, what it started, and its pipe.

        Interrupted first, so that it stops its server and its tests; then whatever is
        left of its process group is killed.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=WAIT)
        # Whatever is left of the group (MkDocs, the tests) holds the pipe open.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.reader.join(timeout=WAIT)
        assert self.process.stdout is not None
        if not self.reader.is_alive():  # closing under a blocked read would wait for ever
            self.process.stdout.close()


@pytest.fixture
def serve(repo: Path, child_environment: dict[str, str]) -> Iterator[Callable[..., Served]]:
    """Start ``python -m handbook.serve`` in ``repo``; it is stopped after the test."""
    started: list[Served] = []

    def start(*, ctrl_c_ignored: bool = False) -> Served:
        started.append(Served(repo, child_environment, ctrl_c_ignored=ctrl_c_ignored))
        return started[-1]

    yield start
    for served in started:
        served.close()


def test_a_busy_port_is_refused_at_once_in_one_line(repo: Path, run: Run) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        address = f"127.0.0.1:{taken.getsockname()[1]}"

        refused = run(repo, "-m", "handbook.serve", "--address", address)

    assert refused.returncode == 2
    assert refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"handbook: {address} is already in use; to serve elsewhere, run `")
    assert line.endswith(" ./noxw -s serve`")
    assert "`HANDBOOK_ADDRESS=127.0.0.1:" in line
    assert not (repo / ".handbook").exists()  # nothing built, nothing run


def test_ctrl_c_stops_it_even_when_started_with_ctrl_c_ignored(
    serve: Callable[..., Served],
) -> None:
    served = serve(ctrl_c_ignored=True)
    served.wait_until("serving", lambda: bool(served.said("handbook: site built in")))

    status = served.interrupt()

    assert status == 0
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        served.page()  # MkDocs stopped with it: nothing answers any more


def test_the_site_answers_with_its_proof_pending_then_the_proof_follows(
    repo: Path, serve: Callable[[], Served], gate: Callable[[], None]
) -> None:
    served = serve()

    served.wait_until("serving", lambda: bool(served.said("handbook: site built in")))
    first = served.page()
    served.wait_until("tests running", lambda: bool(served.said("handbook: tests running, ")))
    gate()
    proven = served.wait_for_page_with("Executed by")
    status = served.interrupt()

    listings = first.count('class="listing"')
    assert listings > 0
    assert first.count("Proof pending: tests running.") == listings  # every listing of the page
    assert "Proof pending" not in proven
    # The terminal says what runs and how far it is, in this order.
    url = re.escape(served.url)
    assert re.fullmatch(
        rf"handbook: building the site to serve at {url}\n"
        rf"handbook: site built in \d+\.\d s; serving at {url}\n"
        r"handbook: tests running in the background to prove the listings "
        r"\(output in \.handbook/serve/pytest\.log\)\n"
        r"(handbook: tests running, \d+ of (\d+)\n)+"
        r"handbook: tests passed \(\d+ run\); proof updated, the pages with listings rebuild",
        "\n".join(served.said("handbook: ")),
    )
    assert status == 0
    assert not state_file(repo / ".handbook" / "proof.json").exists()


def test_a_failed_run_names_its_tests_on_the_page_and_in_the_terminal(
    repo: Path, write: Writer, serve: Callable[[], Served]
) -> None:
    write(repo, {"tests/test_failing.py": "def test_fails() -> None:\n    assert 1 == 2\n"})
    served = serve()

    page = served.wait_for_page_with("Not proven: the last test run failed")
    served.interrupt()

    assert (
        "Not proven: the last test run failed (tests/test_failing.py::test_fails); "
        "see .handbook/serve/pytest.log." in page
    )
    (failed,) = served.said("handbook: tests FAILED")
    assert failed.startswith("handbook: tests FAILED, 1 of ")
    assert "  tests/test_failing.py::test_fails" in served.lines
