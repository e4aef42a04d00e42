"""The catalog's reads through the cache: a change is never served stale after its commit.

Every test runs on the in-process cache and on Redis (fakeredis, and the server in
``REDIS_URL`` when it is set), each on SQLite and on the server in ``DATABASE_URL``.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import fakeredis
import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.interfaces.read_cache import ReadCache
from catalog.domain.value_objects.sku import Sku
from catalog.infrastructure.cache.in_process import InProcessReadCache
from catalog.infrastructure.cache.invalidation import AfterCommitCatalogUnitOfWork
from catalog.infrastructure.cache.redis_cache import RedisReadCache
from shared_kernel.clock import FixedClock
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.settings import Settings

from .conftest import NOW

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme", "globex")]

ACME, GLOBEX = {"X-Tenant-ID": "acme"}, {"X-Tenant-ID": "globex"}
PRODUCTS = "/api/v1/products"
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = ["in-process", "fakeredis", *(["redis"] if REDIS_URL else [])]


@pytest.fixture(params=CACHES)
async def read_cache(request: pytest.FixtureRequest) -> AsyncIterator[ReadCache]:
    if request.param == "in-process":
        yield InProcessReadCache()
        return
    client: Redis = (
        fakeredis.FakeAsyncRedis() if request.param == "fakeredis" else Redis.from_url(REDIS_URL)
    )
    prefix = f"test:{uuid4().hex}"
    yield RedisReadCache(client, prefix=prefix)
    async for key in client.scan_iter(match=f"{prefix}:*"):
        await client.delete(key)
    await client.aclose()


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings, read_cache: ReadCache) -> Services:
    return Services(settings=settings, engine=engine, clock=FixedClock(NOW), read_cache=read_cache)


async def add(client: httpx.AsyncClient, sku: str, amount: str = "10.00") -> dict[str, Any]:
    body = {"sku": sku, "name": f"Product {sku}", "price": {"amount": amount, "currency": "EUR"}}
    response = await client.post(PRODUCTS, json=body, headers=ACME)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def price_in_list(client: httpx.AsyncClient, headers: dict[str, str] = ACME) -> list[str]:
    response = await client.get(PRODUCTS, headers=headers)
    assert response.status_code == 200, response.text
    return [item["price"]["amount"] for item in response.json()["items"]]


async def price_of(client: httpx.AsyncClient, product_id: str) -> str:
    response = await client.get(f"{PRODUCTS}/{product_id}", headers=ACME)
    assert response.status_code == 200, response.text
    amount: str = response.json()["price"]["amount"]
    return amount


# --8<-- [start:never-stale-test]
async def test_a_reprice_is_never_served_stale_after_its_commit(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    mug = await add(client, "MUG-1")
    assert await price_of(client, mug["id"]) == "10.00"  # cached now
    with count_statements() as statements:
        assert await price_of(client, mug["id"]) == "10.00"
    assert statements == []  # the tenant was found before, the product is in the cache

    response = await client.post(
        f"{PRODUCTS}/{mug['id']}/reprice",
        json={"price": {"amount": "12.00", "currency": "EUR"}},
        headers=ACME,
    )
    assert response.status_code == 200, response.text

    assert await price_of(client, mug["id"]) == "12.00"
    assert await price_in_list(client) == ["12.00"]


# --8<-- [end:never-stale-test]


async def test_reads_racing_a_reprice_see_the_new_price_once_it_returned(
    client: httpx.AsyncClient,
) -> None:
    mug = await add(client, "MUG-1")
    returned = asyncio.Event()
    stale_after_return: list[str] = []

    async def read_all_along() -> None:
        while True:
            started_after_the_return = returned.is_set()
            amount = await price_of(client, mug["id"])
            if started_after_the_return:  # a read that began before may see either price
                if amount != "12.00":
                    stale_after_return.append(amount)
                return
            await asyncio.sleep(0)

    readers = [asyncio.create_task(read_all_along()) for _ in range(8)]
    await asyncio.sleep(0.01)
    response = await client.post(
        f"{PRODUCTS}/{mug['id']}/reprice",
        json={"price": {"amount": "12.00", "currency": "EUR"}},
        headers=ACME,
    )
    assert response.status_code == 200, response.text
    returned.set()
    await asyncio.gather(*readers)
    assert stale_after_return == []
    assert await price_in_list(client) == ["12.00"]


async def test_an_add_and_a_discontinue_reach_the_cached_list(client: httpx.AsyncClient) -> None:
    mug = await add(client, "MUG-1")
    assert await price_in_list(client) == ["10.00"]
    await add(client, "CUP-1", "4.00")
    assert await price_in_list(client) == ["4.00", "10.00"]

    response = await client.post(f"{PRODUCTS}/{mug['id']}/discontinue", headers=ACME)
    assert response.status_code == 200, response.text
    listed = (await client.get(PRODUCTS, headers=ACME)).json()["items"]
    assert [(item["sku"], item["active"]) for item in listed] == [
        ("CUP-1", True),
        ("MUG-1", False),
    ]


async def test_a_tenants_cached_reads_are_never_another_tenants(client: httpx.AsyncClient) -> None:
    await add(client, "MUG-1")
    assert await price_in_list(client) == ["10.00"]
    assert await price_in_list(client, GLOBEX) == []


async def test_a_missing_product_and_a_hostile_cursor_are_not_cached(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get(f"{PRODUCTS}/{uuid4()}", headers=ACME)
    assert missing.status_code == 404
    hostile = await client.get(PRODUCTS, params={"after": "\x00' OR 1=1 --"}, headers=ACME)
    assert hostile.status_code == 422, hostile.text
    assert hostile.headers["content-type"] == "application/problem+json"


async def test_a_rolled_back_change_invalidates_nothing(services: Services) -> None:
    handed_on: list[DomainEvent] = []

    async def record(events: Any) -> None:
        handed_on.extend(events)

    uow = services.catalog_unit_of_work(TenantId("acme"))
    assert isinstance(uow, AfterCommitCatalogUnitOfWork)
    uow.after_commit = record
    async with uow:
        assert uow.tenant_id == TenantId("acme")
        assert await uow.products.get_by_sku(Sku("MUG-1")) is None
        await uow.rollback()
    assert handed_on == []
