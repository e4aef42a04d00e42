"""The embedded transport's own promise: a message taken is leased, not removed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.transport import Subscription
from shop.infrastructure.database.tables import messages

from .messaging import EVERY_PRODUCT_EVENT, MovingClock, envelope

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
ORDERS = Subscription("test.orders", frozenset({"OrderPlaced"}))


async def test_an_unacknowledged_message_comes_back_when_its_lease_runs_out(
    engine: AsyncEngine,
) -> None:
    clock = MovingClock(NOW)
    transport = EmbeddedTransport(
        engine, messages, clock, lease=timedelta(seconds=30), poll_interval=0.01
    )
    await transport.declare([EVERY_PRODUCT_EVENT])
    await transport.publish([envelope()])

    first = [m async for m in transport.receive(EVERY_PRODUCT_EVENT, idle=0.03)]
    clock.advance(29)
    during_the_lease = [m async for m in transport.receive(EVERY_PRODUCT_EVENT, idle=0.03)]
    clock.advance(2)
    after_it = [m async for m in transport.receive(EVERY_PRODUCT_EVENT, idle=0.03)]

    assert len(first) == 1
    assert not first[0].redelivered
    assert during_the_lease == []
    assert [(m.body, m.redelivered) for m in after_it] == [(first[0].body, True)]
