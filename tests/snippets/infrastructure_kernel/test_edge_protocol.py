"""The edge's protocol rules on a small app: methods, headers that cannot mean one thing,
the headers every response carries, and problem documents that stay small.

The property tests send what a hostile client would (huge, repeated, odd bytes) straight
through ASGI, as the server hands on whatever its HTTP parser let through.
"""

import json
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Response
from hypothesis import example, given, settings
from hypothesis import strategies as st
from starlette.types import Message

from infrastructure_kernel.http.edge import edge_app
from infrastructure_kernel.http.problems import MAX_ITEMS, MAX_TEXT, ProblemCatalog, bounded

pytestmark = pytest.mark.anyio

BASE = "tag:things.example,2025:problems/"
PROBLEMS = ProblemCatalog(BASE)
SMALL = 2048
"""Bytes: the most a problem document may take, whatever the request held."""


def things_app() -> FastAPI:
    app = edge_app(PROBLEMS, max_body_size=100, single_headers=["X-Thing-Owner"], title="Things")
    router = APIRouter(prefix="/api/v1/things")

    @router.get("")
    async def list_things() -> list[str]:
        return ["bolt"]

    @router.post("", status_code=201)
    async def add_thing() -> str:
        return "added"

    @router.get("/{name}")
    async def read_thing(name: str) -> str:
        return name

    @router.delete("/{name}", status_code=204)
    async def remove_thing(name: str) -> None:
        del name

    @router.get("/{name}/cached")
    async def cached(name: str, response: Response) -> str:
        response.headers["Cache-Control"] = "max-age=60"
        return name

    @router.get("/{name}/bug")
    async def bug(name: str) -> None:
        raise RuntimeError(name)

    app.include_router(router)
    return app


APP = things_app()


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=APP, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def asgi(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """Send a request as raw ASGI; return its status, headers and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await APP(scope, receive, send)
    start, *bodies = sent
    return {
        "status": start["status"],
        "headers": {k.decode().lower(): v.decode("latin-1") for k, v in start["headers"]},
        "body": b"".join(m.get("body", b"") for m in bodies),
    }


# --- methods ---------------------------------------------------------------------------


# --8<-- [start:options-and-head-test]
async def test_options_names_every_method_of_the_resource() -> None:
    async with client() as http:
        collection = await http.options("/api/v1/things")
        item = await http.options("/api/v1/things/bolt")

    assert (collection.status_code, collection.content) == (204, b"")
    assert collection.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert item.headers["allow"] == "DELETE, GET, HEAD, OPTIONS"


async def test_head_is_get_without_the_body() -> None:
    async with client() as http:
        got = await http.get("/api/v1/things")
        head = await http.head("/api/v1/things")

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == got.headers["content-length"] != "0"


async def test_a_wrong_method_is_a_405_naming_every_method_of_the_resource() -> None:
    async with client() as http:
        response = await http.put("/api/v1/things")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"


# --8<-- [end:options-and-head-test]


async def test_options_on_an_unknown_path_is_a_404() -> None:
    async with client() as http:
        response = await http.options("/api/v1/nothing")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


# --- request headers -------------------------------------------------------------------


# --8<-- [start:request-headers-test]
async def test_a_header_that_may_be_sent_once_sent_twice_is_a_400() -> None:
    owners = [(b"x-thing-owner", b"acme"), (b"x-thing-owner", b"globex")]

    response = await asgi("GET", "/api/v1/things", owners)

    assert response["status"] == 400
    problem = json.loads(response["body"])
    assert problem["type"] == BASE + "repeated-header"
    assert problem["detail"] == "the x-thing-owner header must be sent once"


async def test_a_body_framed_by_length_and_chunks_at_once_is_a_400_that_closes() -> None:
    framing = [(b"content-length", b"5"), (b"transfer-encoding", b"chunked")]

    response = await asgi("POST", "/api/v1/things", framing)

    assert (response["status"], response["headers"]["connection"]) == (400, "close")
    assert json.loads(response["body"])["type"] == BASE + "ambiguous-framing"


# --8<-- [end:request-headers-test]


async def test_list_valued_headers_may_repeat() -> None:
    accepts = [(b"accept", b"application/json"), (b"accept", b"*/*")]

    assert (await asgi("GET", "/api/v1/things", accepts))["status"] == 200


# --- response headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/things", 200),
        ("GET", "/api/v1/nothing", 404),
        ("GET", "/api/v1/things/bolt/bug", 500),
        ("OPTIONS", "/api/v1/things", 204),
        ("GET", "/openapi.json", 200),
    ],
)
async def test_every_response_forbids_sniffing_and_storing(
    method: str, path: str, status: int
) -> None:
    response = await asgi(method, path, [])

    assert response["status"] == status
    assert response["headers"]["x-content-type-options"] == "nosniff"
    assert response["headers"]["cache-control"] == "no-store"
    assert "server" not in response["headers"]


async def test_a_route_may_choose_its_own_cache_control() -> None:
    response = await asgi("GET", "/api/v1/things/bolt/cached", [])

    assert response["headers"]["cache-control"] == "max-age=60"


# --- problem documents stay small ------------------------------------------------------


def test_bounded_cuts_long_strings_and_lists_at_every_depth() -> None:
    document = {"detail": "x" * 10_000, "errors": [{"k" * 999: ["y" * 999]}] * 1000}

    cut = bounded(document)

    assert len(cut["detail"]) == MAX_TEXT
    assert cut["detail"].endswith("…")
    assert len(cut["errors"]) == MAX_ITEMS
    [(key, [value])] = cut["errors"][0].items()
    assert len(key) == len(value) == MAX_TEXT
    assert bounded({"status": 400, "short": "ok"}) == {"status": 400, "short": "ok"}


async def test_a_long_path_is_not_echoed_back_whole() -> None:
    async with client() as http:
        response = await http.get("/api/v1/" + "a" * 60_000)

    assert response.status_code == 404
    assert len(response.content) < SMALL


# --- hostile headers, generated ----------------------------------------------------------

# What an HTTP/1.1 parser lets through in a field value (RFC 9110, 5.5): visible ASCII,
# spaces and tabs inside, and any byte from 0x80 up (obs-text), which is not UTF-8.
FIELD_VALUE = st.binary(max_size=200).map(
    lambda raw: bytes(b for b in raw if b in b"\t " or 0x21 <= b <= 0x7E or b >= 0x80).strip()
)


# --8<-- [start:hostile-headers-property]
@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(FIELD_VALUE, min_size=1, max_size=4),
    name=st.sampled_from([b"x-thing-owner", b"content-type", b"authorization", b"x-other"]),
)
@example(values=[b"a" * 60_000], name=b"x-thing-owner")
@example(values=[b"a" * 60_000, b"b" * 60_000], name=b"x-thing-owner")
async def test_no_header_value_gets_a_5xx_or_a_large_answer(
    values: list[bytes], name: bytes
) -> None:
    response = await asgi("GET", "/api/v1/things", [(name, value) for value in values])

    repeated = len(values) > 1 and name != b"x-other"
    assert response["status"] == (400 if repeated else 200)
    assert len(response["body"]) < SMALL
    assert response["headers"]["x-content-type-options"] == "nosniff"


# --8<-- [end:hostile-headers-property]
