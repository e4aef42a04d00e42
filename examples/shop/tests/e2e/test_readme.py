"""The README's commands, run as written, in a fresh directory, with the installed script.

A reader follows the README from top to bottom, so this test does too: every ``$`` line of
its ``console`` blocks runs in order, in an empty directory without ``DATABASE_URL`` (the
README's commands use the default SQLite file there), and must succeed. ``serve`` starts the
real server, on a free port instead of 8000, and the ``curl`` lines are sent to it as curl
would send them (``-d`` without a ``Content-Type`` is a form). A placeholder such as
``PRODUCT_ID`` is the ``id`` of the last product an earlier command printed, and
``ACCESS_TOKEN`` the ``access_token`` of the last login. The install
and test commands are what ran this suite; the ones for the reader's own PostgreSQL server
need that server. A line of any other kind fails the test, so a command added to the README
is run here, or this test is told why not.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

SCRIPT = "shop"
README = Path(__file__).parents[2] / "README.md"
README_ADDRESS = "http://127.0.0.1:8000"
RAN_THIS_SUITE = frozenset(
    {
        "python -m venv .venv && . .venv/bin/activate",
        "pip install .",
        "pip install . fakeredis httpx hypothesis pytest",
        "python -m pytest",
    }
)
READERS_SERVER = re.compile(r"DATABASE_URL=postgresql\S* python -m pytest")
"""The suite against a PostgreSQL server: what CI runs with ``DATABASE_URL`` set."""
PLACEHOLDER = re.compile(r"\b([A-Z]+)_ID\b")
ACCESS_TOKEN = "ACCESS_TOKEN"  # noqa: S105 - a placeholder's name, not a token


def console_blocks(readme: str) -> Iterator[list[str]]:
    """Each ``console`` block's commands, without their prompts."""
    for block in re.findall(r"^```console\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL):
        yield [line.removeprefix("$ ") for line in block.splitlines() if line.startswith("$ ")]


class Reader:
    """Runs the README's commands in ``workdir``, remembering the ids they print."""

    def __init__(self, workdir: Path, stack: ExitStack) -> None:
        self.workdir = workdir
        self.stack = stack
        self.environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.ids: dict[str, str] = {}
        self.access_token = ""
        self.address = ""

    def run(self, line: str) -> None:
        if ACCESS_TOKEN in line:
            assert self.access_token, "no login before this command answered an access token"
            line = line.replace(ACCESS_TOKEN, self.access_token)
        argv = shlex.split(PLACEHOLDER.sub(self._id, line))
        if argv[0] == SCRIPT and argv[1] == "serve":
            self._serve(argv)
        elif argv[0] == SCRIPT:
            result = subprocess.run(  # noqa: S603 - the installed script, the README's arguments
                [str(Path(sys.executable).parent / SCRIPT), *argv[1:]],
                cwd=self.workdir,
                env=self.environment,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 0, f"$ {line}\n{result.stdout}{result.stderr}"
            self._remember(argv[1], result.stdout)
        elif argv[0] == "curl":
            self._curl(line, argv)
        else:
            raise AssertionError(f"the README runs {line!r}, which this test does not know")

    def _id(self, match: re.Match[str]) -> str:
        name = match.group(1).lower()
        assert name in self.ids, f"no command before this one printed a {name}'s id"
        return self.ids[name]

    def _remember(self, collection: str, output: str) -> None:
        try:
            document: Any = json.loads(output)
        except ValueError:
            return  # a table or a sentence, for a person
        items = document.get("items", [document]) if isinstance(document, dict) else document
        if items and isinstance(items[0], dict) and "id" in items[0]:
            self.ids[collection.removesuffix("s")] = items[0]["id"]

    def _serve(self, argv: list[str]) -> None:
        assert argv[2:] == ["--port", "8000"], "the README serves on port 8000"
        port = free_port()
        log = self.stack.enter_context((self.workdir / "server.log").open("w"))
        server = subprocess.Popen(  # noqa: S603 - the installed script, fixed arguments
            [str(Path(sys.executable).parent / SCRIPT), "serve", "--port", str(port)],
            cwd=self.workdir,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.stack.callback(server.wait, timeout=10)
        self.stack.callback(server.terminate)
        self.address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                httpx.get(f"{self.address}/api/v1/health/ready", timeout=1).raise_for_status()
            except httpx.HTTPError:
                time.sleep(0.1)
            else:
                return
        raise AssertionError(f"{SCRIPT} serve did not become ready; see server.log")

    def _curl(self, line: str, argv: list[str]) -> None:
        assert self.address, "the README sends a request before it starts the server"
        method, url, headers, body = curl_request(argv)
        assert url.startswith(README_ADDRESS), f"{line!r} asks another address"
        response = httpx.request(
            method, self.address + url.removeprefix(README_ADDRESS), headers=headers, content=body
        )
        assert response.is_success, f"$ {line}\n{response.status_code} {response.text}"
        if "access_token" in response.text:
            self.access_token = response.json()["access_token"]
        path = url.removeprefix(README_ADDRESS).split("?")[0].split("/")
        if len(path) > 3:  # ["", "api", "v1", collection, ...]
            self._remember(path[3], response.text)


def curl_request(argv: list[str]) -> tuple[str, str, dict[str, str], bytes | None]:
    """What curl sends for the options the README uses; any other option is refused."""
    method, url, headers, body = "", "", {}, None
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "-s":
            continue
        if argument == "-X":
            method = next(arguments)
        elif argument == "-H":
            name, _, value = next(arguments).partition(":")
            headers[name.strip()] = value.strip()
        elif argument == "-d":
            body = next(arguments).encode()
            # As curl does: -d is a POST of a form, unless the command says otherwise.
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif not argument.startswith("-") and not url:
            url = argument
        else:
            raise AssertionError(f"curl {argument} is not an option this test knows")
    return method or ("POST" if body is not None else "GET"), url, headers, body


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_every_command_of_the_readme_runs_as_written(tmp_path: Path) -> None:
    ran: list[str] = []
    with ExitStack() as stack:
        reader = Reader(tmp_path, stack)
        for block in console_blocks(README.read_text(encoding="utf-8")):
            if block and block[0].startswith("export DATABASE_URL=postgresql"):
                continue  # configures the reader's own server, which this machine lacks
            for line in block:
                if line not in RAN_THIS_SUITE and not READERS_SERVER.fullmatch(line):
                    reader.run(line)
                    ran.append(line.split()[0])

    assert {SCRIPT, "curl"} <= set(ran)
    assert reader.address, "the README starts the server"
