"""The lab's round-trip counter on the wire, against a made-up server, and hostile bytes."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.lab.probe import through
from handbook.lab.wire import (
    GSSENC_REQUEST,
    LONGEST_STARTUP,
    SSL_REQUEST,
    Messages,
    ProtocolError,
    Proxy,
    closed,
    read_startup,
    startup_length,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


STARTUP = struct.pack("!ii", 8, 196608)  # protocol 3.0, no parameters


def message(kind: bytes, body: bytes = b"") -> bytes:
    """A message of the protocol: its type, its length, its body."""
    return kind + struct.pack("!i", 4 + len(body)) + body


QUERY = message(b"Q", b"SELECT 1\n")
Answer = Callable[[bytes], bytes | None]
"""What a made-up server answers to what it has received; None: it hangs up."""


def answer_each_line(received: bytes) -> bytes:
    """A server that answers each whole line it received, once it has it all."""
    return b"ok\n" * received.count(b"\n")


@asynccontextmanager
async def upstream(answer: Answer) -> AsyncIterator[int]:
    """A server that answers the startup packet, then whatever ``answer`` makes of its input."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await answering(reader, writer)
        finally:
            await closed(writer)

    async def answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_startup(reader)
        writer.write(b"R")
        pending = b""
        while chunk := await reader.read(1024):
            pending += chunk
            reply = answer(pending)
            if reply is None:
                break
            if reply:
                pending = pending[pending.rindex(b"\n") + 1 :]
                writer.write(reply)
                await writer.drain()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def proxied(answer: Answer) -> AsyncIterator[tuple[Proxy, int]]:
    async with upstream(answer) as port:
        proxy = Proxy("127.0.0.1", port)
        listening = await proxy.start()
        try:
            yield proxy, listening
        finally:
            await proxy.close()


async def settled(proxy: Proxy, check: Callable[[Proxy], bool]) -> None:
    for _ in range(200):
        if check(proxy):
            return
        await asyncio.sleep(0.01)


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(STARTUP)
    assert await reader.readexactly(1) == b"R"
    return reader, writer


async def test_each_answered_send_is_one_round_trip_and_the_startup_one_more() -> None:
    async with proxied(answer_each_line) as (proxy, port):
        reader, writer = await connect(port)
        for _ in range(3):
            writer.write(QUERY)
            assert await reader.readline() == b"ok\n"
        await closed(writer)

    assert (proxy.tally.connections, proxy.tally.round_trips) == (1, 4)
    assert proxy.tally.turns == ["startup", "Q", "Q", "Q"]


async def test_a_batch_sent_in_pieces_before_its_answer_is_one_round_trip() -> None:
    async with proxied(answer_each_line) as (proxy, port):
        reader, writer = await connect(port)
        bind = message(b"B", b"portal 1")  # no length holds the byte of a newline
        for piece in (message(b"P", b"SELECT $1"), bind[:3], bind[3:], message(b"E")):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.02)
        writer.write(message(b"S", b"\n"))
        assert await reader.readline() == b"ok\n"
        await closed(writer)

    assert proxy.tally.round_trips == 2  # the startup and the batch
    assert proxy.tally.turns == ["startup", "P B E S"]


