"""Count a client's round trips to PostgreSQL on the wire: a proxy between the two.

The lab puts :class:`Proxy` between the shop and PostgreSQL, and the shop connects to it
as to the server. It forwards every byte both ways, unchanged, and counts a **round trip**
each time the server answers after the client sent: the client wrote (one message or a
pipelined batch, in as many packets as it took) and then read what the server wrote back.
That is what a round trip costs whatever the driver does: a statement prepared and then
executed is two, a ``BEGIN`` sent on its own is one, a batch of messages ended by one
``Sync`` is one.

Beside the count, each round trip's client messages are named by their type bytes
(``P`` Parse, ``B`` Bind, ``E`` Execute, ``S`` Sync, ``Q`` a simple query, …), in
:attr:`Tally.turns`, so that a reader sees what each trip was. The proxy speaks no more
of the protocol than it must. A connection's first message has
no type byte (PostgreSQL's startup packet); when it asks for TLS or GSSAPI encryption the
proxy declines itself (it answers ``N``, as a server without TLS does) so that what
follows is readable plain text, and a first message whose length is out of bounds closes
the connection. Counting needs the sides' turns only, never the messages' contents.

Standard library only: the lab runs it in the shop's own environment, which may be an
older shop's (``--baseline-python``).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from dataclasses import dataclass, field

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
ENCRYPTION_REQUESTS = (SSL_REQUEST, GSSENC_REQUEST)
LONGEST_STARTUP = 10_000
"""PostgreSQL's own bound on a startup packet's length."""
CHUNK = 65_536
PRINTABLE = range(33, 127)
"""Type bytes named as themselves; others as ``\\xNN``."""


class ProtocolError(ValueError):
    """A connection's first message is not one PostgreSQL would accept."""


def startup_length(head: bytes) -> int:
    """The length of a startup packet from its first four bytes, which count themselves.

    Raises:
        ProtocolError: Not four bytes, or a length below eight or above PostgreSQL's bound.
    """
    if len(head) != 4:  # noqa: PLR2004 - an int32
        raise ProtocolError(f"a startup packet starts with 4 bytes of length, not {len(head)}")
    (length,) = struct.unpack("!i", head)
    if not 8 <= length <= LONGEST_STARTUP:  # noqa: PLR2004 - length and code
        raise ProtocolError(f"a startup packet of {length} bytes")
    return int(length)


def request_code(packet: bytes) -> int:
    """The protocol version or request code that follows a startup packet's length."""
    (code,) = struct.unpack("!i", packet[4:8])
    return int(code)


async def read_startup(reader: asyncio.StreamReader) -> bytes:
    """Read one whole startup packet, its length included.

    Raises:
        ProtocolError: Its length is out of bounds.
        asyncio.IncompleteReadError: The client closed before the packet ended.
    """
    head = await reader.readexactly(4)
    return head + await reader.readexactly(startup_length(head) - 4)


class Messages:
    """Split the client's side of a conversation, after its startup packet, into messages.

    Each message is a type byte and a length that counts itself but not the type; the
    bytes may come in any pieces. A length below four is not PostgreSQL's: from there on,
    nothing more is named (the bytes are still forwarded and the trips still counted).
    """

    def __init__(self) -> None:
        self._pending = b""
        self._skip = 0
        self.broken = False

    def feed(self, data: bytes) -> list[str]:
        """The types of the messages that start in ``data``, in order."""
        if self.broken:
            return []
        types = []
        pending = self._pending + data
        skip = min(self._skip, len(pending))
        self._skip -= skip
        pending = pending[skip:]
        while len(pending) >= 5:  # noqa: PLR2004 - a type byte and an int32
            (length,) = struct.unpack("!i", pending[1:5])
            if length < 4:  # noqa: PLR2004 - the length counts its own four bytes
                self.broken = True
                break
            code = pending[0]
            types.append(chr(code) if code in PRINTABLE else f"\\x{code:02x}")
            body = length - 4
            taken = min(body, len(pending) - 5)
            self._skip = body - taken
            pending = pending[5 + taken :]
        self._pending = b"" if self.broken else pending
        return types


@dataclass
class Tally:
    """What the proxy counted since it started, over every connection.

    Attributes:
        connections: Connections the clients opened.
        round_trips: Client sends answered by the server.
        turns: Per round trip, the types of the messages the client sent in it, joined by
            spaces; the startup's trip is ``startup``.
    """

    connections: int = 0
    round_trips: int = 0
    turns: list[str] = field(default_factory=list)


class Proxy:
    """Forward connections to ``upstream``, counting their round trips in :attr:`tally`."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.tally = Tally()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1") -> int:
        """Listen on a free port of ``host``; return the port."""
        self._server = await asyncio.start_server(self._serve, host, 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        """Stop listening, and end the connections still open."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for connection in list(self._connections):
            connection.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _serve(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)
        # Ended by close(): the handler returns rather than ends cancelled, which asyncio's
        # streams would log as an error of their own.
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await self._forward(client, to_client)
            finally:
                await closed(to_client)

    async def _forward(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        try:
            startup = await read_startup(client)
            while request_code(startup) in ENCRYPTION_REQUESTS:
                to_client.write(b"N")  # declined: the rest of the conversation stays readable
                await to_client.drain()
                startup = await read_startup(client)
            server, to_server = await asyncio.open_connection(*self.upstream)
        except (ProtocolError, asyncio.IncompleteReadError, OSError):
            return
        self.tally.connections += 1
        to_server.write(startup)
        sent = ["startup"]  # what the server owes an answer to; empty when it owes none
        messages = Messages()

        async def client_to_server() -> None:
            while chunk := await client.read(CHUNK):
                sent.extend(messages.feed(chunk) or ["?"])  # before the write: no answer yet
                to_server.write(chunk)
                await to_server.drain()

        async def server_to_client() -> None:
            while chunk := await server.read(CHUNK):
                if sent:
                    self.tally.round_trips += 1
                    self.tally.turns.append(" ".join(t for t in sent if t != "?") or "?")
                    sent.clear()
                to_client.write(chunk)
                await to_client.drain()

        pumps = [
            asyncio.ensure_future(client_to_server()),
            asyncio.ensure_future(server_to_client()),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            await closed(to_server)


async def closed(writer: asyncio.StreamWriter) -> None:
    """Close ``writer``'s connection, whatever state the other side left it in."""
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
