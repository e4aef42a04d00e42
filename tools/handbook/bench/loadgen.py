"""A small HTTP/1.1 load generator: keep-alive connections, each sending one request at a time.

It speaks just enough HTTP for the job (a request line, headers, ``Content-Length`` or
chunked responses), so that its own cost per request stays far below the server's. Every
connection sends its next request when the previous response has arrived (a closed loop),
so the figures are throughput and latency at that concurrency, not an open-loop arrival rate.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import NamedTuple

"""Builds the bytes of request number ``n`` (so each can differ, e.g. an idempotency key)."""


def http_request(
    method: str, path: str, *, host: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    """Encode one HTTP/1.1 request with a keep-alive connection."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Result:
    """What one run measured.

    Attributes:
        seconds: The measured duration.
        latencies: Seconds per successful request.
        statuses: How many responses came back with each status code.
    """

    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        """Completed requests per second over the run."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """The latency below which ``fraction`` of requests completed (0.5 → median)."""
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        cuts = statistics.quantiles(self.latencies, n=1000, method="inclusive")
        return cuts[min(len(cuts) - 1, max(0, round(fraction * 1000) - 1))]


class Response(NamedTuple):
    """A response as read off the wire: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


async def read_response(reader: asyncio.StreamReader) -> Response:
    """Read one response off a keep-alive connection.

    Raises:
        ConnectionError: The server closed the connection or answered without a length.
    """
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    if "content-length" in headers:
        return Response(status, headers, await reader.readexactly(int(headers["content-length"])))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                return Response(status, headers, bytes(body))
            body += chunk[:-2]
    raise ConnectionError("a response without Content-Length or chunked encoding")


@dataclass
class _Run:
    """One run's shared state: where to connect, what to send, until when, what was seen."""

    host: str
    port: int
    request: bytes
    deadline: float
    result: Result

    async def connection(self) -> None:
        """Send requests one after another on one keep-alive connection until the deadline."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            while time.perf_counter() < self.deadline:
                started = time.perf_counter()
                writer.write(self.request)
                await writer.drain()
                status = (await read_response(reader)).status
                self.result.latencies.append(time.perf_counter() - started)
                self.result.statuses[status] = self.result.statuses.get(status, 0) + 1
        finally:
            writer.close()


async def load(host: str, port: int, request: bytes, *, connections: int, seconds: float) -> Result:
    """Keep ``connections`` connections busy for ``seconds`` sending ``request``; measure each."""
    started = time.perf_counter()
    run = _Run(host, port, request, started + seconds, Result(seconds=seconds))
    await asyncio.gather(*(run.connection() for _ in range(connections)))
    run.result.seconds = time.perf_counter() - started
    return run.result
