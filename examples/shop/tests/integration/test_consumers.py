"""The consumer runtime with the shop's real consumer: one effect per event, whatever comes."""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.infrastructure.database.tables import units_sold
from infrastructure_kernel.messaging.consumer import (
    MAX_REASON,
    Backoff,
    Consumer,
    ConsumerRuntime,
    Outcome,
    PoisonMessageError,
)
from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.rabbitmq import RabbitMqTransport
from infrastructure_kernel.messaging.relay import OutboxRelay
from infrastructure_kernel.messaging.transport import Received, Subscription, Transport
from ordering.domain.events.order_events import OrderedItem, OrderPlaced
from shared_kernel.clock import SystemClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import CONSUMERS, UNITS_SOLD, Services
from shop.infrastructure.database.tables import inbox, outbox
from tenancy.domain.entities.tenant import Tenant
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory

from .messaging import Settled, store_events
from .transports import Bench, bench

__all__ = ["bench"]

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
MUG, PEN = UUID(int=1), UUID(int=2)
QUICK = Backoff(attempts=3, first_pause=0.001)


def order_placed(tenant: str = "acme", **quantities: int) -> OrderPlaced:
    items = tuple(
        OrderedItem(product_id={"mug": MUG, "pen": PEN}[name], quantity=n, unit_price=Decimal(1))
        for name, n in quantities.items()
    )
    return OrderPlaced(
        tenant_id=tenant, order_id=uuid4(), items=items, total=Decimal(9), currency="EUR"
    )


async def units(engine: AsyncEngine) -> dict[tuple[str, UUID], int]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(units_sold))
        return {(r.tenant_id, r.product_id): r.units for r in rows}


def consumer_on(bench: Bench, consumer: Consumer = UNITS_SOLD) -> Consumer:
    # A queue of the test's own, so that a real broker's other queues stay out of it, and
    # retries without long pauses.
    return replace(consumer, name=bench.subscription(consumer.name).queue, backoff=QUICK)


def runtime(
    bench: Bench, engine: AsyncEngine, transport: Transport, consumer: Consumer | None = None
) -> ConsumerRuntime:
    return ConsumerRuntime(consumer or consumer_on(bench), engine, inbox, transport, bench.clock)


def envelope_of(event: OrderPlaced, **changes: Any) -> EventEnvelope:
    fields = {
        "event_id": event.event_id,
        "event_name": event.event_name,
        "schema_version": event.schema_version,
        "tenant_id": event.tenant_id,
        "occurred_at": event.occurred_at,
        "payload": json.loads(json.dumps(asdict(event), default=str)),
    }
    return EventEnvelope.model_validate({**fields, **changes})


def relay(engine: AsyncEngine, transport: Transport) -> OutboxRelay:
    return OutboxRelay(engine, outbox, transport, SystemClock())


@pytest.mark.usefixtures("tenants")
async def test_orders_placed_are_counted_per_tenant_and_product(
    bench: Bench, engine: AsyncEngine
) -> None:
    transport = bench.make()
    consumer = runtime(bench, engine, transport)
    await transport.declare([consumer_on(bench).subscription])
    await store_events(engine, "acme", [order_placed(mug=2, pen=1)])
    await store_events(engine, "acme", [order_placed(mug=3)])
    await store_events(engine, "globex", [order_placed("globex", pen=5)])

    await relay(engine, transport).drain()

    assert await consumer.drain(idle=bench.idle) == Counter({Outcome.HANDLED: 3})
    assert await units(engine) == {("acme", MUG): 5, ("acme", PEN): 1, ("globex", PEN): 5}


