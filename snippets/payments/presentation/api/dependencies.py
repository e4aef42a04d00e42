"""What payments' endpoints need, and where they find it.

:class:`PaymentsServices` is payments' port on the application that serves it; the
dependencies read the platform's two promises (see :mod:`payments.presentation`) with
the infrastructure kernel's checked accessors, as every context's endpoints do. The
webhook's dependencies read only the first: the provider's request has no tenant.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

from infrastructure_kernel.http.request_state import app_services, request_tenant
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.payment_provider import PaymentProvider
from payments.application.interfaces.webhook_verifier import WebhookVerifier
from payments.domain.repositories.payment_repository import PaymentRepository
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


class PaymentsNotConfiguredError(Exception):
    """The shop has no payment provider configured: no payment can start or settle."""

    def __init__(self) -> None:
        super().__init__("payments are not configured on this shop")


# --8<-- [start:services-port]
@runtime_checkable
class PaymentsServices(Protocol):
    """What payments' endpoints need from the application serving them."""

    def payment_repository(self) -> PaymentRepository:
        """Every tenant's payments; its methods take the tenant."""
        ...

    def order_payments(self, tenant_id: TenantId) -> OrderPayments:
        """``tenant_id``'s orders, as payments needs them."""
        ...

    def payment_provider(self) -> PaymentProvider | None:
        """The provider's client, one per process; ``None`` when none is configured."""
        ...

    def webhook_verifier(self) -> WebhookVerifier | None:
        """The verifier of the provider's webhooks; ``None`` when none is configured."""
        ...

    @property
    def clock(self) -> Clock:
        """Where the use cases get the time."""
        ...


# --8<-- [end:services-port]


def _services(request: Request) -> PaymentsServices:
    services: PaymentsServices = app_services(request, PaymentsServices)
    return services


async def services(request: Request) -> PaymentsServices:
    """The app's services, checked against payments' port."""
    return _services(request)


async def tenant(request: Request) -> TenantId:
    """The request's tenant, which the platform resolved before the endpoint."""
    return request_tenant(request)


async def payment_provider(request: Request) -> PaymentProvider:
    """The provider's client.

    Raises:
        PaymentsNotConfiguredError: No provider is configured.
    """
    provider = _services(request).payment_provider()
    if provider is None:
        raise PaymentsNotConfiguredError
    return provider


async def webhook_verifier(request: Request) -> WebhookVerifier:
    """The webhook verifier.

    Raises:
        PaymentsNotConfiguredError: No webhook secret is configured.
    """
    verifier = _services(request).webhook_verifier()
    if verifier is None:
        raise PaymentsNotConfiguredError
    return verifier


ServicesDep = Annotated[PaymentsServices, Depends(services)]
TenantDep = Annotated[TenantId, Depends(tenant)]
ProviderDep = Annotated[PaymentProvider, Depends(payment_provider)]
VerifierDep = Annotated[WebhookVerifier, Depends(webhook_verifier)]
