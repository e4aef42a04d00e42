"""The adapter behind the ``PaymentProvider`` port: the provider's HTTP API.

A small, Stripe-like API: ``POST /v1/payment_intents`` with the amount in minor units,
the currency and an ``Idempotency-Key`` header makes an intent (``201``; a repeat with
the key answers the same intent), ``GET /v1/payment_intents/{id}`` reads one, whose
``status`` is ``requires_payment_method`` until it ``succeeded`` or ``failed``,
``POST /v1/refunds`` with the intent and an amount gives money back (keyed the same
way), and webhooks say how each intent ended. Amounts cross the wire as integers of
minor units and come back as integers, checked: no amount is ever a float.
"""

from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from payments.application.errors import ProviderRejectedError
from payments.domain.entities.payment import ProviderOutcome
from payments.infrastructure.external.resilience import ResilientSender
from shared_kernel.money import Money

MAX_ID_LENGTH = 255
ENDED = {"succeeded": ProviderOutcome.SUCCEEDED, "failed": ProviderOutcome.FAILED}
"""The intent's statuses that say how it ended; any other says it is still open."""


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
        return checked_id(_answer(response), amount)

    async def outcome(self, provider_payment_id: str, amount: Money) -> ProviderOutcome | None:
        """One ``GET`` of the intent, checked as the answer to its creation is."""
        # Quoted whole: an id is the provider's, and must not add a segment to the path.
        path = f"/v1/payment_intents/{quote(provider_payment_id, safe='')}"
        intent = _answer(await self._sender.send("GET", path))
        if checked_id(intent, amount) != provider_payment_id:
            raise ProviderRejectedError("it answered about another intent")
        status = intent.get("status")
        if not isinstance(status, str):
            raise ProviderRejectedError("its intent has no status")
        return ENDED.get(status)

    async def refund(self, provider_payment_id: str, amount: Money, idempotency_key: str) -> str:
        """One ``POST``, retried with the same key; the refund must be of the amount."""
        response = await self._sender.send(
            "POST",
            "/v1/refunds",
            json={"payment_intent": provider_payment_id, "amount": amount.minor_units},
            idempotency_key=idempotency_key,
        )
        return checked_id(_answer(response), amount)


# --8<-- [end:provider-api]


def _answer(response: httpx.Response) -> Any:
    """The JSON of a successful answer.

    Raises:
        ProviderRejectedError: The provider refused, or answered something else.
    """
    if response.status_code not in {httpx.codes.OK, httpx.codes.CREATED}:
        raise ProviderRejectedError(f"it answered {response.status_code}")
    return _json(response)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise ProviderRejectedError("its answer is not JSON") from error


def checked_id(document: Any, amount: Money) -> str:
    """The id of the intent or refund the provider answered with, once it is of ``amount``.

    Raises:
        ProviderRejectedError: The answer is not an object of ``amount`` with an id.
    """
    if not isinstance(document, dict):
        raise ProviderRejectedError("its answer is not an object")
    provider_id, minor, currency = (
        document.get("id"),
        document.get("amount"),
        document.get("currency"),
    )
    if not isinstance(provider_id, str) or not 0 < len(provider_id) <= MAX_ID_LENGTH:
        raise ProviderRejectedError("its answer has no usable id")
    # An int, and not a bool (which is one in Python) nor a float, which is no amount.
    if type(minor) is not int or minor != amount.minor_units:
        raise ProviderRejectedError("its answer is not of the amount asked for")
    if currency != amount.currency.lower():
        raise ProviderRejectedError("its answer is not in the currency asked for")
    return provider_id