async def test_a_redelivered_event_has_no_second_effect(
    bench: Bench, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    transport = bench.make()
    consumer = runtime(bench, engine, transport)
    await transport.declare([consumer_on(bench).subscription])
    placed = envelope_of(order_placed(mug=2))

    await transport.publish([placed, placed])

    outcomes = await consumer.drain(idle=bench.idle)
    assert outcomes == Counter({Outcome.HANDLED: 1, Outcome.DUPLICATE: 1})
    assert await units(engine) == {("acme", MUG): 2}


class CrashAfterPublishing:
    """The relay's process dies after the broker confirmed a batch, before it was marked."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        await self._transport.publish(envelopes)
        raise SystemExit("killed between publishing and marking")


async def test_a_relay_killed_before_marking_republishes_and_the_inbox_absorbs_it(
    bench: Bench, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    transport = bench.make()
    consumer = runtime(bench, engine, transport)
    await transport.declare([consumer_on(bench).subscription])
    await store_events(engine, "acme", [order_placed(mug=1), order_placed(pen=4)])

    with pytest.raises(SystemExit):
        await relay(engine, cast(Transport, CrashAfterPublishing(transport))).drain()
    assert await relay(engine, transport).drain() == 2  # nothing was marked: all again

    outcomes = await consumer.drain(idle=bench.idle)
    assert outcomes == Counter({Outcome.HANDLED: 2, Outcome.DUPLICATE: 2})
    assert await units(engine) == {("acme", MUG): 1, ("acme", PEN): 4}


async def test_a_consumer_killed_before_acknowledging_gets_it_again_without_a_second_effect(
    bench: Bench, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    dying = bench.make()
    await dying.declare([consumer_on(bench).subscription])
    await dying.publish([envelope_of(order_placed(mug=3))])

    async for message in dying.receive(consumer_on(bench).subscription, idle=bench.idle):
        # Its effect commits, then the process dies before the acknowledgement leaves.
        unacknowledged = replace_acknowledge(message)
        with pytest.raises(SystemExit):
            await runtime(bench, engine, dying).handle(unacknowledged)
        break
    await bench.abandon(dying)

    survivor = bench.make()
    outcomes = await runtime(bench, engine, survivor).drain(idle=bench.idle)
    assert outcomes == Counter({Outcome.DUPLICATE: 1})
    assert await units(engine) == {("acme", MUG): 3}


class _Dies:
    def __init__(self, message: Any) -> None:
        self.body = message.body
        self.redelivered = message.redelivered

    async def acknowledge(self) -> None:
        raise SystemExit("killed before acknowledging")

    async def dead_letter(self, reason: str) -> None:
        raise AssertionError(reason)


def replace_acknowledge(message: Any) -> Any:
    return _Dies(message)


async def refuse_refunds(connection: Any, envelope: EventEnvelope) -> None:
    del connection
    raise PoisonMessageError(f"{envelope.event_name}: refunds are not sales")


async def test_a_handler_may_refuse_an_event_for_good(engine: AsyncEngine, acme: Tenant) -> None:
    del acme
    consumer = Consumer("refunds", {"OrderPlaced": refuse_refunds})
    message = Settled(envelope_of(order_placed(mug=1)).to_bytes())

    runtime_ = ConsumerRuntime(consumer, engine, inbox, cast(Transport, None), SystemClock())
    assert await runtime_.handle(message) is Outcome.DEAD_LETTERED

    assert message.settled == ["the handler refused it: OrderPlaced: refunds are not sales"]


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
hostile_payloads = st.fixed_dictionaries(
    {
        "items": st.lists(
            st.fixed_dictionaries(
                {
                    "product_id": st.uuids().map(str) | json_values,
                    "quantity": st.integers() | json_values,
                }
            ),
            max_size=3,
        )
    }
) | st.dictionaries(st.text(max_size=8), json_values, max_size=4)
hostile_bodies = (
    st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.builds(
        lambda name, tenant, payload: envelope_of(
            order_placed(mug=1), event_name=name, tenant_id=tenant, payload=payload
        ).to_bytes(),
        st.sampled_from(["OrderPlaced", "OrderPaid", "ProductAdded"]),
        st.sampled_from(["acme", "globex", "initech"]),
        hostile_payloads,
    )
)


@pytest.mark.usefixtures("tenants")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=hostile_bodies)
async def test_no_message_crashes_the_consumer_each_is_settled_once(
    engine: AsyncEngine, body: bytes
) -> None:
    consumer = Consumer("hostile", UNITS_SOLD.handlers, QUICK)
    message = Settled(body)

    outcome = await ConsumerRuntime(
        consumer, engine, inbox, cast(Transport, None), SystemClock()
    ).handle(message)

    assert len(message.settled) == 1
    [reason] = message.settled
    assert (outcome is Outcome.DEAD_LETTERED) == (reason is not None)
    assert reason is None or 0 < len(reason) <= MAX_REASON


POISON = [
    # Routed by name, an event the consumer has no handler for never reaches its queue
    # from the relay; a broken publisher can still put one there.
    (
        envelope_of(order_placed(mug=1), event_name="OrderShipped").to_bytes(),
        "no handler for OrderShipped",
    ),
    (b"{not json", "not an event envelope: body: Invalid JSON"),
    (b'{"event_id": 1}', "not an event envelope: event_id: UUID input should be"),
    (b"x" * 300_000, "not an event envelope: 300000 bytes; the limit is"),
]


@pytest.mark.usefixtures("tenants")
async def test_poison_goes_to_the_dead_letters_with_its_reason_and_can_be_replayed(
    bench: Bench, engine: AsyncEngine
) -> None:
    consumer = consumer_on(bench)
    transport = bench.make()
    await transport.declare([consumer.subscription])
    good = envelope_of(order_placed(mug=1))
    no_items = envelope_of(order_placed(mug=1), payload={"items": []})
    stranger = envelope_of(order_placed("initech", mug=7))  # no such tenant (yet)
    await transport.publish([good, no_items, stranger])
    # Bodies no relay would publish, sent straight into the queue by a broken publisher.
    await bench.publish_raw(transport, consumer.name, [body for body, _ in POISON])

    outcomes = await runtime(bench, engine, transport, consumer).drain(idle=bench.idle)

    assert outcomes == Counter({Outcome.HANDLED: 1, Outcome.DEAD_LETTERED: 2 + len(POISON)})
    dead = await transport.dead_letters(consumer.subscription)
    reasons = [d.reason for d in dead]
    assert reasons[0].startswith("the handler refused it: 1 validation error")
    assert reasons[1].startswith("failed 3 times; last: IntegrityError")
    for reason, (_, expected) in zip(reasons[2:], POISON, strict=True):
        assert reason.startswith(expected)
    assert all(len(r) <= MAX_REASON for r in reasons)

    # The stranger's tenant registers; replaying its event now succeeds.
    await SqlAlchemyTenantDirectory(engine).add(Tenant(TenantId("initech"), "Initech", NOW))
    assert await transport.replay(consumer.subscription, [dead[1].message_id]) == 1
    outcomes = await runtime(bench, engine, transport, consumer).drain(idle=bench.idle)
    assert outcomes == Counter({Outcome.HANDLED: 1})
    assert await units(engine) == {("acme", MUG): 1, ("initech", MUG): 7}
    assert len(await transport.dead_letters(consumer.subscription)) == 1 + len(POISON)


async def test_the_services_choose_rabbitmq_when_amqp_url_is_set(services: Services) -> None:
    embedded = replace_settings(services, amqp_url=None).transport()
    broker = replace_settings(services, amqp_url="amqp://guest:guest@127.0.0.1/shop").transport()

    assert isinstance(embedded, EmbeddedTransport)
    assert isinstance(broker, RabbitMqTransport)
    assert isinstance(services.relay(embedded), OutboxRelay)
    assert isinstance(services.consumer_runtime(UNITS_SOLD, embedded), ConsumerRuntime)
    assert sorted(CONSUMERS) == [
        "audit.trail",
        "catalog.cache-invalidation",
        "catalog.units-sold",
        "notifications.order-emails",
    ]
    assert all(services.consumer(name).name == name for name in CONSUMERS)
    assert services.consumer("catalog.units-sold") is UNITS_SOLD


def replace_settings(services: Services, **changes: str | None) -> Services:
    secrets = {k: None if v is None else SecretStr(v) for k, v in changes.items()}
    settings = services.settings.model_copy(update=secrets)
    return replace(services, settings=settings)


async def test_a_running_consumer_handles_what_arrives_until_it_is_stopped(
    bench: Bench, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    transport = bench.make()
    consumer = runtime(bench, engine, transport)
    await transport.declare([consumer_on(bench).subscription])
    await transport.publish([envelope_of(order_placed(pen=2))])
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(4 * bench.idle, stop.set)

    outcomes = await consumer.run(stop, idle=bench.idle)

    assert outcomes == Counter({Outcome.HANDLED: 1})
    assert await units(engine) == {("acme", PEN): 2}


class _Broken:
    """A queue whose connection broke: reading it fails."""

    def __aiter__(self) -> "_Broken":
        return self

    async def __anext__(self) -> Received:
        raise ConnectionError("the broker is restarting")


class BreaksOnce:
    """A transport whose first read fails, as one does while its broker restarts."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self.broke = 0

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        if not self.broke:
            self.broke += 1
            return _Broken()
        return self._transport.receive(subscription, idle=idle)


async def test_a_running_consumer_outlives_a_broken_connection(
    bench: Bench, engine: AsyncEngine, acme: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    del acme
    transport = bench.make()
    await transport.declare([consumer_on(bench).subscription])
    await transport.publish([envelope_of(order_placed(mug=5))])
    flaky = BreaksOnce(transport)
    consumer = runtime(bench, engine, cast(Transport, flaky))
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(6 * bench.idle, stop.set)

    outcomes = await consumer.run(stop, idle=bench.idle)

    assert flaky.broke == 1
    assert outcomes == Counter({Outcome.HANDLED: 1})
    assert await units(engine) == {("acme", MUG): 5}
    assert "consuming failed; trying again" in caplog.text


async def test_an_order_placed_of_a_version_the_catalog_cannot_read_waits_in_the_dead_letters(
    engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    message = Settled(envelope_of(order_placed(mug=1), schema_version=2).to_bytes())

    runtime_ = ConsumerRuntime(UNITS_SOLD, engine, inbox, cast(Transport, None), SystemClock())
    assert await runtime_.handle(message) is Outcome.DEAD_LETTERED

    assert message.settled == ["the handler refused it: OrderPlaced version 2 is not read"]
    assert await units(engine) == {}
