"""``HEAD`` and ``OPTIONS`` on every resource, and the whole ``Allow`` list.

FastAPI routes a path with ``GET`` and ``POST`` as two routes, one per method, and neither
answers ``HEAD``: routing stops at the first route whose path fits, so a ``405`` names only
that route's methods, and ``HEAD`` and ``OPTIONS`` are refused everywhere. HTTP says
otherwise (RFC 9110, 9.3.2 and 9.3.7): ``HEAD`` is ``GET`` without the body, and
``OPTIONS`` and ``Allow`` name every method a resource has. The middleware below answers
both from every route whose path fits the request.
"""

from fastapi.routing import iter_route_contexts
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


# --8<-- [start:allowed-methods]
def allowed_methods(scope: Scope) -> list[str]:
    """Return every method that some route of the app answers at the request's path.

    ``HEAD`` joins wherever ``GET`` is, ``OPTIONS`` wherever anything is; an unknown path
    allows nothing.
    """
    methods: set[str] = set()
    # Every route, those of included routers as well, each with its full path.
    for route in iter_route_contexts(scope["app"].router.routes):
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"}) if methods else []


# --8<-- [end:allowed-methods]


# --8<-- [start:methods-middleware]
class MethodsMiddleware:
    """Answer ``OPTIONS`` with ``Allow``, and ``HEAD`` as ``GET`` without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer ``OPTIONS`` here, route ``HEAD`` as ``GET``, pass anything else on."""
        if scope["type"] != "http" or scope["method"] not in {"HEAD", "OPTIONS"}:
            await self._app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allowed = allowed_methods(scope)
            if allowed:
                await _no_content(send, [(b"allow", ", ".join(allowed).encode())])
                return
            await self._app(scope, receive, send)  # an unknown path: the router's 404
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                # The GET's headers, Content-Length included, and none of its body.
                message = {**message, "body": b""}
            await send(message)

        await self._app({**scope, "method": "GET"}, receive, without_body)


# --8<-- [end:methods-middleware]


async def _no_content(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
