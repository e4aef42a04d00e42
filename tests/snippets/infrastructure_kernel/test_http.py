"""The HTTP kernel on a small app of its own: problems, the edge, health, root and docs.

The examples' suites test the same pieces in their apps; here each piece is tested apart,
with nothing but the kernel and a router of "things".
"""

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol, runtime_checkable

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc
from starlette.exceptions import HTTPException

from infrastructure_kernel.http.api_docs import ASSETS, serve_api_docs
from infrastructure_kernel.http.api_root import add_api_root
from infrastructure_kernel.http.edge import edge_middleware
from infrastructure_kernel.http.exception_handlers import exception_handlers
from infrastructure_kernel.http.health import health_router
from infrastructure_kernel.http.problems import (
    PROBLEM_RESPONSES,
    SHARED_KERNEL_PROBLEM_TYPES,
    ProblemCatalog,
    ProblemType,
)
from infrastructure_kernel.http.request_state import app_services, request_tenant
from shared_kernel.errors import DomainError, InvalidCursorError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

BASE = "tag:things.example,2025:problems/"
MAX_BODY_SIZE = 100


class UnknownThingError(DomainError):
    pass


class NewRuleBrokenError(DomainError):
    pass


class ThingsOfflineError(Exception):
    """A 503 whose error says nothing about when to come back."""


class ThingsBusyError(Exception):
    """A 503 whose error knows when to come back."""

    def __init__(self) -> None:
        super().__init__("busy")
        self.headers = {"Retry-After": "60"}


THING_PROBLEMS: dict[type[Exception], tuple[int, str, str]] = {
    UnknownThingError: (404, "unknown-thing", "Unknown thing"),
    ThingsOfflineError: (503, "things-offline", "Things offline"),
    ThingsBusyError: (503, "things-busy", "Things busy"),
}


