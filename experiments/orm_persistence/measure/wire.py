"""A TCP proxy in front of the database that counts round trips on the wire.

A round trip is counted each time the client starts sending after the server has sent
(or on a connection's first send): one request-response exchange, however many protocol
messages the driver pipelines into it. The proxy runs in the caller's event loop.
"""

import asyncio
from dataclasses import dataclass, field


@dataclass
class WireCounter:
    """Counts exchanges between clients and one upstream server."""

    upstream_host: str
    upstream_port: int
    round_trips: int = 0
    connections: int = 0
    _server: asyncio.Server | None = field(default=None, repr=False)

    async def start(self) -> int:
        """Listen on a free port of 127.0.0.1; return the port."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        """Stop listening; the relays end as their connections close."""
        if self._server is not None:
            self._server.close()

    async def _relay(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        server_in, server_out = await asyncio.open_connection(
            self.upstream_host, self.upstream_port
        )
        last = ["server"]  # who sent last on this connection

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: str) -> None:
            try:
                while data := await source.read(65536):
                    if side == "client" and last[0] != "client":
                        self.round_trips += 1
                    last[0] = side
                    sink.write(data)
                    await sink.drain()
            except ConnectionError:
                pass
            finally:
                sink.close()

        await asyncio.gather(
            pump(client_in, server_out, "client"), pump(server_in, client_out, "server")
        )
