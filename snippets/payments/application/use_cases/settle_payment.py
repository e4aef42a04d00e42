"""Settle a payment from what the provider says, and pay its order or give the money back."""

from collections.abc import Callable
from dataclasses import dataclass

from payments.application.dto.payment_commands import WebhookDelivery
from payments.application.dto.payment_views import Settlement
from payments.application.errors import AmountMismatchError, WebhookReplayedError
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.payment_provider import PaymentProvider
from payments.application.interfaces.webhook_verifier import WebhookVerifier
from payments.domain.entities.payment import Payment, PaymentStatus, ProviderOutcome
from payments.domain.errors import PaymentNotFoundError
from payments.domain.repositories.payment_repository import PaymentRepository
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


@dataclass(frozen=True)
class Applied:
    """What an outcome did: changed the payment, paid its order, or was given back."""

    changed: bool
    order_paid: bool
    refunded: bool


# --8<-- [start:settle-payment]
async def settle_payment(  # noqa: PLR0913 - a delivery and the five collaborators it needs
    delivery: WebhookDelivery,
    *,
    verifier: WebhookVerifier,
    payments: PaymentRepository,
    orders: Callable[[TenantId], OrderPayments],
    provider: PaymentProvider,
    clock: Clock,
) -> Settlement:
    """Apply a webhook's event to its payment, and mark the order paid when it succeeded.

    Nothing is read or written before the signature is verified. The event is recorded
    as processed last, in the transaction that stores the payment: a failure on the way
    leaves it unrecorded, so the provider's next delivery of it does the work, and
    marking the order paid, like a refund, is safe to repeat. The tenant is the
    payment's, never the caller's.

    Raises:
        InvalidWebhookError: The webhook failed verification.
        WebhookReplayedError: Its event was processed already.
        PaymentNotFoundError: No payment has the event's intent (yet: the provider
            delivers it again later).
        AmountMismatchError: The event's amount is not the payment's.
        ProviderUnavailableError: A refund it needs cannot be asked for now; nothing
            is stored, and the provider's next delivery asks again.
    """
    event = verifier.verify(delivery)
    if await payments.processed(event.event_id):
        raise WebhookReplayedError(event.event_id)
    payment = await payments.by_provider_id(event.provider_payment_id)
    if payment is None:
        raise PaymentNotFoundError(event.provider_payment_id)
    if event.amount != payment.amount:
        raise AmountMismatchError(event.provider_payment_id)
    applied = await apply_outcome(
        payment, event.outcome, payments=payments, orders=orders, provider=provider, clock=clock
    )
    if not await payments.save(payment, event_id=event.event_id):
        raise WebhookReplayedError(event.event_id)
    return Settlement(
        event_id=event.event_id,
        payment_id=payment.id,
        status=payment.status,
        applied=applied.changed,
        order_paid=applied.order_paid,
        refunded=applied.refunded,
    )


# --8<-- [end:settle-payment]


# --8<-- [start:apply-outcome]
async def apply_outcome(  # noqa: PLR0913 - a payment, its outcome, four collaborators
    payment: Payment,
    outcome: ProviderOutcome,
    *,
    payments: PaymentRepository,
    orders: Callable[[TenantId], OrderPayments],
    provider: PaymentProvider,
    clock: Clock,
) -> Applied:
    """Apply the provider's outcome to the payment, not stored yet, and to its order.

    A success pays the order, unless this payment can no longer pay it: the order was
    cancelled meanwhile, or another attempt of it succeeded first. Then the money goes
    back at once, under the payment's own refund key, so that repeating this step (the
    provider's next delivery, the next reconciliation) refunds it once.

    Raises:
        ProviderUnavailableError: The refund cannot be asked for now; repeating is safe.
        ProviderRejectedError: The provider refused the refund.
    """
    changed = payment.settle(outcome, clock.now())
    if payment.status is not PaymentStatus.SUCCEEDED:
        return Applied(changed=changed, order_paid=False, refunded=False)
    order = orders(payment.tenant_id)
    if not changed:  # an earlier success paid the order; asking again is safe
        return Applied(
            changed=False, order_paid=await order.mark_paid(payment.order_id), refunded=False
        )
    if not await _paid_by_another_attempt(payment, payments) and await order.mark_paid(
        payment.order_id
    ):
        return Applied(changed=True, order_paid=True, refunded=False)
    await provider.refund(payment.intent_id(), payment.amount, payment.refund_key)
    payment.refunded(clock.now())
    return Applied(changed=True, order_paid=False, refunded=True)


async def _paid_by_another_attempt(payment: Payment, payments: PaymentRepository) -> bool:
    attempts = await payments.of_order(payment.tenant_id, payment.order_id)
    return any(
        attempt.id != payment.id and attempt.status is PaymentStatus.SUCCEEDED
        for attempt in attempts
    )


# --8<-- [end:apply-outcome]
