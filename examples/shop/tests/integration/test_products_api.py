"""The products endpoints in-process, through the shop's app, on a database of their own.

Every endpoint, every error path: each error is a problem document, and a refused
request changes nothing (the catalog is read back afterwards).
"""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from catalog.application.dto.product_commands import RepriceProduct
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.application.use_cases.reprice_product import reprice_product
from catalog.infrastructure.database.unit_of_work import SqlAlchemyCatalogUnitOfWork
from catalog.presentation.api import dependencies, problems
from catalog.presentation.api import products as api
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.outbox import write_events
from shop.presentation.api import create_app

from .conftest import owner_of_both

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme", "globex")]

PROBLEMS = "tag:shop.example,2025:problems/"
ACME, GLOBEX = {"X-Tenant-ID": "acme"}, {"X-Tenant-ID": "globex"}
PRODUCTS = "/api/v1/products"
MUG = {"sku": "mug-001", "name": " Enamel mug ", "price": {"amount": "12.5", "currency": "EUR"}}


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    assert problem["instance"] == response.request.url.path
    return problem


async def add(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(PRODUCTS, json={**MUG, **fields}, headers=ACME)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def catalog(client: httpx.AsyncClient, headers: dict[str, str] = ACME) -> list[Any]:
    response = await client.get(PRODUCTS, params={"limit": 100}, headers=headers)
    assert response.status_code == 200
    items: list[Any] = response.json()["items"]
    return items


# --8<-- [start:api-add-test]
async def test_adding_a_product_answers_201_with_its_location(client: httpx.AsyncClient) -> None:
    response = await client.post(PRODUCTS, json=MUG, headers=ACME)

    assert response.status_code == 201
    product = response.json()
    assert product == {
        "id": product["id"],
        "sku": "MUG-001",
        "name": "Enamel mug",
        "price": {"amount": "12.50", "currency": "EUR"},
        "active": True,
    }
    assert response.headers["location"] == f"{PRODUCTS}/{product['id']}"
    assert (await client.get(response.headers["location"], headers=ACME)).json() == product


# --8<-- [end:api-add-test]


async def test_the_list_is_paged_by_cursor_in_sku_order(client: httpx.AsyncClient) -> None:
    for sku in ("SKU-003", "SKU-001", "SKU-002"):
        await add(client, sku=sku)

    first = (await client.get(PRODUCTS, params={"limit": 2}, headers=ACME)).json()
    after = {"limit": 2, "after": first["next_cursor"]}
    second = (await client.get(PRODUCTS, params=after, headers=ACME)).json()

    assert [p["sku"] for p in first["items"]] == ["SKU-001", "SKU-002"]
    assert [p["sku"] for p in second["items"]] == ["SKU-003"]
    assert second["next_cursor"] is None


async def test_reprice_changes_the_price(client: httpx.AsyncClient) -> None:
    product = await add(client)

    response = await client.post(
        f"{PRODUCTS}/{product['id']}/reprice",
        json={"price": {"amount": "13", "currency": "EUR"}},
        headers=ACME,
    )

    assert response.status_code == 200
    assert response.json() == {**product, "price": {"amount": "13.00", "currency": "EUR"}}


async def test_discontinue_keeps_the_product_readable_and_inactive(
    client: httpx.AsyncClient,
) -> None:
    product = await add(client)

    response = await client.post(f"{PRODUCTS}/{product['id']}/discontinue", headers=ACME)

    assert response.status_code == 200
    assert response.json() == {**product, "active": False}
    assert await catalog(client) == [{**product, "active": False}]


async def test_a_discontinued_product_refuses_changes(client: httpx.AsyncClient) -> None:
    product = await add(client)
    await client.post(f"{PRODUCTS}/{product['id']}/discontinue", headers=ACME)

    again = await client.post(f"{PRODUCTS}/{product['id']}/discontinue", headers=ACME)
    reprice = await client.post(
        f"{PRODUCTS}/{product['id']}/reprice",
        json={"price": {"amount": "1.00", "currency": "EUR"}},
        headers=ACME,
    )

    for response in (again, reprice):
        problem = assert_problem(response, 409, "product-discontinued")
        assert problem["detail"] == f"product {product['id']} is discontinued and cannot be changed"
    assert await catalog(client) == [{**product, "active": False}]


async def test_a_taken_sku_is_a_409(client: httpx.AsyncClient) -> None:
    product = await add(client)

    response = await client.post(PRODUCTS, json={**MUG, "name": "Other"}, headers=ACME)

    problem = assert_problem(response, 409, "sku-taken")
    assert problem["detail"] == "a product with the SKU MUG-001 already exists"
    assert await catalog(client) == [product]


async def test_repricing_in_another_currency_is_a_422(client: httpx.AsyncClient) -> None:
    product = await add(client)

    response = await client.post(
        f"{PRODUCTS}/{product['id']}/reprice",
        json={"price": {"amount": "13.00", "currency": "USD"}},
        headers=ACME,
    )

    assert (
        assert_problem(response, 422, "currency-mismatch")["detail"]
        == "cannot combine EUR with USD"
    )
    assert await catalog(client) == [product]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("POST", "/reprice", {"price": {"amount": "1.00", "currency": "EUR"}}),
        ("POST", "/discontinue", None),
    ],
)
async def test_an_unknown_product_is_a_404(
    client: httpx.AsyncClient, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    product_id = uuid4()

    response = await client.request(
        method, f"{PRODUCTS}/{product_id}{suffix}", json=body, headers=ACME
    )

    problem = assert_problem(response, 404, "product-not-found")
    assert problem["detail"] == f"no product has the id {product_id}"


async def test_a_malformed_product_id_is_a_422_naming_the_path(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{PRODUCTS}/not-a-uuid", headers=ACME)

    problem = assert_problem(response, 422, "invalid-request")
    assert [error["location"] for error in problem["errors"]] == [["path", "product_id"]]


# --8<-- [start:api-bad-input-test]
@pytest.mark.parametrize(
    ("content", "status", "slug", "location"),
    [
        (b'{"sku": "MUG-002", ', 400, "malformed-json", ["body", 19]),
        (
            b'{"sku": 7, "name": "Mug", "price": {"amount": "1", "currency": "EUR"}}',
            422,
            "invalid-request",
            ["body", "sku"],
        ),
        (
            b'{"sku": "MUG-002", "name": "Mug", "price": {"amount": "-1", "currency": "EUR"}}',
            422,
            "invalid-request",
            ["body", "price", "amount"],
        ),
        (
            b'{"sku": "MUG-002", "name": "Mug", "price": {"amount": "1.5", "currency": "JPY"}}',
            422,
            "invalid-request",
            ["body", "price"],
        ),
        (
            b'{"sku": "MUG-002", "name": "Mug", "price": {"amount": "x", "currency": "EUR"}}',
            422,
            "invalid-request",
            ["body", "price", "amount"],
        ),
        (
            b'{"sku": "MUG-002", "name": "Mug", "price": {"amount": "1", "currency": "EUR"},'
            b' "stock": 5}',
            422,
            "invalid-request",
            ["body", "stock"],
        ),
        (
            b'{"sku": "MUG-002", "name": "  ", "price": {"amount": "1", "currency": "EUR"}}',
            422,
            "invalid-request",
            ["body", "name"],
        ),
        (b"[]", 422, "invalid-request", ["body"]),
    ],
)
async def test_bad_input_is_a_problem_that_changes_nothing(
    client: httpx.AsyncClient, content: bytes, status: int, slug: str, location: list[Any]
) -> None:
    before = await catalog(client)
    headers = {**ACME, "Content-Type": "application/json"}

    response = await client.post(PRODUCTS, content=content, headers=headers)

    problem = assert_problem(response, status, slug)
    assert location in [error["location"] for error in problem["errors"]]
    assert await catalog(client) == before


# --8<-- [end:api-bad-input-test]


@pytest.mark.parametrize(
    "body",
    [
        {"price": {"amount": "-0.01", "currency": "EUR"}},
        {"price": {"amount": "1.00", "currency": "EUR"}, "active": False},
        {"price": {"amount": 1.5, "currency": "EUR"}, "currency": "EUR"},
        {"amount": "1.00"},
        {"price": {"amount": "1.00", "currency": "XXX"}},
    ],
)
async def test_a_bad_reprice_is_a_422_that_changes_nothing(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    product = await add(client)

    response = await client.post(f"{PRODUCTS}/{product['id']}/reprice", json=body, headers=ACME)

    assert_problem(response, 422, "invalid-request")
    assert await catalog(client) == [product]


async def test_an_oversized_body_is_a_413_that_changes_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    oversized = {**MUG, "name": "x" * services.settings.max_request_body_size}

    response = await client.post(PRODUCTS, json=oversized, headers=ACME)

    assert_problem(response, 413, "body-too-large")
    assert await catalog(client) == []


@pytest.mark.parametrize(
    ("params", "slug", "location"),
    [
        ({"after": "bm90IGEgY3Vyc29y"}, "invalid-cursor", None),
        ({"limit": 0}, "invalid-request", ["query", "limit"]),
        ({"limit": 101}, "invalid-request", ["query", "limit"]),
        ({"limit": "ten"}, "invalid-request", ["query", "limit"]),
        ({"offset": 20}, "invalid-request", ["query", "offset"]),
    ],
)
async def test_a_bad_page_request_is_a_422(
    client: httpx.AsyncClient, params: dict[str, Any], slug: str, location: list[str] | None
) -> None:
    response = await client.get(PRODUCTS, params=params, headers=ACME)

    problem = assert_problem(response, 422, slug)
    if location is not None:
        assert location in [error["location"] for error in problem["errors"]]


@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({}, 400, "tenant-missing"),
        ({"X-Tenant-ID": "-bad"}, 400, "tenant-malformed"),
        ({"X-Tenant-ID": "initech"}, 404, "unknown-tenant"),
    ],
)
async def test_every_products_endpoint_needs_a_registered_tenant(
    client: httpx.AsyncClient, headers: dict[str, str], status: int, slug: str
) -> None:
    product = await add(client)
    price = {"price": {"amount": "1.00", "currency": "EUR"}}
    requests: list[tuple[str, str, Any]] = [
        ("GET", PRODUCTS, None),
        ("GET", f"{PRODUCTS}/{product['id']}", None),
        ("POST", PRODUCTS, {**MUG, "sku": "NEW-001"}),
        ("POST", f"{PRODUCTS}/{product['id']}/reprice", price),
        ("POST", f"{PRODUCTS}/{product['id']}/discontinue", None),
    ]

    for method, url, body in requests:
        assert_problem(await client.request(method, url, json=body, headers=headers), status, slug)
    assert await catalog(client) == [product]


async def test_a_tenant_never_sees_or_changes_another_tenants_products(
    client: httpx.AsyncClient,
) -> None:
    product = await add(client)
    url = f"{PRODUCTS}/{product['id']}"

    assert (await client.get(url, headers=GLOBEX)).status_code == 404
    assert (await client.post(f"{url}/discontinue", headers=GLOBEX)).status_code == 404
    assert await catalog(client, GLOBEX) == []
    assert (await client.post(PRODUCTS, json=MUG, headers=GLOBEX)).status_code == 201
    assert await catalog(client) == [product]


class RacingUnitOfWork(SqlAlchemyCatalogUnitOfWork):
    """A unit of work that lets a rival command commit first, just before it commits."""

    def __init__(self, services: Services, rival: Callable[[], Awaitable[object]]) -> None:
        super().__init__(services.engine, TenantId("acme"), write_events)
        self._rival = rival

    async def commit(self) -> None:
        await self._rival()
        await super().commit()


async def test_a_change_that_lost_a_race_is_a_409(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    product = await add(client)
    product_id = UUID(product["id"])

    async def rival() -> object:
        price = {"amount": "20.00", "currency": "EUR"}
        command = RepriceProduct.model_validate({"product_id": product_id, "price": price})
        return await reprice_product(
            command, services.catalog_unit_of_work(TenantId("acme")), actor=OPERATOR
        )

    async def racing_unit_of_work() -> CatalogUnitOfWork:
        return RacingUnitOfWork(services, rival)

    app.dependency_overrides[dependencies.catalog_unit_of_work] = racing_unit_of_work

    response = await client.post(f"{PRODUCTS}/{product_id}/discontinue", headers=ACME)

    assert_problem(response, 409, "edit-conflict")
    [stored] = await catalog(client)
    assert (stored["active"], Decimal(stored["price"]["amount"])) == (True, Decimal("20.00"))


async def test_the_catalog_joins_an_app_with_its_router_and_problem_types_alone(
    services: Services,
) -> None:
    app = create_app(services, [api.router], [problems.PROBLEM_TYPES])
    transport = httpx.ASGITransport(app=app)
    owner = owner_of_both(services)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=owner
    ) as client:
        created = await client.post(PRODUCTS, json=MUG, headers=ACME)
        listed = await client.get(PRODUCTS, headers=ACME)

    assert created.status_code == 201
    assert listed.json()["items"] == [created.json()]
    assert app.dependency_overrides == {}


async def test_mounted_without_the_tenant_resolved_the_endpoints_fail_as_a_500(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(services)
    app.include_router(api.router, prefix="/api/v1")  # by hand: no act_for_tenant in front
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        responses = [
            await client.get(PRODUCTS, headers=ACME),
            await client.post(PRODUCTS, json=MUG, headers=ACME),
        ]

    for response in responses:
        assert response.status_code == 500
        assert response.json()["detail"] == "the server failed to handle the request"
    assert [record.getMessage() for record in caplog.records] == ["unexpected_error"] * 2


async def test_the_openapi_document_describes_the_products_endpoints(app: FastAPI) -> None:
    document = app.openapi()
    paths = document["paths"]

    operations = {
        (method.upper(), path)
        for path, item in paths.items()
        if path.startswith(PRODUCTS)
        for method in item
    }
    assert operations == {
        ("GET", PRODUCTS),
        ("POST", PRODUCTS),
        ("GET", f"{PRODUCTS}/{{product_id}}"),
        ("POST", f"{PRODUCTS}/{{product_id}}/reprice"),
        ("POST", f"{PRODUCTS}/{{product_id}}/discontinue"),
    }
    for path, item in paths.items():
        for operation in item.values() if path.startswith(PRODUCTS) else ():
            assert operation["tags"] == ["products"]
            assert "application/problem+json" in operation["responses"]["4XX"]["content"]
            assert "422" not in operation["responses"]  # no HTTPValidationError schema
    created = paths[PRODUCTS]["post"]["responses"]["201"]
    assert "Location" in created["headers"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/ProductView")
    assert "products" in [tag["name"] for tag in document["tags"]]
