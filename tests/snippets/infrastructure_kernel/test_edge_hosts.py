"""The URLs an app hands out and the hosts it serves: never what the ``Host`` header says."""

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response
from hypothesis import example, given, settings
from hypothesis import strategies as st

from infrastructure_kernel.http.edge import edge_app
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.urls import resource_url

pytestmark = pytest.mark.anyio

BASE = "tag:things.example,2025:problems/"
EVIL = {"Host": "evil.example"}


def things_app(**edge: object) -> FastAPI:
    app = edge_app(ProblemCatalog(BASE), max_body_size=100, **edge)  # type: ignore[arg-type]
    router = APIRouter(prefix="/api/v1/things")

    @router.post("", status_code=201)
    async def add_thing(request: Request, response: Response) -> str:
        response.headers["Location"] = resource_url(request, "read_thing", name="bolt")
        return "bolt"

    @router.get("/{name}")
    async def read_thing(name: str) -> str:
        return name

    app.include_router(router)
    return app


def client(app: FastAPI, root_path: str = "") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, root_path=root_path)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


# --8<-- [start:location-test]
async def test_a_location_is_a_path_whatever_the_host_header_says() -> None:
    async with client(things_app()) as http:
        response = await http.post("/api/v1/things", headers=EVIL)

    assert response.headers["location"] == "/api/v1/things/bolt"


async def test_a_location_starts_with_the_public_base_url_when_there_is_one() -> None:
    app = things_app(public_base_url="https://things.example/")

    async with client(app) as http:
        response = await http.post("/api/v1/things", headers=EVIL)

    assert response.headers["location"] == "https://things.example/api/v1/things/bolt"


async def test_a_trailing_slash_is_not_redirected_to_the_host_header() -> None:
    async with client(things_app()) as http:
        response = await http.get("/api/v1/things/bolt/", headers=EVIL)

    assert response.status_code == 404
    assert "location" not in response.headers


# --8<-- [end:location-test]


async def test_the_servers_root_path_comes_between_base_and_path() -> None:
    async with client(things_app(), root_path="/things-api") as http:
        response = await http.post("/api/v1/things")

    assert response.headers["location"] == "/things-api/api/v1/things/bolt"


# --8<-- [start:trusted-hosts-test]
@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("things.example", 200),
        ("things.example:8000", 200),
        ("eu.api.things.example", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("things.example.evil.example", 400),
        ("api.things.example.evil.example", 400),
        ("", 400),
    ],
)
async def test_only_the_trusted_hosts_are_served(host: str, status: int) -> None:
    app = things_app(trusted_hosts=["things.example", "*.api.things.example", "[::1]"])

    async with client(app) as http:
        response = await http.get("/api/v1/things/bolt", headers={"Host": host})

    assert response.status_code == status
    if status == 400:
        assert response.json()["type"] == BASE + "unknown-host"
        assert host not in response.text or not host


# --8<-- [end:trusted-hosts-test]


# Any bytes an HTTP parser lets through in a Host header (RFC 9110, 5.5).
HOST = st.binary(max_size=300).map(
    lambda raw: bytes(b for b in raw if b in b"\t " or 0x21 <= b <= 0x7E or b >= 0x80).strip()
)
TRUSTING = things_app(trusted_hosts=["things.example", "*.api.things.example"])


@settings(max_examples=100, deadline=None)
@given(host=HOST)
@example(host=b"things.example:" + b"9" * 60_000)
async def test_no_host_header_gets_a_5xx_or_a_large_answer(host: bytes) -> None:
    async with client(TRUSTING) as http:
        response = await http.get("/api/v1/things/bolt", headers={b"Host": host})

    assert response.status_code in {200, 400}
    assert len(response.content) < 2048
