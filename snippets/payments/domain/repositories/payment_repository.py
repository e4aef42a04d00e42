"""The repository port of payments, and the helper that loads one or fails."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from payments.domain.entities.payment import Payment
from payments.domain.errors import PaymentNotFoundError
from shared_kernel.tenancy import TenantId


# --8<-- [start:payment-repository]
class PaymentRepository(Protocol):
    """Where payments are kept, with the provider's events already applied to them.

    Unlike the other contexts' repositories it is not made for one tenant: the
    provider's webhook names a payment by the provider's id, and the payment found says
    which tenant it belongs to. Every other method takes the tenant, and finds only its
    payments.
    """

    async def add(self, payment: Payment, /) -> bool:
        """Store a new payment; return ``False`` if its order has that attempt already."""
        ...

    async def get(self, tenant_id: TenantId, payment_id: UUID, /) -> Payment | None:
        """The tenant's payment with this id, if there is one."""
        ...

    async def of_order(self, tenant_id: TenantId, order_id: UUID, /) -> Sequence[Payment]:
        """The tenant's payments of one order, the first attempt first."""
        ...

    async def by_provider_id(self, provider_payment_id: str, /) -> Payment | None:
        """Whichever tenant's payment the provider knows by this id, if any."""
        ...

    async def pending(self, updated_before: datetime, limit: int, /) -> Sequence[Payment]:
        """Every tenant's pending payments with an intent, unchanged since before then.

        The oldest first, at most ``limit`` of them: what the reconciliation asks the
        provider about.
        """
        ...

    async def save(self, payment: Payment, /, *, event_id: str | None = None) -> bool:
        """Store the payment's changes; with ``event_id``, mark that event processed.

        Both in one transaction: an event is recorded as processed exactly when what it
        changed is stored. Return ``False``, storing nothing, when ``event_id`` was
        processed already (a concurrent delivery of the same event won).
        """
        ...

    async def processed(self, event_id: str, /) -> bool:
        """Whether the provider's event with this id was processed already."""
        ...


# --8<-- [end:payment-repository]


async def load_payment(
    payments: PaymentRepository, tenant_id: TenantId, payment_id: UUID
) -> Payment:
    """The tenant's payment with this id.

    Raises:
        PaymentNotFoundError: The tenant has no such payment.
    """
    payment = await payments.get(tenant_id, payment_id)
    if payment is None:
        raise PaymentNotFoundError(payment_id)
    return payment
