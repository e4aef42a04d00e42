"""What the messaging tests share: a clock that moves, transports and outbox helpers."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.domain.events.product_events import ProductAdded
from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.transport import Subscription
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.infrastructure.database.outbox import write_events
from shop.infrastructure.database.tables import messages, outbox

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def envelope(name: str = "ProductAdded", n: int = 0) -> EventEnvelope:
    """The ``n``th envelope of a test: a fixed id, tenant and time, a correlation of its own."""
    return EventEnvelope.model_validate(
        {
            "event_id": f"00000000-0000-4000-8000-{n:012d}",
            "event_name": name,
            "schema_version": 1,
            "tenant_id": "acme",
            "occurred_at": NOW,
            "correlation_id": f"request-{n}",
            "payload": {"n": n},
        }
    )


class MovingClock:
    """A clock the test moves forward."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant

    def advance(self, seconds: float) -> None:
        self.instant += timedelta(seconds=seconds)


def product_added(tenant: str = "acme", sku: str = "MUG-001") -> ProductAdded:
    return ProductAdded(
        tenant_id=tenant,
        product_id=uuid4(),
        sku=sku,
        name="Enamel mug",
        price=Decimal("12.50"),
        currency="EUR",
    )


async def store_events(engine: AsyncEngine, tenant: str, events: Sequence[DomainEvent]) -> None:
    async with engine.begin() as connection:
        await write_events(connection, TenantId(tenant), events)


async def unpublished(engine: AsyncEngine) -> list[str]:
    query = select(outbox.c.event_name).where(outbox.c.published_at.is_(None))
    async with engine.connect() as connection:
        return list((await connection.scalars(query.order_by(outbox.c.position))).all())


def embedded(engine: AsyncEngine, clock: MovingClock) -> EmbeddedTransport:
    return EmbeddedTransport(engine, messages, clock, poll_interval=0.01)


EVERY_PRODUCT_EVENT = Subscription(
    "test.products", frozenset({"ProductAdded", "ProductRepriced", "ProductDiscontinued"})
)


class RecordingTransport:
    """A transport that keeps what it was asked to publish, and may fail after publishing."""

    def __init__(self, *, fail_after_publishing: bool = False) -> None:
        self.published: list[EventEnvelope] = []
        self.fail_after_publishing = fail_after_publishing

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        self.published.extend(envelopes)
        if self.fail_after_publishing:
            raise ConnectionError("the relay died before it marked the batch")


class Settled:
    """A message outside any queue, which remembers how it was settled."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.redelivered = False
        self.settled: list[str | None] = []

    async def acknowledge(self) -> None:
        self.settled.append(None)

    async def dead_letter(self, reason: str) -> None:
        self.settled.append(reason)
