"""A server process's own queue: it receives what the relay publishes, and goes with it.

On RabbitMQ the queue is exclusive to the connection that declared it; on the embedded
transport the subscription is a row under a lease, which any relay reads (ADR 89). Each
test runs on every transport (``bench``); the leases' own tests on the embedded one.
"""

import dataclasses
import json
from datetime import timedelta
from typing import cast

import aio_pika
import pytest
from aiormq.exceptions import ChannelLockedResource, ChannelNotFoundEntity
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.consumer import Consumer, ConsumerRuntime, Outcome
from infrastructure_kernel.messaging.embedded import SUBSCRIPTIONS, EmbeddedTransport
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.rabbitmq import RabbitMqTransport
from infrastructure_kernel.messaging.transport import Subscription
from shop.infrastructure.database.tables import inbox, messages

from .amqp_double import Channel
from .messaging import NOW, MovingClock, envelope
from .test_transports import take_all
from .transports import AMQP_URL, Bench, bench

__all__ = ["bench"]

pytestmark = pytest.mark.anyio


async def rows_of(engine: AsyncEngine, queue: str) -> int:
    m = messages
    async with engine.connect() as connection:
        count = select(func.count()).where(m.c.queue == queue)
        return (await connection.execute(count)).scalar_one()


async def embedded_queue_exists(engine: AsyncEngine, queue: str) -> bool:
    """Whether the embedded transport's table holds ``queue``'s messages or subscription."""
    async with engine.connect() as connection:
        rows = (await connection.execute(select(messages.c.queue, messages.c.body))).all()
    registered = [json.loads(row.body)["queue"] for row in rows if row.queue == SUBSCRIPTIONS]
    return queue in [row.queue for row in rows] + registered


async def broker_has_queue(queue: str) -> bool:
    """Whether the RabbitMQ broker in ``AMQP_URL`` holds ``queue``."""
    broker = await aio_pika.connect(AMQP_URL)
    try:
        await (await broker.channel()).declare_queue(queue, passive=True)
    except ChannelNotFoundEntity:
        return False
    except ChannelLockedResource:  # exclusive to the connection that declared it
        return True
    finally:
        await broker.close()
    return True


async def queue_exists(bench: Bench, engine: AsyncEngine, queue: str) -> bool:
    """Whether the broker, or the embedded transport's table, still holds ``queue``."""
    if bench.kind == "embedded":
        return await embedded_queue_exists(engine, queue)
    if bench.kind == "rabbitmq-double":
        channel, _ = await cast(RabbitMqTransport, bench.make())._open()
        return queue in cast(Channel, channel).broker.queues
    return await broker_has_queue(queue)


# --8<-- [start:ephemeral-test]
async def test_a_process_queue_receives_what_any_relay_publishes_and_goes_with_it(
    bench: Bench, engine: AsyncEngine
) -> None:
    products = bench.subscription("process", "ProductRepriced")
    own = dataclasses.replace(products, ephemeral=True)
    process, relay = bench.make(), bench.make()  # two connections, as of two processes
    await process.declare([own])  # the relay is not told of it

    await relay.publish([envelope("ProductRepriced", 1), envelope("OrderPlaced", 2)])
    assert await take_all(process, own, bench.idle) == [envelope("ProductRepriced", 1).to_bytes()]

    await process.close()  # the process stops
    assert not await queue_exists(bench, engine, own.queue)
    await relay.publish([envelope("ProductRepriced", 3)])  # to nobody
    assert not await queue_exists(bench, engine, own.queue)


# --8<-- [end:ephemeral-test]


def leased(engine: AsyncEngine, clock: MovingClock) -> EmbeddedTransport:
    return EmbeddedTransport(
        engine, messages, clock, poll_interval=0.01, subscription_lease=timedelta(seconds=60)
    )


OWN = Subscription("shop.process.a", frozenset({"ProductRepriced"}), ephemeral=True)


async def test_a_subscription_whose_process_died_goes_at_the_next_publish(
    engine: AsyncEngine,
) -> None:
    clock = MovingClock(NOW)
    died, relay = leased(engine, clock), leased(engine, clock)
    await died.declare([OWN])
    await relay.publish([envelope("ProductRepriced", 1)])
    assert await rows_of(engine, OWN.queue) == 1

    clock.advance(61)  # its lease ran out, never renewed: the process died without closing
    await relay.publish([envelope("ProductRepriced", 2)])

    assert (await rows_of(engine, OWN.queue), await rows_of(engine, SUBSCRIPTIONS)) == (0, 0)


async def test_a_reading_process_renews_its_lease_and_registers_again_if_it_was_removed(
    engine: AsyncEngine,
) -> None:
    clock = MovingClock(NOW)
    process, relay = leased(engine, clock), leased(engine, clock)
    await process.declare([OWN])
    for _ in range(3):  # reading, every 30 seconds: each read after 20 renews the lease
        clock.advance(30)
        assert await take_all(process, OWN, 0.01) == []
    await relay.publish([envelope("ProductRepriced", 1)])
    assert await rows_of(engine, OWN.queue) == 1

    clock.advance(120)  # stalled past its lease: a relay removes it, and its queue
    await relay.publish([envelope("ProductRepriced", 2)])
    assert await take_all(process, OWN, 0.01) == []  # back, with what it missed lost
    await relay.publish([envelope("ProductRepriced", 3)])
    assert await take_all(process, OWN, 0.01) == [envelope("ProductRepriced", 3).to_bytes()]
    assert await rows_of(engine, SUBSCRIPTIONS) == 1
    await process.close()
    assert await rows_of(engine, SUBSCRIPTIONS) == 0


async def test_an_in_process_consumer_keeps_no_inbox(bench: Bench, engine: AsyncEngine) -> None:
    handled: list[EventEnvelope] = []

    async def remember(_: object, event: EventEnvelope) -> None:
        handled.append(event)

    consumer = Consumer(bench.subscription("process").queue, {"ProductRepriced": remember})
    consumer = dataclasses.replace(consumer, in_process=True)
    assert consumer.subscription.ephemeral
    transport = bench.make()
    await transport.declare([consumer.subscription])
    await transport.publish([envelope("ProductRepriced", 1)] * 2)  # published twice

    runtime = ConsumerRuntime(consumer, engine, inbox, transport, MovingClock(NOW))
    outcomes = await runtime.drain(idle=bench.idle)

    assert outcomes == {Outcome.HANDLED: 2}  # idempotent handlers: each time again
    assert len(handled) == 2
    async with engine.connect() as connection:
        assert (await connection.execute(select(func.count()).select_from(inbox))).scalar() == 0
