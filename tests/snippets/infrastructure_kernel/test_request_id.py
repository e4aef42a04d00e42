"""Request ids: the caller's when sane, a new one otherwise, in the response and its problem."""

import re

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import example, given, settings
from hypothesis import strategies as st

from infrastructure_kernel.http.edge import edge_app
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.request_id import current_request_id

pytestmark = pytest.mark.anyio

NEW_ID = re.compile(r"[0-9a-f]{32}")


def things_app() -> FastAPI:
    app = edge_app(ProblemCatalog("tag:things.example,2025:problems/"), max_body_size=100)

    @app.get("/request-id")
    async def request_id() -> str | None:
        return current_request_id()

    return app


APP = things_app()


async def get(path: str, headers: list[tuple[bytes, bytes]]) -> httpx.Response:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path, headers=headers)


# --8<-- [start:request-id-test]
async def test_a_sane_request_id_is_kept_and_echoed() -> None:
    response = await get("/request-id", [(b"X-Request-ID", b"gateway-7f3a:42")])

    assert response.json() == response.headers["x-request-id"] == "gateway-7f3a:42"
    assert current_request_id() is None  # only while the request is served


async def test_a_problem_document_carries_the_request_id() -> None:
    response = await get("/nothing", [(b"X-Request-ID", b"req-1")])

    assert response.status_code == 404
    assert response.json()["request_id"] == response.headers["x-request-id"] == "req-1"


@pytest.mark.parametrize(
    "given",
    [[b"a" * 65], [b"two words"], [b"<script>"], [b"req-1", b"req-2"], []],
    ids=["too-long", "space", "markup", "repeated", "none"],
)
async def test_any_other_request_id_is_replaced_by_a_new_one(given: list[bytes]) -> None:
    response = await get("/request-id", [(b"X-Request-ID", value) for value in given])

    assert NEW_ID.fullmatch(response.headers["x-request-id"])
    assert response.json() == response.headers["x-request-id"]


# --8<-- [end:request-id-test]


@settings(max_examples=100, deadline=None)
@given(value=st.binary(max_size=100))
@example(value=b"x" * 60_000)
async def test_no_request_id_reaches_the_response_unless_it_is_sane(value: bytes) -> None:
    # What an HTTP parser lets through in a field value (RFC 9110, 5.5).
    value = bytes(b for b in value if b in b"\t " or 0x21 <= b <= 0x7E or b >= 0x80).strip()

    response = await get("/request-id", [(b"X-Request-ID", value)])

    echoed = response.headers["x-request-id"]
    assert echoed == value.decode("latin-1") or NEW_ID.fullmatch(echoed)
    assert len(echoed) <= 64
