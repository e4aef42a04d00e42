"""The payments' repository on SQLAlchemy Core: each method one short transaction."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import RowMapping, Select, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from payments.domain.entities.payment import Payment, PaymentStatus
from payments.infrastructure.database.tables import payments, processed_provider_events
from shared_kernel.clock import Clock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


def to_payment(row: RowMapping) -> Payment:
    """Rebuild a payment from its row."""
    return Payment(
        row["payment_id"],
        tenant_id=TenantId(row["tenant_id"]),
        order_id=row["order_id"],
        attempt=row["attempt"],
        amount=Money.from_minor_units(row["amount_minor"], row["currency"]),
        status=PaymentStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        provider_payment_id=row["provider_payment_id"],
    )


# --8<-- [start:payment-repository]
class SqlAlchemyPaymentRepository:
    """Every tenant's payments in the ``payments`` table."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def add(self, payment: Payment, /) -> bool:
        """One insert; the unique (tenant, order, attempt) refuses a second."""
        row = {
            "payment_id": payment.id,
            "tenant_id": payment.tenant_id.value,
            "order_id": payment.order_id,
            "attempt": payment.attempt,
            "amount_minor": payment.amount.minor_units,
            "currency": payment.amount.currency,
            "status": payment.status.value,
            "provider_payment_id": payment.provider_payment_id,
            "created_at": payment.created_at,
            "updated_at": payment.updated_at,
        }
        try:
            async with self._engine.begin() as connection:
                await connection.execute(insert(payments).values(row))
        except IntegrityError:
            return False
        return True

    async def get(self, tenant_id: TenantId, payment_id: UUID, /) -> Payment | None:
        """One select, by the tenant and the id."""
        found = await self._select(
            (payments.c.tenant_id == tenant_id.value) & (payments.c.payment_id == payment_id)
        )
        return found[0] if found else None

    async def of_order(self, tenant_id: TenantId, order_id: UUID, /) -> Sequence[Payment]:
        """One select, ordered by attempt."""
        return await self._select(
            (payments.c.tenant_id == tenant_id.value) & (payments.c.order_id == order_id)
        )

    async def by_provider_id(self, provider_payment_id: str, /) -> Payment | None:
        """One select, by the unique provider id."""
        found = await self._select(payments.c.provider_payment_id == provider_payment_id)
        return found[0] if found else None

    async def pending(self, updated_before: datetime, limit: int, /) -> Sequence[Payment]:
        """One select of the oldest stale pending payments that have an intent."""
        statement = (
            select(payments)
            .where(
                (payments.c.status == PaymentStatus.PENDING.value)
                & payments.c.provider_payment_id.is_not(None)
                & (payments.c.updated_at < updated_before)
            )
            .order_by(payments.c.updated_at, payments.c.payment_id)
            .limit(limit)
        )
        return await self._fetch(statement)

    async def save(self, payment: Payment, /, *, event_id: str | None = None) -> bool:
        """The event's row first, then the update: a duplicate rolls both back."""
        try:
            async with self._engine.begin() as connection:
                if event_id is not None:
                    await connection.execute(
                        insert(processed_provider_events).values(
                            event_id=event_id,
                            payment_id=payment.id,
                            processed_at=self._clock.now(),
                        )
                    )
                await connection.execute(
                    update(payments)
                    .where(payments.c.payment_id == payment.id)
                    .values(
                        status=payment.status.value,
                        provider_payment_id=payment.provider_payment_id,
                        updated_at=payment.updated_at,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def processed(self, event_id: str, /) -> bool:
        """One select of the event's row."""
        statement = select(processed_provider_events.c.event_id).where(
            processed_provider_events.c.event_id == event_id
        )
        async with self._engine.connect() as connection:
            return (await connection.scalar(statement)) is not None

    async def _select(self, condition: Any) -> list[Payment]:
        return await self._fetch(select(payments).where(condition).order_by(payments.c.attempt))

    async def _fetch(self, statement: Select[Any]) -> list[Payment]:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(statement)).mappings().all()
        return [to_payment(row) for row in rows]


# --8<-- [end:payment-repository]
