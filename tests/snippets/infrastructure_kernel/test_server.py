"""The server's limits on a real uvicorn, in-process: a slow client is cut off, others served."""

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from infrastructure_kernel.http.edge import edge_app
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.server import HttpLimits, serve_http

pytestmark = pytest.mark.anyio

LIMITS = HttpLimits(http_header_timeout=0.5, http_keep_alive_timeout=5, http_max_header_size=4096)
GET = b"GET /api/v1/slow HTTP/1.1\r\nHost: things.example\r\n\r\n"


def things_app() -> FastAPI:
    app = edge_app(ProblemCatalog("tag:things.example,2025:problems/"), max_body_size=100)

    @app.get("/api/v1/slow")
    async def slow() -> str:
        await asyncio.sleep(0.7)  # longer than the head may take: the clock has stopped
        return "done"

    return app


def options_of_serve_http(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What serve_http hands to uvicorn.run, recorded instead of run."""
    recorded: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: recorded.update(app=app, **options))
    serve_http(things_app, LIMITS, host="127.0.0.1", port=0)
    return recorded


@asynccontextmanager
async def running(options: dict[str, Any]) -> AsyncIterator[int]:
    """Serve on a free port with the options serve_http chose; yield the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
    app: Callable[[], FastAPI] = options.pop("app")
    config = uvicorn.Config(app, **{**options, "port": port, "log_level": "warning"})
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def closed_by_the_server(reader: asyncio.StreamReader, within: float) -> bool:
    try:
        async with asyncio.timeout(within):
            await reader.read()  # returns at the end of the stream, and only then
    except TimeoutError:
        return False
    return True


async def close(*writers: asyncio.StreamWriter) -> None:
    for writer in writers:
        writer.close()
        await writer.wait_closed()


def test_serve_http_runs_uvicorn_with_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    options = options_of_serve_http(monkeypatch)

    assert options["factory"] is True
    assert options["server_header"] is False
    assert (options["timeout_keep_alive"], options["h11_max_incomplete_event_size"]) == (5, 4096)
    assert options["http"].header_timeout == 0.5


# --8<-- [start:slow-head-test]
async def test_a_half_sent_head_is_cut_off_while_others_are_served(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running(options_of_serve_http(monkeypatch)) as port:
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", port)
        slow_writer.write(b"GET /api/v1/slow HTTP/1.1\r\nHost: things.ex")  # and no more
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(GET)  # a whole head, then an answer that takes longer than the limit

        answer = await reader.readuntil(b"done")
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert await closed_by_the_server(slow_reader, within=1.0)
        writer.write(b"GET /api/v1/slow HTTP/1.1\r\n")  # the next request's head, half
        assert await closed_by_the_server(reader, within=1.0)
        await close(slow_writer, writer)


# --8<-- [end:slow-head-test]


async def test_a_connection_that_sends_nothing_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    async with running(options_of_serve_http(monkeypatch)) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)

        assert await closed_by_the_server(reader, within=1.0)
        await close(writer)
