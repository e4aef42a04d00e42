"""The platform's HTTP API in-process: health, tenancy, every kind of problem, the API
root, the docs, OpenAPI.

A small router of "things" stands in for a context's, so that the platform's behaviour is
tested apart from any context: mounted like one, it needs a tenant, validates a body and
raises errors.
"""

import inspect
import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from catalog.presentation.api.dependencies import CatalogServices
from infrastructure_kernel.http.api_root import add_api_root
from infrastructure_kernel.http.health import health_router
from ordering.presentation.api.dependencies import OrderingServices
from shared_kernel.errors import DomainError, InvalidValueError, InvariantViolationError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.presentation.api import create_app, openapi_document
from shop.presentation.api.application import CONTEXT_ROUTERS, RESOURCES, shop_app
from shop.presentation.api.problems import shop_problems
from shop.presentation.api.tenant_access import act_for_tenant
from shop.settings import Settings
from tenancy.presentation.api import tenancy as tenancy_api

pytestmark = pytest.mark.anyio

PROBLEM_TYPES = "tag:shop.example,2025:problems/"
# Nothing listens on port 1 of the loopback interface: connecting is refused at once.
UNREACHABLE = "postgresql+asyncpg://shop@127.0.0.1:1/shop"
ACME = {"X-Tenant-ID": "acme"}


class UnknownThingError(DomainError):
    pass


class VanishedThingError(UnknownThingError):
    pass


class NewRuleBrokenError(DomainError):
    pass


# Annotated as a context annotates its own: a mapping is invariant in its key type.
THING_PROBLEM_TYPES: dict[type[Exception], tuple[int, str, str]] = {
    UnknownThingError: (404, "unknown-thing", "Unknown thing")
}
ERRORS: dict[str, Exception] = {
    "unknown": UnknownThingError("no thing has the id 7"),
    "vanished": VanishedThingError("thing 7 vanished"),
    "new-rule": NewRuleBrokenError("things must be blue"),
    "invalid-value": InvalidValueError("not a colour: 'plaid'"),
    "invariant": InvariantViolationError("a thing needs a name"),
    "conflict": ConcurrencyConflictError("thing 7 was changed by someone else"),
    "bug": RuntimeError("secret internals"),
}


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)


things = APIRouter(prefix="/things", tags=["things"])


async def tenant_on_request(request: Request) -> TenantId:
    # Where a context's dependency reads the tenant: the platform promises to put it there
    # before the endpoint's own dependencies run.
    tenant_id: TenantId = request.state.tenant_id
    return tenant_id


@things.post("", status_code=201)
async def add_thing(
    thing: Thing, tenant_id: Annotated[TenantId, Depends(tenant_on_request)]
) -> dict[str, Any]:
    return {"tenant": tenant_id.value, **thing.model_dump()}


@things.get("/tenant")
async def things_tenant(
    tenant_id: Annotated[TenantId, Depends(tenant_on_request)],
) -> dict[str, str]:
    return {"tenant": tenant_id.value}


@things.get("/errors/{name}")
async def fail(name: str) -> None:
    raise ERRORS[name]


@things.get("/stream")
async def stream() -> StreamingResponse:
    def chunks() -> Iterator[bytes]:
        yield b"first chunk"
        raise RuntimeError("failed halfway")

    return StreamingResponse(chunks())


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services, [things], [THING_PROBLEM_TYPES])


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == problem_type
    assert problem["status"] == status
    assert problem["instance"] == response.request.url.path
    assert "Traceback" not in response.text
    return problem


async def test_health_answers_without_a_tenant(client: httpx.AsyncClient) -> None:
    live = await client.get("/api/v1/health/live")
    ready = await client.get("/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok"}},
    )


async def test_not_ready_while_the_database_is_unreachable(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"database_url": SecretStr(UNREACHABLE)})
    app = shop_app(bootstrap(unreachable))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        ready = await client.get("/api/v1/health/ready")
        live = await client.get("/api/v1/health/live")

    problem = assert_problem(ready, 503, PROBLEM_TYPES + "service-unavailable")
    assert problem["checks"] == {"database": "failed"}
    assert ready.headers["retry-after"] == "5"
    assert live.status_code == 200  # alive all the same: a restart would not help


@pytest.mark.usefixtures("acme")
async def test_the_tenant_header_names_a_registered_tenant(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/tenant", headers=ACME)
    assert response.status_code == 200
    assert response.json() == {
        "tenant_id": "acme",
        "name": "Acme Corporation",
        "created_at": "2025-03-14T09:26:00Z",
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, (400, "tenant-missing", "the X-Tenant-ID header is required")),
        ({"X-Tenant-ID": "Acme!"}, (400, "tenant-malformed", "X-Tenant-ID: not a tenant id")),
        ({"X-Tenant-ID": "globex"}, (404, "unknown-tenant", "no tenant has the id globex")),
    ],
)
@pytest.mark.parametrize("request_line", [("GET", "/api/v1/tenant"), ("POST", "/api/v1/things")])
@pytest.mark.usefixtures("acme")
async def test_a_missing_malformed_or_unknown_tenant_is_a_problem(
    client: httpx.AsyncClient,
    request_line: tuple[str, str],
    headers: dict[str, str],
    expected: tuple[int, str, str],
) -> None:
    method, path = request_line
    status, slug, detail = expected

    response = await client.request(
        method, path, headers=headers, json={"name": "bolt", "quantity": 1}
    )

    problem = assert_problem(response, status, PROBLEM_TYPES + slug)
    assert problem["detail"].startswith(detail)


