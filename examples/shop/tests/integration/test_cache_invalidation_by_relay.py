"""The catalog's cached reads, dropped in every process by the relayed events (ADR 72).

Two apps stand for two server processes of the shop on one database. A change committed
through one drops the cached reads of the process that made it at once; the other learns
of it from the events the relay publishes, through the ``catalog.cache-invalidation``
consumer: its own, on a queue of its own, when each caches in its memory, and one for all
when they share Redis. Each test runs on every transport (``bench``).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import cast
from uuid import uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import RepriceProduct
from catalog.application.interfaces.read_cache import CacheKey, ReadCache
from catalog.application.use_cases.reprice_product import reprice_product
from catalog.infrastructure.cache.in_process import InProcessReadCache
from catalog.infrastructure.database.unit_of_work import SqlAlchemyCatalogUnitOfWork
from catalog.infrastructure.messaging.cache_invalidation import CACHE_INVALIDATION
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.security.signing_keys import KeySet, SigningKey
from infrastructure_kernel.http.hostile_input import hostile_text
from infrastructure_kernel.messaging.consumer import Consumer, ConsumerRuntime, Outcome
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.relay import OutboxRelay
from infrastructure_kernel.messaging.transport import Transport
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import SystemClock
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.outbox import write_events
from shop.infrastructure.database.tables import inbox, outbox
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .messaging import Settled
from .test_read_cache import REDIS_BACKENDS, Redises
from .transports import Bench, bench

__all__ = ["bench"]

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

AS_ACME = {"X-Tenant-ID": "acme"}
ACME = TenantId("acme")
MUG = {"sku": "MUG-1", "name": "Mug", "price": {"amount": "2.50", "currency": "EUR"}}


# The processes of one deployment share their signing keys (AUTH_KEYS_FILE), so a token
# signed by one is accepted by every other.
SHARED_KEYS = KeySet((SigningKey.generate(datetime.now(UTC)),))


@asynccontextmanager
async def serving(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app of its own on ``services``: one server process of the shop.

    It calls as an owner of acme, whose token the process signed.
    """
    transport = httpx.ASGITransport(app=shop_app(services))
    owner = [Membership(ACME, Role.OWNER)]
    token = services.access_token_issuer().issue(str(UserId.new().value), owner).token
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://shop", headers=headers
    ) as client:
        yield client


