"""The transport port: what the relay and the consumers need of a message broker.

Two adapters implement it: RabbitMQ's (:mod:`infrastructure_kernel.messaging.rabbitmq`),
when ``AMQP_URL`` is set, and the embedded one
(:mod:`infrastructure_kernel.messaging.embedded`), which keeps its queues in the
deployable's own database, so that everything runs with nothing but Python.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from infrastructure_kernel.messaging.envelope import EventEnvelope


@dataclass(frozen=True)
class Subscription:
    """A consumer's queue: its name, and the events routed into it.

    The transport keeps a second queue beside it for the consumer's dead letters.

    Attributes:
        queue: The queue's name, which is its consumer's.
        event_names: The events routed into it.
        ephemeral: Whether the queue goes away with the transport that declared it, for
            a consumer whose effect lives in its process's memory (ADR 89); else it is
            durable and waits for its consumer across restarts.
    """

    queue: str
    event_names: frozenset[str]
    ephemeral: bool = False


# --8<-- [start:received]
class Received(Protocol):
    """One message taken from a queue, until it is settled one way or the other."""

    @property
    def body(self) -> bytes:
        """The message as it was published: an envelope, or whatever was sent instead."""
        ...

    @property
    def redelivered(self) -> bool:
        """Whether this message was delivered before and not acknowledged."""
        ...

    async def acknowledge(self) -> None:
        """Remove the message from its queue: it was handled, or had been before."""
        ...

    async def dead_letter(self, reason: str) -> None:
        """Move the message to the dead-letter queue with ``reason``, for a person."""
        ...


# --8<-- [end:received]


@dataclass(frozen=True)
class DeadLetter:
    """A message in a dead-letter queue, and why it is there.

    Attributes:
        message_id: How :meth:`Transport.replay` names it.
        body: The message as it was published.
        reason: Why the consumer gave up on it.
        dead_at: When it gave up.
    """

    message_id: str
    body: bytes
    reason: str
    dead_at: datetime | None


# --8<-- [start:transport]
class Transport(Protocol):
    """A broker with a topic exchange of events and a queue per consumer."""

    async def declare(self, subscriptions: Sequence[Subscription]) -> None:
        """Make sure each consumer's queues exist and receive its events; idempotent.

        Both the relay and the consumers declare them, so no event is published before
        the queue that wants it exists. An ephemeral subscription is declared by its
        consumer alone, and is removed when this transport closes or its process dies.
        """
        ...

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Publish ``envelopes`` in order, routed by event name, and persistently.

        Returns only once the broker has confirmed every one; raises if it refused one,
        and then any of them may or may not have been published.
        """
        ...

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        """Yield the subscription's messages one at a time, each settled before the next.

        Ends once no message arrived for ``idle`` seconds.
        """
        ...

    async def dead_letters(self, subscription: Subscription) -> list[DeadLetter]:
        """List the subscription's dead letters, oldest first, leaving them in place."""
        ...

    async def replay(self, subscription: Subscription, message_ids: Sequence[str]) -> int:
        """Move the named dead letters back into the queue; return how many were found."""
        ...

    async def close(self) -> None:
        """Release the connection and remove the ephemeral queues; the transport is done."""
        ...


# --8<-- [end:transport]


async def polled(
    take: Callable[[], Awaitable[Received | None]], *, idle: float, interval: float
) -> AsyncIterator[Received]:
    """Yield what ``take`` returns, looking again every ``interval`` seconds while it is empty.

    Ends once nothing came for ``idle`` seconds; each message is settled by the caller
    before the next is taken.
    """
    waited = 0.0
    while waited < idle:
        message = await take()
        if message is None:
            await asyncio.sleep(interval)
            waited += interval
            continue
        waited = 0.0
        yield message
