"""Two running servers on one database, each hearing every change through its own queue.

Each server is the shop's app in uvicorn on a port of its own, with its own services:
its read cache in its memory, its status feed, its own consumer, started and stopped by
the app's lifespan (ADR 89, ADR 90). A relay publishes the outbox as ``shop relay`` does.
The clients are httpx over TCP, each with the access token of an owner of acme and of
globex: the processes share one key set, as a deployment's share its ``AUTH_KEYS_FILE``, so
a token verifies on either. Each test runs on the embedded transport and, when
``AMQP_URL`` is set, on RabbitMQ.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.infrastructure.messaging.cache_invalidation import PRODUCT_EVENTS
from identity.infrastructure.security.signing_keys import KeySet
from infrastructure_kernel.messaging.consumer import Outcome
from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.transport import Received, Subscription, Transport
from ordering.application.dto.order_commands import PayOrder
from ordering.application.use_cases.pay_order import pay_order
from ordering.infrastructure.messaging.status_changes import STATUS_BY_EVENT
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import SystemClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, process_key_set
from shop.infrastructure.database.tables import messages
from shop.presentation.api.application import shop_app
from shop.presentation.api.process_events import process_consumer
from shop.settings import Settings

from .conftest import owner_of_both
from .messaging import Settled
from .test_ephemeral_subscriptions import broker_has_queue, embedded_queue_exists
from .test_read_cache import Redises
from .test_status_events import events_url, next_event
from .transports import AMQP_URL

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

AS_ACME = {"X-Tenant-ID": "acme"}
MUG = {"sku": "MUG-1", "name": "Mug", "price": {"amount": "2.50", "currency": "EUR"}}
TRANSPORTS = ["embedded", *(["rabbitmq"] if AMQP_URL else [])]
STALE_AT_MOST = 5.0
"""Seconds the test allows a busy machine; at rest it is the relay's interval plus a poll."""


@dataclass
class Server:
    """One running server process of the shop: its services, its app, a client over TCP."""

    services: Services
    app: FastAPI
    client: httpx.AsyncClient


@asynccontextmanager
async def running(services: Services) -> AsyncIterator[Server]:
    """The shop's app in uvicorn on a free port, its lifespan on, until the block ends.

    Its client calls as an owner of acme and of globex, with a token ``services`` signed.
    """
    app = shop_app(services)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="on", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=10, headers=owner_of_both(services)
        ) as client:
            yield Server(services, app, client)
    finally:  # stopped also when the test fails: its lifespan closes the services
        server.should_exit = True
        await task


@asynccontextmanager
async def relaying(services: Services) -> AsyncIterator[None]:
    """``shop relay``, every 50 ms, in the background."""
    transport = services.transport()
    stop = asyncio.Event()
    task = asyncio.create_task(services.relay(transport).run(stop, interval=0.05))
    try:
        yield
    finally:
        stop.set()
        await task
        await transport.close()


