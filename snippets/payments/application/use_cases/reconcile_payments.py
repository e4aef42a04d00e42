"""Reconcile payments: ask the provider about the ones left pending, and settle them."""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from payments.application.dto.payment_views import Reconciliation
from payments.application.errors import ProviderRejectedError
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.payment_provider import PaymentProvider
from payments.application.use_cases.settle_payment import apply_outcome
from payments.domain.entities.payment import PaymentStatus
from payments.domain.repositories.payment_repository import PaymentRepository
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId

DEFAULT_BATCH = 100


# --8<-- [start:reconcile-payments]
async def reconcile_payments(  # noqa: PLR0913 - four collaborators and what to look at
    payments: PaymentRepository,
    orders: Callable[[TenantId], OrderPayments],
    provider: PaymentProvider,
    clock: Clock,
    *,
    older_than: timedelta,
    limit: int = DEFAULT_BATCH,
) -> Reconciliation:
    """Settle the payments pending for longer than ``older_than`` by asking the provider.

    A webhook can be lost: the provider gives up redelivering after a while, or its
    secret was rotated wrongly. The provider's own record of the intent is then the
    truth, and applying it is the webhook's step without the webhook: the same
    outcome, the order paid or the money refunded, both safe to repeat, so a
    reconciliation that runs beside a late webhook settles the payment once. The young
    payments are left to their webhooks.

    Raises:
        ProviderUnavailableError: The provider cannot serve now. What was settled
            before is stored; the next run carries on with the rest.
    """
    stale = await payments.pending(clock.now() - older_than, limit)
    statuses: Counter[PaymentStatus] = Counter()
    unresolved: list[UUID] = []
    for payment in stale:
        try:
            outcome = await provider.outcome(payment.intent_id(), payment.amount)
        except ProviderRejectedError:
            unresolved.append(payment.id)
            continue
        if outcome is not None:
            await apply_outcome(
                payment, outcome, payments=payments, orders=orders, provider=provider, clock=clock
            )
            await payments.save(payment)
        statuses[payment.status] += 1
    return Reconciliation(
        checked=len(stale),
        succeeded=statuses[PaymentStatus.SUCCEEDED],
        failed=statuses[PaymentStatus.FAILED],
        refunded=statuses[PaymentStatus.REFUNDED],
        still_pending=statuses[PaymentStatus.PENDING],
        unresolved=unresolved,
    )


# --8<-- [end:reconcile-payments]
