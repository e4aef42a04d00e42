"""The embedded transport: queues kept in the deployable's own database.

The default when no broker is configured, so the relay and the consumers run on a
laptop with nothing but Python, in separate processes or one, and survive a restart
as RabbitMQ's durable queues do. Publishing is confirmed by a commit. A message is
taken under a lease (``visible_at``), so a consumer that dies before acknowledging
leaves it to be taken again once the lease has run out.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.transport import DeadLetter, Received, Subscription, polled
from shared_kernel.clock import Clock


class EmbeddedTransport:
    """Implements :class:`~infrastructure_kernel.messaging.transport.Transport` on a table.

    Routing happens as a message is published, to the subscriptions this transport was
    told about: the relay declares every consumer's, as it does with RabbitMQ.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        messages: Table,
        clock: Clock,
        *,
        lease: timedelta = timedelta(seconds=30),
        poll_interval: float = 0.2,
    ) -> None:
        """Use the ``messages`` table (see ``message_queue_table``) through ``engine``.

        Args:
            engine: The deployable's database.
            messages: The table of queued messages.
            clock: Where the leases' times come from.
            lease: How long a taken message stays invisible to other consumers.
            poll_interval: Seconds between looks into an empty queue.
        """
        self._engine = engine
        self._messages = messages
        self._clock = clock
        self._lease = lease
        self._poll_interval = poll_interval
        self._subscriptions: dict[str, Subscription] = {}

    async def declare(self, subscriptions: Sequence[Subscription]) -> None:
        """Remember whose queue each event name is routed to."""
        self._subscriptions.update((s.queue, s) for s in subscriptions)

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Insert one row per envelope and subscribed queue; the commit confirms them."""
        now = self._clock.now()
        rows = [
            {"queue": s.queue, "body": e.to_bytes(), "visible_at": now, "deliveries": 0}
            for e in envelopes
            for s in self._subscriptions.values()
            if e.event_name in s.event_names
        ]
        if rows:
            async with self._engine.begin() as connection:
                await connection.execute(insert(self._messages), rows)

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        """Yield the queue's messages, each under a lease, polling while it is empty."""
        return polled(
            lambda: self._take(subscription.queue), idle=idle, interval=self._poll_interval
        )

    # --8<-- [start:take]
    async def _take(self, queue: str) -> Received | None:
        m = self._messages
        now = self._clock.now()
        async with self._engine.begin() as connection:
            oldest = (
                select(m.c.message_id, m.c.body, m.c.deliveries)
                .where(m.c.queue == queue, m.c.dead_reason.is_(None), m.c.visible_at <= now)
                .order_by(m.c.message_id)
                .limit(1)
                .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer
            )
            row = (await connection.execute(oldest)).first()
            if row is None:
                return None
            # Compare and set: of two consumers that read the same row, one takes it.
            taken = await connection.execute(
                update(m)
                .where(m.c.message_id == row.message_id, m.c.deliveries == row.deliveries)
                .values(visible_at=now + self._lease, deliveries=row.deliveries + 1)
            )
        if taken.rowcount != 1:  # another consumer took it between the two statements
            return None
        return _TableMessage(self, row.message_id, row.body, redelivered=row.deliveries > 0)

    # --8<-- [end:take]

    async def _settle(self, message_id: int, reason: str | None) -> None:
        m = self._messages
        async with self._engine.begin() as connection:
            if reason is None:
                await connection.execute(delete(m).where(m.c.message_id == message_id))
            else:
                await connection.execute(
                    update(m)
                    .where(m.c.message_id == message_id)
                    .values(dead_reason=reason, dead_at=self._clock.now())
                )

    async def dead_letters(self, subscription: Subscription) -> list[DeadLetter]:
        """Read the queue's dead-lettered rows, oldest first."""
        m = self._messages
        query = (
            select(m.c.message_id, m.c.body, m.c.dead_reason, m.c.dead_at)
            .where(m.c.queue == subscription.queue, m.c.dead_reason.is_not(None))
            .order_by(m.c.message_id)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [DeadLetter(str(r.message_id), r.body, r.dead_reason, r.dead_at) for r in rows]

    async def replay(self, subscription: Subscription, message_ids: Sequence[str]) -> int:
        """Clear the named rows' reasons, making them visible in the queue again."""
        ids = [int(i) for i in message_ids if i.isdigit()]
        m = self._messages
        async with self._engine.begin() as connection:
            replayed = await connection.execute(
                update(m)
                .where(
                    m.c.queue == subscription.queue,
                    m.c.message_id.in_(ids),
                    m.c.dead_reason.is_not(None),
                )
                .values(dead_reason=None, dead_at=None, visible_at=self._clock.now())
            )
        return replayed.rowcount

    async def close(self) -> None:
        """Nothing to release: the engine belongs to the deployable."""


class _TableMessage:
    def __init__(
        self, transport: EmbeddedTransport, message_id: int, body: bytes, *, redelivered: bool
    ) -> None:
        self._transport = transport
        self._message_id = message_id
        self.body = body
        self.redelivered = redelivered

    async def acknowledge(self) -> None:
        await self._transport._settle(self._message_id, None)

    async def dead_letter(self, reason: str) -> None:
        await self._transport._settle(self._message_id, reason)
