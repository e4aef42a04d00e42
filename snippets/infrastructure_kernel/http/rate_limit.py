"""Rate limits: how many requests each client may make in a window, and the headers that say so.

A limit is a *policy* (``address``, ``user``, ``tenant``) with a quota per window, written
as the ``limits`` library parses it: ``600/minute``. A request counts once against the
partition of each policy that applies to it: its client's address always, its user when
it carries a verified token, its tenant when it names one. Which partitions apply is the
deployable's to say (a :data:`Partitions` function), since only it knows its tokens.

Every answer says where the client stands, as the IETF's RateLimit header fields
(draft-ietf-httpapi-ratelimit-headers-10): ``RateLimit-Policy`` names each policy's
quota ``q`` and window ``w``, and ``RateLimit`` each one's remaining requests ``r`` and
the seconds ``t`` until its window starts again. A request over a quota is a 429 problem
with ``Retry-After``, answered before the app reads its body.

The counts live in a ``limits`` store: this process's memory, or Redis, which every
process shares. When the store fails, the limiter counts in this process's memory for a
while instead (ADR 77): the limits still hold, per process, and the API stays up.
"""

import logging
import math
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from hashlib import sha256
from urllib.parse import quote

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

TOO_MANY_REQUESTS = ProblemType(429, "too-many-requests", "Too many requests")
REMEDIES: Remedies = {
    "too-many-requests": Remedy(
        "The client made more requests than one of its quotas allows in the window; the"
        " RateLimit-Policy header names the quotas, RateLimit where it stands in each.",
        "Clients: wait Retry-After seconds, and pace requests by the RateLimit header."
        " Operators: raise RATE_LIMIT_PER_ADDRESS, _PER_USER or _PER_TENANT if the"
        " traffic is legitimate.",
    ),
}

Partitions = Callable[[Request], Awaitable[Mapping[str, str]]]
"""Which partition of each policy a request counts against, e.g. ``{"address": "::1"}``."""

MAX_KEY = 128
"""The longest partition kept as it is in the store's keys; a longer one is hashed."""

logger = logging.getLogger(__name__)


def rate_limit(text: str) -> str:
    """Check a quota written as ``limits`` parses it (``600/minute``), for a setting.

    Raises:
        ValueError: ``text`` is not one quota.
    """
    parse(text)  # limits raises ValueError for text it cannot read
    return text


# --8<-- [start:quota]
@dataclass(frozen=True)
class Quota:
    """Where a request leaves its client in one policy.

    Attributes:
        policy: The policy's name: ``address``, ``user``, ``tenant``.
        limit: The policy's quota and window.
        remaining: Requests left in the window.
        reset: Seconds until the window starts again.
        exceeded: Whether this request was one too many.
    """

    policy: str
    limit: RateLimitItem
    remaining: int
    reset: int
    exceeded: bool


def policy_header(quotas: Collection[Quota]) -> str:
    """``RateLimit-Policy``: each policy's quota ``q`` and window ``w`` in seconds."""
    return ", ".join(f'"{q.policy}";q={q.limit.amount};w={q.limit.get_expiry()}' for q in quotas)


def ratelimit_header(quotas: Collection[Quota]) -> str:
    """``RateLimit``: each policy's remaining requests ``r`` and seconds to reset ``t``."""
    return ", ".join(f'"{q.policy}";r={q.remaining};t={q.reset}' for q in quotas)


# --8<-- [end:quota]


