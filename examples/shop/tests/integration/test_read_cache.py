"""The read cache's adapters: hits, misses, invalidation, stampedes and outages.

Each test runs on the in-process cache and on Redis: on fakeredis always, and on the
server in ``REDIS_URL`` too when it is set (where an unreachable server fails the test).
"""

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any, cast
from uuid import uuid4

import fakeredis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from catalog.application.interfaces.read_cache import CacheKey, ReadCache
from catalog.infrastructure.cache.in_process import InProcessReadCache
from catalog.infrastructure.cache.redis_cache import RedisReadCache, redis_client
from shared_kernel.tenancy import TenantId
from shop.bootstrap import read_cache
from shop.settings import Settings

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")
GLOBEX = TenantId("globex")
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_BACKENDS = ["fakeredis", *(["redis"] if REDIS_URL else [])]


class Redises:
    """Clients of one Redis (real or fake), as several processes of the shop would hold."""

    def __init__(self, backend: str) -> None:
        self.prefix = f"test:{uuid4().hex}"  # no test sees another's keys
        self._server = fakeredis.FakeServer() if backend == "fakeredis" else None
        self._clients: list[Redis] = []

    def client(self) -> Redis:
        made: Redis = (
            fakeredis.FakeAsyncRedis(server=self._server)
            if self._server is not None
            else Redis.from_url(REDIS_URL)
        )
        self._clients.append(made)
        return made

    def cache(self, **options: float) -> RedisReadCache:
        return RedisReadCache(self.client(), prefix=self.prefix, **options)

    async def clean(self) -> None:
        cleaner = self.client()
        async for key in cleaner.scan_iter(match=f"{self.prefix}:*"):
            await cleaner.delete(key)
        for client in self._clients:
            await client.aclose()


@pytest.fixture(params=REDIS_BACKENDS)
async def redises(request: pytest.FixtureRequest) -> AsyncIterator[Redises]:
    made = Redises(request.param)
    yield made
    await made.clean()


@pytest.fixture(params=["in-process", *REDIS_BACKENDS])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[ReadCache]:
    if request.param == "in-process":
        yield InProcessReadCache()
        return
    made = Redises(request.param)
    yield made.cache()
    await made.clean()


class Source:
    """A load that counts its calls, and can be held until the test lets it finish."""

    def __init__(self, value: bytes = b"v1") -> None:
        self.value = value
        self.calls = 0
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self) -> bytes:
        self.calls += 1
        value = self.value
        await self.release.wait()
        return value


def key(tenant: TenantId = ACME, *arguments: str | int | None) -> CacheKey:
    return CacheKey(tenant, "product-page", arguments or (None, 20))


async def test_a_miss_loads_and_a_hit_does_not(cache: ReadCache) -> None:
    source = Source()
    assert await cache.get_or_load(key(), source) == b"v1"
    source.value = b"v2"
    assert await cache.get_or_load(key(), source) == b"v1"
    assert source.calls == 1


# --8<-- [start:stampede-tests]
async def test_concurrent_misses_of_a_key_load_once(cache: ReadCache) -> None:
    source = Source()
    source.release.clear()
    readers = [asyncio.create_task(cache.get_or_load(key(), source)) for _ in range(50)]
    await asyncio.sleep(0.05)
    source.release.set()
    assert await asyncio.gather(*readers) == [b"v1"] * 50
    assert source.calls == 1


async def test_concurrent_misses_in_several_processes_load_once(redises: Redises) -> None:
    caches = [redises.cache() for _ in range(4)]  # four processes, one Redis
    source = Source()
    source.release.clear()
    readers = [
        asyncio.create_task(cache.get_or_load(key(), source)) for cache in caches for _ in range(10)
    ]
    await asyncio.sleep(0.05)
    source.release.set()
    assert await asyncio.gather(*readers) == [b"v1"] * 40
    assert source.calls == 1


# --8<-- [end:stampede-tests]


