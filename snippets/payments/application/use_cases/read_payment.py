"""Read one of the tenant's payments."""

from uuid import UUID

from payments.application.dto.payment_views import PaymentView
from payments.domain.repositories.payment_repository import PaymentRepository, load_payment
from shared_kernel.authorization import Actor, Permission
from shared_kernel.tenancy import TenantId


async def read_payment(
    tenant_id: TenantId, payment_id: UUID, payments: PaymentRepository, *, actor: Actor
) -> PaymentView:
    """The tenant's payment with this id.

    Raises:
        PermissionDeniedError: The actor may not read payments.
        PaymentNotFoundError: The tenant has no such payment.
    """
    actor.require(Permission.PAYMENTS_READ)
    return PaymentView.from_payment(await load_payment(payments, tenant_id, payment_id))
