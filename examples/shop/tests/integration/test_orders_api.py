"""The orders endpoints in-process, through the shop's app: every endpoint, every error.

Bad input is answered with a problem document and changes nothing: the tests that send
it compare every ordering row and every outbox event before and after.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from types import TracebackType
from typing import Any, Self
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct, DiscontinueProduct
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from infrastructure_kernel.http.request_state import request_tenant
from ordering.application.dto.order_commands import CancelOrder, PayOrder
from ordering.application.interfaces.idempotency_store import IdempotencyStore
from ordering.application.interfaces.product_catalog import ProductCatalog
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.pay_order import pay_order
from ordering.domain.repositories.order_repository import OrderRepository
from ordering.infrastructure.database.tables import order_lines, orders
from ordering.presentation.api import dependencies
from ordering.presentation.api import orders as ordering_api
from ordering.presentation.api import problems as ordering_problems
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import idempotency_keys, outbox
from shop.presentation.api import create_app

from .conftest import owner_of_both

pytestmark = pytest.mark.anyio

PROBLEMS = "tag:shop.example,2025:problems/"
ACME, GLOBEX = TenantId("acme"), TenantId("globex")
AS_ACME = {"X-Tenant-ID": "acme"}
AS_GLOBEX = {"X-Tenant-ID": "globex"}


async def add(
    services: Services, sku: str, amount: str, currency: str = "EUR", tenant: TenantId = ACME
) -> str:
    command = AddProduct.model_validate(
        {"sku": sku, "name": f"Product {sku}", "price": {"amount": amount, "currency": currency}}
    )
    return str(
        (await add_product(command, services.catalog_unit_of_work(tenant), actor=OPERATOR)).id
    )


@pytest.fixture
async def mug(services: Services, tenants: None) -> str:  # noqa: ARG001 - needs the tenants
    return await add(services, "MUG-001", "12.50")


@pytest.fixture
async def pen(services: Services, tenants: None) -> str:  # noqa: ARG001 - needs the tenants
    return await add(services, "PEN-001", "4.00")


async def pay(services: Services, order_id: str) -> None:
    """Pay the order as the payment provider's webhook does: not through the API."""
    await pay_order(
        PayOrder(order_id=UUID(order_id)), services.ordering_unit_of_work(ACME), actor=OPERATOR
    )


def body(*lines: tuple[str, Any]) -> dict[str, Any]:
    return {"lines": [{"product_id": product, "quantity": qty} for product, qty in lines]}


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    assert problem["instance"] == response.request.url.path
    return problem


async def ordering_state(engine: AsyncEngine) -> list[list[Any]]:
    """Every row that placing or changing an order could write, in a stable order."""
    statements = [
        select(orders),
        select(order_lines),
        select(idempotency_keys),
        select(outbox).where(outbox.c.event_name.startswith("Order")),
    ]
    async with engine.connect() as connection:
        return [
            sorted(map(tuple, (await connection.execute(statement)).all()), key=str)
            for statement in statements
        ]


@pytest.fixture
async def unchanged(engine: AsyncEngine, mug: str, pen: str) -> AsyncIterator[None]:  # noqa: ARG001
    """Asserts that the test left every ordering row and event as it found them."""
    before = await ordering_state(engine)
    yield
    assert await ordering_state(engine) == before


async def place(
    client: httpx.AsyncClient, *lines: tuple[str, Any], **headers: str
) -> httpx.Response:
    return await client.post("/api/v1/orders", headers={**AS_ACME, **headers}, json=body(*lines))


# Placing orders -----------------------------------------------------------------------


async def test_placing_an_order_answers_201_with_the_order_and_its_location(
    client: httpx.AsyncClient, mug: str, pen: str
) -> None:
    response = await place(client, (mug, 2), (pen, 1))

    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"] == f"/api/v1/orders/{order['id']}"
    assert "idempotent-replayed" not in response.headers
    assert order["status"] == "placed"
    assert [(line["sku"], line["quantity"], line["line_total"]) for line in order["lines"]] == [
        ("MUG-001", 2, {"amount": "25.00", "currency": "EUR"}),
        ("PEN-001", 1, {"amount": "4.00", "currency": "EUR"}),
    ]
    assert order["total"] == {"amount": "29.00", "currency": "EUR"}
    shown = await client.get(response.headers["location"], headers=AS_ACME)
    assert (shown.status_code, shown.json()) == (200, order)