class LoadedBetweenLookAndLock:
    """A client on which another process stores the value just before this one locks.

    The other process's loader looked, locked, loaded, stored and released in the moment
    between this process's look (a miss) and its lock (which it then gets): the race
    that made two loads out of one.
    """

    def __init__(self, client: Redis, value: bytes) -> None:
        self._client = client
        self._value = value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def set(self, name: str, value: bytes | str, **options: Any) -> Any:
        if options.get("nx"):
            await self._client.set(name.removesuffix(":lock"), self._value)
        return await self._client.set(name, value, **options)


async def test_a_value_stored_while_this_process_took_the_lock_is_served_not_loaded(
    redises: Redises,
) -> None:
    racing = cast("Redis", LoadedBetweenLookAndLock(redises.client(), b"theirs"))
    cache = RedisReadCache(racing, prefix=redises.prefix)
    source = Source(b"ours")

    assert await cache.get_or_load(key(), source) == b"theirs"
    assert source.calls == 0


async def test_an_error_reaches_every_waiter_and_is_not_cached(cache: ReadCache) -> None:
    async def failing() -> bytes:
        await asyncio.sleep(0.01)
        raise LookupError("no such product")

    results = await asyncio.gather(
        *(cache.get_or_load(key(), failing) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(result, LookupError) for result in results)
    assert await cache.get_or_load(key(), Source(b"after")) == b"after"


async def test_an_invalidation_reloads_the_tenants_reads_only(cache: ReadCache) -> None:
    await cache.get_or_load(key(ACME), Source(b"acme-1"))
    await cache.get_or_load(key(GLOBEX), Source(b"globex-1"))
    await cache.invalidate(ACME)
    assert await cache.get_or_load(key(ACME), Source(b"acme-2")) == b"acme-2"
    assert await cache.get_or_load(key(GLOBEX), Source(b"globex-2")) == b"globex-1"


async def test_a_load_that_raced_an_invalidation_is_never_served(cache: ReadCache) -> None:
    source = Source(b"before the change")
    source.release.clear()
    racing = asyncio.create_task(cache.get_or_load(key(), source))
    while not source.calls:  # the load has read the old state...
        await asyncio.sleep(0.001)
    await cache.invalidate(ACME)  # ...and the change commits and invalidates
    source.release.set()
    assert await racing == b"before the change"  # its own caller saw the old state
    assert await cache.get_or_load(key(), Source(b"after the change")) == b"after the change"


async def test_tenants_never_share_a_key(cache: ReadCache) -> None:
    await cache.get_or_load(key(ACME), Source(b"acme's"))
    assert await cache.get_or_load(key(GLOBEX), Source(b"globex's")) == b"globex's"


async def test_the_in_process_cache_expires_values_and_keeps_a_bounded_number() -> None:
    now = [0.0]
    cache = InProcessReadCache(ttl=10, max_entries=2, clock=lambda: now[0])
    for page in range(3):
        await cache.get_or_load(key(ACME, page), Source(b"old"))
    # The first page was evicted, the least recently used; the others are still served.
    assert await cache.get_or_load(key(ACME, 0), Source(b"new")) == b"new"
    assert await cache.get_or_load(key(ACME, 2), Source(b"new")) == b"old"
    now[0] = 11.0
    assert await cache.get_or_load(key(ACME, 2), Source(b"new")) == b"new"
    await cache.aclose()


async def test_redis_values_expire(redises: Redises) -> None:
    cache = redises.cache(ttl=0.05)
    await cache.get_or_load(key(), Source(b"old"))
    await asyncio.sleep(0.1)
    assert await cache.get_or_load(key(), Source(b"new")) == b"new"


async def test_a_failed_load_releases_the_lock_for_the_next_caller(redises: Redises) -> None:
    cache = redises.cache(lock_ttl=30)

    async def failing() -> bytes:
        raise LookupError("no such product")

    with pytest.raises(LookupError):
        await cache.get_or_load(key(), failing)
    started = asyncio.get_running_loop().time()
    assert await cache.get_or_load(key(), Source(b"loaded")) == b"loaded"
    assert asyncio.get_running_loop().time() - started < 1  # no wait for the lock to expire


async def test_a_lock_whose_loader_died_delays_a_read_by_its_ttl_at_most(redises: Redises) -> None:
    cache = redises.cache(lock_ttl=0.1)
    client = redises.client()
    await client.set(f"{redises.prefix}:{key().render(0)}:lock", "a dead process", px=60_000)
    source = Source(b"loaded")
    assert await cache.get_or_load(key(), source) == b"loaded"
    assert await cache.get_or_load(key(), source) == b"loaded"
    assert source.calls == 2  # nothing cached while the lock is held


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed: nothing listens on it


async def test_with_redis_down_reads_go_to_the_source_and_invalidations_fail() -> None:
    cache = RedisReadCache(redis_client(f"redis://127.0.0.1:{free_port()}/0"))
    source = Source(b"from the database")
    assert await cache.get_or_load(key(), source) == b"from the database"
    assert await cache.get_or_load(key(), source) == b"from the database"
    assert source.calls == 2
    with pytest.raises(RedisConnectionError):
        await cache.invalidate(ACME)
    await cache.aclose()


class BreaksOnSet(fakeredis.FakeAsyncRedis):
    """Redis that answers reads and then fails, as a server does that goes away."""

    async def set(self, *args: object, **kwargs: object) -> bool:
        del args, kwargs
        raise RedisConnectionError("gone")


async def test_redis_failing_in_the_middle_of_a_read_serves_the_source() -> None:
    cache = RedisReadCache(BreaksOnSet())
    assert await cache.get_or_load(key(), Source(b"from the database")) == b"from the database"
    await cache.aclose()


# --- Hostile keys and values --------------------------------------------------------------

arguments = st.tuples(st.one_of(st.none(), st.text()), st.integers())
tenants = st.from_regex(r"[a-z0-9][a-z0-9-]{1,62}", fullmatch=True).map(TenantId)


# No deadline: a loaded machine (nox runs sessions side by side) is no failure of the code.
@settings(deadline=None)
@given(tenant=tenants, first=arguments, second=arguments)
def test_a_rendered_key_is_short_names_its_tenant_and_differs_per_read(
    tenant: TenantId, first: tuple[str | None, int], second: tuple[str | None, int]
) -> None:
    rendered = CacheKey(tenant, "product-page", first).render(0)
    assert rendered.startswith(f"{tenant}:0:product-page:")
    assert len(rendered) <= 63 + 80
    assert rendered.isascii()
    assert not any(character.isspace() for character in rendered)
    other = CacheKey(tenant, "product-page", second).render(0)
    assert (rendered == other) == (first == second)


async def run_cached(
    make: Callable[[], ReadCache], reads: list[tuple[tuple[str | None, int], bytes]]
) -> list[bytes]:
    cache = make()
    try:
        return [await cache.get_or_load(key(ACME, *read), Source(value)) for read, value in reads]
    finally:
        await cache.aclose()


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reads=st.lists(st.tuples(arguments, st.binary(max_size=4096)), max_size=8))
def test_hostile_cursors_and_values_come_back_as_they_were_stored(
    reads: list[tuple[tuple[str | None, int], bytes]],
) -> None:
    first_stored: dict[tuple[str | None, int], bytes] = {}
    for read, value in reads:
        first_stored.setdefault(read, value)
    expected = [first_stored[read] for read, _ in reads]
    makers: list[Callable[[], ReadCache]] = [
        InProcessReadCache,
        lambda: RedisReadCache(fakeredis.FakeAsyncRedis(), prefix=f"test:{uuid4().hex}"),
    ]
    for make in makers:
        assert asyncio.run(run_cached(make, reads)) == expected


async def test_the_settings_choose_the_cache() -> None:
    assert isinstance(read_cache(Settings(_env_file=None, redis_url=None)), InProcessReadCache)
    url = SecretStr("redis://127.0.0.1:6379/0")
    chosen = read_cache(Settings(_env_file=None, redis_url=url))
    assert isinstance(chosen, RedisReadCache)
    await chosen.aclose()  # it never connected
