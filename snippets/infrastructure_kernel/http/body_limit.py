"""The request body limits, enforced before anything reads the body: its size and its time.

A JSON body is parsed whole into memory, so an unbounded one is a cheap way to exhaust a
server. The limit is checked at the edge, in plain ASGI: a declared ``Content-Length``
over the limit is refused before one byte is read, and a body that arrives without
one (chunked) is counted as it streams and refused as soon as it passes the limit. A
body that arrives too slowly (a byte a second) is refused when its time is up, with a
408 that closes the connection.
"""

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

BODY_TOO_LARGE = ProblemType(413, "body-too-large", "Request body too large")
BODY_TOO_SLOW = ProblemType(408, "body-too-slow", "Request body too slow")
REMEDIES: Remedies = {
    "body-too-large": Remedy(
        "The body is larger than MAX_REQUEST_BODY_SIZE bytes (64 KiB unless configured).",
        "Send less per request (a page of items at a time), or raise the setting if the"
        " API's bodies really are that large.",
    ),
    "body-too-slow": Remedy(
        "The body did not arrive within HTTP_BODY_TIMEOUT seconds: a stalled client or"
        " network, or a client that sends a byte at a time.",
        "Retry from a healthy connection; behind a proxy, let it buffer request bodies.",
    ),
}


# --8<-- [start:body-size-limit]
class BodySizeLimitMiddleware:
    """Answer 413 to a body larger than ``max_body_size`` bytes, 408 to one too slow.

    The body is read up to the limit before the app runs and then handed on whole, so
    the app never starts on a request that will turn out to be too large. It must
    arrive whole within ``body_timeout`` seconds (``None``: no deadline).
    """

    def __init__(
        self,
        app: ASGIApp,
        problems: ProblemCatalog,
        max_body_size: int,
        body_timeout: float | None = None,
    ) -> None:
        self._app = app
        self._problems = problems
        self._max_body_size = max_body_size
        self._body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 if its body is too large."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        if self._declared_size(scope) > self._max_body_size:
            await self._refuse(scope, receive, send)
            return
        # --8<-- [start:count-body]
        body = bytearray()
        try:
            async with asyncio.timeout(self._body_timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        break  # the client left mid-body; the app hears so
                    body += message.get("body", b"")
                    if len(body) > self._max_body_size:
                        await self._refuse(scope, receive, send)
                        return
                    if not message.get("more_body", False):
                        message = {"type": "http.request", "body": bytes(body), "more_body": False}
                        break
        except TimeoutError:
            await self._too_slow(scope, receive, send)
            return
        # --8<-- [end:count-body]
        await self._app(scope, _replay(message, receive), send)

    async def _too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self._problems.response(
            scope["path"],
            BODY_TOO_SLOW,
            f"the request body did not arrive within {self._body_timeout} seconds",
            {"Connection": "close"},  # the rest of the body must not be read as a request
        )
        await response(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self._problems.response(
            scope["path"],
            BODY_TOO_LARGE,
            f"the request body is larger than {self._max_body_size} bytes",
        )
        await response(scope, receive, send)

    @staticmethod
    def _declared_size(scope: Scope) -> int:
        # A malformed Content-Length counts as none; the body is counted anyway.
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                return int(value)
        return 0


def _replay(first: Message, receive: Receive) -> Receive:
    """Return ``first`` on the first call, then whatever ``receive`` returns."""
    pending = [first]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


# --8<-- [end:body-size-limit]
