"""The adapter behind the ``WebhookVerifier`` port: HMAC-SHA256 over timestamp and body.

The provider signs each webhook with the secret it shares with the shop and sends
``Provider-Signature: t=TIMESTAMP,v1=HEXDIGEST``: the digest of ``TIMESTAMP.BODY``, so the
time is signed with the body and cannot be moved. While the secret rotates, the header
may carry a ``v1`` per secret; one match is enough.
"""

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from payments.application.dto.payment_commands import ProviderEvent, WebhookDelivery
from payments.application.errors import InvalidWebhookError
from payments.domain.entities.payment import ProviderOutcome
from shared_kernel.clock import Clock
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import CURRENCY_MINOR_UNITS, Money

SIGNATURE_HEADER = "Provider-Signature"
MAX_HEADER_LENGTH = 1024
MAX_SIGNATURES = 4
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``, as the provider makes it."""
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --8<-- [start:verifier]
class HmacWebhookVerifier:
    """Verifies the provider's signature and the time it signed, then reads the event."""

    def __init__(self, secrets: Sequence[bytes], tolerance: int, clock: Clock) -> None:
        """Accept webhooks signed with any of ``secrets`` up to ``tolerance`` seconds away."""
        self._secrets = secrets
        self._tolerance = tolerance
        self._clock = clock

    def verify(self, delivery: WebhookDelivery, /) -> ProviderEvent:
        """Check the header's form, the time, then the digest in constant time."""
        timestamp, digests = _parse(delivery.signature)
        age = abs(self._clock.now().timestamp() - timestamp)
        if age > self._tolerance:  # an old webhook replayed after its event id was forgotten
            raise InvalidWebhookError("the signature's time is outside the tolerance")
        signed = f"{timestamp}.".encode() + delivery.body
        expected = [hmac.new(s, signed, hashlib.sha256).hexdigest() for s in self._secrets]
        # compare_digest takes as long for a near miss as for a wild guess, so the time
        # of the answer does not lead an attacker to the digest byte by byte.
        if not any(hmac.compare_digest(e, d) for e in expected for d in digests):
            raise InvalidWebhookError("no signature matches")
        return read_event(delivery.body)


# --8<-- [end:verifier]


def _parse(header: str | None) -> tuple[int, list[str]]:
    if header is None or len(header) > MAX_HEADER_LENGTH:
        raise InvalidWebhookError("no signature header, or one too long")
    timestamp, digests = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and timestamp is None and _TIMESTAMP.fullmatch(value):
            timestamp = int(value)
        elif name == "v1" and _DIGEST.fullmatch(value):
            digests.append(value)
    if timestamp is None or not 0 < len(digests) <= MAX_SIGNATURES:
        raise InvalidWebhookError("the signature header is malformed")
    return timestamp, digests


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


# --8<-- [start:read-event]
def read_event(body: bytes) -> ProviderEvent:
    """The event in a verified body.

    Numbers with a fraction become Decimals, never floats, and are then refused: an
    amount is a whole number of minor units.

    Raises:
        InvalidWebhookError: The body is not one of the provider's payment events.
    """
    try:
        document = json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
        data = document["data"]
        outcome = ProviderOutcome(document["type"])
        event_id, intent, created = document["id"], data["payment_intent"], document["created"]
        minor, currency = data["amount"], data["currency"]
        if not (isinstance(event_id, str) and _ID.fullmatch(event_id)):
            raise InvalidWebhookError("the event's id is malformed")
        if not (isinstance(intent, str) and _ID.fullmatch(intent)):
            raise InvalidWebhookError("the event's payment intent is malformed")
        if type(minor) is not int or type(created) is not int or not isinstance(currency, str):
            raise InvalidWebhookError("the event's amount or time is malformed")
        code = currency.upper()
        if code not in CURRENCY_MINOR_UNITS:
            raise InvalidWebhookError("the event's currency is unknown")
        amount = Money.from_minor_units(minor, code)
        occurred_at = datetime.fromtimestamp(created, UTC)
    except InvalidWebhookError:
        raise
    except (
        ValueError,
        TypeError,
        KeyError,
        OverflowError,
        OSError,
        RecursionError,
        InvalidValueError,
    ) as error:
        # Bad UTF-8 or JSON or an unknown type (ValueError), a body of the wrong shape,
        # a time beyond the calendar, nesting deeper than the parser goes, an amount
        # beyond Money's digits (InvalidValueError).
        reason = f"the body is not a payment event: {type(error).__name__}"
        raise InvalidWebhookError(reason) from error
    return ProviderEvent(event_id, outcome, intent, amount, occurred_at)


# --8<-- [end:read-event]