# --8<-- [start:rate-limiter]
class RateLimiter:
    """Counts requests per policy and partition in fixed windows, in a ``limits`` store."""

    def __init__(
        self,
        policies: Mapping[str, str],
        storage: Storage | None = None,
        *,
        fallback_seconds: float = 5.0,
        now: Callable[[], float] = time.time,
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Count against ``policies`` in ``storage``.

        Args:
            policies: Each policy's quota, by name: ``{"address": "600/minute"}``.
            storage: Where the counts live; this process's memory by default.
            fallback_seconds: How long to count in memory after the store failed,
                before it is tried again: a failing store is not asked on every request.
            now: The library's clock (``time.time``), for the seconds to reset.
            close: Closes the store's connections, if it has any.
        """
        self._limits = {name: parse(text) for name, text in policies.items()}
        self._store = FixedWindowRateLimiter(storage or MemoryStorage())
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._fallback_seconds = fallback_seconds
        self._store_failed_at: float | None = None
        self._now = now
        self._close = close

    async def hit(self, partitions: Mapping[str, str]) -> list[Quota]:
        """Count one request against each policy's partition; say where it leaves them.

        A policy missing from ``partitions`` does not apply to the request, and one
        without a quota is not counted.
        """
        counted = [(name, key) for name, key in partitions.items() if name in self._limits]
        limiter = self._limiter()
        try:
            return [await self._hit(limiter, name, key) for name, key in counted]
        except StorageError:
            # The store failed: count in memory for a while, rather than refuse or allow all.
            logger.warning("rate_limit_store_unavailable", exc_info=True)
            self._store_failed_at = self._now()
            return [await self._hit(self._memory, name, key) for name, key in counted]

    def _limiter(self) -> FixedWindowRateLimiter:
        failed_at = self._store_failed_at
        if failed_at is not None and self._now() - failed_at < self._fallback_seconds:
            return self._memory
        return self._store

    async def _hit(self, limiter: FixedWindowRateLimiter, name: str, key: str) -> Quota:
        limit = self._limits[name]
        allowed = await limiter.hit(limit, name, _storable(key))
        stats = await limiter.get_window_stats(limit, name, _storable(key))
        reset = max(0, math.ceil(stats.reset_time - self._now()))
        return Quota(name, limit, stats.remaining, reset, exceeded=not allowed)

    async def aclose(self) -> None:
        """Close the store's connections, if it has any."""
        if self._close is not None:
            await self._close()


def _storable(key: str) -> str:
    # A partition is the client's word (a header) or a token's subject: escaped, so that
    # no '/' in it joins two keys of the store's, and hashed when it is long.
    escaped = quote(key, safe="")
    return escaped if len(escaped) <= MAX_KEY else sha256(key.encode()).hexdigest()


# --8<-- [end:rate-limiter]


# --8<-- [start:rate-limit-middleware]
class RateLimitMiddleware:
    """Count each request; refuse one over a quota with a 429; tell every answer its quotas."""

    def __init__(
        self,
        app: ASGIApp,
        problems: ProblemCatalog,
        limiter: RateLimiter,
        partitions: Partitions,
        exempt: Collection[str] = (),
    ) -> None:
        """Limit ``app``'s requests with ``limiter``.

        Args:
            app: The app behind the limit.
            problems: Where the 429's problem document comes from.
            limiter: Counts the requests.
            partitions: Which partition of each policy a request counts against.
            exempt: Paths never counted: an orchestrator's probes, the metrics scrape.
        """
        self._app = app
        self._problems = problems
        self._limiter = limiter
        self._partitions = partitions
        self._exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request within its quotas, or refuse it with a 429."""
        if scope["type"] != "http" or scope["path"] in self._exempt:
            await self._app(scope, receive, send)
            return
        quotas = await self._limiter.hit(await self._partitions(Request(scope)))
        headers = {"RateLimit-Policy": policy_header(quotas), "RateLimit": ratelimit_header(quotas)}
        exceeded = [quota for quota in quotas if quota.exceeded]
        if exceeded:
            wait = max(1, *(quota.reset for quota in exceeded))
            names = ", ".join(quota.policy for quota in exceeded)
            response = self._problems.response(
                scope["path"],
                TOO_MANY_REQUESTS,
                f"over the quota of: {names}; try again in {wait} s",
                {**headers, "Retry-After": str(wait)},
            )
            await response(scope, receive, send)
            return

        async def with_quotas(message: Message) -> None:
            if message["type"] == "http.response.start" and quotas:
                MutableHeaders(scope=message).update(headers)
            await send(message)

        await self._app(scope, receive, with_quotas)


def client_address(request: Request) -> str:
    """The address the request came from: the peer's, or a trusted proxy's client's."""
    return request.client.host if request.client else "unknown"


# --8<-- [end:rate-limit-middleware]