class DriverError(Exception):
    """What a database driver raises, with the SQLSTATE the server sent."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def database_error(sqlstate: str, *, invalidated: bool = False) -> exc.DBAPIError:
    return exc.DBAPIError("SELECT 1", {}, DriverError(sqlstate), connection_invalidated=invalidated)


# Errors that say the database cannot serve now: each is a 503 with Retry-After.
OUTAGES: dict[str, Exception] = {
    "pool-exhausted": exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
    "refused": ConnectionRefusedError("connect call failed"),
    "connect-timeout": TimeoutError(),
    "server-gone": exc.OperationalError("SELECT 1", {}, DriverError("08006")),
    "connection-closed": exc.InterfaceError("SELECT 1", {}, DriverError("08003")),
    "invalidated": database_error("XX000", invalidated=True),
    "statement-timeout": database_error("57014"),
    "too-many-connections": database_error("53300"),
    "shutting-down": database_error("57P01"),
}
# Database errors that are bugs: a 500.
DATABASE_BUGS: dict[str, Exception] = {
    "integrity": exc.IntegrityError("INSERT", {}, DriverError("23505")),
    "syntax": database_error("42601"),
    "no-sqlstate": exc.DBAPIError("SELECT 1", {}, Exception("driver failed")),
    "mapping": exc.NoResultFound("no row"),
}


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)


@runtime_checkable
class ThingServices(Protocol):
    def greeting(self) -> str: ...


class Services:
    def greeting(self) -> str:
        return "hello"


class Checks:
    """Readiness checks whose outcome a test sets."""

    def __init__(self) -> None:
        self.database_up = True
        self.cache_hangs = False

    async def database(self) -> None:
        if not self.database_up:
            raise ConnectionRefusedError("connection refused")

    async def cache(self) -> None:
        if self.cache_hangs:
            await asyncio.sleep(10)


def things_router() -> APIRouter:
    router = APIRouter(prefix="/things")

    @router.post("", status_code=201)
    async def add(thing: Thing) -> Thing:
        return thing

    @router.get("/errors/{name}")
    async def fail(name: str) -> None:
        raise {
            "unknown": UnknownThingError("no thing has the id 7"),
            "new-rule": NewRuleBrokenError("things must be blue"),
            "conflict": ConcurrencyConflictError("thing 7 was changed by someone else"),
            "cursor": InvalidCursorError(),
            "bug": RuntimeError("secret internals"),
            "offline": ThingsOfflineError("the things are offline"),
            "busy": ThingsBusyError(),
            "unavailable": HTTPException(503, "not now"),
            **OUTAGES,
            **DATABASE_BUGS,
        }[name]

    @router.get("/stream")
    async def stream() -> StreamingResponse:
        def chunks() -> Iterator[bytes]:
            yield b"first chunk"
            raise RuntimeError("failed halfway")

        return StreamingResponse(chunks())

    async def services(request: Request) -> ThingServices:
        found: ThingServices = app_services(request, ThingServices)
        return found

    async def tenant(request: Request) -> TenantId:
        return request_tenant(request)

    @router.get("/greeting")
    async def greeting(services: ThingServices = Depends(services)) -> str:  # noqa: B008
        return services.greeting()

    @router.get("/tenant")
    async def tenant_id(tenant_id: TenantId = Depends(tenant)) -> str:  # noqa: B008
        return tenant_id.value

    return router


@pytest.fixture
def checks() -> Checks:
    return Checks()


@pytest.fixture
def app(checks: Checks) -> FastAPI:
    problems = ProblemCatalog(BASE, SHARED_KERNEL_PROBLEM_TYPES, THING_PROBLEMS)
    app = FastAPI(
        title="Things",
        version="2.0.0",
        exception_handlers=exception_handlers(problems),
        middleware=edge_middleware(problems, max_body_size=MAX_BODY_SIZE),
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = Services()
    v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
    add_api_root(v1, {"things": "/things"})
    v1.include_router(
        health_router(problems, {"database": checks.database, "cache": checks.cache}, timeout=0.1)
    )
    v1.include_router(things_router())
    app.include_router(v1)
    serve_api_docs(app)
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == (BASE + slug if slug else "about:blank")
    assert problem["status"] == status
    assert problem["instance"] == response.request.url.path
    return problem


# --- the catalog ---------------------------------------------------------------------


def test_an_error_answers_with_its_nearest_registered_class() -> None:
    problems = ProblemCatalog(BASE, SHARED_KERNEL_PROBLEM_TYPES, THING_PROBLEMS)

    assert problems.find(UnknownThingError("x")) == (404, "unknown-thing", "Unknown thing")
    assert problems.find(NewRuleBrokenError("x")).slug == "domain-error"
    assert problems.find(InvalidCursorError()).slug == "invalid-cursor"


def test_an_error_no_class_of_which_is_registered_has_no_problem_type() -> None:
    with pytest.raises(LookupError, match="no problem type answers RuntimeError"):
        ProblemCatalog(BASE, THING_PROBLEMS).find(RuntimeError("x"))


def test_a_problem_type_is_registered_once() -> None:
    problems = ProblemCatalog(BASE, THING_PROBLEMS, THING_PROBLEMS)  # the same twice is fine

    with pytest.raises(ValueError, match="UnknownThingError already answers with"):
        problems.register(UnknownThingError, ProblemType(410, "gone", "Gone"))


# --- the handlers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "slug"),
    [
        ("unknown", 404, "unknown-thing"),
        ("new-rule", 422, "domain-error"),
        ("conflict", 409, "edit-conflict"),
        ("cursor", 422, "invalid-cursor"),
    ],
)
async def test_registered_errors_are_problems_of_their_type(
    client: httpx.AsyncClient, name: str, status: int, slug: str
) -> None:
    response = await client.get(f"/api/v1/things/errors/{name}")

    assert_problem(response, status, slug)
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("name", "slug", "wait"),
    [("offline", "things-offline", "5"), ("busy", "things-busy", "60"), ("unavailable", "", "5")],
)
async def test_every_503_says_when_to_try_again_and_an_error_may_say_how_long(
    client: httpx.AsyncClient, name: str, slug: str, wait: str
) -> None:
    response = await client.get(f"/api/v1/things/errors/{name}")

    assert_problem(response, 503, slug)
    assert response.headers["retry-after"] == wait


async def test_malformed_json_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/things", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )

    problem = assert_problem(response, 400, "malformed-json")
    assert problem["detail"] == "the request body is not valid JSON"
    assert problem["errors"][0]["location"][0] == "body"


@pytest.mark.parametrize(
    ("headers", "came"),
    [
        (
            {"Content-Type": "application/x-www-form-urlencoded"},
            "as application/x-www-form-urlencoded",
        ),
        ({"Content-Type": "text/plain"}, "as text/plain"),
        ({}, "without a Content-Type"),
    ],
)
async def test_a_body_that_is_not_sent_as_json_is_a_415_naming_the_type(
    client: httpx.AsyncClient, headers: dict[str, str], came: str
) -> None:
    body = b'{"name": "bolt", "quantity": 1}'

    response = await client.post("/api/v1/things", content=body, headers=headers)

    problem = assert_problem(response, 415, "unsupported-media-type")
    assert (
        problem["detail"]
        == f"the request body must be sent as application/json; this one came {came}"
    )
    assert response.headers["accept"] == "application/json"


async def test_a_json_media_type_with_parameters_or_a_suffix_is_json(
    client: httpx.AsyncClient,
) -> None:
    body = b'{"name": "bolt", "quantity": 1}'
    for content_type in ["application/json; charset=utf-8", "application/merge-patch+json"]:
        response = await client.post(
            "/api/v1/things", content=body, headers={"Content-Type": content_type}
        )
        assert response.status_code == 201, content_type


async def test_wrong_values_are_a_422_naming_every_field_without_echoing_them(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/things", json={"name": "", "quantity": 0, "colour": "chartreuse"}
    )

    problem = assert_problem(response, 422, "invalid-request")
    assert problem["detail"] == "3 field(s) of the request are invalid"
    assert [e["location"] for e in problem["errors"]] == [
        ["body", "name"],
        ["body", "quantity"],
        ["body", "colour"],
    ]
    assert "chartreuse" not in response.text


async def test_a_missing_body_is_a_422_not_a_415(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/things")

    problem = assert_problem(response, 422, "invalid-request")
    assert problem["errors"] == [{"location": ["body"], "message": "Field required"}]


async def test_routing_errors_are_problems_about_blank(client: httpx.AsyncClient) -> None:
    not_found = await client.get("/api/v0/things")
    wrong_method = await client.delete("/api/v1/health/live")

    assert assert_problem(not_found, 404, "")["title"] == "Not Found"
    assert assert_problem(wrong_method, 405, "")["title"] == "Method Not Allowed"
    assert wrong_method.headers["allow"] == "GET, HEAD, OPTIONS"


# --- the edge --------------------------------------------------------------------------


async def test_a_bug_is_a_bare_500_logged_once_with_where_it_happened(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/api/v1/things/errors/bug")

    problem = assert_problem(response, 500, "")
    assert problem["detail"] == "the server failed to handle the request"
    assert "secret internals" not in response.text
    [record] = caplog.records
    assert (record.levelname, record.getMessage()) == ("ERROR", "unexpected_error")
    assert (record.__dict__["method"], record.__dict__["path"]) == (
        "GET",
        "/api/v1/things/errors/bug",
    )
    assert record.exc_info is not None


@pytest.mark.parametrize("outage", OUTAGES)
async def test_a_database_that_cannot_serve_now_is_a_503_with_retry_after(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, outage: str
) -> None:
    response = await client.get(f"/api/v1/things/errors/{outage}")

    problem = assert_problem(response, 503, "service-unavailable")
    assert response.headers["retry-after"] == "5"
    assert problem["detail"] == "the database cannot serve the request now; try again later"
    [record] = caplog.records  # one short line, without a traceback
    assert (record.levelname, record.getMessage()) == ("WARNING", "service_unavailable")
    assert record.__dict__["error"] == type(OUTAGES[outage]).__name__
    assert record.exc_info is None


@pytest.mark.parametrize("bug", DATABASE_BUGS)
async def test_a_database_error_that_is_a_bug_stays_a_500(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, bug: str
) -> None:
    response = await client.get(f"/api/v1/things/errors/{bug}")

    assert_problem(response, 500, "")
    assert "retry-after" not in response.headers
    assert [record.getMessage() for record in caplog.records] == ["unexpected_error"]


async def test_the_wait_a_503_asks_for_is_the_apps_choice() -> None:
    problems = ProblemCatalog(BASE)
    app = FastAPI(exception_handlers=exception_handlers(problems, retry_after=30))
    app.include_router(things_router())
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/things/errors/pool-exhausted")

    assert (response.status_code, response.headers["retry-after"]) == (503, "30")


async def test_a_failure_after_the_response_started_cuts_it_off(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with pytest.raises(RuntimeError, match="failed halfway"):
            await client.get("/api/v1/things/stream")

    assert [record.getMessage() for record in caplog.records] == ["unexpected_error"]


async def test_a_body_over_the_limit_is_a_413(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/things", content=b"x" * (MAX_BODY_SIZE + 1))

    problem = assert_problem(response, 413, "body-too-large")
    assert problem["detail"] == f"the request body is larger than {MAX_BODY_SIZE} bytes"


# --- request state ---------------------------------------------------------------------


async def test_a_context_reaches_the_services_through_its_port(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/things/greeting")

    assert (response.status_code, response.json()) == (200, "hello")


async def test_services_without_the_port_are_a_type_error_naming_it(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    app.state.services = object()

    response = await client.get("/api/v1/things/greeting")

    assert response.status_code == 500
    assert str(caplog.records[0].exc_info[1]) == (  # type: ignore[index]
        "request.app.state.services must implement ThingServices; got object"
    )


async def test_a_router_without_the_tenant_resolved_is_a_type_error_saying_so(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/api/v1/things/tenant")

    assert response.status_code == 500
    assert str(caplog.records[0].exc_info[1]) == (  # type: ignore[index]
        "request.state.tenant_id must be the TenantId that the serving application"
        " sets before a context's endpoints run; got NoneType"
    )


async def test_the_tenant_on_the_request_is_read() -> None:
    request = Request({"type": "http", "state": {"tenant_id": TenantId("acme")}})

    assert request_tenant(request) == TenantId("acme")


# --- health ----------------------------------------------------------------------------


async def test_live_and_ready_while_every_check_answers(client: httpx.AsyncClient) -> None:
    live = await client.get("/api/v1/health/live")
    ready = await client.get("/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "cache": "ok"}},
    )


async def test_not_ready_while_a_check_fails_or_hangs_but_still_live(
    client: httpx.AsyncClient, checks: Checks, caplog: pytest.LogCaptureFixture
) -> None:
    checks.database_up, checks.cache_hangs = False, True

    ready = await client.get("/api/v1/health/ready")
    live = await client.get("/api/v1/health/live")

    problem = assert_problem(ready, 503, "service-unavailable")
    assert problem["detail"] == "not ready: database, cache did not answer"
    assert problem["checks"] == {"database": "failed", "cache": "failed"}
    assert ready.headers["retry-after"] == "5"
    assert live.status_code == 200
    assert sorted(r.__dict__["check"] for r in caplog.records) == ["cache", "database"]
    assert {r.levelno for r in caplog.records} == {logging.WARNING}


# --- the API root and the docs ---------------------------------------------------------


async def test_the_api_root_links_to_everything_else(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1")

    assert response.json() == {
        "title": "Things",
        "version": "2.0.0",
        "links": {
            "self": {"href": "/api/v1"},
            "service-desc": {
                "href": "/openapi.json",
                "type": "application/vnd.oai.openapi+json",
            },
            "service-doc": {"href": "/docs", "type": "text/html"},
            "things": {"href": "/api/v1/things"},
        },
    }
    for link in response.json()["links"].values():
        assert (await client.get(link["href"])).status_code in {200, 405}


async def test_the_docs_load_nothing_from_another_host(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")

    assert page.status_code == 200
    referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(referenced) == [
        "/docs/favicon-32x32.png",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css",
    ]
    assert "url: '/openapi.json'" in page.text
    assert '"validatorUrl": null' in page.text  # no badge from the public validator
    for path in referenced:
        asset = await client.get(path)
        assert (asset.status_code, bool(asset.content)) == (200, True)
    assert {path.removeprefix("/docs/") for path in referenced} == ASSETS


async def test_only_the_docs_own_assets_are_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/index.html")  # Swagger UI's demo page, of a pet store

    assert_problem(response, 404, "")
