"""Every request has an id, which its response, its problem document and its log lines carry.

A caller that sends ``X-Request-ID`` (a proxy, a gateway, another service) gets its own id
back, so that one id follows a request across services; anything else gets a new one. The
id is also the correlation of the work the request causes
(:mod:`infrastructure_kernel.messaging.correlation`): the events it records carry it, and
so do the log lines of the consumers that handle them. The caller's value is taken only
when it is sane: one header, at most 64 characters from a small alphabet. A log line must
not become a place where a client writes whatever it likes.
"""

import re
from contextvars import ContextVar
from uuid import uuid4

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.messaging.correlation import correlated

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """Return the id of the request being served, or ``None`` outside of one."""
    return _current.get()


# --8<-- [start:request-id]
class RequestIdMiddleware:
    """Give every request an id, for as long as it is served, and echo it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its id current, and send the id as a response header."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = [value for name, value in scope["headers"] if name == b"x-request-id"]
        sane = len(given) == 1 and SANE_REQUEST_ID.fullmatch(given[0])
        request_id = given[0].decode("ascii") if sane else uuid4().hex

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = _current.set(request_id)  # read by problem documents and log lines
        try:
            with correlated(request_id):  # and stamped on the events the request records
                await self._app(scope, receive, with_id)
        finally:
            _current.reset(token)


# --8<-- [end:request-id]