async def prices(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/api/v1/products", headers=AS_ACME)
    assert response.status_code == 200, response.text
    return [item["price"]["amount"] for item in response.json()["items"]]


async def relay_and_consume(
    engine: AsyncEngine, bench: Bench, consumers: list[Consumer]
) -> list[Outcome]:
    """Relay the outbox, then let each consumer handle what reached its queue."""
    transport = bench.make()
    await transport.declare([consumer.subscription for consumer in consumers])
    await OutboxRelay(engine, outbox, transport, SystemClock()).drain()
    outcomes: list[Outcome] = []
    for consumer in consumers:
        runtime = ConsumerRuntime(consumer, engine, inbox, transport, SystemClock())
        outcomes += (await runtime.drain(idle=bench.idle)).elements()
    return outcomes


def services_on(engine: AsyncEngine, settings: Settings, cache: ReadCache) -> Services:
    return Services(
        settings=settings,
        engine=engine,
        clock=SystemClock(),
        read_cache=cache,
        signing_keys=SHARED_KEYS,
    )


# --8<-- [start:in-process-test]
async def test_a_change_in_one_process_reaches_the_others_own_cache_through_the_relay(
    engine: AsyncEngine, settings: Settings, bench: Bench
) -> None:
    first = services_on(engine, settings, InProcessReadCache())
    second = services_on(engine, settings, InProcessReadCache())
    # Each process caches in its memory, so each subscribes on a queue of its own.
    consumers = [
        services.cache_invalidation(bench.subscription(f"{CACHE_INVALIDATION}.{name}").queue)
        for name, services in [("first", first), ("second", second)]
    ]
    await relay_and_consume(engine, bench, consumers)  # the queues exist from here on
    async with serving(first) as one, serving(second) as two:
        added = await one.post("/api/v1/products", json=MUG, headers=AS_ACME)
        assert await prices(two) == ["2.50"]  # now in the second process's cache

        new_price = {"price": {"amount": "3.00", "currency": "EUR"}}
        repriced = await one.post(
            f"/api/v1/products/{added.json()['id']}/reprice", json=new_price, headers=AS_ACME
        )
        assert repriced.status_code == 200, repriced.text
        assert await prices(one) == ["3.00"]  # dropped after the commit, in the first
        assert await prices(two) == ["2.50"]  # the second has not heard of it yet

        outcomes = await relay_and_consume(engine, bench, consumers)

        assert outcomes == [Outcome.HANDLED] * 4  # added and repriced, in each process
        assert await prices(two) == ["3.00"]


# --8<-- [end:in-process-test]


@pytest.fixture(params=REDIS_BACKENDS)
async def redises(request: pytest.FixtureRequest) -> AsyncIterator[Redises]:
    made = Redises(request.param)
    yield made
    await made.clean()


async def test_an_invalidation_lost_after_a_commit_is_made_by_the_relay_on_redis(
    engine: AsyncEngine, settings: Settings, bench: Bench, redises: Redises
) -> None:
    reader = services_on(engine, settings, redises.cache())
    # The processes share one cache on Redis, so one consumer serves them all.
    consumer = reader.cache_invalidation(bench.subscription(CACHE_INVALIDATION).queue)
    async with serving(reader) as client:
        added = await client.post("/api/v1/products", json=MUG, headers=AS_ACME)
        await relay_and_consume(engine, bench, [consumer])
        assert await prices(client) == ["2.50"]

        # A process that committed and died before it invalidated: the commit without the
        # invalidation after it.
        command = RepriceProduct.model_validate(
            {"product_id": added.json()["id"], "price": {"amount": "3.00", "currency": "EUR"}}
        )
        await reprice_product(
            command, SqlAlchemyCatalogUnitOfWork(engine, ACME, write_events), actor=OPERATOR
        )
        assert await prices(client) == ["2.50"]

        assert await relay_and_consume(engine, bench, [consumer]) == [Outcome.HANDLED]
        assert await prices(client) == ["3.00"]


def product_event(tenant: str) -> bytes:
    return EventEnvelope.model_validate(
        {
            "event_id": str(uuid4()),
            "event_name": "ProductRepriced",
            "schema_version": 1,
            "tenant_id": tenant,
            "occurred_at": "2025-03-14T09:26:00Z",
            "payload": {},
        }
    ).to_bytes()


@examples(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tenant=st.sampled_from(["acme", "globex"]) | hostile_text(max_size=63).filter(bool))
async def test_an_event_of_a_hostile_tenant_drops_only_that_tenants_reads(
    engine: AsyncEngine, settings: Settings, tenant: str
) -> None:
    cache = InProcessReadCache()
    reads = CacheKey(ACME, "product-page", (None, 20))
    await cache.get_or_load(reads, load=lambda: _value(b"cached"))
    consumer = services_on(engine, settings, cache).cache_invalidation()
    try:
        body = product_event(tenant)
    except ValidationError:
        return  # the envelope itself refuses it: no relay can publish it
    message = Settled(body)

    outcome = await ConsumerRuntime(
        consumer, engine, inbox, cast(Transport, None), SystemClock()
    ).handle(message)

    [reason] = message.settled
    still_cached = await cache.get_or_load(reads, load=lambda: _value(b"loaded"))
    if tenant == ACME.value:
        assert (outcome, still_cached) == (Outcome.HANDLED, b"loaded")
    elif is_tenant_id(tenant):
        assert (outcome, still_cached) == (Outcome.HANDLED, b"cached")
    else:
        assert (outcome, still_cached) == (Outcome.DEAD_LETTERED, b"cached")
        assert reason is not None
        assert reason.startswith("the handler refused it")


async def _value(value: bytes) -> bytes:
    return value


def is_tenant_id(text: str) -> bool:
    try:
        TenantId(text)
    except InvalidValueError:
        return False
    return True
