"""The adapter behind the ``PaymentProvider`` port: the provider's HTTP API.

A small, Stripe-like API: ``POST /v1/payment_intents`` with the amount in minor units,
the currency and an ``Idempotency-Key`` header makes an intent (``201``; a repeat with
the key answers the same intent), ``GET /v1/payment_intents/{id}`` reads one, and
webhooks say how each one ended. Amounts cross the wire as integers of minor units and
come back as integers, checked: no amount is ever a float.
"""

from typing import Any
from uuid import UUID

import httpx

from payments.application.errors import ProviderRejectedError
from payments.infrastructure.external.resilience import ResilientSender
from shared_kernel.money import Money

MAX_ID_LENGTH = 255


# --8<-- [start:provider-api]
class HttpPaymentProvider:
    """The provider's API, called through a :class:`ResilientSender`."""

    def __init__(self, sender: ResilientSender) -> None:
        self._sender = sender

    async def create_intent(self, amount: Money, idempotency_key: str, reference: UUID) -> str:
        """One ``POST``, retried with the same key; the answer must echo the amount."""
        response = await self._sender.send(
            "POST",
            "/v1/payment_intents",
            json={
                "amount": amount.minor_units,
                "currency": amount.currency.lower(),
                "metadata": {"reference": str(reference)},
            },
            idempotency_key=idempotency_key,
        )
        if response.status_code not in {httpx.codes.OK, httpx.codes.CREATED}:
            raise ProviderRejectedError(f"it answered {response.status_code}")
        return intent_id(_json(response), amount)


# --8<-- [end:provider-api]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise ProviderRejectedError("its answer is not JSON") from error


def intent_id(intent: Any, amount: Money) -> str:
    """The id of the intent the provider answered with, once it matches what was asked.

    Raises:
        ProviderRejectedError: The answer is not an intent of ``amount``.
    """
    if not isinstance(intent, dict):
        raise ProviderRejectedError("its answer is not an intent")
    provider_id, minor, currency = intent.get("id"), intent.get("amount"), intent.get("currency")
    if not isinstance(provider_id, str) or not 0 < len(provider_id) <= MAX_ID_LENGTH:
        raise ProviderRejectedError("its intent has no usable id")
    # An int, and not a bool (which is one in Python) nor a float, which is no amount.
    if type(minor) is not int or minor != amount.minor_units:
        raise ProviderRejectedError("its intent is not of the amount asked for")
    if currency != amount.currency.lower():
        raise ProviderRejectedError("its intent is not in the currency asked for")
    return provider_id
