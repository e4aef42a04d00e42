"""What payments' use cases return: plain, serialisable models."""

from datetime import datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from payments.domain.entities.payment import Payment, PaymentStatus


class AmountView(BaseModel):
    """An amount of money: ``{"amount": "12.50", "currency": "EUR"}``, never a float."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str


class PaymentView(BaseModel):
    """A payment as the tenant sees it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    order_id: UUID
    attempt: int
    amount: AmountView
    status: PaymentStatus
    provider_payment_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_payment(cls, payment: Payment) -> Self:
        """Copy the aggregate's state."""
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            attempt=payment.attempt,
            amount=AmountView(amount=payment.amount.amount, currency=payment.amount.currency),
            status=payment.status,
            provider_payment_id=payment.provider_payment_id,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
        )


class PaymentStarted(BaseModel):
    """A started payment, and whether this request started it or found it started."""

    model_config = ConfigDict(frozen=True)

    payment: PaymentView
    created: bool


class Settlement(BaseModel):
    """What a verified webhook did: ``applied`` when it changed the payment.

    ``refunded`` when this event's success came for an order that the payment could no
    longer pay, and the shop gave the money back.
    """

    model_config = ConfigDict(frozen=True)

    event_id: str
    payment_id: UUID
    status: PaymentStatus
    applied: bool
    order_paid: bool
    refunded: bool


class Reconciliation(BaseModel):
    """What a reconciliation found: how the pending payments it asked about stand now.

    ``unresolved`` names the payments whose intent the provider did not confirm (an
    intent it does not know, or of another amount): an operator's question, not the
    shop's to answer.
    """

    model_config = ConfigDict(frozen=True)

    checked: int
    succeeded: int
    failed: int
    refunded: int
    still_pending: int
    unresolved: list[UUID]
