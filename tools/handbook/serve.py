"""``python -m handbook.serve``: the live handbook at once, its proof following.

What ``nox -s serve`` runs (ADR 23). It refuses a busy address at once, in one line
(:mod:`handbook.address`). Then it starts ``mkdocs serve --dirty``, which builds the site
and serves it, and beside it a :class:`~handbook.prover.Prover`, which runs the suite in
the background whenever the proof does not match the sources. Listings waiting for that
run say "Proof pending: tests running."; when it has passed, the proof is written and
MkDocs rebuilds the pages with listings. The terminal says what runs and how far it is.

After an edit, the pages it changed rebuild at once (ADR 18), their listings pending,
and the suite runs again.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from handbook.address import DEFAULT, Address, refusal
from handbook.paths import repository_root
from handbook.prover import Prover

TICK_SECONDS = 1.0


def mkdocs_serve(python: str, address: str) -> list[str]:
    """The ``mkdocs serve`` command that ``nox -s serve`` runs, and ``nox -s timings`` times.

    ``--dirty``: a rebuild renders only the pages whose inputs changed, which the
    handbook's plugin works out (see :mod:`handbook.rebuild`), not every page of the site.
    """
    return [
        python,
        "-m",
        "mkdocs",
        "serve",
        "--dev-addr",
        address,
        "--livereload",
        "--dirty",
        "--no-strict",
    ]


def say(line: str) -> None:
    """Print a line of the handbook's own, at once, among MkDocs' lines."""
    print(line, flush=True)


def answers(url: str) -> bool:
    """Tell whether the server answers ``url`` with a page."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own server
            status: int = response.status
            return status == 200  # noqa: PLR2004 - HTTP's OK
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; 2 when the address is refused."""
    parser = argparse.ArgumentParser(prog="python -m handbook.serve")
    parser.add_argument("--address", default=DEFAULT, help="HOST:PORT to serve at")
    parser.add_argument("--root", type=Path, default=None, help="the repository (default: here)")
    arguments = parser.parse_args(argv)
    refused = refusal(arguments.address)
    if refused is not None:
        print(f"handbook: {refused}", file=sys.stderr)
        return 2
    address = Address.parse(arguments.address)
    root = repository_root(arguments.root or Path.cwd())
    started = time.monotonic()
    prover = Prover(root, say)
    prover.begin()  # before the first build, so that its pending listings say tests run
    say(f"handbook: building the site to serve at {address.url}")
    server = subprocess.Popen(mkdocs_serve(sys.executable, str(address)), cwd=root)  # noqa: S603
    # Stopped from outside (nox passes Ctrl-C on, then terminates): clean up as for Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # A shell without job control starts a background command with Ctrl-C ignored, and
    # Python then leaves it ignored: serve would outlive the Ctrl-C of whoever runs it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    serving = False
    try:
        while server.poll() is None:
            if not serving and answers(address.url):
                elapsed = time.monotonic() - started
                say(f"handbook: site built in {elapsed:.1f} s; serving at {address.url}")
                serving = True
            if serving:
                # The site first, then the tests: on a small machine they would slow the
                # first page down, and the reader is waiting for it.
                prover.tick()
            time.sleep(TICK_SECONDS)
    except KeyboardInterrupt:
        return 0
    finally:
        prover.stop()  # first: it only signals the tests, and MkDocs may take a moment
        if server.poll() is None:
            server.terminate()
        server.wait()
    return server.returncode


if __name__ == "__main__":
    sys.exit(main())
