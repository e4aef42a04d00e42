"""The request body limit: refused with a 413 problem before the body is parsed."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from shop.bootstrap import Services
from shop.presentation.api.application import create_app
from shop.presentation.api.body_limit import BodySizeLimitMiddleware
from shop.settings import Settings

pytestmark = pytest.mark.anyio

PROBLEM_TYPE = "tag:shop.example,2025:problems/body-too-large"
MAX_BODY_SIZE = 1024


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_request_body_size": MAX_BODY_SIZE})


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services)  # the platform alone: the limit is its middleware


async def chunked(*chunks: bytes) -> AsyncIterator[bytes]:
    """A body of unknown length: httpx streams it chunked, without Content-Length."""
    for chunk in chunks:
        yield chunk


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEM_TYPE,
        "title": "Request body too large",
        "status": 413,
        "detail": f"the request body is larger than {MAX_BODY_SIZE} bytes",
        "instance": response.request.url.path,
    }


async def test_a_declared_oversized_body_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/health", content=b"x" * (MAX_BODY_SIZE + 1))

    assert response.request.headers["content-length"] == str(MAX_BODY_SIZE + 1)
    assert_too_large(response)


async def test_a_chunked_oversized_body_is_refused_as_it_passes_the_limit(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/v1/health", content=chunked(*[b"x" * 400] * 3))

    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_too_large(response)


async def test_an_oversized_body_is_refused_before_routing(client: httpx.AsyncClient) -> None:
    response = await client.put("/nowhere", content=b"x" * (MAX_BODY_SIZE + 1))
    assert_too_large(response)


@pytest.mark.parametrize(
    "content",
    [b"x" * MAX_BODY_SIZE, chunked(b"x" * 500, b"x" * (MAX_BODY_SIZE - 500))],
    ids=["declared", "chunked"],
)
async def test_a_body_at_the_limit_reaches_the_app(client: httpx.AsyncClient, content: Any) -> None:
    response = await client.post("/api/v1/health", content=content)
    assert response.status_code == 405  # routed: only GET is allowed here


class Recorder:
    """An ASGI app that records the body it receives, then answers 204."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, _scope: Scope, receive: Receive, send: Send) -> None:
        self.messages.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def call(
    middleware: BodySizeLimitMiddleware, headers: list[tuple[bytes, bytes]], *incoming: Message
) -> list[Message]:
    scope = {"type": "http", "method": "POST", "path": "/upload", "headers": headers}
    pending = list(incoming)
    sent: list[Message] = []

    async def receive() -> Message:
        return pending.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


def body(data: bytes, *, more: bool) -> Message:
    return {"type": "http.request", "body": data, "more_body": more}


async def test_the_body_reaches_the_app_whole_in_one_message() -> None:
    app = Recorder()

    sent = await call(
        BodySizeLimitMiddleware(app, 10), [], body(b"12345", more=True), body(b"678", more=False)
    )

    assert app.messages == [body(b"12345678", more=False)]
    assert sent[0]["status"] == 204


async def test_a_body_longer_than_its_content_length_is_still_counted() -> None:
    app = Recorder()

    sent = await call(
        BodySizeLimitMiddleware(app, 10),
        [(b"content-length", b"5")],
        body(b"x" * 6, more=True),
        body(b"x" * 6, more=False),
    )

    assert app.messages == []
    assert sent[0]["status"] == 413


async def test_a_malformed_content_length_is_ignored_and_the_body_counted() -> None:
    app = Recorder()

    sent = await call(
        BodySizeLimitMiddleware(app, 10), [(b"content-length", b"lots")], body(b"x", more=False)
    )

    assert app.messages == [body(b"x", more=False)]
    assert sent[0]["status"] == 204


async def test_a_client_that_leaves_mid_body_is_reported_to_the_app() -> None:
    app = Recorder()

    await call(
        BodySizeLimitMiddleware(app, 10), [], body(b"x", more=True), {"type": "http.disconnect"}
    )

    assert app.messages == [{"type": "http.disconnect"}]


async def test_after_the_body_the_app_hears_from_the_client_directly() -> None:
    heard: list[Message] = []

    async def app(_scope: Scope, receive: Receive, _send: Send) -> None:
        heard.extend([await receive(), await receive()])

    await call(
        BodySizeLimitMiddleware(app, 10), [], body(b"x", more=False), {"type": "http.disconnect"}
    )

    assert heard == [body(b"x", more=False), {"type": "http.disconnect"}]


async def test_other_protocols_pass_through(services: Services) -> None:
    app = create_app(services)
    # The lifespan protocol reaches the app through both middlewares and back.
    started: list[str] = []

    async def receive() -> Message:
        return {"type": "lifespan.startup"} if not started else {"type": "lifespan.shutdown"}

    async def send(message: Message) -> None:
        started.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)

    assert started == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
