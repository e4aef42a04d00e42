"""The embedded transport: queues kept in the deployable's own database.

The default when no broker is configured, so the relay and the consumers run on a
laptop with nothing but Python, in separate processes or one, and survive a restart
as RabbitMQ's durable queues do. Publishing is confirmed by a commit. A message is
taken under a lease (``visible_at``), so a consumer that dies before acknowledging
leaves it to be taken again once the lease has run out.

An ephemeral subscription (a server process's own, ADR 89) is a row of the same table,
in the queue :data:`SUBSCRIPTIONS`, so that every relay, in whatever process, routes to
it: leased like a message, renewed while its consumer reads, removed with its queue when
the transport closes, and by the next publish once its lease ran out unrenewed.
"""

import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.transport import DeadLetter, Received, Subscription, polled
from shared_kernel.clock import Clock

SUBSCRIPTIONS = "transport.subscriptions"
"""The queue whose rows are the ephemeral subscriptions; no consumer reads it."""


class EmbeddedTransport:
    """Implements :class:`~infrastructure_kernel.messaging.transport.Transport` on a table.

    Routing happens as a message is published, to the subscriptions this transport was
    told about (the relay declares every consumer's, as it does with RabbitMQ) and to
    the ephemeral subscriptions registered in the table.
    """

    def __init__(  # noqa: PLR0913 - the leases and the interval are keyword-only
        self,
        engine: AsyncEngine,
        messages: Table,
        clock: Clock,
        *,
        lease: timedelta = timedelta(seconds=30),
        poll_interval: float = 0.2,
        subscription_lease: timedelta = timedelta(seconds=60),
    ) -> None:
        """Use the ``messages`` table (see ``message_queue_table``) through ``engine``.

        Args:
            engine: The deployable's database.
            messages: The table of queued messages.
            clock: Where the leases' times come from.
            lease: How long a taken message stays invisible to other consumers.
            poll_interval: Seconds between looks into an empty queue.
            subscription_lease: How long an ephemeral subscription outlives its last
                renewal; its consumer renews it after a third of that.
        """
        self._engine = engine
        self._messages = messages
        self._clock = clock
        self._lease = lease
        self._poll_interval = poll_interval
        self._subscription_lease = subscription_lease
        self._subscriptions: dict[str, Subscription] = {}
        self._registered: dict[str, int] = {}  # ephemeral queue -> its subscription's row
        self._renew_at: dict[str, datetime] = {}

    async def declare(self, subscriptions: Sequence[Subscription]) -> None:
        """Remember whose queue each event name is routed to; register the ephemeral ones."""
        for subscription in subscriptions:
            if subscription.ephemeral:
                await self._register(subscription)
            else:
                self._subscriptions[subscription.queue] = subscription

    # --8<-- [start:ephemeral]
    async def _register(self, subscription: Subscription) -> None:
        """Register ``subscription`` for every relay, or renew its lease if it is."""
        m = self._messages
        now = self._clock.now()
        lease = {"visible_at": now + self._subscription_lease}
        async with self._engine.begin() as connection:
            row_id = self._registered.get(subscription.queue)
            if row_id is not None:
                renewal = update(m).where(m.c.message_id == row_id).values(lease)
                if (await connection.execute(renewal)).rowcount == 0:
                    row_id = None  # removed by a relay: its lease had run out
            if row_id is None:
                events = sorted(subscription.event_names)
                body = json.dumps({"queue": subscription.queue, "events": events}).encode()
                row = {"queue": SUBSCRIPTIONS, "body": body, "deliveries": 0, **lease}
                made = await connection.execute(insert(m).values(row).returning(m.c.message_id))
                self._registered[subscription.queue] = made.scalar_one()
        self._renew_at[subscription.queue] = now + self._subscription_lease / 3

    async def _registrations(self, connection: AsyncConnection) -> list[Subscription]:
        """The ephemeral subscriptions whose lease runs; remove the others, with their queues."""
        m = self._messages
        now = self._clock.now()
        query = select(m.c.message_id, m.c.body, m.c.visible_at).where(m.c.queue == SUBSCRIPTIONS)
        live: list[tuple[int, Subscription]] = []
        expired: list[tuple[int, Subscription]] = []
        for row in (await connection.execute(query)).all():
            registered = json.loads(row.body)
            subscription = Subscription(
                registered["queue"], frozenset(registered["events"]), ephemeral=True
            )
            (live if row.visible_at > now else expired).append((row.message_id, subscription))
        if expired:  # its process died without closing: nobody reads its queue any more
            rows = m.c.message_id.in_([row_id for row_id, _ in expired])
            queues = m.c.queue.in_([subscription.queue for _, subscription in expired])
            await connection.execute(delete(m).where(rows | queues))
        return [subscription for _, subscription in live]

    # --8<-- [end:ephemeral]

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Insert one row per envelope and subscribed queue; the commit confirms them."""
        now = self._clock.now()
        async with self._engine.begin() as connection:
            routes = [*self._subscriptions.values(), *await self._registrations(connection)]
            rows = [
                {"queue": s.queue, "body": e.to_bytes(), "visible_at": now, "deliveries": 0}
                for e in envelopes
                for s in routes
                if e.event_name in s.event_names
            ]
            if rows:
                await connection.execute(insert(self._messages), rows)

    def receive(self, subscription: Subscription, *, idle: float) -> AsyncIterator[Received]:
        """Yield the queue's messages, each under a lease, polling while it is empty.

        An ephemeral subscription's own lease is renewed as its queue is read.
        """

        async def take() -> Received | None:
            renew_at = self._renew_at.get(subscription.queue)
            if subscription.ephemeral and (renew_at is None or self._clock.now() >= renew_at):
                await self._register(subscription)
            return await self._take(subscription.queue)

        return polled(take, idle=idle, interval=self._poll_interval)

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
        """Remove the ephemeral subscriptions declared here, with their queues.

        Nothing else to release: the engine belongs to the deployable.
        """
        if not self._registered:
            return
        m = self._messages
        gone = m.c.message_id.in_(self._registered.values()) | m.c.queue.in_(self._registered)
        async with self._engine.begin() as connection:
            await connection.execute(delete(m).where(gone))
        self._registered.clear()
        self._renew_at.clear()


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