@pytest.mark.usefixtures("acme")
async def test_a_context_endpoint_gets_the_tenant_resolved_once(
    client: httpx.AsyncClient, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    with count_statements() as statements:
        response = await client.post(
            "/api/v1/things", headers=ACME, json={"name": "bolt", "quantity": 3}
        )

    assert response.status_code == 201
    assert response.json() == {"tenant": "acme", "name": "bolt", "quantity": 3}
    assert len([s for s in statements if "FROM tenants" in s]) == 1


@pytest.mark.usefixtures("acme")
async def test_the_tenant_is_on_the_request_state_before_a_contexts_dependencies_run(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/things/tenant", headers=ACME)

    assert (response.status_code, response.json()) == (200, {"tenant": "acme"})


@pytest.mark.usefixtures("acme")
async def test_invalid_input_is_a_422_problem_naming_every_field(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/things", headers=ACME, json={"name": "", "quantity": 0, "colour": "chartreuse"}
    )

    problem = assert_problem(response, 422, PROBLEM_TYPES + "invalid-request")
    assert problem["detail"] == "3 field(s) of the request are invalid"
    assert [error["location"] for error in problem["errors"]] == [
        ["body", "name"],
        ["body", "quantity"],
        ["body", "colour"],
    ]
    assert "chartreuse" not in response.text  # the rejected input is not echoed


@pytest.mark.usefixtures("acme")
async def test_a_body_that_is_not_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/things",
        headers={**ACME, "Content-Type": "application/json"},
        content=b'{"name": "bolt", ',
    )

    problem = assert_problem(response, 400, PROBLEM_TYPES + "malformed-json")
    assert problem["detail"] == "the request body is not valid JSON"
    assert problem["errors"][0]["location"][0] == "body"


@pytest.mark.usefixtures("acme")
async def test_a_body_not_sent_as_json_is_a_415_naming_the_type(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/things", headers=ACME, data={"name": "bolt", "quantity": "1"}
    )

    problem = assert_problem(response, 415, PROBLEM_TYPES + "unsupported-media-type")
    assert problem["detail"] == (
        "the request body must be sent as application/json;"
        " this one came as application/x-www-form-urlencoded"
    )
    assert response.headers["accept"] == "application/json"


async def test_routing_errors_are_problems_too(client: httpx.AsyncClient) -> None:
    not_found = await client.get("/api/v0/things")
    wrong_method = await client.delete("/api/v1/health/live")

    assert assert_problem(not_found, 404, "about:blank")["title"] == "Not Found"
    assert assert_problem(wrong_method, 405, "about:blank")["title"] == "Method Not Allowed"
    assert wrong_method.headers["allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown", (404, "unknown-thing", "Unknown thing")),
        ("vanished", (404, "unknown-thing", "Unknown thing")),
        ("new-rule", (422, "domain-error", "Request breaks a business rule")),
        ("invalid-value", (422, "invalid-value", "Invalid value")),
        ("invariant", (409, "rule-violated", "Business rule violated")),
        ("conflict", (409, "edit-conflict", "Changed by someone else")),
    ],
)
@pytest.mark.usefixtures("acme")
async def test_errors_answer_with_the_problem_type_of_their_nearest_registered_class(
    client: httpx.AsyncClient, name: str, expected: tuple[int, str, str]
) -> None:
    status, slug, title = expected

    response = await client.get(f"/api/v1/things/errors/{name}", headers=ACME)

    problem = assert_problem(response, status, PROBLEM_TYPES + slug)
    assert (problem["title"], problem["detail"]) == (title, str(ERRORS[name]))


