"""The request body limit, enforced before anything reads the body.

A JSON body is parsed whole into memory, so an unbounded one is a cheap way to exhaust a
server. The limit is checked at the edge, in plain ASGI: a declared ``Content-Length``
over the limit is refused before one byte is read, and a body that arrives without
one (chunked) is counted as it streams and refused as soon as it passes the limit.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType

BODY_TOO_LARGE = ProblemType(413, "body-too-large", "Request body too large")


# --8<-- [start:body-size-limit]
class BodySizeLimitMiddleware:
    """Answer 413 to a request whose body is larger than ``max_body_size`` bytes.

    The body is read up to the limit before the app runs and then handed on whole, so
    the app never starts on a request that will turn out to be too large.
    """

    def __init__(self, app: ASGIApp, problems: ProblemCatalog, max_body_size: int) -> None:
        self._app = app
        self._problems = problems
        self._max_body_size = max_body_size

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
        # --8<-- [end:count-body]
        await self._app(scope, _replay(message, receive), send)

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
