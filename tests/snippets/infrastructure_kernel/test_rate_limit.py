"""The rate limit: quotas per partition, the 429, the RateLimit headers, a failing store.

On this process's memory always, and on the Redis server in ``REDIS_URL`` when it is set.
"""

import asyncio
import os
import re
from collections.abc import Mapping
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits.aio.storage import RedisStorage
from redis.asyncio import Redis
from starlette.requests import Request

from infrastructure_kernel.http.edge import EdgeSecurity, RateLimits, edge_app
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.rate_limit import (
    MAX_KEY,
    RateLimiter,
    _storable,
    client_address,
    rate_limit,
)

pytestmark = pytest.mark.anyio

BASE = "tag:things.example,2025:problems/"
REDIS_URL = os.environ.get("REDIS_URL", "")
STORES = ["memory", *(["redis"] if REDIS_URL else [])]
NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: refused at once
# RFC 8941's item of a string with parameters, as the draft's fields list them.
ITEM = r'"[a-z]+";[a-z]=\d+;[a-z]=\d+'
FIELD = re.compile(rf"{ITEM}(, {ITEM})*")


def limiter_on(store: str, policies: dict[str, str], **options: Any) -> RateLimiter:
    if store == "memory":
        return RateLimiter(policies, **options)
    return redis_limiter(REDIS_URL, f"test-{uuid4().hex}", policies, **options)


def redis_limiter(url: str, prefix: str, policies: dict[str, str], **options: Any) -> RateLimiter:
    """A limiter on Redis whose connections its ``aclose`` closes, as the shop makes them."""
    client = Redis.from_url(url)
    pool: dict[str, Any] = {"connection_pool": client.connection_pool}
    storage = RedisStorage(
        f"async+{url}", implementation="redispy", key_prefix=prefix, wrap_exceptions=True, **pool
    )
    return RateLimiter(policies, storage, close=client.aclose, **options)


async def by_address(request: Request) -> Mapping[str, str]:
    partitions = {"address": client_address(request)}
    if "x-user" in request.headers:
        partitions["user"] = request.headers["x-user"]
    return partitions


def limited_app(limiter: RateLimiter) -> FastAPI:
    limits = RateLimits(limiter, by_address, exempt=["/health"])
    app = edge_app(ProblemCatalog(BASE), max_body_size=100, edge=EdgeSecurity(rate_limits=limits))

    @app.get("/things")
    async def things() -> list[str]:
        return ["bolt"]

    @app.get("/health")
    async def health() -> str:
        return "ok"

    return app


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


# --8<-- [start:rate-limit-test]
@pytest.mark.parametrize("store", STORES)
async def test_a_request_over_a_quota_is_a_429_with_retry_after_and_the_quotas(
    store: str,
) -> None:
    limiter = limiter_on(store, {"address": "2/minute", "user": "5/minute"})
    async with client(limited_app(limiter)) as http:
        first = await http.get("/things", headers={"X-User": "ann"})
        second = await http.get("/things")
        refused = await http.get("/things")
    await limiter.aclose()

    assert first.status_code == second.status_code == 200
    assert first.headers["RateLimit-Policy"] == '"address";q=2;w=60, "user";q=5;w=60'
    assert re.fullmatch(r'"address";r=1;t=\d+, "user";r=4;t=\d+', first.headers["RateLimit"])
    assert refused.status_code == 429
    assert refused.json()["type"] == BASE + "too-many-requests"
    assert refused.json()["detail"].startswith("over the quota of: address;")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert re.fullmatch(r'"address";r=0;t=\d+', refused.headers["RateLimit"])


# --8<-- [end:rate-limit-test]


async def test_an_exempt_path_is_not_counted_and_says_nothing() -> None:
    limiter = RateLimiter({"address": "1/minute"})
    async with client(limited_app(limiter)) as http:
        probes = [await http.get("/health") for _ in range(3)]
        served = await http.get("/things")

    assert [probe.status_code for probe in probes] == [200, 200, 200]
    assert "RateLimit" not in probes[0].headers
    assert served.status_code == 200


async def test_a_policy_without_a_quota_is_not_counted() -> None:
    limiter = RateLimiter({"user": "1/minute"})
    async with client(limited_app(limiter)) as http:
        answers = [await http.get("/things") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert "RateLimit" not in answers[0].headers


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
async def test_two_processes_count_against_one_quota_in_redis() -> None:
    prefix = f"test-{uuid4().hex}"
    shared = [redis_limiter(REDIS_URL, prefix, {"address": "3/minute"}) for _ in range(2)]
    quotas = [await limiter.hit({"address": "192.0.2.1"}) for limiter in (*shared, *shared)]
    for limiter in shared:
        await limiter.aclose()

    assert [quota[0].remaining for quota in quotas] == [2, 1, 0, 0]
    assert quotas[-1][0].exceeded


# --8<-- [start:store-outage-test]
async def test_while_the_store_fails_each_process_counts_in_its_own_memory() -> None:
    clock = [1_000.0]
    limiter = redis_limiter(
        NOBODY_LISTENS, "test", {"address": "2/minute"}, fallback_seconds=5, now=lambda: clock[0]
    )
    # Each request in a task of its own: coverage stops tracing a frame that awaits a
    # refused connection itself, and this test's lines are shown as proof.
    async with client(limited_app(limiter)) as http:
        answers = [await asyncio.create_task(http.get("/things")) for _ in range(3)]
        clock[0] += 6  # the store is asked again, fails again, and memory counts on
        later = await asyncio.create_task(http.get("/things"))
    await limiter.aclose()

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[0].headers["RateLimit-Policy"] == '"address";q=2;w=60'
    assert later.status_code == 429


# --8<-- [end:store-outage-test]


async def test_a_quota_setting_is_checked_by_the_limits_library() -> None:
    assert rate_limit("600/minute") == "600/minute"
    with pytest.raises(ValueError, match="couldn't parse"):
        rate_limit("many")


# --8<-- [start:hostile-partitions-property]
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600), st.text(max_size=600))
async def test_any_partition_is_counted_alone_and_kept_short(first: str, second: str) -> None:
    limiter = RateLimiter({"address": "1/minute", "user": "1/minute"})

    quotas = await limiter.hit({"address": first, "user": second})
    again = await limiter.hit({"address": first})

    assert [quota.exceeded for quota in quotas] == [False, False]
    assert again[0].exceeded
    assert FIELD.fullmatch(", ".join(f'"{q.policy}";r={q.remaining};t={q.reset}' for q in quotas))
    assert len(_storable(first)) <= MAX_KEY
    assert "/" not in _storable(first)


# --8<-- [end:hostile-partitions-property]
