"""End to end: ``shop serve`` with short limits cuts slow clients off and serves the others.

A server of its own, started with the options a reader would use, on a free port: a client
that sends half of its request head and then nothing, and one that sends its body at a byte
every 0.3 seconds, are cut off within their limits while ordinary requests are answered at
once. Bounded: the whole module takes a few seconds.
"""

import select
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest

LIMITS = ["--header-timeout", "1", "--body-timeout", "1", "--keep-alive-timeout", "1"]


@pytest.fixture(scope="module")
def limited_url(
    base_url: str,  # noqa: ARG001 - its database is migrated and seeded
    start_shop: Callable[..., AbstractContextManager[str]],
) -> Iterator[str]:
    with start_shop(*LIMITS) as url:
        yield url


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def closed_by_the_server(connection: socket.socket) -> bool:
    """Read until the server closes the connection (the socket's timeout fails the test)."""
    rest_of_the_answer(connection)
    return True


def rest_of_the_answer(connection: socket.socket) -> bytes:
    """Read what the server sends until it closes: the head may arrive before the body."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def test_a_half_sent_head_is_cut_off_while_others_are_served(limited_url: str) -> None:
    started = time.monotonic()
    with connect(limited_url) as slow:
        slow.sendall(b"GET /api/v1/health/live HTTP/1.1\r\nHost: shop\r\nX-Tena")
        answers = [httpx.get(f"{limited_url}/api/v1/health/live") for _ in range(5)]

        assert closed_by_the_server(slow)
    assert time.monotonic() - started < 3
    assert [answer.status_code for answer in answers] == [200] * 5


def test_a_body_sent_a_byte_at_a_time_is_refused_with_a_408(limited_url: str) -> None:
    with connect(limited_url) as slow:
        slow.sendall(
            b"POST /api/v1/products HTTP/1.1\r\nHost: shop\r\nX-Tenant-ID: acme\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        )
        answer = b""
        started = time.monotonic()
        while not answer and time.monotonic() - started < 5:
            readable, _, _ = select.select([slow], [], [], 0.3)  # a byte every 0.3 s
            if readable:
                answer = slow.recv(65536)
            else:
                slow.sendall(b" ")
        elapsed = time.monotonic() - started
        answer += rest_of_the_answer(slow)
        served = httpx.get(f"{limited_url}/api/v1/health/live")

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"body-too-slow" in answer
    assert elapsed < 2.5
    assert served.status_code == 200
