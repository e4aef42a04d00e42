"""The provider's HTTP client against the tests' provider on a local port: every failure.

Each test tells the provider how to treat the next requests and checks what the client
does: which failures it retries, that every try carries the same idempotency key, that
the provider charged each key once, and when it stops calling altogether.
"""

import socket
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from uuid import uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from payments.application.errors import ProviderRejectedError, ProviderUnavailableError
from payments.domain.entities.payment import ProviderOutcome
from payments.infrastructure.external.provider_api import HttpPaymentProvider, checked_id
from payments.infrastructure.external.resilience import (
    CircuitBreaker,
    ResilientSender,
    RetryPolicy,
)
from shared_kernel.money import Money

from .payment_provider import API_KEY, Provider, serving_provider

pytestmark = pytest.mark.anyio

TWELVE_FIFTY = Money(Decimal("12.50"), "EUR")


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving_provider() as provider:
        yield provider


def client_of(url: str, api_key: str = API_KEY) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=httpx.Timeout(0.3, connect=0.3),
    )


@pytest.fixture
async def client(provider: Provider) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(provider.url) as client:
        yield client


def api(client: httpx.AsyncClient, failures: int = 5) -> HttpPaymentProvider:
    retry = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
    return HttpPaymentProvider(ResilientSender(client, retry, CircuitBreaker(failures, 30.0)))


