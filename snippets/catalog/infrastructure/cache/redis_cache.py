"""The read cache on Redis: one cache for every process of the shop, shared invalidations."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from uuid import uuid4

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from catalog.application.interfaces.read_cache import CacheKey
from infrastructure_kernel.single_flight import SingleFlight
from shared_kernel.tenancy import TenantId

logger = logging.getLogger(__name__)


# --8<-- [start:redis-client]
def redis_client(url: str, *, timeout: float = 0.5) -> Redis:
    """A client for a cache: it fails within ``timeout`` seconds, and never retries.

    A cache that waits for Redis is slower than none: the read goes to the database.
    """
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), retries=0),
    )


# --8<-- [end:redis-client]


# --8<-- [start:redis-cache]
class RedisReadCache:
    """Values in Redis with a time to live; implements ``ReadCache``.

    A read costs two round trips: the tenant's generation, then the value under it.
    :meth:`invalidate` increments the generation, for every process at once. Concurrent
    misses share one load per process (single flight) and one across processes: the
    first takes a short lock key (``SET NX PX``) and loads, the others poll for the value
    it stores, and load themselves only when the lock has expired without one. Redis
    being down or slow is no outage: the read goes to the database, and is logged.
    """

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = "shop:catalog",
        ttl: float = 30.0,
        lock_ttl: float = 2.0,
        poll_interval: float = 0.01,
    ) -> None:
        """Use ``client`` for the keys under ``prefix``.

        Args:
            client: A client of redis-py's asyncio API; the cache closes it in :meth:`aclose`.
            prefix: What every key starts with, so applications can share one Redis.
            ttl: Seconds a value lives; the longest a read can be stale when an
                invalidation was lost (the process died between commit and invalidation).
            lock_ttl: Seconds the loading lock lives: longer than a load takes.
            poll_interval: Seconds a waiter sleeps between looks for the value.
        """
        self._client = client
        self._prefix = prefix
        self._ttl_ms = int(ttl * 1000)
        self._lock_ttl = lock_ttl
        self._poll_interval = poll_interval
        self._flights = SingleFlight[bytes]()

    def _generation_key(self, tenant_id: TenantId) -> str:
        return f"{self._prefix}:{tenant_id}:generation"

    async def get_or_load(self, key: CacheKey, load: Callable[[], Awaitable[bytes]]) -> bytes:
        """Serve from Redis, or load once across the processes sharing it."""
        try:
            generation = int(await self._client.get(self._generation_key(key.tenant_id)) or 0)
        except RedisError:
            logger.warning("read cache unavailable; reading from the source", exc_info=True)
            return await load()
        rendered = f"{self._prefix}:{key.render(generation)}"
        return await self._flights.run(rendered, lambda: self._read_through(rendered, load))

    # --8<-- [start:stampede]
    async def _read_through(self, rendered: str, load: Callable[[], Awaitable[bytes]]) -> bytes:
        lock = f"{rendered}:lock"
        deadline = asyncio.get_running_loop().time() + self._lock_ttl
        try:
            while (cached := await self._client.get(rendered)) is None:
                token = uuid4().hex
                if await self._client.set(lock, token, nx=True, px=int(self._lock_ttl * 1000)):
                    return await self._load_locked(rendered, lock, load)
                if asyncio.get_running_loop().time() > deadline:
                    return await load()  # the loader is slow or gone: serve, cache nothing
                await asyncio.sleep(self._poll_interval)
        except RedisError:
            logger.warning("read cache unavailable; reading from the source", exc_info=True)
            return await load()
        return _as_bytes(cached)

    async def _load_locked(
        self, rendered: str, lock: str, load: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        try:
            # The loader before us may have stored the value and released the lock between
            # our look and our lock: look once more, or we would load a second time.
            if (cached := await self._client.get(rendered)) is not None:
                return _as_bytes(cached)
            value = await load()  # this process holds the lock: the one load
            await self._client.set(rendered, value, px=self._ttl_ms)
            return value
        finally:
            # Released at once, so the waiters of a failed load need not wait for it to
            # expire, nor the next miss once the value has.
            await self._client.delete(lock)

    # --8<-- [end:stampede]

    async def invalidate(self, tenant_id: TenantId) -> None:
        """One ``INCR`` of the tenant's generation.

        Raises:
            RedisError: Redis did not take it; reads stay stale for at most ``ttl``.
        """
        await self._client.incr(self._generation_key(tenant_id))

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()


def _as_bytes(cached: bytes | str) -> bytes:
    # A client made with decode_responses=True answers text; the views' JSON is ASCII-safe.
    return cached.encode() if isinstance(cached, str) else cached


# --8<-- [end:redis-cache]
