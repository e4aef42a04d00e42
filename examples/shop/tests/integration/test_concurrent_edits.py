"""Concurrent edits of one aggregate: one winner per version, 409 for the others, nothing lost.

Two kinds of race, on SQLite and on the server in ``DATABASE_URL``: units of work that
all load the same version before any commits (a barrier makes it certain), and requests
fired at once through the HTTP API, where some load before and some after a winner
commits. The version check that decides them is the infrastructure kernel's
``TrackedRepository`` (ADR 24).
"""

import asyncio
import json
from collections import Counter
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.domain.entities.product import Product
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from ordering.application.dto.order_commands import PayOrder
from ordering.application.use_cases.pay_order import pay_order
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.repositories.order_repository import load_order
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.authorization import OPERATOR
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import outbox

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

ACME = TenantId("acme")
HEADERS = {"X-Tenant-ID": "acme"}
RACERS = 10  # units of work holding a connection at once; the test engine's pool has 15
REQUESTS = 20  # requests at once; those without a connection wait for one


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


async def events(engine: AsyncEngine) -> list[tuple[str, dict[str, Any]]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox).order_by(outbox.c.occurred_at))).all()
    return [(row.event_name, json.loads(row.payload)) for row in rows]


async def stored_product(services: Services) -> Product:
    product = Product.add(
        ACME, ProductId.new(), sku=Sku("MUG-001"), name=ProductName("Mug"), price=eur("10.00")
    )
    async with services.catalog_unit_of_work(ACME) as uow:
        await uow.products.add(product)
        await uow.commit()
    return product


async def stored_order(services: Services) -> Order:
    line = OrderLine(
        product_id=UUID(int=1),
        sku="MUG-001",
        name="Mug",
        unit_price=eur("10.00"),
        quantity=Quantity(1),
    )
    order = Order.place(ACME, OrderId.new(), lines=[line], placed_at=services.clock.now())
    async with services.ordering_unit_of_work(ACME) as uow:
        await uow.orders.add(order)
        await uow.commit()
    return order


async def test_racers_that_loaded_one_version_leave_one_winner(
    services: Services, engine: AsyncEngine
) -> None:
    product = await stored_product(services)
    loaded = asyncio.Barrier(RACERS)

    async def reprice(cents: int) -> str:
        async with services.catalog_unit_of_work(ACME) as uow:
            mine = await uow.products.get(product.id)
            assert mine is not None
            await loaded.wait()  # every racer holds version 1 before anyone commits
            mine.reprice(eur(f"{11 + cents / 100:.2f}"))
            try:
                await uow.commit()
            except ConcurrencyConflictError:
                return "conflict"
            return str(mine.price.amount)

    outcomes = await asyncio.gather(*(reprice(n) for n in range(RACERS)))

    winners = [outcome for outcome in outcomes if outcome != "conflict"]
    assert len(winners) == 1
    assert outcomes.count("conflict") == RACERS - 1
    async with services.catalog_unit_of_work(ACME) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None
    assert (str(stored.price.amount), stored.version) == (winners[0], 2)
    assert [name for name, _ in await events(engine)] == ["ProductAdded", "ProductRepriced"]


async def test_orders_that_loaded_one_version_leave_one_winner(
    services: Services, engine: AsyncEngine
) -> None:
    order = await stored_order(services)
    loaded = asyncio.Barrier(RACERS)

    async def move(n: int) -> str:
        async with services.ordering_unit_of_work(ACME) as uow:
            mine = await load_order(uow.orders, order.id)
            await loaded.wait()
            mine.pay() if n % 2 else mine.cancel()
            try:
                await uow.commit()
            except ConcurrencyConflictError:
                return "conflict"
            return mine.status.value

    outcomes = await asyncio.gather(*(move(n) for n in range(RACERS)))

    [winner] = [outcome for outcome in outcomes if outcome != "conflict"]
    async with services.ordering_unit_of_work(ACME) as uow:
        stored = await load_order(uow.orders, order.id)
    assert (stored.status.value, stored.version) == (winner, 2)
    names = [name for name, _ in await events(engine)]
    assert names == ["OrderPlaced", "OrderPaid" if winner == "paid" else "OrderCancelled"]


async def test_concurrent_ship_and_cancel_requests_give_one_winner_per_version(
    services: Services, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    order = await stored_order(services)
    # Paid as the payment provider's webhook pays it: the API has no pay step (ADR 82).
    await pay_order(
        PayOrder(order_id=order.id.value), services.ordering_unit_of_work(ACME), actor=OPERATOR
    )
    url = f"/api/v1/orders/{order.id}"

    responses = await asyncio.gather(
        *(
            client.post(f"{url}/{'ship' if n % 2 else 'cancel'}", headers=HEADERS)
            for n in range(REQUESTS)
        )
    )

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {200, 409}, statuses  # no 500: every loser is told why
    problems = Counter(
        r.json()["type"].rsplit("/", 1)[-1] for r in responses if r.status_code == 409
    )
    assert set(problems) <= {"edit-conflict", "invalid-order-transition"}
    # Each success stored one new version with one event; nothing else was stored.
    recorded = [name for name, _ in await events(engine)][2:]
    assert len(recorded) == statuses[200] >= 1
    async with services.ordering_unit_of_work(ACME) as uow:
        stored = await load_order(uow.orders, order.id)
    assert stored.version == 2 + statuses[200]
    last = {"OrderShipped": OrderStatus.SHIPPED, "OrderCancelled": OrderStatus.CANCELLED}
    assert stored.status is last[recorded[-1]]


async def test_concurrent_reprice_requests_lose_no_winning_price(
    services: Services, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    product = await stored_product(services)
    prices = [f"{11 + n / 100:.2f}" for n in range(REQUESTS)]

    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/products/{product.id}/reprice",
                json={"price": {"amount": price, "currency": "EUR"}},
                headers=HEADERS,
            )
            for price in prices
        )
    )

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {200, 409}, statuses
    won = {r.json()["price"]["amount"] for r in responses if r.status_code == 200}
    repriced = [
        payload["new_price"] for name, payload in await events(engine) if name == "ProductRepriced"
    ]
    assert sorted(repriced) == sorted(won)  # every winner's price, once; no loser's
    async with services.catalog_unit_of_work(ACME) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None
    assert stored.version == 1 + len(won)
    assert str(stored.price.amount) == repriced[-1]


async def test_concurrent_adds_of_one_sku_store_one_product(
    engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    body = {"sku": "MUG-001", "name": "Mug", "price": {"amount": "10.00", "currency": "EUR"}}

    responses = await asyncio.gather(
        *(client.post("/api/v1/products", json=body, headers=HEADERS) for _ in range(REQUESTS))
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 409: REQUESTS - 1}
    assert {r.json()["type"].rsplit("/", 1)[-1] for r in responses if r.status_code == 409} == {
        "sku-taken"
    }
    assert [name for name, _ in await events(engine)] == ["ProductAdded"]
