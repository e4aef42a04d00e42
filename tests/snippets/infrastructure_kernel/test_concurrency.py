"""The concurrency limit at the ASGI level: one request too many is a 503, at once."""

import asyncio
import json

import pytest
from starlette.types import Message, Receive, Scope, Send

from infrastructure_kernel.http.concurrency import ConcurrencyLimitMiddleware
from infrastructure_kernel.http.problems import ProblemCatalog

pytestmark = pytest.mark.anyio


class Held:
    """An app whose requests wait until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        await self.release.wait()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def call(app: ConcurrencyLimitMiddleware) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": "/things", "headers": []}, receive, send)
    return sent


# --8<-- [start:concurrency-test]
async def test_a_request_over_the_limit_is_a_503_with_retry_after_at_once() -> None:
    held = Held()
    limited = ConcurrencyLimitMiddleware(held, ProblemCatalog("tag:t,2025:"), max_concurrency=2)
    first, second = asyncio.create_task(call(limited)), asyncio.create_task(call(limited))
    await asyncio.sleep(0.01)  # both in flight

    refused = await call(limited)
    held.release.set()
    served = [await first, await second, await call(limited)]

    assert refused[0]["status"] == 503
    assert (b"retry-after", b"1") in refused[0]["headers"]
    assert json.loads(refused[1]["body"])["type"] == "tag:t,2025:too-busy"
    assert [answer[0]["status"] for answer in served] == [204, 204, 204]


# --8<-- [end:concurrency-test]
