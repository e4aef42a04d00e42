"""Live order status: a real server, real HTTP clients reading its Server-Sent Events.

The app runs in uvicorn on a free port of this machine; the clients are httpx streams.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from ordering.application.dto.order_commands import PayOrder
from ordering.application.interfaces.order_status_feed import OrderStatusChange
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.publish_status_changes import publish_status_changes
from ordering.domain.events.order_events import OrderPaid
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.external.status_feed import InProcessOrderStatusFeed
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.settings import Settings

from .conftest import NOW, owner_of_both

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

PROBLEMS = "tag:shop.example,2025:problems/"
AS_ACME = {"X-Tenant-ID": "acme"}
AS_GLOBEX = {"X-Tenant-ID": "globex"}
ACME = TenantId("acme")


@pytest.fixture
def feed() -> InProcessOrderStatusFeed:
    return InProcessOrderStatusFeed(max_per_tenant=2, max_total=3, heartbeat=0.05)


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings, feed: InProcessOrderStatusFeed) -> Services:
    return Services(settings=settings, engine=engine, clock=FixedClock(NOW), status_feed=feed)


@pytest.fixture
async def server(app: FastAPI, services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """The app in uvicorn on a free port, and a client that talks to it over TCP.

    The client calls as an owner of both tenants.
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    while not running.started:
        await asyncio.sleep(0.01)
    port = running.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=10, headers=owner_of_both(services)
    ) as client:
        yield client
    running.should_exit = True
    await task


async def placed_order(client: httpx.AsyncClient, services: Services) -> str:
    command = AddProduct.model_validate(
        {"sku": "MUG-1", "name": "Mug", "price": {"amount": "3.00", "currency": "EUR"}}
    )
    product = await add_product(command, services.catalog_unit_of_work(ACME), actor=OPERATOR)
    body = {"lines": [{"product_id": str(product.id), "quantity": 1}]}
    response = await client.post("/api/v1/orders", json=body, headers=AS_ACME)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


async def next_event(lines: AsyncIterator[str]) -> dict[str, Any]:
    """The next event's data, skipping heartbeats."""
    event: dict[str, str] = {}
    async for line in lines:
        if line.startswith(":"):
            continue
        if not line and event:
            assert event["event"] == "status"
            data: dict[str, Any] = json.loads(event["data"])
            return data
        if line:
            field, _, value = line.partition(": ")
            event[field] = value
    raise AssertionError("the stream ended")


def events_url(order_id: str) -> str:
    return f"/api/v1/orders/{order_id}/status-events"


# --8<-- [start:live-status-test]
async def test_a_subscriber_sees_each_status_as_it_commits_until_the_last(
    server: httpx.AsyncClient, services: Services
) -> None:
    order_id = await placed_order(server, services)
    async with server.stream("GET", events_url(order_id), headers=AS_ACME) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.aiter_lines()
        assert await next_event(lines) == {"order_id": order_id, "status": "placed"}

        # Paid as the provider's verified webhook pays it (ADR 82), then shipped.
        await pay_order(
            PayOrder(order_id=UUID(order_id)), services.ordering_unit_of_work(ACME), actor=OPERATOR
        )
        assert await next_event(lines) == {"order_id": order_id, "status": "paid"}
        response = await server.post(f"/api/v1/orders/{order_id}/ship", headers=AS_ACME)
        assert response.status_code == 200, response.text
        assert await next_event(lines) == {"order_id": order_id, "status": "shipped"}

        assert [line async for line in lines if not line.startswith(":")] == []  # it ended


# --8<-- [end:live-status-test]


async def test_a_cancelled_order_ends_its_stream(
    server: httpx.AsyncClient, services: Services, feed: InProcessOrderStatusFeed
) -> None:
    order_id = await placed_order(server, services)
    async with server.stream("GET", events_url(order_id), headers=AS_ACME) as stream:
        lines = stream.aiter_lines()
        assert (await next_event(lines))["status"] == "placed"
        await server.post(f"/api/v1/orders/{order_id}/cancel", headers=AS_ACME)
        assert (await next_event(lines))["status"] == "cancelled"
        assert [line async for line in lines if not line.startswith(":")] == []
    assert feed.subscribers == 0


