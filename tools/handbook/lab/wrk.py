"""Load one URL with wrk and read its figures.

wrk runs a Lua script per request thread; the script here sets the request (method, headers,
body) and, when the run is done, writes the figures as one JSON line, so nothing is parsed
from wrk's human-readable report. Latencies come from wrk's HdrHistogram, in microseconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARKER = "LAB-FIGURES "
"""What starts the line of figures the script writes, among wrk's own output."""

DONE = """
threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local answered_with_errors = 0
  for _, thread in ipairs(threads) do
    answered_with_errors = answered_with_errors + (thread:get("answered_with_errors") or 0)
  end
  io.write(string.format(
    '%s{"requests": %d, "seconds": %.6f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, '
    .. '"failed": %d, "timeouts": %d}\\n',
    "MARKER", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    errors.connect + errors.read + errors.write + errors.status + answered_with_errors,
    errors.timeout))
end
""".replace("MARKER", MARKER)


@dataclass(frozen=True)
class Request:
    """What every connection sends, again and again.

    Attributes:
        method: The HTTP method.
        path: The path, with its query string.
        headers: The request's headers.
        body: The body, empty for none.
        error_mark: Text that makes a response a failure when its body holds it, for
            GraphQL, which answers 200 with an ``errors`` list; empty: the status decides.
    """

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    error_mark: str = ""

    def script(self) -> str:
        """The Lua script that makes wrk send this request and report its figures."""
        lines = [f"wrk.method = {_lua(self.method)}", f"wrk.path = {_lua(self.path)}"]
        lines += [f"wrk.headers[{_lua(name)}] = {_lua(value)}" for name, value in self.headers]
        if self.body:
            lines.append(f"wrk.body = {_lua(self.body)}")
        if self.error_mark:  # wrk reads the bodies only when a script asks for them
            lines += [
                "answered_with_errors = 0",
                "response = function(status, headers, body)",
                f"  if string.find(body, {_lua(self.error_mark)}, 1, true) then",
                "    answered_with_errors = answered_with_errors + 1",
                "  end",
                "end",
            ]
        return "\n".join(lines) + "\n" + DONE


@dataclass(frozen=True)
class Figures:
    """What one run of wrk measured.

    Attributes:
        requests: Responses received.
        seconds: How long the run took.
        p50_ms: The median latency.
        p90_ms: The 90th percentile.
        p99_ms: The 99th percentile.
        failed: Connection errors and responses with a status of 400 or above.
        timeouts: Requests that had no response within wrk's timeout.
    """

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    failed: int
    timeouts: int

    @property
    def requests_per_second(self) -> float:
        """Successful responses per second over the run."""
        return (self.requests - self.failed) / self.seconds


def _lua(text: str) -> str:
    """A Lua string literal (JSON's escapes are Lua's for what a request holds)."""
    return json.dumps(text)


def parse(output: str) -> Figures:
    """The figures in wrk's output, from the line the script wrote."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            return Figures(**json.loads(line.removeprefix(MARKER)))
    raise ValueError(f"wrk wrote no figures; its output was:\n{output}")


def command(url: str, script: Path, *, connections: int, seconds: float) -> list[str]:
    """The wrk command line: one thread, ``connections`` keep-alive connections."""
    return [
        "wrk",
        "--threads",
        "1",  # one thread sends thousands of requests per second; the server needs the cores
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(script),
        url,
    ]


def load(base_url: str, request: Request, *, connections: int, seconds: float) -> Figures:
    """Send ``request`` to ``base_url`` from ``connections`` connections for ``seconds``."""
    if shutil.which("wrk") is None:
        raise SystemExit("lab: wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "request.lua"
        script.write_text(request.script(), encoding="utf-8")
        run = subprocess.run(  # noqa: S603 - our own command line
            command(base_url, script, connections=connections, seconds=seconds),
            capture_output=True,
            text=True,
            check=True,
        )
    return parse(run.stdout)
