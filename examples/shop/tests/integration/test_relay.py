"""The relay: the outbox's events published in commit order, at least once, and marked."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.domain.events.product_events import ProductDiscontinued, ProductRepriced
from infrastructure_kernel.messaging.correlation import correlated, current_correlation_id
from infrastructure_kernel.messaging.envelope import EventEnvelope, parse_envelope
from infrastructure_kernel.messaging.relay import OutboxRelay, relay_lag
from infrastructure_kernel.messaging.transport import Transport
from shop.infrastructure.database.tables import outbox
from tenancy.domain.entities.tenant import Tenant

from .messaging import (
    EVERY_PRODUCT_EVENT,
    MovingClock,
    RecordingTransport,
    embedded,
    product_added,
    store_events,
    unpublished,
)

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def relay(
    engine: AsyncEngine, transport: object, clock: MovingClock, batch_size: int = 100
) -> OutboxRelay:
    return OutboxRelay(engine, outbox, cast(Transport, transport), clock, batch_size=batch_size)


@pytest.mark.usefixtures("tenants")
async def test_events_are_published_in_the_order_they_were_stored_and_marked(
    engine: AsyncEngine,
) -> None:
    added = product_added()
    repriced = ProductRepriced(
        tenant_id="acme",
        product_id=added.product_id,
        old_price=Decimal(1),
        new_price=Decimal(2),
        currency="EUR",
    )
    await store_events(engine, "acme", [added, repriced])
    await store_events(engine, "globex", [product_added("globex")])
    transport = RecordingTransport()

    assert await relay(engine, transport, MovingClock(NOW), batch_size=2).drain() == 3

    names = [(e.tenant_id, e.event_name) for e in transport.published]
    assert names == [
        ("acme", "ProductAdded"),
        ("acme", "ProductRepriced"),
        ("globex", "ProductAdded"),
    ]
    assert await unpublished(engine) == []
    async with engine.connect() as connection:
        marked = set((await connection.scalars(select(outbox.c.published_at))).all())
    assert marked == {NOW}


async def test_an_envelope_carries_the_tenant_the_ids_the_version_and_the_correlation(
    engine: AsyncEngine, acme: Tenant
) -> None:
    event = product_added()
    with correlated("request-7f3a"):
        await store_events(engine, "acme", [event])
    transport = RecordingTransport()

    await relay(engine, transport, MovingClock(NOW)).drain()

    [envelope] = transport.published
    assert (envelope.event_id, envelope.tenant_id) == (event.event_id, acme.tenant_id.value)
    assert (envelope.event_name, envelope.schema_version) == ("ProductAdded", 1)
    assert (envelope.occurred_at, envelope.correlation_id) == (event.occurred_at, "request-7f3a")
    assert envelope.payload["sku"] == "MUG-001"
    assert envelope.payload["price"] == "12.50"
    assert parse_envelope(envelope.to_bytes()) == envelope


async def test_without_a_correlation_the_field_is_empty(engine: AsyncEngine, acme: Tenant) -> None:
    del acme
    assert current_correlation_id() is None
    await store_events(engine, "acme", [product_added()])
    transport = RecordingTransport()

    await relay(engine, transport, MovingClock(NOW)).drain()

    assert transport.published[0].correlation_id is None


async def test_a_crash_between_publishing_and_marking_publishes_again_and_loses_nothing(
    engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    await store_events(engine, "acme", [product_added(), product_added(sku="TEE-001")])
    crashing = RecordingTransport(fail_after_publishing=True)

    with pytest.raises(ConnectionError):
        await relay(engine, crashing, MovingClock(NOW)).drain()

    assert await unpublished(engine) == ["ProductAdded", "ProductAdded"]
    again = RecordingTransport()
    assert await relay(engine, again, MovingClock(NOW)).drain() == 2
    assert [e.event_id for e in again.published] == [e.event_id for e in crashing.published]
    assert await unpublished(engine) == []


async def test_the_lag_is_the_count_and_age_of_the_unpublished_events(
    engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    clock = MovingClock(NOW)
    assert (await relay_lag(engine, outbox, clock)).age_seconds == 0.0
    oldest = product_added()
    await store_events(engine, "acme", [oldest, product_added(sku="TEE-001")])
    clock.instant = oldest.occurred_at
    clock.advance(90)

    lag = await relay_lag(engine, outbox, clock)

    assert (lag.unpublished, lag.oldest_occurred_at) == (2, oldest.occurred_at)
    assert lag.age_seconds == 90.0
    await relay(engine, RecordingTransport(), clock).drain()
    lag = await relay_lag(engine, outbox, clock)
    assert (lag.unpublished, lag.oldest_occurred_at, lag.age_seconds) == (0, None, 0.0)


async def test_the_relay_runs_until_it_is_stopped(engine: AsyncEngine, acme: Tenant) -> None:
    del acme
    transport = RecordingTransport()
    stop = asyncio.Event()
    running = asyncio.create_task(
        relay(engine, transport, MovingClock(NOW)).run(stop, interval=0.01)
    )

    await store_events(engine, "acme", [product_added()])
    await stop_once_published(transport, stop, running)

    assert [e.event_name for e in transport.published] == ["ProductAdded"]


async def stop_once_published(
    transport: RecordingTransport, stop: asyncio.Event, running: asyncio.Task[None]
) -> None:
    """Let the running relay look every 10 ms until it has published; then stop it."""
    for _ in range(500):
        if transport.published:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(running, timeout=5)


class RefusesTheFirstBatch(RecordingTransport):
    """A broker that is restarting when the first batch comes, and takes the next."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        if not self.refused:
            self.refused += 1
            raise ConnectionError("the broker is restarting")
        await super().publish(envelopes)


