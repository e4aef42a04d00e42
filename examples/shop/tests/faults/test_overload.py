"""Far more concurrent reads than the pool has connections: a 200 or a quick 503, never a 500.

The shop gets a pool of two connections that a request waits half a second for, and
orders with the most lines an order may have; then many clients list them at once. The
requests the pool cannot serve in time must be told so with a 503 problem and
``Retry-After``, promptly, and every other request served.
"""

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .fault_servers import Cluster, Shop, serve

pytestmark = pytest.mark.anyio

POOL = {"DATABASE_POOL_SIZE": "2", "DATABASE_MAX_OVERFLOW": "0", "DATABASE_POOL_TIMEOUT": "0.5"}
CLIENTS = 50
REQUESTS = 200
ORDERS = 5
LINES = 50  # Order.MAX_LINES: the largest order there is
AS_ACME = {"X-Tenant-ID": "acme"}
# A refusal is prompt: the pool's timeout, and room for a machine busy serving the rest.
# The typical one within seconds; even the last of a burst well before the 30 s that
# requests once waited before they failed with a 500.
TYPICAL_REFUSAL_SECONDS = 5.0
SLOWEST_REFUSAL_SECONDS = 20.0


@pytest.fixture
def shop(cluster: Cluster, seeded_database: str, tmp_path: Path) -> Iterator[Shop]:
    with serve(cluster, seeded_database, "overload", tmp_path, **POOL) as served:
        yield served


async def add_large_orders(client: httpx.AsyncClient) -> None:
    products = []
    for n in range(LINES):
        price = {"amount": "1.00", "currency": "EUR"}
        body = {"sku": f"LOAD-{n:03}", "name": f"Load product {n}", "price": price}
        response = await client.post("/api/v1/products", json=body, headers=AS_ACME)
        assert response.status_code == 201, response.text
        products.append(response.json()["id"])
    lines = [{"product_id": product, "quantity": 1} for product in products]
    for _ in range(ORDERS):
        response = await client.post("/api/v1/orders", json={"lines": lines}, headers=AS_ACME)
        assert response.status_code == 201, response.text


async def test_more_readers_than_connections_get_200s_or_prompt_503s(
    shop: Shop, record_figures: dict[str, Any]
) -> None:
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(
        base_url=shop.url, timeout=60, limits=limits, headers=shop.owner
    ) as client:
        await add_large_orders(client)
        gate = asyncio.Semaphore(CLIENTS)

        async def read() -> tuple[int, float, bool]:
            async with gate:
                started = time.monotonic()
                response = await client.get("/api/v1/orders?limit=50", headers=AS_ACME)
                refused_properly = (
                    response.headers.get("content-type") == "application/problem+json"
                    and response.json()["type"].endswith("/service-unavailable")
                    and response.headers.get("retry-after", "").isdigit()
                )
                return response.status_code, time.monotonic() - started, refused_properly

        answers = await asyncio.gather(*(read() for _ in range(REQUESTS)))

    statuses = [status for status, _, _ in answers]
    refusals = [(seconds, proper) for status, seconds, proper in answers if status == 503]
    assert set(statuses) <= {200, 503}
    assert refusals, "the pool was never exhausted: the test did not overload the shop"
    assert all(proper for _, proper in refusals)
    waits = sorted(seconds for seconds, _ in refusals)
    typical_refusal, slowest_refusal = waits[len(waits) // 2], waits[-1]
    assert typical_refusal < TYPICAL_REFUSAL_SECONDS
    assert slowest_refusal < SLOWEST_REFUSAL_SECONDS
    record_figures.update(
        scenario="overload",
        clients=CLIENTS,
        pool_connections=int(POOL["DATABASE_POOL_SIZE"]),
        pool_timeout_seconds=float(POOL["DATABASE_POOL_TIMEOUT"]),
        lines_per_response=ORDERS * LINES,
        requests=len(statuses),
        statuses={str(status): statuses.count(status) for status in sorted(set(statuses))},
        server_errors_other_than_503=sum(1 for s in statuses if s >= 500 and s != 503),
        typical_refusal_seconds=round(typical_refusal, 2),
        slowest_refusal_seconds=round(slowest_refusal, 2),
    )