async def test_an_intent_is_created_with_the_amount_in_minor_units_and_the_key(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    reference = uuid4()
    intent = await api(client).create_intent(TWELVE_FIFTY, "key-1", reference)
    assert provider.intents[intent]["amount"] == 1250
    assert provider.intents[intent]["currency"] == "eur"
    assert provider.intents[intent]["metadata"] == {"reference": str(reference)}
    assert provider.requests == [("POST", "/v1/payment_intents", "key-1")]


async def test_a_repeat_with_the_same_key_is_the_same_intent_and_one_charge(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    first = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    again = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert first == again
    assert provider.charges == {"key-1": 1}


@pytest.mark.parametrize("failure", ["502", "503", "504", "429", "reset", "drop", "slow"])
async def test_a_safe_failure_is_retried_with_the_same_key_and_charges_once(
    provider: Provider, client: httpx.AsyncClient, failure: str
) -> None:
    provider.script = [failure]
    intent = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert [key for _, _, key in provider.requests] == ["key-1", "key-1"]
    assert provider.charges == {"key-1": 1}
    assert provider.intents[intent]["amount"] == 1250


async def test_a_provider_that_keeps_failing_is_unavailable_after_the_last_try(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    provider.script = ["503", "503", "503"]
    with pytest.raises(ProviderUnavailableError) as raised:
        await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert len(provider.requests) == 3
    assert raised.value.retry_after == 5
    assert provider.charges == {}


async def test_the_breaker_opens_after_failed_calls_and_then_calls_nobody(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    provider.script = ["503"] * 6
    payments = api(client, failures=2)
    for _ in range(2):
        with pytest.raises(ProviderUnavailableError):
            await payments.create_intent(TWELVE_FIFTY, "key-1", uuid4())
    sent = len(provider.requests)
    with pytest.raises(ProviderUnavailableError, match="circuit breaker") as raised:
        await payments.create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert len(provider.requests) == sent
    assert 0 < raised.value.retry_after <= 30


async def test_a_refused_connection_is_retried_and_then_unavailable() -> None:
    with socket.socket() as closed:  # a port nobody listens on once it is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    async with client_of(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(ProviderUnavailableError, match="no connection"):
            await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())


async def test_a_refused_request_is_not_retried(provider: Provider) -> None:
    async with client_of(provider.url, api_key="sk_wrong") as client:
        with pytest.raises(ProviderRejectedError, match="401"):
            await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert len(provider.requests) == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ([], "not an object"),
        ({"amount": 1250, "currency": "eur"}, "no usable id"),
        ({"id": "pi_1", "amount": 12.5, "currency": "eur"}, "not of the amount"),
        ({"id": "pi_1", "amount": True, "currency": "eur"}, "not of the amount"),
        ({"id": "pi_1", "amount": 1251, "currency": "eur"}, "not of the amount"),
        ({"id": "pi_1", "amount": 1250, "currency": "usd"}, "not in the currency"),
    ],
)
def test_an_answer_that_is_not_the_intent_asked_for_is_refused(answer: object, reason: str) -> None:
    with pytest.raises(ProviderRejectedError, match=reason):
        checked_id(answer, TWELVE_FIFTY)


async def test_an_answer_that_is_not_json_is_refused(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    provider.script = ["html"]
    with pytest.raises(ProviderRejectedError, match="not JSON"):
        await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())


async def test_an_intent_s_outcome_is_none_while_it_is_open_and_then_what_it_became(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    intent = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    assert await api(client).outcome(intent, TWELVE_FIFTY) is None
    provider.webhook(intent, "payment.failed", timestamp=0)  # the provider's word, not delivered
    assert await api(client).outcome(intent, TWELVE_FIFTY) is ProviderOutcome.FAILED
    provider.webhook(intent, "payment.succeeded", timestamp=0)
    assert await api(client).outcome(intent, TWELVE_FIFTY) is ProviderOutcome.SUCCEEDED


async def test_an_outcome_the_provider_cannot_confirm_is_refused(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    intent = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    provider.intents["pi_alias"] = provider.intents[intent]  # answers about another id
    with pytest.raises(ProviderRejectedError, match="404"):
        await api(client).outcome("pi_unknown", TWELVE_FIFTY)
    with pytest.raises(ProviderRejectedError, match="404"):  # quoted: no other path reached
        await api(client).outcome(f"../{intent}", TWELVE_FIFTY)
    with pytest.raises(ProviderRejectedError, match="another intent"):
        await api(client).outcome("pi_alias", TWELVE_FIFTY)
    with pytest.raises(ProviderRejectedError, match="not of the amount"):
        await api(client).outcome(intent, Money(Decimal("12.51"), "EUR"))
    assert [path for _, path, _ in provider.requests[1:3]] == [
        "/v1/payment_intents/pi_unknown",
        f"/v1/payment_intents/..%2F{intent}",
    ]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@examples(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=JSON_VALUES)
async def test_any_status_the_provider_answers_is_an_outcome_none_or_refused(
    provider: Provider, client: httpx.AsyncClient, status: object
) -> None:
    provider.intents["pi_any"] = {"id": "pi_any", "amount": 1250, "currency": "eur"}
    provider.intents["pi_any"]["status"] = status
    if not isinstance(status, str):
        with pytest.raises(ProviderRejectedError, match="no status"):
            await api(client).outcome("pi_any", TWELVE_FIFTY)
        return
    expected = {"succeeded": ProviderOutcome.SUCCEEDED, "failed": ProviderOutcome.FAILED}
    assert await api(client).outcome("pi_any", TWELVE_FIFTY) is expected.get(status)


async def test_a_refund_is_of_a_succeeded_intent_once_per_key_however_often_it_is_sent(
    provider: Provider, client: httpx.AsyncClient
) -> None:
    intent = await api(client).create_intent(TWELVE_FIFTY, "key-1", uuid4())
    with pytest.raises(ProviderRejectedError, match="400"):  # nothing was collected yet
        await api(client).refund(intent, TWELVE_FIFTY, "key-1:refund")
    provider.webhook(intent, "payment.succeeded", timestamp=0)
    provider.script = ["503", "drop"]  # refused, then made but its answer lost

    refund = await api(client).refund(intent, TWELVE_FIFTY, "key-1:refund")
    again = await api(client).refund(intent, TWELVE_FIFTY, "key-1:refund")

    assert refund == again == "re_0001"
    assert provider.refunded(intent) == 1
    refund_keys = [key for method, path, key in provider.requests if path == "/v1/refunds"]
    assert refund_keys == ["key-1:refund"] * 5  # refused, 503, dropped, answered, again
