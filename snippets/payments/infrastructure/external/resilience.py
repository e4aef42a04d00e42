"""Calls to another system that fail fast and retry only what is safe to repeat.

Three parts, each small enough to read whole: a :class:`RetryPolicy` (how many tries,
how long between them, with full jitter), a :class:`CircuitBreaker` (after a run of
failed calls, stop calling for a while), and :class:`ResilientSender`, which sends one
request through both with ``httpx``. Written here rather than taken from a library
because the rule that matters, which failure may be retried, is the provider's API's
and not a generic one (ADR 80).
"""

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from payments.application.errors import ProviderUnavailableError

IDEMPOTENCY_KEY = "Idempotency-Key"
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
"""Answers that say "not now": too many requests, or a gateway or server that cannot serve."""
MAX_RETRY_AFTER_DIGITS = 6


# --8<-- [start:retry-policy]
@dataclass(frozen=True)
class RetryPolicy:
    """How often to try a request, and how long to wait between tries.

    Attributes:
        attempts: Tries in all, the first included.
        base_delay: The first wait's ceiling, in seconds; each next one doubles it.
        max_delay: The longest wait; a ``Retry-After`` beyond it ends the retries.
    """

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 5.0

    def delay(self, attempt: int, retry_after: float | None, jitter: float) -> float | None:
        """Seconds to wait before the try after ``attempt``, or ``None`` to stop.

        Full jitter (a random share of the exponential ceiling): clients that failed
        together do not come back together. A server's ``Retry-After`` is a floor.
        """
        if attempt >= self.attempts:
            return None
        if retry_after is not None and retry_after > self.max_delay:
            return None  # longer than a request should wait: the caller is told instead
        backoff: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1)) * jitter
        return backoff if retry_after is None else max(backoff, retry_after)


# --8<-- [end:retry-policy]


def retry_after_seconds(value: str | None) -> int | None:
    """The delay of a ``Retry-After`` header in seconds; ``None`` unless it is one.

    Only the delta-seconds form: a date would need the provider's clock to agree with
    ours. A value of more than six digits is not believed.
    """
    if value is None or not value.isdigit() or len(value) > MAX_RETRY_AFTER_DIGITS:
        return None
    return int(value)


# --8<-- [start:circuit-breaker]
class CircuitBreaker:
    """Stops calling a system after ``failures`` failed calls in a row, for ``reset_after`` s.

    Closed, every call goes through. Open, every call fails at once, without waiting
    for timeouts that would hold the shop's own requests and connections. Once
    ``reset_after`` has passed, one trial call goes through (half-open): its success
    closes the breaker, its failure opens it again.
    """

    def __init__(
        self, failures: int, reset_after: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._threshold = failures
        self._reset_after = reset_after
        self._now = now
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False

    def admit(self) -> None:
        """Let a call through, or refuse it.

        Raises:
            ProviderUnavailableError: The breaker is open, or a trial call is under way.
        """
        if self._opened_at is None:
            return
        waited = self._now() - self._opened_at
        if waited < self._reset_after or self._trial:
            remaining = max(1, math.ceil(self._reset_after - waited))
            raise ProviderUnavailableError("the circuit breaker is open", remaining)
        self._trial = True

    def succeeded(self) -> None:
        """Record a call that got an answer: the breaker closes."""
        self._failures, self._opened_at, self._trial = 0, None, False

    def failed(self) -> None:
        """Record a call that got no usable answer; the last allowed one opens the breaker."""
        self._failures += 1
        self._trial = False
        if self._failures >= self._threshold:
            self._opened_at = self._now()


# --8<-- [end:circuit-breaker]


# --8<-- [start:resilient-sender]
class ResilientSender:
    """Sends requests through a circuit breaker, retrying the failures safe to repeat.

    A failure is safe to repeat when the request cannot have been processed (no
    connection was made, or the answer is 429: refused, not processed) or when the
    request is idempotent: a ``GET``, or a request that carries an idempotency key,
    which the provider answers from what the first request did. Every try of one call
    sends the same key.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        retry: RetryPolicy,
        breaker: CircuitBreaker,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._client = client
        self._retry = retry
        self._breaker = breaker
        self._sleep = sleep
        self._jitter = jitter

    async def send(
        self, method: str, url: str, *, json: Any = None, idempotency_key: str | None = None
    ) -> httpx.Response:
        """Send the request; return the first answer that is not a "not now".

        Raises:
            ProviderUnavailableError: The breaker is open, or no try got an answer.
        """
        self._breaker.admit()
        repeatable = method == "GET" or idempotency_key is not None
        headers = {} if idempotency_key is None else {IDEMPOTENCY_KEY: idempotency_key}
        attempt = 0
        while True:
            attempt += 1
            retry_after: int | None = None
            try:
                response = await self._client.request(method, url, json=json, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
                reason, safe = f"no connection ({type(error).__name__})", True  # never sent
            except httpx.TransportError as error:  # sent, and maybe processed
                reason, safe = f"no answer ({type(error).__name__})", repeatable
            else:
                if response.status_code not in RETRYABLE_STATUSES:
                    self._breaker.succeeded()
                    return response
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                reason = f"it answered {response.status_code}"
                safe = repeatable or response.status_code == httpx.codes.TOO_MANY_REQUESTS
            delay = self._retry.delay(attempt, retry_after, self._jitter()) if safe else None
            if delay is None:
                self._breaker.failed()
                raise ProviderUnavailableError(reason, retry_after or 5)
            await self._sleep(delay)


# --8<-- [end:resilient-sender]
