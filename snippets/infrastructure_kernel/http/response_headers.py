"""Headers every response of an API carries, unless the route set its own.

- ``X-Content-Type-Options: nosniff``: a browser takes the declared media type at its word
  instead of guessing, so a JSON document that holds markup is never run as a page.
- ``Cache-Control: no-store``: an API's answers are per tenant and change with every
  write; no shared cache on the way may keep one and hand it to someone else.
- ``Content-Security-Policy: default-src 'none'; frame-ancestors 'none'``: a document of
  the API, opened as a page, may load nothing and run nothing, and no page may frame it;
  ``X-Frame-Options: DENY`` says the same to browsers that predate ``frame-ancestors``.
  The API docs page sets a policy of its own (:mod:`infrastructure_kernel.http.api_docs`).
- ``Referrer-Policy: no-referrer``: a link followed from an answer does not tell the next
  site the URL it came from, with its ids and query.
- ``Cross-Origin-Resource-Policy: same-origin``: another site cannot embed an answer
  (``<img>``, ``<script>``) to read it through a side channel; cross-origin calls that
  the CORS allow-list permits are not affected.
- ``Strict-Transport-Security``, on answers served over HTTPS only (directly, or through
  a trusted proxy that said so): the browser uses HTTPS alone for the next ``max-age``
  seconds, so no later request can be downgraded to plain HTTP.

The server names no software either: ``serve`` runs uvicorn without its ``server`` header,
which told every scanner which version to try.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# --8<-- [start:response-headers]
DEFAULT_RESPONSE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS_MAX_AGE = 365 * 86_400
"""A year, in seconds: what browsers' preload lists ask for."""


class ResponseHeadersMiddleware:
    """Add :data:`DEFAULT_RESPONSE_HEADERS` to every response that lacks them, and HSTS."""

    def __init__(self, app: ASGIApp, hsts_max_age: int = HSTS_MAX_AGE) -> None:
        """Add the headers to ``app``'s responses; ``hsts_max_age=0`` sends no HSTS."""
        self._app = app
        self._hsts = f"max-age={hsts_max_age}" if hsts_max_age > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, adding the headers as its response starts."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        # Over plain HTTP the header is ignored (RFC 6797, 8.1), so it is not sent there.
        hsts = self._hsts if scope.get("scheme") == "https" else None

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in DEFAULT_RESPONSE_HEADERS.items():
                    headers.setdefault(name, value)
                if hsts is not None:
                    headers.setdefault("Strict-Transport-Security", hsts)
            await send(message)

        await self._app(scope, receive, with_headers)


# --8<-- [end:response-headers]
