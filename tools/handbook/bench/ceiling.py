"""The ceiling: a bare ASGI application that answers with recorded bytes.

For each benchmarked endpoint the runner records the real application's response (status,
content type, body) and serves it from this app under the same server and settings. Its
throughput is what the server, the event loop and the load generator allow with no
framework, no validation and no database: the distance to it is what the application costs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

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
    """The ceiling for the responses in the file that ``HANDBOOK_CEILING_RECORDING`` names.

    Used as ``uvicorn --factory handbook.bench.ceiling:from_recording``.
    """
    with open(os.environ[RECORDING], encoding="utf-8") as file:
        recorded = json.load(file)
    return Ceiling(
        {
            path: (int(item["status"]), str(item["content_type"]), item["body"].encode("utf-8"))
            for path, item in recorded.items()
        }
    )