# --8<-- [start:idempotent-retry-test]
async def test_a_retry_with_the_same_key_answers_200_with_the_same_order(
    client: httpx.AsyncClient, mug: str, engine: AsyncEngine
) -> None:
    first = await place(client, (mug, 1), **{"Idempotency-Key": "order-7"})
    retry = await place(client, (mug, 1), **{"Idempotency-Key": "order-7"})

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert len((await ordering_state(engine))[0]) == 1  # exactly one order


# --8<-- [end:idempotent-retry-test]


async def test_without_a_key_every_request_places_an_order(
    client: httpx.AsyncClient, mug: str, engine: AsyncEngine
) -> None:
    responses = [await place(client, (mug, 1)) for _ in range(2)]

    assert [r.status_code for r in responses] == [201, 201]
    assert len((await ordering_state(engine))[0]) == 2


async def test_keys_are_per_tenant(client: httpx.AsyncClient, services: Services, mug: str) -> None:
    theirs = await add(services, "MUG-001", "15.00", tenant=GLOBEX)
    ours = await place(client, (mug, 1), **{"Idempotency-Key": "order-1"})
    response = await client.post(
        "/api/v1/orders",
        headers={**AS_GLOBEX, "Idempotency-Key": "order-1"},
        json=body((theirs, 1)),
    )

    assert (ours.status_code, response.status_code) == (201, 201)
    assert response.json()["id"] != ours.json()["id"]


async def test_the_same_key_with_another_body_is_a_422_problem(
    client: httpx.AsyncClient, mug: str, engine: AsyncEngine
) -> None:
    await place(client, (mug, 1), **{"Idempotency-Key": "order-7"})
    before = await ordering_state(engine)

    response = await place(client, (mug, 2), **{"Idempotency-Key": "order-7"})

    problem = assert_problem(response, 422, "idempotency-key-reused")
    assert problem["detail"] == (
        "the idempotency key 'order-7' was already used for a different request"
    )
    assert await ordering_state(engine) == before


# --8<-- [start:concurrent-retry-test]
async def test_two_concurrent_requests_with_the_same_key_place_one_order(
    client: httpx.AsyncClient, mug: str, engine: AsyncEngine
) -> None:
    racing = [place(client, (mug, 1), **{"Idempotency-Key": "order-7"}) for _ in range(2)]

    responses = await asyncio.gather(*racing)

    # The loser of the race is told to retry (409) or, if it started late enough,
    # finds the key and is answered as a retry (200).
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([200, 201], [201, 409])
    retry = await place(client, (mug, 1), **{"Idempotency-Key": "order-7"})
    assert retry.status_code == 200
    assert retry.json()["id"] in {r.json().get("id") for r in responses}
    assert len((await ordering_state(engine))[0]) == 1  # exactly one order


# --8<-- [end:concurrent-retry-test]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"lines": [{"product_id": "MUG", "quantity": 1}]}, ["body", "lines", 0, "product_id"]),
        (body((str(uuid4()), "2")), ["body", "lines", 0, "quantity"]),  # a string
        (body((str(uuid4()), 2.0)), ["body", "lines", 0, "quantity"]),  # a float
        (body((str(uuid4()), True)), ["body", "lines", 0, "quantity"]),  # a boolean
        (body((str(uuid4()), 0)), ["body", "lines", 0, "quantity"]),
        (body((str(uuid4()), -1)), ["body", "lines", 0, "quantity"]),
        (body((str(uuid4()), 1001)), ["body", "lines", 0, "quantity"]),
        ({"lines": []}, ["body", "lines"]),
        (body(*((str(uuid4()), 1) for _ in range(51))), ["body", "lines"]),
        ({}, ["body", "lines"]),
        ({"lines": "all of them"}, ["body", "lines"]),
        ({**body((str(uuid4()), 1)), "discount": "100%"}, ["body", "discount"]),
        ([], ["body"]),
    ],
    ids=[
        "not-a-uuid",
        "string-quantity",
        "float-quantity",
        "boolean-quantity",
        "zero",
        "negative",
        "too-many",
        "no-lines",
        "more-than-50-lines",
        "missing-lines",
        "lines-not-a-list",
        "unknown-field",
        "not-an-object",
    ],
)
async def test_an_invalid_body_is_a_422_problem_naming_the_field(
    client: httpx.AsyncClient, payload: Any, location: list[Any]
) -> None:
    response = await client.post("/api/v1/orders", headers=AS_ACME, json=payload)

    problem = assert_problem(response, 422, "invalid-request")
    assert location in [error["location"] for error in problem["errors"]]


@pytest.mark.usefixtures("unchanged")
async def test_a_body_that_is_not_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/orders",
        headers={**AS_ACME, "Content-Type": "application/json"},
        content=b'{"lines": [',
    )

    assert_problem(response, 400, "malformed-json")


