"""The RabbitMQ transport, through aio-pika: a topic exchange, a durable queue per consumer.

Events are published to one durable topic exchange with their name as the routing key,
persistent, on a channel with publisher confirms: :meth:`RabbitMqTransport.publish`
returns once the broker has written every message. Each consumer's queue is bound to
the names it wants; beside it, ``QUEUE.dead-letters`` keeps what it gave up on, with
the reason in a header.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractExchange,
    AbstractIncomingMessage,
    DeliveryMode,
    ExchangeType,
)

from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.transport import DeadLetter, Received, Subscription, polled
from shared_kernel.clock import Clock

Connect = Callable[[str], Awaitable[AbstractConnection]]
"""Opens a connection to a broker URL: ``aio_pika.connect_robust``, which reconnects."""

REASON = "x-dead-reason"
DEAD_AT = "x-dead-at"


class RabbitMqTransport:
    """Implements :class:`~infrastructure_kernel.messaging.transport.Transport` on RabbitMQ."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        exchange: str = "events",
        poll_interval: float = 0.1,
        connect: Connect = aio_pika.connect_robust,
    ) -> None:
        """Connect to ``url`` (``amqp://user:password@host/vhost``) when first used."""
        self._url = url
        self._clock = clock
        self._exchange_name = exchange
        self._poll_interval = poll_interval
        self._connect = connect
        self._connection: AbstractConnection | None = None
        self._opened: tuple[AbstractChannel, AbstractExchange] | None = None

    async def _open(self) -> tuple[AbstractChannel, AbstractExchange]:
        if self._opened is None:
            self._connection = await self._connect(self._url)
            # Publisher confirms: a publish returns once the broker has the message.
            channel = await self._connection.channel(publisher_confirms=True)
            exchange = await channel.declare_exchange(
                self._exchange_name, ExchangeType.TOPIC, durable=True
            )
            self._opened = channel, exchange
        return self._opened

    # --8<-- [start:publish]
    async def declare(self, subscriptions: Sequence[Subscription]) -> None:
        """Declare each queue and its dead-letter queue, durable, and bind the events.

        An ephemeral subscription's queues are exclusive instead: the broker deletes
        them when this transport's connection closes, or its process dies.
        """
        channel, exchange = await self._open()
        for subscription in subscriptions:
            kept = not subscription.ephemeral
            queue = await channel.declare_queue(
                subscription.queue, durable=kept, exclusive=not kept
            )
            dead = _dead_letters(subscription)
            await channel.declare_queue(dead, durable=kept, exclusive=not kept)
            for name in sorted(subscription.event_names):
                await queue.bind(exchange, routing_key=name)

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Publish each envelope persistently and wait for the broker's confirmation.

        One after another, so that they arrive in order; an event no queue is bound
        to is dropped by the broker (``mandatory=False``): no consumer wants it.
        """
        _, exchange = await self._open()
        for envelope in envelopes:
            message = aio_pika.Message(
                envelope.to_bytes(),
                content_type="application/json",
                delivery_mode=DeliveryMode.PERSISTENT,  # written to disk before confirming
                message_id=str(envelope.event_id),
                type=envelope.event_name,
                correlation_id=envelope.correlation_id,
                # Where tools that read AMQP look for the trace; consumers use the envelope.
                headers={"traceparent": envelope.traceparent} if envelope.traceparent else None,
            )
            await exchange.publish(message, routing_key=envelope.event_name, mandatory=False)

    # --8<-- [end:publish]

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        """Take the queue's messages one at a time, unacknowledged until settled."""

        async def take() -> Received | None:
            channel, _ = await self._open()
            queue = await channel.get_queue(subscription.queue, ensure=False)
            message = await queue.get(no_ack=False, fail=False)
            return None if message is None else _Delivery(self, subscription, message)

        return polled(take, idle=idle, interval=self._poll_interval)

    async def _send_to_queue(
        self, queue: str, message: AbstractIncomingMessage, **headers: str
    ) -> None:
        channel, _ = await self._open()
        kept = {k: v for k, v in (message.headers or {}).items() if k not in {REASON, DEAD_AT}}
        copy = aio_pika.Message(
            message.body,
            headers={**kept, **headers},
            content_type=message.content_type,
            delivery_mode=DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            type=message.type,
            correlation_id=message.correlation_id,
        )
        # Through the default exchange, which routes to the queue of that name.
        await channel.default_exchange.publish(copy, routing_key=queue)

    # --8<-- [start:dead-letter]
    async def _dead_letter(
        self, subscription: Subscription, message: AbstractIncomingMessage, reason: str
    ) -> None:
        dead_at = self._clock.now().isoformat()
        await self._send_to_queue(
            _dead_letters(subscription), message, **{REASON: reason, DEAD_AT: dead_at}
        )
        await message.ack()  # only once the dead-letter queue has confirmed its copy

    # --8<-- [end:dead-letter]

    async def _take_all_dead(self, subscription: Subscription) -> list[AbstractIncomingMessage]:
        # Taken without acknowledging, so none comes twice; the caller settles each.
        channel, _ = await self._open()
        queue = await channel.get_queue(_dead_letters(subscription), ensure=False)
        taken = []
        while (message := await queue.get(no_ack=False, fail=False)) is not None:
            taken.append(message)
        return taken

    async def dead_letters(self, subscription: Subscription) -> list[DeadLetter]:
        """Read every dead letter, then return them all to their queue."""
        taken = await self._take_all_dead(subscription)
        for message in taken:
            await message.nack(requeue=True)
        return [_as_dead_letter(message) for message in taken]

    async def replay(self, subscription: Subscription, message_ids: Sequence[str]) -> int:
        """Publish the named dead letters to the consumer's queue again, and remove them."""
        replayed = 0
        for message in await self._take_all_dead(subscription):
            if message.message_id not in message_ids:
                await message.nack(requeue=True)
                continue
            await self._send_to_queue(subscription.queue, message)
            await message.ack()
            replayed += 1
        return replayed

    async def close(self) -> None:
        """Close the connection, and with it the channel."""
        if self._connection is not None:
            await self._connection.close()
        self._connection = self._opened = None


def _dead_letters(subscription: Subscription) -> str:
    return f"{subscription.queue}.dead-letters"


def _as_dead_letter(message: AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers or {}
    dead_at = headers.get(DEAD_AT)
    return DeadLetter(
        message_id=message.message_id or "",
        body=message.body,
        reason=str(headers.get(REASON, "")),
        dead_at=datetime.fromisoformat(dead_at) if isinstance(dead_at, str) else None,
    )


class _Delivery:
    def __init__(
        self,
        transport: RabbitMqTransport,
        subscription: Subscription,
        message: AbstractIncomingMessage,
    ) -> None:
        self._transport = transport
        self._subscription = subscription
        self._message = message
        self.body = message.body
        self.redelivered = bool(message.redelivered)

    async def acknowledge(self) -> None:
        await self._message.ack()

    async def dead_letter(self, reason: str) -> None:
        await self._transport._dead_letter(self._subscription, self._message, reason)
