"""Round-trip budgets: what each endpoint of the shop may cost the database, as tests.

Every REST and GraphQL endpoint that reads or writes is called through the app, on SQLite
and on the server in ``DATABASE_URL``, while :func:`counted_round_trips` counts what the
engine does. The budgets (ADR 70, ADR 71):

- the tenant is resolved without a statement once the process has found it;
- a read takes one connection, begins no transaction, and sends as many statements at a
  page size of 50 as at 1 (no N+1);
- a write begins one transaction, and no request holds two connections at once.

A change that makes an endpoint cost more fails here, with the statements it sent.
"""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.database.read_connection import read_connection
from ordering.application.dto.order_commands import PayOrder
from ordering.application.use_cases.pay_order import pay_order
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services

from .round_trips import RoundTrips, counted_round_trips

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

AS_ACME = {"X-Tenant-ID": "acme"}
GRAPHQL = "/api/v1/graphql"
PAGE_SIZES = (1, 50)

Call = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def cost(engine: AsyncEngine, client: httpx.AsyncClient, call: Call) -> RoundTrips:
    """What one request costs; it must succeed."""
    with counted_round_trips(engine) as counts:
        response = await call(client)
    assert response.is_success, response.text
    assert "errors" not in response.text, response.text
    return counts


async def add_product(client: httpx.AsyncClient, sku: str) -> str:
    body = {"sku": sku, "name": f"Product {sku}", "price": {"amount": "2.50", "currency": "EUR"}}
    response = await client.post("/api/v1/products", json=body, headers=AS_ACME)
    assert response.status_code == 201, response.text
    product_id: str = response.json()["id"]
    return product_id


async def place_order(client: httpx.AsyncClient, products: list[str]) -> str:
    body = {"lines": [{"product_id": product, "quantity": 2} for product in products]}
    response = await client.post("/api/v1/orders", json=body, headers=AS_ACME)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


@pytest.fixture
async def shop(client: httpx.AsyncClient) -> dict[str, Any]:
    """Three products and three orders of two lines each; the tenant already found once."""
    products = [await add_product(client, f"SKU-{n}") for n in range(3)]
    orders = [await place_order(client, products[:2]) for _ in range(3)]
    return {"products": products, "orders": orders}


def get(path: str) -> Call:
    return lambda client: client.get(f"/api/v1{path}", headers=AS_ACME)


def post(path: str, body: object = None) -> Call:
    return lambda client: client.post(f"/api/v1{path}", json=body, headers=AS_ACME)


def graphql(query: str) -> Call:
    return lambda client: client.post(GRAPHQL, json={"query": query}, headers=AS_ACME)


def products_query(size: int) -> Call:
    return graphql(f"{{ products(limit: {size}) {{ items {{ sku }} }} }}")


def orders_with_products_query(size: int) -> Call:
    items = "items { id status lines { quantity product { sku price { amount } } } }"
    return graphql(f"{{ orders(limit: {size}) {{ {items} }} }}")


# --8<-- [start:tenant-budget]
async def test_the_tenant_costs_no_statement_once_found(
    engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    first = await cost(engine, client, get("/tenant"))
    again = await cost(engine, client, get("/tenant"))

    assert len(first.statements) == 1  # this process had not met acme yet
    assert (again.checkouts, again.statements) == (0, [])


# --8<-- [end:tenant-budget]


# --8<-- [start:read-budgets]
@pytest.mark.parametrize(
    ("path", "statements"),
    [("/products?limit={size}", 1), ("/orders?limit={size}", 2)],
)
async def test_a_list_takes_one_connection_no_transaction_and_no_n_plus_one(
    engine: AsyncEngine,
    client: httpx.AsyncClient,
    shop: dict[str, Any],  # noqa: ARG001 - the rows to list
    path: str,
    statements: int,
) -> None:
    for size in PAGE_SIZES:
        counts = await cost(engine, client, get(path.format(size=size)))

        assert (counts.checkouts, counts.transactions) == (1, 0)
        assert len(counts.statements) == statements, counts.statements


async def test_reading_one_takes_one_connection_and_no_transaction(
    engine: AsyncEngine, client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    product = await cost(engine, client, get(f"/products/{shop['products'][0]}"))
    order = await cost(engine, client, get(f"/orders/{shop['orders'][0]}"))

    assert (product.checkouts, product.transactions, len(product.statements)) == (1, 0, 1)
    assert (order.checkouts, order.transactions, len(order.statements)) == (1, 0, 2)


# --8<-- [end:read-budgets]


async def test_a_cached_read_takes_no_connection(
    engine: AsyncEngine, client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    for path in ["/products?limit=50", f"/products/{shop['products'][0]}"]:
        await cost(engine, client, get(path))
        cached = await cost(engine, client, get(path))

        assert (cached.checkouts, cached.statements) == (0, [])


# --8<-- [start:graphql-budgets]
async def test_graphql_reads_cost_what_rest_reads_do_and_nested_products_one_more(
    engine: AsyncEngine, client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    for size in PAGE_SIZES:
        products = await cost(engine, client, products_query(size))
        orders = await cost(engine, client, orders_with_products_query(size))

        assert (products.checkouts, products.transactions, len(products.statements)) == (1, 0, 1)
        # The orders and their lines, then every line's product at once (a DataLoader).
        assert (orders.checkouts, orders.most_held, orders.transactions) == (2, 1, 0)
        assert len(orders.statements) == 3, orders.statements
    order = await cost(engine, client, graphql(f'{{ order(id: "{shop["orders"][0]}") {{ id }} }}'))
    assert (order.checkouts, order.transactions, len(order.statements)) == (1, 0, 2)


# --8<-- [end:graphql-budgets]


# --8<-- [start:write-budgets]
async def test_a_write_is_one_transaction_on_one_connection(
    engine: AsyncEngine, client: httpx.AsyncClient, services: Services, shop: dict[str, Any]
) -> None:
    mug, product, order = shop["products"][0], shop["products"][2], shop["orders"][0]
    # Paid as the provider's webhook pays it: the API has no pay step (ADR 82).
    await pay_order(
        PayOrder(order_id=UUID(order)),
        services.ordering_unit_of_work(TenantId("acme")),
        actor=OPERATOR,
    )
    price = {"amount": "3.00", "currency": "EUR"}
    writes = {
        "add a product": post("/products", {"sku": "NEW-1", "name": "New", "price": price}),
        "reprice": post(f"/products/{product}/reprice", {"price": price}),
        "discontinue": post(f"/products/{product}/discontinue"),
        "place an order": post("/orders", {"lines": [{"product_id": mug, "quantity": 1}]}),
        "ship": post(f"/orders/{order}/ship"),
        "cancel": post(f"/orders/{shop['orders'][1]}/cancel"),
    }
    for name, write in writes.items():
        counts = await cost(engine, client, write)

        assert (counts.checkouts, counts.most_held, counts.transactions) == (1, 1, 1), name


# --8<-- [end:write-budgets]


async def test_a_read_is_outside_any_transaction_on_the_server_too(engine: AsyncEngine) -> None:
    # The budgets count SQLAlchemy's own begin; here the driver says what the server saw.
    async with read_connection(engine) as connection:
        await connection.execute(select(1))
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        in_transaction = (
            driver.in_transaction if engine.dialect.name == "sqlite" else driver.is_in_transaction()
        )

    assert in_transaction is False
