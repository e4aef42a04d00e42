"""The tenant's payments endpoints, version 1 (mounted under ``/api/v1`` by the platform).

Tenant-scoped like every context's router. Starting a payment asks the provider for an
intent of the order's total; whether it succeeded, only the provider's webhook says
(:mod:`payments.presentation.api.payment_events`).
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from infrastructure_kernel.http.request_state import request_actor
from infrastructure_kernel.http.urls import resource_url
from payments.application.dto.payment_commands import StartPayment
from payments.application.dto.payment_views import PaymentView
from payments.application.errors import ProviderUnavailableError
from payments.application.use_cases.read_payment import read_payment
from payments.application.use_cases.start_payment import start_payment
from payments.presentation.api.dependencies import ProviderDep, ServicesDep, TenantDep

router = APIRouter(prefix="/payments", tags=["payments"])

_LOCATION: dict[str, Any] = {
    "Location": {"description": "The payment's URL.", "schema": {"type": "string"}}
}


class PaymentProviderUnavailableError(Exception):
    """The provider cannot serve now: a 503 with ``Retry-After``, safe to repeat."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("the payment provider cannot be reached now; try again later")
        self.headers = {"Retry-After": str(retry_after)}


# --8<-- [start:start-endpoint]
@router.post(
    "",
    operation_id="start_payment",
    status_code=status.HTTP_201_CREATED,
    responses={
        status.HTTP_201_CREATED: {"description": "A payment started.", "headers": _LOCATION},
        status.HTTP_200_OK: {
            "description": "The order's payment had started already: this is it.",
            "model": PaymentView,
            "headers": _LOCATION,
        },
    },
)
async def start(  # noqa: PLR0913, PLR0917 - a body, three collaborators, HTTP parts
    command: StartPayment,
    services: ServicesDep,
    tenant_id: TenantDep,
    provider: ProviderDep,
    request: Request,
    response: Response,
) -> PaymentView:
    """Start collecting the order's total through the payment provider.

    The first request answers 201 with a pending payment; a repeat, 200 with the same
    one, until it has failed. Only the provider's webhook makes the order paid. When
    the provider cannot be reached, the answer is a 503 with ``Retry-After``, and
    repeating the request charges nothing twice.
    """
    try:
        started = await start_payment(
            command,
            tenant_id,
            payments=services.payment_repository(),
            orders=services.order_payments(tenant_id),
            provider=provider,
            clock=services.clock,
            actor=request_actor(request),
        )
    except ProviderUnavailableError as error:
        raise PaymentProviderUnavailableError(error.retry_after) from error
    payment = started.payment
    response.headers["Location"] = resource_url(request, "get_payment", payment_id=payment.id)
    if not started.created:
        response.status_code = status.HTTP_200_OK
    return payment


# --8<-- [end:start-endpoint]


@router.get("/{payment_id}", operation_id="get_payment")
async def get_payment(
    payment_id: UUID, services: ServicesDep, tenant_id: TenantDep, request: Request
) -> PaymentView:
    """Return one of the tenant's payments."""
    payments = services.payment_repository()
    return await read_payment(tenant_id, payment_id, payments, actor=request_actor(request))