@pytest.mark.usefixtures("unchanged")
async def test_an_oversized_body_is_a_413_problem(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    lines = [{"product_id": mug, "quantity": 1}] * services.settings.max_request_body_size

    response = await client.post("/api/v1/orders", headers=AS_ACME, json={"lines": lines})

    assert_problem(response, 413, "body-too-large")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({"X-Tenant-ID": "initech"}, 404, "unknown-tenant"),
        ({"X-Tenant-ID": "Initech!"}, 400, "tenant-malformed"),
        ({}, 400, "tenant-missing"),
    ],
)
async def test_an_unknown_malformed_or_missing_tenant_is_a_problem(
    client: httpx.AsyncClient, mug: str, headers: dict[str, str], status: int, slug: str
) -> None:
    response = await client.post("/api/v1/orders", headers=headers, json=body((mug, 1)))

    assert_problem(response, status, slug)


@pytest.mark.usefixtures("unchanged")
async def test_an_overlong_idempotency_key_is_a_422_problem_naming_the_header(
    client: httpx.AsyncClient, mug: str
) -> None:
    response = await place(client, (mug, 1), **{"Idempotency-Key": "k" * 256})

    problem = assert_problem(response, 422, "invalid-request")
    assert [error["location"] for error in problem["errors"]] == [["header", "idempotency-key"]]


@pytest.mark.usefixtures("unchanged")
async def test_an_empty_idempotency_key_is_a_422_problem(
    client: httpx.AsyncClient, mug: str
) -> None:
    response = await place(client, (mug, 1), **{"Idempotency-Key": ""})

    problem = assert_problem(response, 422, "invalid-request")
    assert [error["location"] for error in problem["errors"]] == [["header", "idempotency-key"]]


