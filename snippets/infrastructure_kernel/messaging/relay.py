"""The relay: events leave the outbox for the transport, at least once, in commit order.

Each batch is read, published and marked in one transaction that holds the rows'
locks. A crash before the mark commits leaves the rows unpublished, so the next batch
publishes them again: an event may be published twice, never lost, and the consumers'
inboxes make the second delivery harmless. On PostgreSQL several relays share the work,
each skipping the rows another has locked.
"""

import asyncio
import json
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from opentelemetry.trace import Tracer
from sqlalchemy import RowMapping, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.correlation import correlated
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.tracing import publish_spans
from infrastructure_kernel.messaging.transport import Transport
from shared_kernel.clock import Clock

logger = logging.getLogger(__name__)


# --8<-- [start:relay]
class OutboxRelay:
    """Publishes a relayed outbox's events (see ``relayed_outbox_table``) and marks them."""

    def __init__(  # noqa: PLR0913 - the tracer is keyword-only, with a default
        self,
        engine: AsyncEngine,
        outbox: Table,
        transport: Transport,
        clock: Clock,
        *,
        batch_size: int = 100,
        tracer: Tracer | None = None,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._transport = transport
        self._clock = clock
        self._batch_size = batch_size
        self._tracer = tracer
        self.published = 0
        """How many events this relay has published and marked so far."""

    async def relay_batch(self) -> int:
        """Publish the oldest unpublished events the other relays have not locked.

        Returns:
            How many were published; 0 when none was waiting.
        """
        o = self._outbox
        oldest = (
            select(o)
            .where(o.c.published_at.is_(None))
            .order_by(o.c.position)
            .limit(self._batch_size)
            # Locked until this transaction ends; another relay takes the next rows.
            .with_for_update(skip_locked=True)
        )
        async with self._engine.begin() as connection:
            rows = (await connection.execute(oldest)).mappings().all()
            if not rows:
                return 0
            envelopes = [envelope(row) for row in rows]
            await self._publish(envelopes)
            # Only what the broker confirmed is marked; a crash here republishes it.
            await connection.execute(
                update(o)
                .where(o.c.position.in_([row["position"] for row in rows]))
                .values(published_at=self._clock.now())
            )
        self.published += len(rows)
        for published in envelopes:
            # Under the event's correlation, as the consumers' lines about it will be.
            correlation = published.correlation_id or str(published.event_id)
            with correlated(correlation, tenant_id=published.tenant_id):
                logger.info(
                    "event_published",
                    extra={"event_name": published.event_name, "event_id": str(published.event_id)},
                )
        return len(rows)

    async def _publish(self, envelopes: list[EventEnvelope]) -> None:
        if self._tracer is None:  # untraced: the stored trace context travels unchanged
            await self._transport.publish(envelopes)
            return
        with publish_spans(self._tracer, envelopes) as traced:
            await self._transport.publish(traced)

    async def drain(self) -> int:
        """Publish batch after batch until none is waiting; return how many in all."""
        published = 0
        while count := await self.relay_batch():
            published += count
        return published

    async def run(self, stop: asyncio.Event, *, interval: float = 1.0) -> None:
        """Drain the outbox, then look again every ``interval`` seconds, until ``stop``.

        A batch that fails (the broker restarting, the database away) stays unpublished
        and is tried again at the next look: an outage costs the relay time, not its
        process.
        """
        while not stop.is_set():
            try:
                await self.drain()
            except Exception as error:  # logged, and the next look tries the batch again
                logger.warning("relaying failed; trying again in %s s: %r", interval, error)
            with suppress(TimeoutError):  # the interval passed without a stop
                await asyncio.wait_for(stop.wait(), timeout=interval)


def envelope(row: RowMapping) -> EventEnvelope:
    """Put one outbox row into the envelope the transport carries."""
    return EventEnvelope(
        event_id=row["event_id"],
        event_name=row["event_name"],
        schema_version=row["schema_version"],
        tenant_id=row["tenant_id"],
        occurred_at=row["occurred_at"],
        correlation_id=row["correlation_id"],
        traceparent=row["traceparent"],
        payload=json.loads(row["payload"]),
    )


# --8<-- [end:relay]


# --8<-- [start:lag]
@dataclass(frozen=True)
class RelayLag:
    """How far the relay is behind: the unpublished events, and the oldest one's age.

    Attributes:
        unpublished: Events in the outbox that no broker has confirmed yet.
        oldest_occurred_at: When the oldest of them happened; ``None`` when there is none.
        measured_at: When the outbox was read.
    """

    unpublished: int
    oldest_occurred_at: datetime | None
    measured_at: datetime

    @property
    def age_seconds(self) -> float:
        """Seconds since the oldest unpublished event happened; 0 when none waits."""
        if self.oldest_occurred_at is None:
            return 0.0
        return max(0.0, (self.measured_at - self.oldest_occurred_at).total_seconds())


async def relay_lag(engine: AsyncEngine, outbox: Table, clock: Clock) -> RelayLag:
    """Measure the lag of the relay of ``outbox``, in one query."""
    o = outbox
    query = select(func.count(), func.min(o.c.occurred_at)).where(o.c.published_at.is_(None))
    async with engine.connect() as connection:
        count, oldest = (await connection.execute(query)).one()
    return RelayLag(unpublished=count, oldest_occurred_at=oldest, measured_at=clock.now())


# --8<-- [end:lag]
