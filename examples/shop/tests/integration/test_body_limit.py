"""The request body limit in the shop's app: a 413 problem before the body is parsed.

How the kernel's middleware counts a body is tested on its own in
``tests/snippets/infrastructure_kernel/test_body_limit.py`` of the handbook.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from shop.bootstrap import Services
from shop.presentation.api.application import create_app
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
        "request_id": response.headers["x-request-id"],
    }


async def test_a_declared_oversized_body_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/health/live", content=b"x" * (MAX_BODY_SIZE + 1))

    assert response.request.headers["content-length"] == str(MAX_BODY_SIZE + 1)
    assert_too_large(response)


async def test_a_chunked_oversized_body_is_refused_as_it_passes_the_limit(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/v1/health/live", content=chunked(*[b"x" * 400] * 3))

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
    response = await client.post("/api/v1/health/live", content=content)
    assert response.status_code == 405  # routed: only GET is allowed here


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