@pytest.mark.usefixtures("unchanged")
async def test_unknown_discontinued_and_other_tenants_products_are_422_problems(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    old = await add(services, "OLD-001", "1.00")
    await discontinue_product(
        DiscontinueProduct(product_id=UUID(old)),
        services.catalog_unit_of_work(ACME),
        actor=OPERATOR,
    )
    theirs = await add(services, "TEE-001", "20.00", tenant=GLOBEX)

    for product in (str(uuid4()), old, theirs):
        response = await place(client, (mug, 1), (product, 1))
        problem = assert_problem(response, 422, "product-unavailable")
        assert problem["detail"] == f"product {product} is unknown or no longer sold"


@pytest.mark.usefixtures("unchanged")
async def test_a_product_on_two_lines_is_a_422_problem(client: httpx.AsyncClient, mug: str) -> None:
    response = await place(client, (mug, 1), (mug, 2))

    assert_problem(response, 422, "duplicate-order-line")


@pytest.mark.usefixtures("unchanged")
async def test_products_in_two_currencies_are_a_422_problem(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    dollars = await add(services, "CAP-001", "9.00", currency="USD")

    response = await place(client, (mug, 1), (dollars, 1))

    problem = assert_problem(response, 422, "currency-mismatch")
    assert problem["detail"] == "cannot combine EUR with USD"


# Reading orders ----------------------------------------------------------------------


async def test_an_unknown_or_another_tenants_order_is_a_404_problem(
    client: httpx.AsyncClient, mug: str
) -> None:
    ours = (await place(client, (mug, 1))).json()["id"]
    unknown = str(uuid4())

    for tenant, order_id in [(AS_ACME, unknown), (AS_GLOBEX, ours)]:
        response = await client.get(f"/api/v1/orders/{order_id}", headers=tenant)
        problem = assert_problem(response, 404, "order-not-found")
        assert problem["detail"] == f"no order has the id {order_id}"


@pytest.mark.usefixtures("tenants")
async def test_an_order_id_that_is_not_a_uuid_is_a_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/orders/42", headers=AS_ACME)

    problem = assert_problem(response, 422, "invalid-request")
    assert problem["errors"][0]["location"] == ["path", "order_id"]


# --8<-- [start:list-orders-test]
async def test_the_list_pages_newest_first_with_a_cursor_and_filters_by_status(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    placed = [(await place(client, (mug, n))).json()["id"] for n in range(1, 6)]
    await pay(services, placed[0])

    ids: list[str] = []
    query: dict[str, Any] = {"limit": 2}
    while True:
        page = (await client.get("/api/v1/orders", headers=AS_ACME, params=query)).json()
        ids.extend(order["id"] for order in page["items"])
        if page["next_cursor"] is None:
            break
        query["after"] = page["next_cursor"]
    paid = await client.get("/api/v1/orders", headers=AS_ACME, params={"status": "paid"})
    theirs = await client.get("/api/v1/orders", headers=AS_GLOBEX)

    # All placed in the same instant here (a fixed clock): the id orders them.
    assert ids == sorted(placed, key=UUID, reverse=True)
    assert [order["id"] for order in paid.json()["items"]] == [placed[0]]
    assert theirs.json() == {"items": [], "next_cursor": None}


# --8<-- [end:list-orders-test]


@pytest.mark.usefixtures("tenants")
@pytest.mark.parametrize(
    ("query", "status", "slug"),
    [
        ({"after": "bm90LWEtY3Vyc29y"}, 422, "invalid-cursor"),
        ({"limit": 0}, 422, "invalid-request"),
        ({"limit": 51}, 422, "invalid-request"),
        ({"limit": "ten"}, 422, "invalid-request"),
        ({"status": "lost"}, 422, "invalid-request"),
        ({"sort": "total"}, 422, "invalid-request"),
    ],
)
async def test_invalid_list_parameters_are_problems(
    client: httpx.AsyncClient, query: dict[str, Any], status: int, slug: str
) -> None:
    response = await client.get("/api/v1/orders", headers=AS_ACME, params=query)

    assert_problem(response, status, slug)


# Moving orders along -----------------------------------------------------------------


async def test_a_paid_order_is_shipped(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    order_id = (await place(client, (mug, 1))).json()["id"]
    await pay(services, order_id)

    shipped = await client.post(f"/api/v1/orders/{order_id}/ship", headers=AS_ACME)

    assert (shipped.status_code, shipped.json()["status"]) == (200, "shipped")
    shown = await client.get(f"/api/v1/orders/{order_id}", headers=AS_ACME)
    assert shown.json() == shipped.json()


async def test_a_paid_order_is_cancelled(
    client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    order_id = (await place(client, (mug, 1))).json()["id"]
    await pay(services, order_id)

    cancelled = await client.post(f"/api/v1/orders/{order_id}/cancel", headers=AS_ACME)

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")


@pytest.mark.parametrize(
    ("earlier_steps", "refused"),
    [
        ([], ("ship", "placed", "shipped")),
        (["pay", "ship"], ("cancel", "shipped", "cancelled")),
        (["cancel"], ("ship", "cancelled", "shipped")),
        (["cancel"], ("cancel", "cancelled", "cancelled")),
    ],
)
async def test_a_transition_the_state_machine_lacks_is_a_409_problem_naming_both_statuses(  # noqa: PLR0913, PLR0917 - fixtures and parameters
    client: httpx.AsyncClient,
    services: Services,
    engine: AsyncEngine,
    mug: str,
    earlier_steps: list[str],
    refused: tuple[str, str, str],
) -> None:
    step, current, requested = refused
    order_id = (await place(client, (mug, 1))).json()["id"]
    for earlier in earlier_steps:
        if earlier == "pay":
            await pay(services, order_id)
        else:
            await client.post(f"/api/v1/orders/{order_id}/{earlier}", headers=AS_ACME)
    before = await ordering_state(engine)

    response = await client.post(f"/api/v1/orders/{order_id}/{step}", headers=AS_ACME)

    problem = assert_problem(response, 409, "invalid-order-transition")
    assert problem["detail"] == f"order {order_id} cannot go from {current} to {requested}"
    assert await ordering_state(engine) == before


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("step", ["ship", "cancel"])
async def test_moving_an_unknown_order_is_a_404_problem(
    client: httpx.AsyncClient, step: str
) -> None:
    response = await client.post(f"/api/v1/orders/{uuid4()}/{step}", headers=AS_ACME)

    assert_problem(response, 404, "order-not-found")


@pytest.mark.usefixtures("tenants")
async def test_moving_another_tenants_order_is_a_404_problem(
    client: httpx.AsyncClient, services: Services, engine: AsyncEngine
) -> None:
    theirs = await add(services, "TEE-001", "20.00", tenant=GLOBEX)
    response = await client.post("/api/v1/orders", headers=AS_GLOBEX, json=body((theirs, 1)))
    before = await ordering_state(engine)

    moved = await client.post(f"/api/v1/orders/{response.json()['id']}/cancel", headers=AS_ACME)

    assert_problem(moved, 404, "order-not-found")
    assert await ordering_state(engine) == before


class LosesTheRace:
    """A unit of work whose commit lets a competing change commit first: a race, staged."""

    def __init__(self, uow: OrderingUnitOfWork, competitor: Callable[[], Awaitable[Any]]) -> None:
        self._uow = uow
        self._competitor = competitor
        self.tenant_id = uow.tenant_id

    @property
    def orders(self) -> OrderRepository:
        return self._uow.orders

    @property
    def idempotency_keys(self) -> IdempotencyStore:
        return self._uow.idempotency_keys

    @property
    def products(self) -> ProductCatalog:
        return self._uow.products

    async def __aenter__(self) -> Self:
        await self._uow.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._uow.__aexit__(exc_type, exc, traceback)

    async def commit(self) -> None:
        await self._competitor()
        await self._uow.commit()

    async def rollback(self) -> None:
        await self._uow.rollback()


# --8<-- [start:conflict-409-test]
async def test_a_change_that_lost_a_race_is_a_409_problem(
    app: FastAPI, client: httpx.AsyncClient, services: Services, mug: str
) -> None:
    order_id = UUID((await place(client, (mug, 1))).json()["id"])

    async def cancel_meanwhile() -> None:
        await cancel_order(
            CancelOrder(order_id=order_id), services.ordering_unit_of_work(ACME), actor=OPERATOR
        )

    async def racing_unit_of_work(request: Request) -> OrderingUnitOfWork:
        inner = services.ordering_unit_of_work(request_tenant(request))
        return LosesTheRace(inner, cancel_meanwhile)

    app.dependency_overrides[dependencies.ordering_unit_of_work] = racing_unit_of_work
    response = await client.post(f"/api/v1/orders/{order_id}/cancel", headers=AS_ACME)

    problem = assert_problem(response, 409, "edit-conflict")
    assert problem["detail"] == (
        f"order {order_id} was changed by someone else; reload it and try again"
    )
    shown = await client.get(f"/api/v1/orders/{order_id}", headers=AS_ACME)
    assert shown.json()["status"] == "cancelled"  # the competitor's change, not ours


# --8<-- [end:conflict-409-test]


# The wiring ---------------------------------------------------------------------------


async def test_placing_an_order_looks_the_tenant_up_once(
    client: httpx.AsyncClient,
    mug: str,
    count_statements: Callable[[], AbstractContextManager[list[str]]],
) -> None:
    with count_statements() as statements:
        response = await place(client, (mug, 1))

    assert response.status_code == 201
    assert len([s for s in statements if "FROM tenants" in s]) == 1


async def test_ordering_joins_an_app_with_its_router_and_problem_types_alone(
    services: Services, mug: str
) -> None:
    app = create_app(services, [ordering_api.router], [ordering_problems.PROBLEM_TYPES])
    transport = httpx.ASGITransport(app=app)
    owner = owner_of_both(services)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=owner
    ) as client:
        placed = await place(client, (mug, 2))
        listed = await client.get("/api/v1/orders", headers=AS_ACME)

    assert placed.status_code == 201
    assert listed.json()["items"] == [placed.json()]
    assert app.dependency_overrides == {}


@pytest.mark.usefixtures("tenants")
async def test_mounted_without_the_tenant_resolved_the_endpoints_fail_loudly(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(services)
    app.include_router(ordering_api.router, prefix="/api/v1")  # by hand: no act_for_tenant
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/v1/orders", headers=AS_ACME)

    assert response.status_code == 500
    [record] = caplog.records
    assert record.getMessage() == "unexpected_error"
    assert "request.state.tenant_id must be the TenantId" in str(record.exc_info)


async def test_the_openapi_document_describes_the_orders_endpoints(app: FastAPI) -> None:
    document = app.openapi()
    paths = document["paths"]

    assert {
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/orders/{order_id}/ship",
        "/api/v1/orders/{order_id}/cancel",
    } <= paths.keys()
    # Paid by the payment provider's verified webhook only (ADR 82), never by a client.
    assert "/api/v1/orders/{order_id}/pay" not in paths
    assert "orders" in [tag["name"] for tag in document["tags"]]
    placing = paths["/api/v1/orders"]["post"]
    assert placing["tags"] == ["orders"]
    assert {"x-tenant-id", "idempotency-key"} <= {p["name"] for p in placing["parameters"]}
    assert {"Location"} <= placing["responses"]["201"]["headers"].keys()
    assert {"Location", "Idempotent-Replayed"} <= placing["responses"]["200"]["headers"].keys()
    assert "application/problem+json" in placing["responses"]["4XX"]["content"]
    listing = paths["/api/v1/orders"]["get"]
    assert {"after", "limit", "status"} <= {p["name"] for p in listing["parameters"]}
    assert "HTTPValidationError" not in json.dumps(document)


async def test_amounts_are_strings_in_json(client: httpx.AsyncClient, mug: str) -> None:
    order = (await place(client, (mug, 3))).json()

    assert Decimal(order["total"]["amount"]) == Decimal("37.50")
    assert order["total"]["amount"] == "37.50"
