"""Every transport the shop can run on, for tests that must hold on each of them.

``embedded`` on each database backend; ``rabbitmq-double`` (aio-pika's objects stood in
for by :mod:`.amqp_double`) always; ``rabbitmq`` when ``AMQP_URL`` is set, against that
broker, failing (never skipping) when it cannot be reached.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast
from uuid import uuid4

import aio_pika
import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.rabbitmq import Connect, RabbitMqTransport
from infrastructure_kernel.messaging.transport import Subscription, Transport
from shop.infrastructure.database.tables import messages

from .amqp_double import Broker
from .messaging import MovingClock

AMQP_URL = os.environ.get("AMQP_URL", "")
TRANSPORTS = ["embedded", "rabbitmq-double", *(["rabbitmq"] if AMQP_URL else [])]
NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


@dataclass
class Bench:
    """A transport under test: makes transports on the same queues, names the queues."""

    kind: str
    clock: MovingClock
    idle: float
    new_transport: Callable[[], Transport]
    publish_raw: Callable[[Transport, str, list[bytes]], Awaitable[None]]
    prefix: str = field(default_factory=lambda: f"test-{uuid4().hex[:12]}.")
    made: list[Transport] = field(default_factory=list)
    queues: list[str] = field(default_factory=list)

    def make(self) -> Transport:
        self.made.append(self.new_transport())
        return self.made[-1]

    def subscription(self, name: str, *events: str) -> Subscription:
        queue = f"{self.prefix}{name}"
        self.queues += [queue, f"{queue}.dead-letters"]
        return Subscription(queue, frozenset(events))

    async def abandon(self, transport: Transport) -> None:
        """The consumer dies without settling what it took; make that visible to others."""
        await transport.close()
        if self.kind == "embedded":
            self.clock.advance(3600)  # its leases run out


async def delete_from_broker(queues: list[str], exchange: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        for queue in queues:
            await channel.queue_delete(queue)
        await channel.exchange_delete(exchange)
    finally:
        await connection.close()


@pytest.fixture(params=TRANSPORTS)
async def bench(request: pytest.FixtureRequest, engine: AsyncEngine) -> AsyncIterator[Bench]:
    """A transport of each kind; the embedded one on each database backend."""
    clock = MovingClock(NOW)
    exchange = f"test-{uuid4().hex[:12]}.events"
    broker = Broker()

    def new_transport() -> Transport:
        if request.param == "embedded":
            return EmbeddedTransport(engine, messages, clock, poll_interval=0.01)
        if request.param == "rabbitmq-double":
            url, connect = "amqp://guest:guest@broker/", cast(Connect, broker.connect)
            return RabbitMqTransport(url, clock, poll_interval=0.01, connect=connect)
        return RabbitMqTransport(AMQP_URL, clock, exchange=exchange, poll_interval=0.05)

    # A real broker answers over the network; give it time before calling a queue empty.
    async def publish_raw(transport: Transport, queue: str, bodies: list[bytes]) -> None:
        """Put ``bodies`` straight into ``queue``, as no relay would."""
        if request.param == "embedded":
            rows = [{"queue": queue, "body": b, "visible_at": NOW, "deliveries": 0} for b in bodies]
            async with engine.begin() as connection:
                await connection.execute(insert(messages), rows)
            return
        channel, _ = await cast(RabbitMqTransport, transport)._open()
        for body in bodies:
            message = aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
            await channel.default_exchange.publish(message, routing_key=queue)

    # A real broker answers over the network; give it time before calling a queue empty.
    idle = 0.3 if request.param == "rabbitmq" else 0.05
    bench = Bench(request.param, clock, idle, new_transport, publish_raw)
    yield bench
    for transport in bench.made:
        await transport.close()
    if request.param == "rabbitmq":
        await delete_from_broker(bench.queues, exchange)
