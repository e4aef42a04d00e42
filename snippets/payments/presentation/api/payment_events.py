"""The provider's webhook: ``POST /api/v1/payment-events``.

Not tenant-scoped: the provider calls it, with no tenant header and no token, and the
platform mounts it beside its own routes. What a request may do is decided by the
signature alone, and the tenant by the payment the verified event names.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Header, Request

from payments.application.dto.payment_commands import WebhookDelivery
from payments.application.dto.payment_views import Settlement
from payments.application.errors import InvalidWebhookError, ProviderUnavailableError
from payments.application.use_cases.settle_payment import settle_payment
from payments.infrastructure.security.hmac_webhooks import MAX_HEADER_LENGTH, SIGNATURE_HEADER
from payments.presentation.api.dependencies import ProviderDep, ServicesDep, VerifierDep
from payments.presentation.api.payments import PaymentProviderUnavailableError

router = APIRouter(prefix="/payment-events", tags=["payments"])
logger = logging.getLogger(__name__)


# The body as the provider sends it, for the document: read as bytes, verified, then
# parsed by the verifier, so FastAPI validates nothing of it.
EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["id", "type", "created", "data"],
                    "properties": {
                        "id": {"type": "string", "description": "The event's id; once."},
                        "type": {"type": "string", "enum": ["payment.succeeded", "payment.failed"]},
                        "created": {"type": "integer", "description": "Unix time."},
                        "data": {
                            "type": "object",
                            "required": ["payment_intent", "amount", "currency"],
                            "properties": {
                                "payment_intent": {"type": "string"},
                                "amount": {"type": "integer", "description": "Minor units."},
                                "currency": {"type": "string", "example": "eur"},
                            },
                        },
                    },
                }
            }
        },
    }
}


class WebhookRefusedError(Exception):
    """A webhook that failed verification; the answer says no more than that."""

    def __init__(self) -> None:
        super().__init__("the webhook's signature is not valid")


# --8<-- [start:webhook-endpoint]
@router.post("", operation_id="receive_payment_event", openapi_extra=EVENT_BODY)
async def receive(
    request: Request,
    services: ServicesDep,
    verifier: VerifierDep,
    provider: ProviderDep,
    signature: Annotated[
        str | None,
        Header(
            alias=SIGNATURE_HEADER,
            max_length=MAX_HEADER_LENGTH,
            description="`t=UNIX_TIME,v1=HEX`: HMAC-SHA256 of `UNIX_TIME.BODY`.",
        ),
    ] = None,
) -> Settlement:
    """Apply the provider's signed event ``payment.succeeded`` or ``payment.failed``.

    The body is verified as sent, byte for byte, before it is parsed. A forged, old
    or malformed webhook is a 400 problem, and an event processed before a 409 one;
    either changes nothing. A success for an order the payment can no longer pay is
    refunded before the answer, which says so.
    """
    # The bytes as sent: the signature covers them, not a parsed and re-encoded copy.
    delivery = WebhookDelivery(signature, await request.body())
    try:
        return await settle_payment(
            delivery,
            verifier=verifier,
            payments=services.payment_repository(),
            orders=services.order_payments,
            provider=provider,
            clock=services.clock,
        )
    except InvalidWebhookError as error:
        # Why, for the operator; the caller learns only that it was refused.
        logger.warning("payment_event_refused", extra={"reason": str(error)})
        raise WebhookRefusedError from error
    except ProviderUnavailableError as error:  # a refund it needs: the provider delivers again
        raise PaymentProviderUnavailableError(error.retry_after) from error


# --8<-- [end:webhook-endpoint]
