"""What every transport promises: routing, settling, redelivery, dead letters, replay."""

import asyncio
from datetime import UTC, datetime

import pytest

from infrastructure_kernel.messaging.transport import Subscription, Transport

from .messaging import envelope
from .transports import Bench, bench

__all__ = ["bench"]  # the fixture, used by name

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


async def take_all(transport: Transport, subscription: Subscription, idle: float) -> list[bytes]:
    taken = []
    async for message in transport.receive(subscription, idle=idle):
        taken.append(message.body)
        await message.acknowledge()
    return taken


async def test_each_queue_receives_the_events_it_subscribed_to_in_order(bench: Bench) -> None:
    products = bench.subscription("products", "ProductAdded", "ProductRepriced")
    orders = bench.subscription("orders", "OrderPlaced")
    transport = bench.make()
    await transport.declare([products, orders])

    await transport.publish(
        [envelope("ProductAdded", 1), envelope("OrderPlaced", 2), envelope("ProductRepriced", 3)]
    )

    assert await take_all(transport, products, bench.idle) == [
        envelope("ProductAdded", 1).to_bytes(),
        envelope("ProductRepriced", 3).to_bytes(),
    ]
    assert await take_all(transport, orders, bench.idle) == [envelope("OrderPlaced", 2).to_bytes()]


async def test_an_event_nobody_subscribed_to_is_dropped(bench: Bench) -> None:
    orders = bench.subscription("orders", "OrderPlaced")
    transport = bench.make()
    await transport.declare([orders])

    await transport.publish([envelope("ProductDiscontinued", 1)])

    assert await take_all(transport, orders, bench.idle) == []


async def test_an_acknowledged_message_is_gone_and_an_abandoned_one_comes_back(
    bench: Bench,
) -> None:
    orders = bench.subscription("orders", "OrderPlaced")
    consumer = bench.make()
    await consumer.declare([orders])
    await consumer.publish([envelope("OrderPlaced", 1), envelope("OrderPlaced", 2)])

    taken = [m async for m in consumer.receive(orders, idle=bench.idle)]
    assert [m.redelivered for m in taken] == [False, False]
    await taken[0].acknowledge()
    await bench.abandon(consumer)  # dies before acknowledging the second

    survivor = bench.make()
    again = [m async for m in survivor.receive(orders, idle=bench.idle)]
    assert [(m.body, m.redelivered) for m in again] == [
        (envelope("OrderPlaced", 2).to_bytes(), True)
    ]


async def test_dead_letters_keep_their_reason_until_one_is_replayed(bench: Bench) -> None:
    orders = bench.subscription("orders", "OrderPlaced")
    transport = bench.make()
    await transport.declare([orders])
    await transport.publish([envelope("OrderPlaced", 1), envelope("OrderPlaced", 2)])

    async for message in transport.receive(orders, idle=bench.idle):
        await message.dead_letter(f"poison: {message.body[-10:]!r}")
    first, second = await transport.dead_letters(orders)

    assert (first.body, second.body) == (
        envelope("OrderPlaced", 1).to_bytes(),
        envelope("OrderPlaced", 2).to_bytes(),
    )
    assert first.reason.startswith("poison: ")
    assert first.dead_at == NOW
    assert await take_all(transport, orders, bench.idle) == []
    # Listing leaves them in place.
    assert [d.message_id for d in await transport.dead_letters(orders)] == [
        first.message_id,
        second.message_id,
    ]

    assert await transport.replay(orders, [second.message_id, "no-such-message"]) == 1

    assert [d.body for d in await transport.dead_letters(orders)] == [first.body]
    assert await take_all(transport, orders, bench.idle) == [second.body]


async def test_two_consumers_of_a_queue_never_take_the_same_message(bench: Bench) -> None:
    orders = bench.subscription("orders", "OrderPlaced")
    one, other = bench.make(), bench.make()
    await one.declare([orders])
    await one.publish([envelope("OrderPlaced", n) for n in range(12)])

    first, second = await asyncio.gather(
        take_all(one, orders, bench.idle), take_all(other, orders, bench.idle)
    )

    assert sorted(first + second) == sorted(
        envelope("OrderPlaced", n).to_bytes() for n in range(12)
    )
