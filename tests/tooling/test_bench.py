"""The benchmark's load generator and ceiling application."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import uvicorn

from handbook.bench.ceiling import RECORDING, Ceiling, from_recording
from handbook.bench.loadgen import Result, http_request, load, read_response
from handbook.timings import free_port

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_a_request_is_encoded_with_keep_alive_and_its_length() -> None:
    request = http_request(
        "POST", "/orders", host="h:1", headers={"X-Tenant-ID": "acme"}, body=b"{}"
    )

    assert request == (
        b"POST /orders HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\n"
        b"X-Tenant-ID: acme\r\nContent-Length: 2\r\n\r\n{}"
    )


async def test_responses_with_a_length_or_in_chunks_are_read_whole() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(b"HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nabc")
    reader.feed_data(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n1;x=y\r\n!\r\n0\r\n\r\n"
    )

    first, second = await read_response(reader), await read_response(reader)

    assert (first.status, first.headers, first.body) == (201, {"content-length": "3"}, b"abc")
    assert (second.status, second.body) == (200, b"hi!")


async def test_a_response_without_a_length_is_refused() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(b"HTTP/1.1 200 OK\r\n\r\nbody")

    with pytest.raises(ConnectionError, match="without Content-Length"):
        await read_response(reader)


def test_percentiles_come_from_the_measured_latencies() -> None:
    result = Result(seconds=2.0, latencies=[i / 1000 for i in range(1, 1001)])

    assert result.requests_per_second == 500.0
    assert result.percentile(0.5) == pytest.approx(0.5, abs=0.002)
    assert result.percentile(0.99) == pytest.approx(0.99, abs=0.002)
    assert Result(seconds=1.0, latencies=[0.25]).percentile(0.99) == 0.25
    assert str(Result(seconds=1.0).percentile(0.5)) == "nan"


async def test_the_ceiling_serves_recorded_bytes_under_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = tmp_path / "recording.json"
    recording.write_text(
        json.dumps({"/items": {"status": 200, "content_type": "application/json", "body": "[1]"}})
    )
    monkeypatch.setenv(RECORDING, str(recording))
    ceiling = from_recording()
    assert isinstance(ceiling, Ceiling)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(ceiling, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        get = http_request("GET", "/items", host="bench")
        result = await load("127.0.0.1", port, get, connections=2, seconds=0.3)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(http_request("POST", "/missing", host="bench", body=b"x" * 10))
        missing = (await read_response(reader))[::2]
        writer.close()
    finally:
        server.should_exit = True
        await serving

    assert result.statuses == {200: len(result.latencies)}
    assert result.requests_per_second > 0
    assert result.percentile(0.5) <= result.percentile(0.99)
    assert missing == (404, b"not recorded")
