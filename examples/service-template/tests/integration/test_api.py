"""The HTTP API in-process, on a real database: status codes, bodies and problems."""

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.bootstrap import Services, bootstrap
from app.presentation.api.application import create_app, openapi_document
from app.settings import Settings

pytestmark = pytest.mark.anyio

CUSTOMERS = "/api/v1/customers"
PROBLEM_TYPES = "tag:customer-directory.example,2025:problems/"
# Nothing listens on port 1 of the loopback interface: connecting is refused at once.
UNREACHABLE = "postgresql+asyncpg://app@127.0.0.1:1/customers"


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def register(client: httpx.AsyncClient, email: str = "ada@example.com") -> dict[str, Any]:
    response = await client.post(CUSTOMERS, json={"email": email, "name": "Ada"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == problem_type
    assert problem["status"] == status
    assert problem["instance"] == response.request.url.path
    assert "Traceback" not in response.text
    return problem


async def test_register_answers_201_with_the_customer_and_its_location(
    client: httpx.AsyncClient, services: Services
) -> None:
    response = await client.post(CUSTOMERS, json={"email": "Ada@Example.com", "name": "Ada"})

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "email": "ada@example.com",
        "name": "Ada",
        "active": True,
        "registered_at": "2025-03-14T09:26:00Z",
    }
    assert response.headers["location"] == f"{CUSTOMERS}/{body['id']}"
    assert (await client.get(response.headers["location"])).json() == body
    assert services.clock.now().isoformat() == "2025-03-14T09:26:00+00:00"


async def test_list_pages_through_the_customers_in_email_order(client: httpx.AsyncClient) -> None:
    for email in ["cy@example.com", "al@example.com", "bo@example.com"]:
        await register(client, email)

    first = (await client.get(CUSTOMERS, params={"limit": 2})).json()
    after = first["next_cursor"]
    second = (await client.get(CUSTOMERS, params={"limit": 2, "after": after})).json()

    assert [item["email"] for item in first["items"]] == ["al@example.com", "bo@example.com"]
    assert ([item["email"] for item in second["items"]], second["next_cursor"]) == (
        ["cy@example.com"],
        None,
    )


async def test_a_cursor_this_list_did_not_hand_out_is_a_422_problem(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(CUSTOMERS, params={"after": "bm90LWEtY3Vyc29y"})

    problem = assert_problem(response, 422, PROBLEM_TYPES + "invalid-cursor")
    assert problem["detail"] == "after is not a cursor of this list; start again without one"


async def test_rename_and_deactivate_change_the_customer(client: httpx.AsyncClient) -> None:
    customer = await register(client)
    url = f"{CUSTOMERS}/{customer['id']}"

    renamed = await client.post(f"{url}/rename", json={"name": "Ada Lovelace"})
    deactivated = await client.post(f"{url}/deactivate")

    assert (renamed.status_code, renamed.json()["name"]) == (200, "Ada Lovelace")
    assert (deactivated.status_code, deactivated.json()["active"]) == (200, False)
    assert (await client.get(url)).json()["name"] == "Ada Lovelace"


async def test_an_unknown_customer_is_a_404_problem(client: httpx.AsyncClient) -> None:
    unknown = uuid4()

    response = await client.get(f"{CUSTOMERS}/{unknown}")

    problem = assert_problem(response, 404, PROBLEM_TYPES + "customer-not-found")
    assert problem["title"] == "Customer not found"
    assert problem["detail"] == f"no customer has the id {unknown}"


async def test_a_taken_email_is_a_409_problem(client: httpx.AsyncClient) -> None:
    await register(client)

    response = await client.post(CUSTOMERS, json={"email": "ADA@example.com", "name": "Ada 2"})

    problem = assert_problem(response, 409, PROBLEM_TYPES + "email-taken")
    assert problem["detail"] == "the e-mail address ada@example.com is already registered"


async def test_changing_a_deactivated_customer_is_a_409_problem(client: httpx.AsyncClient) -> None:
    customer = await register(client)
    url = f"{CUSTOMERS}/{customer['id']}"
    await client.post(f"{url}/deactivate")

    response = await client.post(f"{url}/rename", json={"name": "Someone"})

    assert_problem(response, 409, PROBLEM_TYPES + "customer-inactive")


async def test_invalid_input_is_a_422_problem_naming_every_field(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(CUSTOMERS, json={"email": "ada", "name": "", "age": "chartreuse"})

    problem = assert_problem(response, 422, PROBLEM_TYPES + "invalid-request")
    assert problem["errors"] == [
        {"location": ["body", "email"], "message": "Value error, not an e-mail address: 'ada'"},
        {"location": ["body", "name"], "message": "Value error, a customer name must not be blank"},
        {"location": ["body", "age"], "message": "Extra inputs are not permitted"},
    ]
    # Not a number: a random request id in the answer could hold any digits.
    assert "chartreuse" not in response.text  # the rejected input is not echoed


async def test_malformed_path_and_query_parameters_are_422_problems(
    client: httpx.AsyncClient,
) -> None:
    bad_id = await client.get(f"{CUSTOMERS}/not-a-uuid")
    bad_limit = await client.get(CUSTOMERS, params={"limit": 1000})

    assert assert_problem(bad_id, 422, PROBLEM_TYPES + "invalid-request")["errors"][0][
        "location"
    ] == ["path", "customer_id"]
    assert assert_problem(bad_limit, 422, PROBLEM_TYPES + "invalid-request")["errors"][0][
        "location"
    ] == ["query", "limit"]


async def test_malformed_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        CUSTOMERS, content=b'{"email": ', headers={"Content-Type": "application/json"}
    )

    problem = assert_problem(response, 400, PROBLEM_TYPES + "malformed-json")
    assert problem["detail"] == "the request body is not valid JSON"


async def test_a_body_not_sent_as_json_is_a_415_problem_naming_the_type(
    client: httpx.AsyncClient,
) -> None:
    # What `curl -d '{...}'` sends: the right JSON, announced as a form.
    response = await client.post(
        CUSTOMERS,
        content=b'{"email": "ada@example.com", "name": "Ada"}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    problem = assert_problem(response, 415, PROBLEM_TYPES + "unsupported-media-type")
    assert problem["detail"] == (
        "the request body must be sent as application/json;"
        " this one came as application/x-www-form-urlencoded"
    )
    assert response.headers["accept"] == "application/json"


async def test_a_body_over_the_limit_is_a_413_problem(
    client: httpx.AsyncClient, services: Services
) -> None:
    limit = services.settings.max_request_body_size

    response = await client.post(CUSTOMERS, content=b"x" * (limit + 1))

    problem = assert_problem(response, 413, PROBLEM_TYPES + "body-too-large")
    assert problem["detail"] == f"the request body is larger than {limit} bytes"


async def test_routing_errors_are_problems_too(client: httpx.AsyncClient) -> None:
    not_found = await client.get("/api/v0/customers")
    wrong_method = await client.delete(CUSTOMERS)

    assert assert_problem(not_found, 404, "about:blank")["title"] == "Not Found"
    assert assert_problem(wrong_method, 405, "about:blank")["title"] == "Method Not Allowed"
    assert "POST" in wrong_method.headers["allow"]


async def test_a_bug_is_a_logged_bare_500_problem_without_details(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)

    response = await client.get("/broken")

    problem = assert_problem(response, 500, "about:blank")
    assert problem["detail"] == "the server failed to handle the request"
    assert "secret internals" not in response.text
    [record] = caplog.records
    assert (record.getMessage(), record.levelname) == ("unexpected_error", "ERROR")
    assert (record.__dict__["method"], record.__dict__["path"]) == ("GET", "/broken")


async def test_live_and_ready_with_the_database(client: httpx.AsyncClient) -> None:
    live = await client.get("/api/v1/health/live")
    ready = await client.get("/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok"}},
    )


async def test_not_ready_while_the_database_is_unreachable(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"database_url": SecretStr(UNREACHABLE)})
    transport = httpx.ASGITransport(app=create_app(bootstrap(unreachable)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        ready = await client.get("/api/v1/health/ready")
        live = await client.get("/api/v1/health/live")

    problem = assert_problem(ready, 503, PROBLEM_TYPES + "service-unavailable")
    assert problem["checks"] == {"database": "failed"}
    assert ready.headers["retry-after"] == "5"
    assert live.status_code == 200


async def test_the_api_root_links_to_the_customers_and_the_docs(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1")

    assert response.json()["title"] == "Customer directory"
    links = {name: link["href"] for name, link in response.json()["links"].items()}
    assert links == {
        "self": "/api/v1",
        "service-desc": "/openapi.json",
        "service-doc": "/docs",
        "customers": CUSTOMERS,
        "health": "/api/v1/health/ready",
    }
    for href in links.values():
        assert (await client.get(href)).status_code == 200


async def test_the_docs_load_nothing_from_another_host(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")

    referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(referenced) == [
        "/docs/favicon-32x32.png",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css",
    ]
    for path in referenced:
        assert (await client.get(path)).status_code == 200


async def test_shutting_down_disposes_the_connection_pool(app: FastAPI, services: Services) -> None:
    pool = services.engine.pool
    async with app.router.lifespan_context(app):
        assert services.engine.pool is pool
    assert services.engine.pool is not pool  # dispose() replaced it with a fresh, empty one


async def test_the_openapi_document_is_built_without_a_database(tmp_path: Path) -> None:
    database = tmp_path / "never-created.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
        document = openapi_document()

    assert document["info"]["title"] == "Customer directory"
    assert sorted(document["paths"]) == [
        "/api/v1",
        CUSTOMERS,
        f"{CUSTOMERS}/{{customer_id}}",
        f"{CUSTOMERS}/{{customer_id}}/deactivate",
        f"{CUSTOMERS}/{{customer_id}}/rename",
        "/api/v1/health/live",
        "/api/v1/health/ready",
    ]
    assert not database.exists()
    register = document["paths"][CUSTOMERS]["post"]["responses"]
    assert set(register) == {"201", "4XX", "5XX"}
    assert set(register["4XX"]["content"]) == {"application/problem+json"}
    assert "HTTPValidationError" not in str(document)
