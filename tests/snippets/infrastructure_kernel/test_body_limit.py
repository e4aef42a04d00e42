"""The body limit's middleware at the ASGI level: what the app hears, and when."""

import asyncio
import time

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.problems import ProblemCatalog

pytestmark = pytest.mark.anyio

PROBLEMS = ProblemCatalog("tag:things.example,2025:problems/")


def limited(app: ASGIApp, max_body_size: int = 10) -> BodySizeLimitMiddleware:
    return BodySizeLimitMiddleware(app, PROBLEMS, max_body_size)


class Recorder:
    """An ASGI app that records the body it receives, then answers 204."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, _scope: Scope, receive: Receive, send: Send) -> None:
        self.messages.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def call_with(middleware: BodySizeLimitMiddleware, receive: Receive) -> list[Message]:
    scope = {"type": "http", "method": "POST", "path": "/upload", "headers": []}
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


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

    sent = await call(limited(app), [], body(b"12345", more=True), body(b"678", more=False))

    assert app.messages == [body(b"12345678", more=False)]
    assert sent[0]["status"] == 204


async def test_a_body_longer_than_its_content_length_is_still_counted() -> None:
    app = Recorder()

    sent = await call(
        limited(app),
        [(b"content-length", b"5")],
        body(b"x" * 6, more=True),
        body(b"x" * 6, more=False),
    )

    assert app.messages == []
    assert sent[0]["status"] == 413


async def test_a_malformed_content_length_is_ignored_and_the_body_counted() -> None:
    app = Recorder()

    sent = await call(limited(app), [(b"content-length", b"lots")], body(b"x", more=False))

    assert app.messages == [body(b"x", more=False)]
    assert sent[0]["status"] == 204


async def test_a_client_that_leaves_mid_body_is_reported_to_the_app() -> None:
    app = Recorder()

    await call(limited(app), [], body(b"x", more=True), {"type": "http.disconnect"})

    assert app.messages == [{"type": "http.disconnect"}]


async def test_after_the_body_the_app_hears_from_the_client_directly() -> None:
    heard: list[Message] = []

    async def app(_scope: Scope, receive: Receive, _send: Send) -> None:
        heard.extend([await receive(), await receive()])

    await call(limited(app), [], body(b"x", more=False), {"type": "http.disconnect"})

    assert heard == [body(b"x", more=False), {"type": "http.disconnect"}]


# --8<-- [start:slow-body-test]
async def test_a_body_that_takes_too_long_is_a_408_that_closes_the_connection() -> None:
    app = Recorder()
    middleware = BodySizeLimitMiddleware(app, PROBLEMS, max_body_size=10, body_timeout=0.3)

    async def a_byte_every_tenth_of_a_second() -> Message:
        await asyncio.sleep(0.1)
        return body(b"1", more=True)  # and always more to come

    started = time.monotonic()
    # In a task of its own, as the server runs each request: the deadline cancels that task.
    sent = await asyncio.create_task(call_with(middleware, a_byte_every_tenth_of_a_second))

    assert time.monotonic() - started < 1  # refused at 0.3 s, with the body still coming
    assert app.messages == []  # the app never started
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]


# --8<-- [end:slow-body-test]
