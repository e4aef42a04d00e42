"""The login throttle on the ``limits`` library: in this process, or in Redis.

A moving window per key: each failed login is a hit, and while a key has had its
limit of hits in the last ``window`` seconds, its logins are refused without a
password being checked. In the process by default; with Redis, every server process
counts the same failures, which a throttle behind a load balancer needs.
"""

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError


class ThrottleUnavailableError(Exception):
    """The throttle's store cannot be reached: a 503, and the login is not attempted.

    The throttle fails closed: a login that cannot be counted would be a guess for free.
    """

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__("logins cannot be checked now; try again later")
        self.headers = {"Retry-After": str(retry_after)}


@asynccontextmanager
async def _reachable() -> AsyncIterator[None]:
    try:
        yield
    except StorageError as error:  # limits wraps the store's own errors in it
        raise ThrottleUnavailableError from error


# --8<-- [start:login-throttle]
class LimitsLoginThrottle:
    """Failed logins per account and per address; implements ``LoginThrottle``."""

    def __init__(  # noqa: PLR0913 - the limits, and the store's opening and closing
        self,
        storage: Storage | None = None,
        *,
        per_account: int = 5,
        per_address: int = 20,
        window: int = 900,
        now: Callable[[], float] = time.time,
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Allow ``per_account`` failures per account and ``per_address`` per address.

        Args:
            storage: Where the hits are counted; this process's memory by default.
            per_account: Failures one account may have in the window: few, since
                guessing one user's password is the attack they stop.
            per_address: Failures one address may have: more, since many users may
                share one (an office behind NAT), yet bounded, against an address
                that tries one common password on many accounts.
            window: The window's length, in seconds.
            now: The library's clock (``time.time``), for the seconds to wait.
            close: Closes the store's connections, if it has any.
        """
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._limits: dict[str, RateLimitItem] = {
            "account": RateLimitItemPerSecond(per_account, window),
            "address": RateLimitItemPerSecond(per_address, window),
        }
        self._now = now
        self._close = close

    async def retry_after(self, keys: Sequence[str], /) -> int | None:
        """Ask the limiter about each key, without counting a hit."""
        waits = []
        async with _reachable():
            for key in keys:
                limit = self._limit(key)
                if not await self._limiter.test(limit, key):
                    stats = await self._limiter.get_window_stats(limit, key)
                    waits.append(max(1, math.ceil(stats.reset_time - self._now())))
        return max(waits, default=None)

    async def failed(self, keys: Sequence[str], /) -> None:
        """Count one hit against each key."""
        async with _reachable():
            for key in keys:
                await self._limiter.hit(self._limit(key), key)

    async def succeeded(self, key: str, /) -> None:
        """Clear the key's window."""
        async with _reachable():
            await self._limiter.clear(self._limit(key), key)

    async def aclose(self) -> None:
        """Close the store's connections, if it has any."""
        if self._close is not None:
            await self._close()

    def _limit(self, key: str) -> RateLimitItem:
        return self._limits[key.partition(":")[0]]


# --8<-- [end:login-throttle]
