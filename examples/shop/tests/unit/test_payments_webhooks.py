"""The webhook verifier: every check, and hostile headers, bodies and amounts."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from payments.application.dto.payment_commands import WebhookDelivery
from payments.application.errors import InvalidWebhookError
from payments.domain.entities.payment import ProviderOutcome
from payments.infrastructure.security.hmac_webhooks import HmacWebhookVerifier, read_event, sign
from shared_kernel.clock import FixedClock
from shared_kernel.money import CURRENCY_MINOR_UNITS, Money

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
AT = int(NOW.timestamp())
SECRET, OLD_SECRET = b"whsec_new", b"whsec_old"
VERIFIER = HmacWebhookVerifier([SECRET, OLD_SECRET], 300, FixedClock(NOW))


def event(**changes: Any) -> dict[str, Any]:
    data = {"payment_intent": "pi_1", "amount": 1250, "currency": "eur"}
    document = {"id": "evt_1", "type": "payment.succeeded", "created": AT, "data": data}
    return {**document, **changes}


def delivered(document: Any, at: int = AT, secret: bytes = SECRET) -> WebhookDelivery:
    body = json.dumps(document).encode()
    return WebhookDelivery(sign(secret, at, body), body)


def test_a_signed_event_is_read_with_its_amount_as_money() -> None:
    verified = VERIFIER.verify(delivered(event()))
    assert verified.event_id == "evt_1"
    assert verified.outcome is ProviderOutcome.SUCCEEDED
    assert verified.provider_payment_id == "pi_1"
    assert verified.amount == Money(Decimal("12.50"), "EUR")
    assert verified.occurred_at == NOW


def test_either_secret_of_a_rotation_verifies() -> None:
    assert VERIFIER.verify(delivered(event(), secret=OLD_SECRET)).event_id == "evt_1"


@pytest.mark.parametrize(
    ("delivery", "reason"),
    [
        (WebhookDelivery(None, b"{}"), "no signature header"),
        (WebhookDelivery("t=1," + "v1=x," * 300, b"{}"), "too long"),
        (WebhookDelivery(f"t={AT}", b"{}"), "malformed"),
        (WebhookDelivery("v1=" + "0" * 64, b"{}"), "malformed"),
        (WebhookDelivery(f"t={AT}," + ",".join(["v1=" + "0" * 64] * 5), b"{}"), "malformed"),
        (WebhookDelivery(f"t={AT},v1=" + "0" * 64, b"{}"), "no signature matches"),
        (delivered(event(), secret=b"whsec_forged"), "no signature matches"),
        (delivered(event(), at=AT - 301), "outside the tolerance"),
        (delivered(event(), at=AT + 301), "outside the tolerance"),
    ],
)
def test_a_webhook_failing_a_check_is_refused_with_the_check(
    delivery: WebhookDelivery, reason: str
) -> None:
    with pytest.raises(InvalidWebhookError, match=reason):
        VERIFIER.verify(delivery)


def test_a_signature_over_another_body_is_refused() -> None:
    original = delivered(event())
    with pytest.raises(InvalidWebhookError, match="no signature matches"):
        VERIFIER.verify(WebhookDelivery(original.signature, original.body + b" "))


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (event(id="evt 1"), "id is malformed"),
        (event(id=7), "id is malformed"),
        (event(data={"payment_intent": "", "amount": 1, "currency": "eur"}), "intent is malformed"),
        (
            event(data={"payment_intent": "pi_1", "amount": 12.5, "currency": "eur"}),
            "amount or time",
        ),
        (
            event(data={"payment_intent": "pi_1", "amount": True, "currency": "eur"}),
            "amount or time",
        ),
        (event(created="now"), "amount or time"),
        (event(data={"payment_intent": "pi_1", "amount": 1, "currency": "xyz"}), "currency"),
        (event(data={"payment_intent": "pi_1", "amount": 10**20, "currency": "eur"}), "Invalid"),
        (event(type="payment.refunded"), "ValueError"),
        (event(created=10**15), "Error"),
        ([1, 2], "TypeError"),
        ({"id": "evt_1"}, "KeyError"),
    ],
)
def test_a_body_that_is_not_a_payment_event_is_refused(document: Any, reason: str) -> None:
    with pytest.raises(InvalidWebhookError, match=reason):
        read_event(json.dumps(document).encode())


@pytest.mark.parametrize(
    "body", [b"\xff\xfe", b"{", b'{"id": NaN}', b"[" * 100_000, b'{"amount": 1e999}']
)
def test_a_body_that_is_not_json_or_too_deep_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidWebhookError):
        read_event(body)


# --8<-- [start:hostile]
@given(signature=st.one_of(st.none(), st.text(max_size=2000)), body=st.binary(max_size=2000))
def test_any_header_and_body_is_refused_with_invalid_webhook_and_nothing_else(
    signature: str | None, body: bytes
) -> None:
    with pytest.raises(InvalidWebhookError):
        VERIFIER.verify(WebhookDelivery(signature, body))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


@given(document=st.one_of(JSON, st.builds(event, id=JSON, type=JSON, created=JSON, data=JSON)))
@example(document=event())  # the one shape that is an event, every run
def test_a_signed_body_of_any_shape_is_an_event_or_refused(document: Any) -> None:
    try:
        verified = VERIFIER.verify(delivered(document))
    except InvalidWebhookError:
        return
    assert isinstance(verified.amount.amount, Decimal)


@given(
    minor=st.integers(min_value=-(10**17), max_value=10**17),
    currency=st.sampled_from(sorted(CURRENCY_MINOR_UNITS)),
)
def test_any_amount_is_read_exactly_in_minor_units_or_refused(minor: int, currency: str) -> None:
    data = {"payment_intent": "pi_1", "amount": minor, "currency": currency.lower()}
    try:
        verified = VERIFIER.verify(delivered(event(data=data)))
    except InvalidWebhookError:
        assert abs(minor) >= 10 ** (Money.MAX_WHOLE_DIGITS + CURRENCY_MINOR_UNITS[currency])
        return
    assert verified.amount.minor_units == minor
    assert verified.amount.currency == currency


# --8<-- [end:hostile]
