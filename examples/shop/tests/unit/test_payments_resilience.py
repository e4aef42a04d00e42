"""The retry policy, the circuit breaker and the sender's rule of what is safe to repeat."""

from collections.abc import Callable

import httpx
import pytest

from payments.application.errors import ProviderUnavailableError
from payments.infrastructure.external.resilience import (
    CircuitBreaker,
    ResilientSender,
    RetryPolicy,
    retry_after_seconds,
)

pytestmark = pytest.mark.anyio


def test_the_waits_grow_with_full_jitter_up_to_the_ceiling() -> None:
    policy = RetryPolicy(attempts=5, base_delay=0.5, max_delay=3.0)
    assert [policy.delay(n, None, 1.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, None]
    assert policy.delay(2, None, 0.25) == 0.25


def test_retry_after_is_a_floor_and_one_too_long_ends_the_retries() -> None:
    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=2.0)
    assert policy.delay(1, 2, 0.5) == 2
    assert policy.delay(1, 3, 0.5) is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("7", 7), (None, None), ("", None), ("-1", None), ("1.5", None), ("9999999", None)],
)
def test_retry_after_is_read_in_seconds_only(value: str | None, seconds: int | None) -> None:
    assert retry_after_seconds(value) == seconds


# --8<-- [start:breaker-test]
def test_the_breaker_opens_lets_one_trial_through_and_closes_on_its_success() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, reset_after=10.0, now=lambda: now[0])
    breaker.failed()
    breaker.admit()  # one failure: still closed
    breaker.failed()
    now[0] = 4.0
    with pytest.raises(ProviderUnavailableError) as raised:
        breaker.admit()
    assert raised.value.retry_after == 6
    now[0] = 10.0
    breaker.admit()  # the trial call
    with pytest.raises(ProviderUnavailableError):
        breaker.admit()  # while it runs, nobody else
    breaker.succeeded()
    breaker.admit()


# --8<-- [end:breaker-test]


def test_a_failed_trial_opens_the_breaker_again() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, reset_after=5.0, now=lambda: now[0])
    breaker.failed()
    now[0] = 5.0
    breaker.admit()
    breaker.failed()
    with pytest.raises(ProviderUnavailableError):
        breaker.admit()


def sender(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[ResilientSender, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://p")
    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=1.0)
    return ResilientSender(
        client, policy, CircuitBreaker(5, 30), sleep=sleep, jitter=lambda: 1.0
    ), waits


def answering(
    *statuses: int, retry_after: str | None = None
) -> tuple[Callable[[httpx.Request], httpx.Response], list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        return httpx.Response(statuses[min(len(seen), len(statuses)) - 1], headers=headers)

    return handler, seen


async def test_a_request_without_a_key_is_not_repeated_after_a_503() -> None:
    handler, seen = answering(503, 200)
    resilient, _ = sender(handler)
    with pytest.raises(ProviderUnavailableError, match="503"):
        await resilient.send("POST", "/v1/refunds", json={})
    assert len(seen) == 1


async def test_a_request_without_a_key_is_not_repeated_once_it_may_have_arrived() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ReadTimeout("no answer", request=request)

    resilient, _ = sender(handler)
    with pytest.raises(ProviderUnavailableError, match="ReadTimeout"):
        await resilient.send("POST", "/v1/refunds", json={})
    assert len(seen) == 1


async def test_a_request_without_a_key_is_repeated_when_it_never_left_or_was_refused() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(429, headers={"Retry-After": "1"})
        return httpx.Response(201)

    resilient, waits = sender(handler)
    assert (await resilient.send("POST", "/v1/refunds", json={})).status_code == 201
    assert waits == [0.1, 1]


async def test_a_get_is_repeated_and_every_try_of_a_keyed_request_sends_the_key() -> None:
    handler, seen = answering(502, 504, 200)
    resilient, waits = sender(handler)
    assert (await resilient.send("GET", "/v1/payment_intents/pi_1")).status_code == 200
    assert waits == [0.1, 0.2]
    handler, seen = answering(503, 200)
    resilient, _ = sender(handler)
    await resilient.send("POST", "/v1/payment_intents", json={}, idempotency_key="k")
    assert [r.headers["Idempotency-Key"] for r in seen] == ["k", "k"]


async def test_a_retry_after_longer_than_a_request_waits_is_passed_on() -> None:
    handler, seen = answering(503, retry_after="60")
    resilient, waits = sender(handler)
    with pytest.raises(ProviderUnavailableError) as raised:
        await resilient.send("GET", "/v1/payment_intents/pi_1")
    assert (raised.value.retry_after, len(seen), waits) == (60, 1, [])
