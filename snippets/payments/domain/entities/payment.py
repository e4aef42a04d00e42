"""The payment aggregate: one attempt to collect an order's total through the provider."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from payments.domain.errors import PaymentNotRefundableError, PaymentWithoutIntentError
from shared_kernel.entity import Entity
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


class PaymentStatus(StrEnum):
    """Where a payment stands; only what the provider says moves it past ``pending``."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"


class ProviderOutcome(StrEnum):
    """What the provider says happened to a payment intent, in its webhooks' words."""

    SUCCEEDED = "payment.succeeded"
    FAILED = "payment.failed"


# --8<-- [start:payment]
class Payment(Entity[UUID]):
    """One attempt to collect an order's total, and what the provider said about it.

    The shop makes it ``pending`` before it asks the provider for anything, so the
    idempotency key it sends exists before the request does, and a retry sends the same
    one. Attempts of one order are numbered: a new one may start only after the last
    one failed, and each has its own key, so one attempt is at most one charge.
    """

    def __init__(  # noqa: PLR0913 - a reconstitution constructor, every column once
        self,
        payment_id: UUID,
        *,
        tenant_id: TenantId,
        order_id: UUID,
        attempt: int,
        amount: Money,
        status: PaymentStatus,
        created_at: datetime,
        updated_at: datetime,
        provider_payment_id: str | None = None,
    ) -> None:
        super().__init__(payment_id)
        self.tenant_id = tenant_id
        self.order_id = order_id
        self.attempt = attempt
        self.amount = amount
        self._status = status
        self.created_at = created_at
        self._updated_at = updated_at
        self._provider_payment_id = provider_payment_id

    @classmethod
    def start(  # noqa: PLR0913 - what a new payment is made of
        cls,
        payment_id: UUID,
        tenant_id: TenantId,
        order_id: UUID,
        *,
        attempt: int,
        amount: Money,
        now: datetime,
    ) -> "Payment":
        """A new, pending payment of ``amount`` for the order's attempt number ``attempt``."""
        return cls(
            payment_id,
            tenant_id=tenant_id,
            order_id=order_id,
            attempt=attempt,
            amount=amount,
            status=PaymentStatus.PENDING,
            created_at=now,
            updated_at=now,
        )

    @property
    def status(self) -> PaymentStatus:
        """Where the payment stands."""
        return self._status

    @property
    def updated_at(self) -> datetime:
        """When the payment last changed."""
        return self._updated_at

    @property
    def provider_payment_id(self) -> str | None:
        """The provider's id of the payment intent, once the provider has answered."""
        return self._provider_payment_id

    @property
    def refund_key(self) -> str:
        """The key of every request that refunds this payment: one refund per payment."""
        return f"{self.id}:refund"

    @property
    def idempotency_key(self) -> str:
        """The key of every request that creates this payment's intent: its own id.

        Derived, not drawn at request time, so that every retry, by the client, by the
        shop after a restart or by a second process, sends the same one.
        """
        return str(self.id)

    def intent_id(self) -> str:
        """The provider's id of the intent, which every later call about it names.

        Raises:
            PaymentWithoutIntentError: The provider has not answered with one yet.
        """
        if self._provider_payment_id is None:
            raise PaymentWithoutIntentError(self.id)
        return self._provider_payment_id

    def attach(self, provider_payment_id: str, now: datetime) -> None:
        """Remember the provider's id of the intent, which its webhooks will name."""
        self._provider_payment_id = provider_payment_id
        self._updated_at = now

    # --8<-- [start:settle]
    def settle(self, outcome: ProviderOutcome, now: datetime) -> bool:
        """Apply what the provider said; return whether the payment changed.

        Webhooks arrive late, twice and out of order, so the rule is a lattice, not a
        sequence: success is final (money was taken, and a late ``failed`` of an earlier
        try must not undo it; so is its refund), and a failure may still turn into
        success (the customer tried another card on the same intent). Anything else
        changes nothing.
        """
        if self._status in {PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED}:
            return False
        target = PaymentStatus.SUCCEEDED
        if outcome is ProviderOutcome.FAILED:
            target = PaymentStatus.FAILED
        if target is self._status:
            return False
        self._status = target
        self._updated_at = now
        return True

    # --8<-- [end:settle]

    def refunded(self, now: datetime) -> None:
        """Record that the provider refunded the money this payment collected.

        Raises:
            PaymentNotRefundableError: The payment collected nothing to refund.
        """
        if self._status is not PaymentStatus.SUCCEEDED:
            raise PaymentNotRefundableError(self.id, self._status)
        self._status = PaymentStatus.REFUNDED
        self._updated_at = now


# --8<-- [end:payment]
