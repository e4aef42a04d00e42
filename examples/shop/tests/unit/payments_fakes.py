"""In-memory fakes of payments' ports, keeping the promises of the real adapters.

* The repository stores copies, so a change is seen only once saved; a second payment
  with the same (tenant, order, attempt) is refused, as the unique constraint does; an
  event id is recorded once, together with the payment's change or not at all.
* The orders answer as ordering's adapter does: the total while placed, the errors
  otherwise, and a ``mark_paid`` that is safe to repeat.
* The provider keeps one intent per idempotency key and counts its charges, answers
  how an intent ended once a test has said so, and keeps one refund per key, of an
  intent that succeeded only.
"""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from payments.application.errors import ProviderRejectedError, ProviderUnavailableError
from payments.domain.entities.payment import Payment, PaymentStatus, ProviderOutcome
from payments.domain.errors import OrderNotPayableError, OrderToPayNotFoundError
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


@dataclass
class InMemoryPayments:
    """Every tenant's payments and the processed event ids."""

    rows: dict[UUID, Payment] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)

    async def add(self, payment: Payment, /) -> bool:
        taken = {(p.tenant_id, p.order_id, p.attempt) for p in self.rows.values()}
        if (payment.tenant_id, payment.order_id, payment.attempt) in taken:
            return False
        self.rows[payment.id] = copy.deepcopy(payment)
        return True

    async def get(self, tenant_id: TenantId, payment_id: UUID, /) -> Payment | None:
        found = self.rows.get(payment_id)
        return copy.deepcopy(found) if found and found.tenant_id == tenant_id else None

    async def of_order(self, tenant_id: TenantId, order_id: UUID, /) -> Sequence[Payment]:
        mine = [p for p in self.rows.values() if (p.tenant_id, p.order_id) == (tenant_id, order_id)]
        return [copy.deepcopy(p) for p in sorted(mine, key=lambda p: p.attempt)]

    async def by_provider_id(self, provider_payment_id: str, /) -> Payment | None:
        for payment in self.rows.values():
            if payment.provider_payment_id == provider_payment_id:
                return copy.deepcopy(payment)
        return None

    async def pending(self, updated_before: datetime, limit: int, /) -> Sequence[Payment]:
        stale = [
            p
            for p in self.rows.values()
            if p.status is PaymentStatus.PENDING
            and p.provider_payment_id is not None
            and p.updated_at < updated_before
        ]
        stale.sort(key=lambda p: (p.updated_at, p.id))
        return [copy.deepcopy(p) for p in stale[:limit]]

    async def save(self, payment: Payment, /, *, event_id: str | None = None) -> bool:
        if event_id is not None:
            if event_id in self.events:
                return False
            self.events.add(event_id)
        self.rows[payment.id] = copy.deepcopy(payment)
        return True

    async def processed(self, event_id: str, /) -> bool:
        return event_id in self.events


@dataclass
class InMemoryOrders:
    """One tenant's orders: their totals and statuses."""

    totals: dict[UUID, Money] = field(default_factory=dict)
    statuses: dict[UUID, str] = field(default_factory=dict)

    async def amount_due(self, order_id: UUID, /) -> Money:
        if order_id not in self.totals:
            raise OrderToPayNotFoundError(order_id)
        if self.statuses[order_id] != "placed":
            raise OrderNotPayableError(order_id, self.statuses[order_id])
        return self.totals[order_id]

    async def mark_paid(self, order_id: UUID, /) -> bool:
        if self.statuses[order_id] == "placed":
            self.statuses[order_id] = "paid"
        return self.statuses[order_id] in {"paid", "shipped"}


@dataclass
class InMemoryProvider:
    """Intents by idempotency key; ``failures`` calls fail before one succeeds."""

    intents: dict[str, tuple[str, Money]] = field(default_factory=dict)
    charges: dict[str, int] = field(default_factory=dict)
    ended: dict[str, ProviderOutcome] = field(default_factory=dict)
    refunds: dict[str, tuple[str, str]] = field(default_factory=dict)
    failures: int = 0

    def _fail_if_told(self) -> None:
        if self.failures:
            self.failures -= 1
            raise ProviderUnavailableError("told to fail", 5)

    def _amount_of(self, provider_payment_id: str) -> Money:
        for intent, amount in self.intents.values():
            if intent == provider_payment_id:
                return amount
        raise ProviderRejectedError("it answered 404")

    async def outcome(self, provider_payment_id: str, amount: Money) -> ProviderOutcome | None:
        self._fail_if_told()
        if self._amount_of(provider_payment_id) != amount:
            raise ProviderRejectedError("its answer is not of the amount asked for")
        return self.ended.get(provider_payment_id)

    async def refund(self, provider_payment_id: str, amount: Money, idempotency_key: str) -> str:
        self._fail_if_told()
        if self.ended.get(provider_payment_id) is not ProviderOutcome.SUCCEEDED:
            raise ProviderRejectedError("it answered 400")
        if amount != self._amount_of(provider_payment_id):
            raise ProviderRejectedError("it answered 400")
        if idempotency_key not in self.refunds:
            self.refunds[idempotency_key] = (f"re_{len(self.refunds) + 1}", provider_payment_id)
        return self.refunds[idempotency_key][0]

    async def create_intent(self, amount: Money, idempotency_key: str, reference: UUID) -> str:
        del reference
        self._fail_if_told()
        if idempotency_key not in self.intents:
            self.intents[idempotency_key] = (f"pi_{len(self.intents) + 1}", amount)
            self.charges[idempotency_key] = self.charges.get(idempotency_key, 0) + 1
        return self.intents[idempotency_key][0]
