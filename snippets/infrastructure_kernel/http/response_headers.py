"""Headers every response of an API carries, unless the route set its own.

- ``X-Content-Type-Options: nosniff``: a browser takes the declared media type at its word
  instead of guessing, so a JSON document that holds markup is never run as a page.
- ``Cache-Control: no-store``: an API's answers are per tenant and change with every
  write; no shared cache on the way may keep one and hand it to someone else.

The server names no software either: ``serve`` runs uvicorn without its ``server`` header,
which told every scanner which version to try.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# --8<-- [start:response-headers]
DEFAULT_RESPONSE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


class ResponseHeadersMiddleware:
    """Add :data:`DEFAULT_RESPONSE_HEADERS` to every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, adding the headers as its response starts."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in DEFAULT_RESPONSE_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self._app(scope, receive, with_headers)


# --8<-- [end:response-headers]