@pytest.fixture(params=TRANSPORTS)
def transported(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test's settings on the transport of the parameter."""
    amqp_url = SecretStr(AMQP_URL) if request.param == "rabbitmq" else None
    return settings.model_copy(update={"amqp_url": amqp_url, "cache_ttl": 3600.0})


@dataclass(frozen=True)
class Process(Services):
    """A server process's services on the test's engine, which the test disposes of."""

    async def aclose(self) -> None:
        # Not the engine: the other server still uses it, as it would its own pool.
        await self.read_cache.aclose()


def process(engine: AsyncEngine, settings: Settings, keys: KeySet | None = None) -> Services:
    """A server process's services: its own cache and feed, on the shared database.

    With ``keys``, it signs and verifies tokens with the key set the other processes share.
    """
    signing_keys = process_key_set() if keys is None else keys
    return Process(settings=settings, engine=engine, clock=SystemClock(), signing_keys=signing_keys)


@pytest.fixture
async def servers(
    engine: AsyncEngine, transported: Settings
) -> AsyncIterator[tuple[Server, Server]]:
    """Two servers on one database and one key set, and a relay."""
    keys = process_key_set()
    async with AsyncExitStack() as stack:
        one = await stack.enter_async_context(running(process(engine, transported, keys)))
        two = await stack.enter_async_context(running(process(engine, transported, keys)))
        await stack.enter_async_context(relaying(process(engine, transported, keys)))
        yield one, two


async def prices(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/api/v1/products", headers=AS_ACME)
    assert response.status_code == 200, response.text
    return [item["price"]["amount"] for item in response.json()["items"]]


async def stale_for(client: httpx.AsyncClient, *, fresh: list[str]) -> float:
    """Seconds until ``client`` reads the ``fresh`` prices, looking every 20 ms."""
    started = time.monotonic()
    while await prices(client) != fresh:
        assert time.monotonic() - started < STALE_AT_MOST, "still stale"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


# --8<-- [start:two-servers-cache-test]
async def test_a_reprice_through_one_server_is_not_served_stale_by_the_other(
    servers: tuple[Server, Server],
) -> None:
    one, two = servers
    added = await one.client.post("/api/v1/products", json=MUG, headers=AS_ACME)
    assert added.status_code == 201, added.text
    assert await prices(two.client) == ["2.50"]  # in the second server's memory now

    new_price = {"price": {"amount": "3.00", "currency": "EUR"}}
    url = f"/api/v1/products/{added.json()['id']}/reprice"
    repriced = await one.client.post(url, json=new_price, headers=AS_ACME)
    assert repriced.status_code == 200, repriced.text
    assert await prices(one.client) == ["3.00"]  # dropped after the commit, in the first

    # The second hears of it from the relay, through its own queue: long before its TTL.
    assert await stale_for(two.client, fresh=["3.00"]) < STALE_AT_MOST


# --8<-- [end:two-servers-cache-test]


async def placed_order(server: Server) -> str:
    product = await server.client.post("/api/v1/products", json=MUG, headers=AS_ACME)
    body = {"lines": [{"product_id": product.json()["id"], "quantity": 1}]}
    response = await server.client.post("/api/v1/orders", json=body, headers=AS_ACME)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


# --8<-- [start:two-servers-status-test]
async def test_a_subscriber_of_either_server_sees_every_change_once(
    servers: tuple[Server, Server],
) -> None:
    one, two = servers
    order_id = await placed_order(two)
    async with (
        one.client.stream("GET", events_url(order_id), headers=AS_ACME) as on_one,
        two.client.stream("GET", events_url(order_id), headers=AS_ACME) as on_two,
    ):
        first, second = on_one.aiter_lines(), on_two.aiter_lines()
        for lines in (first, second):
            assert await next_event(lines) == {"order_id": order_id, "status": "placed"}

        # Paid on two as the provider's verified webhook pays it there (ADR 82).
        unit_of_work = two.services.ordering_unit_of_work(TenantId("acme"))
        await pay_order(PayOrder(order_id=UUID(order_id)), unit_of_work, actor=OPERATOR)
        for lines in (second, first):  # after the commit on two; relayed to one
            assert await next_event(lines) == {"order_id": order_id, "status": "paid"}

        shipped = await one.client.post(f"/api/v1/orders/{order_id}/ship", headers=AS_ACME)
        assert shipped.status_code == 200, shipped.text
        for lines in (first, second):  # two's relayed copy of paid was not sent again
            assert await next_event(lines) == {"order_id": order_id, "status": "shipped"}
            assert [line async for line in lines if not line.startswith(":")] == []


# --8<-- [end:two-servers-status-test]


async def queue_exists(settings: Settings, engine: AsyncEngine, queue: str) -> bool:
    if settings.amqp_url is None:
        return await embedded_queue_exists(engine, queue)
    return await broker_has_queue(queue)


async def test_a_server_that_stops_takes_its_queue_with_it(
    engine: AsyncEngine, transported: Settings
) -> None:
    services = process(engine, transported)
    async with process_consumer(services) as queue:
        assert await queue_exists(transported, engine, queue)
    assert not await queue_exists(transported, engine, queue)


class RefusingTransport(EmbeddedTransport):
    """The embedded transport with its database away for the first declarations."""

    def __init__(self, refusals: list[Exception], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusals = refusals

    async def declare(self, subscriptions: Sequence[Subscription]) -> None:
        if self.refusals:
            raise self.refusals.pop()
        await super().declare(subscriptions)


@dataclass(frozen=True)
class AwayAtFirst(Services):
    """Services whose transport refuses as many declarations as ``refusals`` holds."""

    refusals: list[Exception] = field(default_factory=list)

    def transport(self) -> Transport:
        return RefusingTransport(self.refusals, self.engine, messages, self.clock)


async def test_a_server_started_while_its_transport_is_away_declares_its_queue_later(
    engine: AsyncEngine, settings: Settings
) -> None:
    away: list[Exception] = [ConnectionError("the database is away")] * 2
    services = AwayAtFirst(settings=settings, engine=engine, clock=SystemClock(), refusals=away)
    async with process_consumer(services, idle=0.01) as queue:  # serving meanwhile
        started = time.monotonic()
        while not await embedded_queue_exists(engine, queue):
            assert time.monotonic() - started < STALE_AT_MOST
            await asyncio.sleep(0.01)
    assert not await embedded_queue_exists(engine, queue)


async def test_a_server_stops_even_while_its_transport_is_away(
    engine: AsyncEngine, settings: Settings
) -> None:
    away: list[Exception] = [ConnectionError("the database is away")] * 1000
    services = AwayAtFirst(settings=settings, engine=engine, clock=SystemClock(), refusals=away)
    async with process_consumer(services, idle=0.01) as queue:
        await asyncio.sleep(0.05)
    assert not await embedded_queue_exists(engine, queue)


async def test_on_redis_a_process_leaves_the_cache_to_the_shared_consumer(
    engine: AsyncEngine, settings: Settings
) -> None:
    redis = Redises("fakeredis")
    shared = Services(
        settings=settings, engine=engine, clock=SystemClock(), read_cache=redis.cache()
    )
    in_memory = process(engine, settings)

    assert set(shared.process_events("q").handlers) == set(STATUS_BY_EVENT)
    assert set(in_memory.process_events("q").handlers) == {*STATUS_BY_EVENT, *PRODUCT_EVENTS}
    await redis.clean()


def order_event(name: str, tenant: str, payload: dict[str, Any]) -> Settled:
    body = {
        "event_id": str(uuid4()),
        "event_name": name,
        "schema_version": 1,
        "tenant_id": tenant,
        "occurred_at": "2025-03-14T09:26:00Z",
        "payload": payload,
    }
    return Settled(EventEnvelope.model_validate(body).to_bytes())


async def test_a_relayed_status_event_without_a_tenant_or_an_order_is_dead_lettered(
    engine: AsyncEngine, settings: Settings
) -> None:
    services = process(engine, settings)
    runtime = services.consumer_runtime(services.process_events("q"), cast(Transport, None))
    order_id = str(uuid4())
    subscription = services.status_feed.subscribe(TenantId("acme"), UUID(order_id))
    for message in [
        order_event("OrderPaid", "no tenant!", {"order_id": order_id}),
        order_event("OrderPaid", "acme", {"order": order_id}),
    ]:
        assert await runtime.handle(message) is Outcome.DEAD_LETTERED
    assert await runtime.handle(order_event("OrderShipped", "acme", {"order_id": order_id})) is (
        Outcome.HANDLED
    )
    change = await subscription.next_change()
    assert change is not None
    assert change.status == "shipped"
    subscription.close()


class Frozen:
    """A queue that never answers, as one on a frozen database or broker."""

    def __aiter__(self) -> "Frozen":
        return self

    async def __anext__(self) -> Received:
        await asyncio.Event().wait()
        raise StopAsyncIteration


class FreezingTransport(EmbeddedTransport):
    """The embedded transport whose database froze once the queue was declared."""

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        del subscription, idle
        return Frozen()

    async def close(self) -> None:
        await asyncio.Event().wait()


@dataclass(frozen=True)
class FrozenAfterDeclaring(Services):
    def transport(self) -> Transport:
        return FreezingTransport(self.engine, messages, self.clock)


async def test_a_server_stops_within_its_grace_while_its_transport_hangs(
    engine: AsyncEngine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    services = FrozenAfterDeclaring(settings=settings, engine=engine, clock=SystemClock())
    started = time.monotonic()
    async with process_consumer(services, idle=0.01, grace=0.05):
        await asyncio.sleep(0.05)  # the consumer waits on its queue
    assert time.monotonic() - started < STALE_AT_MOST
    assert caplog.text.count("was not stopped cleanly: TimeoutError") == 2