@pytest.mark.parametrize("request_code", [SSL_REQUEST, GSSENC_REQUEST])
async def test_encryption_is_declined_by_the_proxy_itself(request_code: int) -> None:
    async with proxied(answer_each_line) as (proxy, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(struct.pack("!ii", 8, request_code))
        assert await reader.readexactly(1) == b"N"
        writer.write(STARTUP)
        assert await reader.readexactly(1) == b"R"
        writer.write(QUERY)
        assert await reader.readline() == b"ok\n"
        await closed(writer)

    assert (proxy.tally.connections, proxy.tally.round_trips) == (1, 2)
    assert proxy.tally.turns == ["startup", "Q"]


@pytest.mark.parametrize(
    "first", [struct.pack("!i", 7), struct.pack("!i", LONGEST_STARTUP + 1), b"\xff" * 8, b"ab"]
)
async def test_a_first_message_out_of_bounds_closes_the_connection(first: bytes) -> None:
    async with proxied(answer_each_line) as (proxy, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(first)
        writer.write_eof()
        assert await reader.read() == b""
        await closed(writer)

    assert proxy.tally == type(proxy.tally)()


async def test_an_unreachable_server_closes_the_clients_connection() -> None:
    async with upstream(answer_each_line) as port:
        pass  # closed: nothing listens on the port any more
    proxy = Proxy("127.0.0.1", port)
    reader, writer = await asyncio.open_connection("127.0.0.1", await proxy.start())
    writer.write(STARTUP)

    assert await reader.read() == b""
    assert proxy.tally.connections == 0
    await closed(writer)
    await proxy.close()


async def test_a_server_that_closes_ends_the_clients_connection() -> None:
    def hang_up(_: bytes) -> None:
        return None

    async with proxied(hang_up) as (proxy, port):
        reader, writer = await connect(port)
        writer.write(QUERY)
        assert await reader.read() == b""
        await closed(writer)
        await settled(proxy, lambda p: p.tally.round_trips == 1)

    assert proxy.tally.round_trips == 1  # the startup, answered; the statement, never


async def test_closing_a_proxy_that_never_started_does_nothing() -> None:
    await Proxy("127.0.0.1", 1).close()


@given(st.binary(max_size=12))
def test_a_startup_length_is_in_bounds_or_refused(head: bytes) -> None:
    bounded = len(head) == 4 and 8 <= struct.unpack("!i", head)[0] <= LONGEST_STARTUP
    if not bounded:
        with pytest.raises(ProtocolError, match="startup packet"):
            startup_length(head)
    else:
        assert startup_length(head) == struct.unpack("!i", head)[0]


@given(st.binary(max_size=64))
def test_hostile_first_bytes_give_a_packet_an_error_or_an_early_end(data: bytes) -> None:
    async def read() -> bytes:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await read_startup(reader)

    try:
        packet = asyncio.run(read())
    except (ProtocolError, asyncio.IncompleteReadError):
        return
    assert data.startswith(packet)
    assert len(packet) == struct.unpack("!i", packet[:4])[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql+asyncpg://postgres:secret@db.example:5433/h4?ssl=disable",
            "postgresql+asyncpg://postgres:secret@127.0.0.1:6000/h4?ssl=disable",
        ),
        ("postgresql+asyncpg://db.example/h4", "postgresql+asyncpg://127.0.0.1:6000/h4"),
        ("postgresql://a@b@db/h4", "postgresql://a@b@127.0.0.1:6000/h4"),
    ],
)
def test_the_shop_reaches_the_database_through_the_proxy(url: str, expected: str) -> None:
    assert through(url, 6000) == expected


async def test_a_trip_whose_messages_cannot_be_named_is_counted_all_the_same() -> None:
    async with proxied(answer_each_line) as (proxy, port):
        reader, writer = await connect(port)
        writer.write(b"X\x00\x00\x00\x01\n")  # a length below four: not PostgreSQL's
        assert await reader.readline() == b"ok\n"
        writer.write(QUERY)
        assert await reader.readline() == b"ok\n"
        await closed(writer)

    assert proxy.tally.turns == ["startup", "?", "?"]


@given(
    st.lists(st.tuples(st.binary(min_size=1, max_size=1), st.binary(max_size=40)), max_size=8),
    st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_messages_are_named_however_the_bytes_are_split(
    messages: list[tuple[bytes, bytes]], cuts: list[int]
) -> None:
    stream = b"".join(message(kind, body) for kind, body in messages)
    expected = [
        chr(kind[0]) if 33 <= kind[0] < 127 else f"\\x{kind[0]:02x}" for kind, _ in messages
    ]
    split = Messages()
    named: list[str] = []
    start = 0
    for cut in sorted(min(cut, len(stream)) for cut in cuts):
        named += split.feed(stream[start:cut])
        start = cut
    named += split.feed(stream[start:])

    assert named == expected
    assert not split.broken


@given(st.lists(st.binary(max_size=30), max_size=6))
def test_hostile_bytes_are_named_or_given_up_on_never_raised(pieces: list[bytes]) -> None:
    split = Messages()
    named = [kind for piece in pieces for kind in split.feed(piece)]

    assert all(len(kind) == 1 or kind.startswith("\\x") for kind in named)
    if split.broken:
        assert split.feed(b"Q\x00\x00\x00\x04") == []
