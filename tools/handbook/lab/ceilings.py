"""The ceilings: two applications that answer with the bytes the shop answered.

For each endpoint the lab records the shop's response (status, content type, body) and
serves it from two applications under the same server and settings:

- a bare ASGI application: what the server and the event loop allow with nothing else;
- a FastAPI application returning the bytes from a constant: what the framework allows,
  with its routing and request handling but no validation, no database and no work.

The distance from the shop to the second is what the shop's own work costs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

RECORDING = "HANDBOOK_CEILING_RECORDING"
"""The environment variable naming the JSON file of recorded responses, by path."""


class Ceiling:
    """Answers every request for a recorded path with that path's recorded response."""

    def __init__(self, responses: dict[str, tuple[int, str, bytes]]) -> None:
        """Serve ``responses``: path → (status, content type, body)."""
        self.responses = responses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point: drain the request body, send the recorded response."""
        if scope["type"] != "http":
            return
        more = True
        while more:  # read the request body, as a real application would have to
            message = await receive()
            more = bool(message.get("more_body"))
        status, content_type, body = self.responses.get(
            scope["path"], (404, "text/plain", b"not recorded")
        )
        headers = [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def from_recording() -> Ceiling:
    """The bare ceiling for the responses in the file that ``HANDBOOK_CEILING_RECORDING`` names.

    Used as ``uvicorn --factory handbook.lab.ceilings:from_recording``.
    """
    return Ceiling(recorded())


def recorded() -> dict[str, tuple[int, str, bytes]]:
    """The responses in the file that ``HANDBOOK_CEILING_RECORDING`` names, by path."""
    with open(os.environ[RECORDING], encoding="utf-8") as file:
        recording = json.load(file)
    return {
        path: (int(item["status"]), str(item["content_type"]), item["body"].encode("utf-8"))
        for path, item in recording.items()
    }


def fastapi_from_recording() -> FastAPI:
    """A FastAPI app answering each recorded path with its recorded bytes, as constants.

    Used as ``uvicorn --factory handbook.lab.ceilings:fastapi_from_recording``.
    """
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for path, (status, content_type, body) in recorded().items():
        app.add_api_route(path, _constant(status, content_type, body), methods=["GET", "POST"])
    return app


def _constant(
    status: int, content_type: str, body: bytes
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that answers with the same bytes every time."""

    async def constant(request: Request) -> Response:
        await request.body()  # read what was sent, as the shop has to
        return Response(content=body, status_code=status, media_type=content_type)

    return constant