async def test_a_running_relay_outlives_a_refused_batch_and_publishes_it_later(
    engine: AsyncEngine, acme: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    del acme
    transport = RefusesTheFirstBatch()
    await store_events(engine, "acme", [product_added()])
    stop = asyncio.Event()
    running = asyncio.create_task(
        relay(engine, transport, MovingClock(NOW)).run(stop, interval=0.01)
    )

    await stop_once_published(transport, stop, running)

    assert transport.refused == 1
    assert [e.event_name for e in transport.published] == ["ProductAdded"]
    assert await unpublished(engine) == []
    assert "relaying failed; trying again in 0.01 s" in caplog.text


async def test_relays_side_by_side_publish_every_event(engine: AsyncEngine, acme: Tenant) -> None:
    del acme
    events: list[Any] = [product_added(sku=f"SKU-{n}") for n in range(40)]
    await store_events(engine, "acme", events)
    transport = RecordingTransport()

    counts = await asyncio.gather(
        *(relay(engine, transport, MovingClock(NOW), batch_size=5).drain() for _ in range(3))
    )

    published = [e.event_id for e in transport.published]
    assert set(published) == {e.event_id for e in events}
    if engine.dialect.name == "postgresql":
        # Each relay skips the rows another holds: no event is published twice.
        assert sorted(published) == sorted(e.event_id for e in events)
        assert sum(counts) == 40
    assert await unpublished(engine) == []


async def test_the_embedded_transport_routes_each_event_to_the_queues_that_want_it(
    engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    clock = MovingClock(NOW)
    transport = embedded(engine, clock)
    await transport.declare([EVERY_PRODUCT_EVENT])
    added = product_added()
    discontinued = ProductDiscontinued(tenant_id="acme", product_id=added.product_id)
    await store_events(engine, "acme", [added, discontinued])

    await relay(engine, transport, clock).drain()

    received = [m async for m in transport.receive(EVERY_PRODUCT_EVENT, idle=0.05)]
    assert [parse_envelope(m.body).event_id for m in received] == [
        added.event_id,
        discontinued.event_id,
    ]