@pytest.mark.usefixtures("acme")
async def test_a_bug_is_a_logged_bare_500_problem(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/api/v1/things/errors/bug", headers=ACME)

    problem = assert_problem(response, 500, "about:blank")
    assert problem["detail"] == "the server failed to handle the request"
    assert "secret internals" not in response.text
    [record] = caplog.records
    assert (record.getMessage(), record.levelname) == ("unexpected_error", "ERROR")
    assert record.exc_info is not None
    assert (record.__dict__["method"], record.__dict__["path"]) == (
        "GET",
        "/api/v1/things/errors/bug",
    )


@pytest.mark.usefixtures("acme")
async def test_a_failure_after_the_response_started_is_logged_and_cuts_it_off(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(RuntimeError, match="failed halfway"):
        await client.get("/api/v1/things/stream", headers=ACME)

    assert [record.getMessage() for record in caplog.records] == ["unexpected_error"]


def test_two_contexts_cannot_give_one_error_two_problem_types() -> None:
    shop_problems([THING_PROBLEM_TYPES, THING_PROBLEM_TYPES])  # the same twice is fine

    with pytest.raises(ValueError, match="UnknownThingError already answers with"):
        shop_problems([THING_PROBLEM_TYPES, {UnknownThingError: (410, "gone", "Gone")}])


async def test_the_api_root_links_to_the_resources_and_the_docs(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1")

    links = {name: link["href"] for name, link in response.json()["links"].items()}
    assert links == {
        "self": "/api/v1",
        "service-desc": "/openapi.json",
        "service-doc": "/docs",
        "tenant": "/api/v1/tenant",
        "me": "/api/v1/me",
        "token": "/api/v1/auth/token",
        "products": "/api/v1/products",
        "orders": "/api/v1/orders",
        "graphql": "/api/v1/graphql",
        "audit-entries": "/api/v1/audit-entries",
        "health": "/api/v1/health/ready",
    }
    document = (await client.get(links["service-desc"])).json()
    assert {"/api/v1", "/api/v1/tenant", "/api/v1/things"} <= document["paths"].keys()


async def test_the_docs_are_served_from_the_apps_own_files(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")

    referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert referenced
    assert all(path.startswith("/docs/") for path in referenced)  # nothing from another host
    for path in referenced:
        assert (await client.get(path)).status_code == 200


async def test_context_routers_are_mounted_under_api_v1_and_need_the_tenant(app: FastAPI) -> None:
    operation = app.openapi()["paths"]["/api/v1/things"]["post"]

    assert operation["tags"] == ["things"]
    assert {"name": "x-tenant-id", "in": "header"}.items() <= operation["parameters"][0].items()


def test_the_openapi_document_describes_the_shop_without_a_database() -> None:
    document = openapi_document()

    assert document["info"]["title"] == "Shop"
    assert document["info"]["version"] == "1.0.0"
    assert "RFC 9457" in document["info"]["description"]
    assert {"/api/v1", "/api/v1/health/ready", "/api/v1/tenant"} <= document["paths"].keys()
    # The platform's tags first; each context's tests check its own.
    assert [tag["name"] for tag in document["tags"]][:3] == ["api", "health", "tenancy"]
    responses = document["paths"]["/api/v1/tenant"]["get"]["responses"]
    assert "application/problem+json" in responses["4XX"]["content"]
    # The problem responses replace FastAPI's own validation error schema.
    assert "HTTPValidationError" not in json.dumps(document)


async def test_the_shop_app_serves_the_platform_routes(services: Services) -> None:
    transport = httpx.ASGITransport(app=shop_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/v1/health/live")
    assert response.status_code == 200


async def test_the_services_implement_every_contexts_port(services: Services) -> None:
    # Annotated, so that mypy proves it as well: Services names neither port.
    catalog: CatalogServices = services
    ordering: OrderingServices = services

    assert isinstance(catalog, CatalogServices)
    assert isinstance(ordering, OrderingServices)


def dependencies_of(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub_dependant in dependant.dependencies:
        if sub_dependant.call is not None:
            yield sub_dependant.call
        yield from dependencies_of(sub_dependant)


async def test_the_shop_app_wires_nothing_through_dependency_overrides(services: Services) -> None:
    assert shop_app(services).dependency_overrides == {}


async def test_no_endpoint_or_dependency_of_the_shop_runs_in_the_thread_pool(
    services: Services,
) -> None:
    # What api_v1 composes (its root, the platform's routers and the contexts', behind
    # act_for_tenant), and what the app serves beside it (the docs).
    v1 = APIRouter()
    add_api_root(v1, RESOURCES)
    routers = [v1, health_router(shop_problems([]), {}), tenancy_api.router, *CONTEXT_ROUTERS]
    routes = [
        *(route for router in routers for route in router.routes),
        *shop_app(services).routes,
    ]
    calls = {
        act_for_tenant,
        *dependencies_of(get_dependant(path="", call=act_for_tenant)),
        *(
            call
            for route in routes
            if isinstance(route, APIRoute)
            for call in [route.endpoint, *dependencies_of(route.dependant)]
        ),
    }

    # FastAPI runs a plain `def` endpoint or dependency in its thread pool, on every request;
    # an object is called through its __call__ (FastAPI's OAuth2 scheme is one).
    def blocking(call: Any) -> bool:
        function = call if inspect.isroutine(call) else type(call).__call__
        return not inspect.iscoroutinefunction(function)

    assert [call for call in calls if blocking(call)] == []
    assert {"api_root", "ready", "api_docs", "tenant_directory", "product_queries", "clock"} <= {
        getattr(call, "__name__", "") for call in calls
    }


async def test_shutting_down_disposes_the_connection_pool(app: FastAPI, services: Services) -> None:
    pool = services.engine.pool
    async with app.router.lifespan_context(app):
        assert services.engine.pool is pool
    assert services.engine.pool is not pool  # dispose() replaced it with a fresh, empty one