async def test_heartbeats_keep_a_quiet_stream_alive(
    server: httpx.AsyncClient, services: Services
) -> None:
    order_id = await placed_order(server, services)
    heartbeats = 0
    async with server.stream("GET", events_url(order_id), headers=AS_ACME) as stream:
        async for line in stream.aiter_lines():
            heartbeats += line == ": heartbeat"
            if heartbeats == 3:
                break
    assert heartbeats == 3


async def test_another_tenants_order_and_a_missing_one_are_not_found(
    server: httpx.AsyncClient, services: Services, feed: InProcessOrderStatusFeed
) -> None:
    order_id = await placed_order(server, services)
    for headers, order in [(AS_GLOBEX, order_id), (AS_ACME, str(uuid4()))]:
        response = await server.get(events_url(order), headers=headers)
        assert response.status_code == 404
        assert response.json()["type"] == PROBLEMS + "order-not-found"
    assert feed.subscribers == 0  # the places taken for the check were given back


# --8<-- [start:bounds-test]
async def test_beyond_the_bounds_a_subscriber_is_told_when_to_come_back(
    server: httpx.AsyncClient, services: Services, feed: InProcessOrderStatusFeed
) -> None:
    order_id = await placed_order(server, services)
    async with (
        server.stream("GET", events_url(order_id), headers=AS_ACME) as first,
        server.stream("GET", events_url(order_id), headers=AS_ACME) as second,
    ):
        assert (first.status_code, second.status_code) == (200, 200)
        refused = await server.get(events_url(order_id), headers=AS_ACME)  # the tenant's bound
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "5"
        assert refused.headers["content-type"] == "application/problem+json"
        assert "acme has 2 subscribers" in refused.json()["detail"]

        feed.max_total = 2  # the process's bound, reached by acme's two
        refused = await server.get(events_url(str(uuid4())), headers=AS_GLOBEX)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "5"
    while feed.subscribers:  # the server notices the clients left
        await asyncio.sleep(0.01)


# --8<-- [end:bounds-test]


def change(order_id: UUID, status: OrderStatus) -> OrderStatusChange:
    return OrderStatusChange(order_id, status, datetime(2025, 1, 1, tzinfo=UTC), uuid4())


async def test_a_slow_subscriber_keeps_the_latest_changes_and_never_blocks() -> None:
    feed = InProcessOrderStatusFeed(heartbeat=0.01)
    order_id = uuid4()
    subscription = feed.subscribe(ACME, order_id)
    for _ in range(20):
        feed.publish(ACME, change(order_id, OrderStatus.PAID))
    feed.publish(ACME, change(order_id, OrderStatus.SHIPPED))
    feed.publish(TenantId("globex"), change(order_id, OrderStatus.CANCELLED))  # not acme's
    received = []
    while (next_one := await subscription.next_change()) is not None:
        received.append(next_one.status)
    assert received == [OrderStatus.PAID] * 7 + [OrderStatus.SHIPPED]
    subscription.close()
    subscription.close()
    assert feed.subscribers == 0


async def test_only_status_events_are_published() -> None:
    feed = InProcessOrderStatusFeed(heartbeat=0.01)
    order_id = uuid4()
    subscription = feed.subscribe(ACME, order_id)
    events: list[DomainEvent] = [DomainEvent(), OrderPaid(tenant_id="acme", order_id=order_id)]
    await publish_status_changes(feed, events)
    first = await subscription.next_change()
    assert first is not None
    assert first.status is OrderStatus.PAID
    assert await subscription.next_change() is None
    subscription.close()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(order_id=st.text(min_size=1, max_size=80))
async def test_hostile_order_ids_are_problems_never_a_500(
    client: httpx.AsyncClient, order_id: str
) -> None:
    response = await client.get(events_url(quote(order_id, safe="")), headers=AS_ACME)
    assert response.status_code in {404, 422}, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_change_that_comes_twice_reaches_the_subscriber_once() -> None:
    feed = InProcessOrderStatusFeed(heartbeat=0.01, remembered=2)
    order_id = uuid4()
    subscription = feed.subscribe(ACME, order_id)
    paid, shipped, cancelled = (
        change(order_id, OrderStatus(s)) for s in ("paid", "shipped", "cancelled")
    )
    for twice in [paid, paid, shipped, cancelled, paid]:  # paid is forgotten by the last
        feed.publish(ACME, twice)
    received = []
    while (next_one := await subscription.next_change()) is not None:
        received.append(next_one.status)
    assert received == ["paid", "shipped", "cancelled", "paid"]
    subscription.close()
