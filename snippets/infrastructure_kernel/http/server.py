"""The HTTP server and its limits: how long a client may take, and how much it may hold.

A server that waits for as long as a client likes is exhausted by a laptop on a slow line:
a thousand connections that each send half a request and then nothing (the attack called
slowloris), or bodies sent a byte at a time. The limits below are settings of every
example (the field's name in capitals, ``HTTP_HEADER_TIMEOUT``) and options of its
``serve`` command (``--header-timeout``); the defaults are meant for production behind a
proxy, whose own timeouts should be shorter still (ADR 34).

uvicorn keeps idle connections for ``timeout_keep_alive`` seconds and bounds the size of
a request head, but it waits for the head itself without a limit: :class:`HeaderTimeoutProtocol`
adds one to its HTTP/1.1 protocol. The body's deadline and the concurrency limit are the
app's, in ASGI middleware, so that their refusals are problem documents.
"""

import asyncio
from collections.abc import Callable

import h11
import uvicorn
from pydantic import BaseModel, Field
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol


# --8<-- [start:http-limits]
class HttpLimits(BaseModel):
    """How long a client may take and how much it may hold; each a setting and an option."""

    http_header_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a client may take to send a request's headers."
    )
    http_body_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a client may take to send a request's body."
    )
    http_keep_alive_timeout: int = Field(
        default=5, ge=1, description="Seconds an idle connection is kept for the next request."
    )
    http_max_concurrency: int = Field(
        default=100, ge=1, description="Requests served at once; more are answered 503."
    )
    http_max_header_size: int = Field(
        default=16 * 1024, ge=1024, description="Bytes of request line and headers accepted."
    )


# --8<-- [end:http-limits]


# --8<-- [start:header-timeout]
class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request head is too slow.

    The clock starts when the connection opens, and again at the first byte of each
    further request; it stops when the head is complete. An idle connection between
    requests is uvicorn's keep-alive timeout's to close.
    """

    header_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._watch_the_head()

    def data_received(self, data: bytes) -> None:
        """Read ``data``; start the clock if it began a head, stop it if it ended one."""
        super().data_received(data)
        self._watch_the_head()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._stop_the_clock()
        super().connection_lost(exc)

    def _watch_the_head(self) -> None:
        # IDLE on the client's side: the head of its next request is not complete yet.
        if self.conn.their_state is not h11.IDLE:
            self._stop_the_clock()
        elif self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def _stop_the_clock(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None


# --8<-- [end:header-timeout]


# --8<-- [start:serve-http]
def serve_http(
    app_factory: Callable[[], ASGIApp],
    limits: HttpLimits,
    *,
    host: str,
    port: int,
    log_level: str = "info",
) -> None:
    """Serve the app that ``app_factory`` builds with uvicorn, within ``limits``, until stopped.

    The app is built by uvicorn, after it has set up its loggers, so that an app that
    configures logging (as the shop does) formats the server's lines too.
    """

    class LimitedProtocol(HeaderTimeoutProtocol):
        header_timeout = limits.http_header_timeout

    uvicorn.run(
        app_factory,
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        http=LimitedProtocol,
        timeout_keep_alive=limits.http_keep_alive_timeout,
        h11_max_incomplete_event_size=limits.http_max_header_size,
        server_header=False,  # no "server: uvicorn": nothing tells a scanner what to try
        # X-Forwarded-For is believed by the app's edge, from the proxies its settings
        # name; uvicorn's own default would believe any process on 127.0.0.1.
        proxy_headers=False,
    )


# --8<-- [end:serve-http]
