"""The login throttle on the ``limits`` library: in this process, or in Redis.

A moving window per key: each failed login is a hit, and while a key has had its
limit of hits in the last ``window`` seconds, its logins are refused without a
password being checked. In the process by default; with Redis, every server process
counts the same failures, which a throttle behind a load balancer needs.
"""

import math
import time
from collections.abc import Callable, Sequence

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


# --8<-- [start:login-throttle]
class LimitsLoginThrottle:
    """Failed logins per account and per address; implements ``LoginThrottle``."""

    def __init__(
        self,
        storage: Storage | None = None,
        *,
        per_account: int = 5,
        per_address: int = 20,
        window: int = 900,
        now: Callable[[], float] = time.time,
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
        """
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._limits: dict[str, RateLimitItem] = {
            "account": RateLimitItemPerSecond(per_account, window),
            "address": RateLimitItemPerSecond(per_address, window),
        }
        self._now = now

    async def retry_after(self, keys: Sequence[str], /) -> int | None:
        """Ask the limiter about each key, without counting a hit."""
        waits = []
        for key in keys:
            limit = self._limit(key)
            if not await self._limiter.test(limit, key):
                stats = await self._limiter.get_window_stats(limit, key)
                waits.append(max(1, math.ceil(stats.reset_time - self._now())))
        return max(waits, default=None)

    async def failed(self, keys: Sequence[str], /) -> None:
        """Count one hit against each key."""
        for key in keys:
            await self._limiter.hit(self._limit(key), key)

    async def succeeded(self, key: str, /) -> None:
        """Clear the key's window."""
        await self._limiter.clear(self._limit(key), key)

    def _limit(self, key: str) -> RateLimitItem:
        return self._limits[key.partition(":")[0]]


# --8<-- [end:login-throttle]
