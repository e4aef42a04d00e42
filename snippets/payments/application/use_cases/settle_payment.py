"""Settle a payment from the provider's webhook: the one way an order becomes paid."""

from collections.abc import Callable

from payments.application.dto.payment_commands import WebhookDelivery
from payments.application.dto.payment_views import Settlement
from payments.application.errors import AmountMismatchError, WebhookReplayedError
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.webhook_verifier import WebhookVerifier
from payments.domain.entities.payment import PaymentStatus
from payments.domain.errors import PaymentNotFoundError
from payments.domain.repositories.payment_repository import PaymentRepository
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


# --8<-- [start:settle-payment]
async def settle_payment(
    delivery: WebhookDelivery,
    verifier: WebhookVerifier,
    payments: PaymentRepository,
    orders: Callable[[TenantId], OrderPayments],
    clock: Clock,
) -> Settlement:
    """Apply a webhook's event to its payment, and mark the order paid when it succeeded.

    Nothing is read or written before the signature is verified. The event is recorded
    as processed last, in the transaction that stores the payment: a failure on the way
    leaves it unrecorded, so the provider's next delivery of it does the work, and
    marking the order paid is safe to repeat. The tenant is the payment's, never the
    caller's.

    Raises:
        InvalidWebhookError: The webhook failed verification.
        WebhookReplayedError: Its event was processed already.
        PaymentNotFoundError: No payment has the event's intent (yet: the provider
            delivers it again later).
        AmountMismatchError: The event's amount is not the payment's.
    """
    event = verifier.verify(delivery)
    if await payments.processed(event.event_id):
        raise WebhookReplayedError(event.event_id)
    payment = await payments.by_provider_id(event.provider_payment_id)
    if payment is None:
        raise PaymentNotFoundError(event.provider_payment_id)
    if event.amount != payment.amount:
        raise AmountMismatchError(event.provider_payment_id)
    applied = payment.settle(event.outcome, clock.now())
    order_paid = False
    if payment.status is PaymentStatus.SUCCEEDED:
        order_paid = await orders(payment.tenant_id).mark_paid(payment.order_id)
    if not await payments.save(payment, event_id=event.event_id):
        raise WebhookReplayedError(event.event_id)
    return Settlement(
        event_id=event.event_id,
        payment_id=payment.id,
        status=payment.status,
        applied=applied,
        order_paid=order_paid,
    )


# --8<-- [end:settle-payment]
