"""Start a payment: one pending attempt per order, one intent per attempt."""

from uuid import uuid4

from payments.application.dto.payment_commands import StartPayment
from payments.application.dto.payment_views import PaymentStarted, PaymentView
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.payment_provider import PaymentProvider
from payments.domain.entities.payment import Payment, PaymentStatus
from payments.domain.repositories.payment_repository import PaymentRepository
from shared_kernel.authorization import Actor, Permission
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


# --8<-- [start:start-payment]
async def start_payment(  # noqa: PLR0913 - a command, its tenant, its actor, four collaborators
    command: StartPayment,
    tenant_id: TenantId,
    *,
    payments: PaymentRepository,
    orders: OrderPayments,
    provider: PaymentProvider,
    clock: Clock,
    actor: Actor,
) -> PaymentStarted:
    """Start collecting the order's total, or carry on with the attempt already started.

    The payment is stored, pending, before the provider is called, so its idempotency
    key exists first; when the call fails, the next request finds the same payment and
    sends the same key, and the provider answers with the intent it may have made
    already. An order thus has at most one open attempt, and an attempt one charge.

    Raises:
        PermissionDeniedError: The actor may not start payments.
        OrderToPayNotFoundError: The tenant has no such order.
        OrderNotPayableError: The order is paid, shipped or cancelled.
        ProviderUnavailableError: The provider cannot serve now; the payment stays
            pending, and repeating the request is safe.
        ProviderRejectedError: The provider refused the request.
    """
    actor.require(Permission.PAYMENTS_START)  # before anything is read
    attempts = await payments.of_order(tenant_id, command.order_id)
    created = False
    if attempts and attempts[-1].status is not PaymentStatus.FAILED:
        payment = attempts[-1]  # pending or succeeded: this attempt is the one
    else:
        amount = await orders.amount_due(command.order_id)
        payment = Payment.start(
            uuid4(),
            tenant_id,
            command.order_id,
            attempt=len(attempts) + 1,
            amount=amount,
            now=clock.now(),
        )
        created = await payments.add(payment)
        if not created:  # a concurrent request stored this attempt first: carry on with it
            payment = (await payments.of_order(tenant_id, command.order_id))[-1]
    if payment.status is PaymentStatus.PENDING and payment.provider_payment_id is None:
        provider_id = await provider.create_intent(
            payment.amount, payment.idempotency_key, payment.id
        )
        payment.attach(provider_id, clock.now())
        await payments.save(payment)
    return PaymentStarted(payment=PaymentView.from_payment(payment), created=created)


# --8<-- [end:start-payment]
