"""Orders placed while the database is stopped, frozen and crashed: nothing acknowledged is lost.

Workers place orders without pause while the server is stopped cleanly, frozen, and
stopped as if it crashed, each time for a few seconds, then brought back. Every answer
must be a 201 or a 503 problem with ``Retry-After``, within the configured timeouts;
every order acknowledged with a 201 must exist afterwards; after each outage the shop
must place orders again without a restart.
"""

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from .fault_servers import Cluster, Shop, serve

pytestmark = pytest.mark.anyio

WORKERS = 8
OUTAGE_SECONDS = 2.0
TIMEOUTS = {  # seconds: short, so that the test is too
    "DATABASE_POOL_TIMEOUT": "1",
    "DATABASE_CONNECT_TIMEOUT": "1",
    "DATABASE_STATEMENT_TIMEOUT": "1",
}
# The longest a request may wait for its answer: a pool checkout, a ping, a connect and
# a statement, each at its limit, and some room for a busy machine.
ANSWER_BOUND = 4 * 1.0 + 2.0
AS_ACME = {"X-Tenant-ID": "acme"}


@pytest.fixture
def shop(cluster: Cluster, seeded_database: str, tmp_path: Path) -> Iterator[Shop]:
    with serve(cluster, seeded_database, "outages", tmp_path, **TIMEOUTS) as served:
        yield served


@dataclass
class Answers:
    """Everything the workers were told, and when orders were placed."""

    placed: list[str] = field(default_factory=list)
    placed_at: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)
    slowest: float = 0.0


async def place_orders(
    client: httpx.AsyncClient, product: str, answers: Answers, stop: asyncio.Event
) -> None:
    body = {"lines": [{"product_id": product, "quantity": 1}]}
    while not stop.is_set():
        started = time.monotonic()
        headers = {**AS_ACME, "Idempotency-Key": str(uuid4())}
        try:
            response = await client.post("/api/v1/orders", json=body, headers=headers)
        except httpx.TransportError as error:
            answers.wrong.append(f"no answer: {error!r}")
            continue
        finally:
            answers.slowest = max(answers.slowest, time.monotonic() - started)
        answers.statuses[response.status_code] = answers.statuses.get(response.status_code, 0) + 1
        if response.status_code == 201:
            answers.placed.append(response.json()["id"])
            answers.placed_at.append(time.monotonic())
        elif not is_service_unavailable(response):
            answers.wrong.append(f"{response.status_code}: {response.text[:200]}")
        else:
            await asyncio.sleep(0.05)  # a client that retries at once; Retry-After is 5 s


def is_service_unavailable(response: httpx.Response) -> bool:
    return (
        response.status_code == 503
        and response.headers.get("content-type") == "application/problem+json"
        and response.json().get("type", "").endswith("/service-unavailable")
        and response.headers.get("retry-after", "").isdigit()
    )


async def recovery_seconds(answers: Answers, since: float, timeout: float = 20) -> float:
    """Seconds from ``since`` until the workers placed an order again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        later = [at for at in answers.placed_at if at > since]
        if later:
            return min(later) - since
        await asyncio.sleep(0.02)
    pytest.fail(f"no order was placed within {timeout} s after the database returned")


async def test_orders_survive_a_stopped_a_frozen_and_a_crashed_database(
    shop: Shop, cluster: Cluster, record_figures: dict[str, Any]
) -> None:
    outages: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {
        "stopped": (lambda: cluster.stop("fast"), cluster.start),
        "frozen": (cluster.freeze, cluster.thaw),
        "crashed": (lambda: cluster.stop("immediate"), cluster.start),
    }
    answers, stop = Answers(), asyncio.Event()
    recovery: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=shop.url, timeout=30, headers=shop.owner) as client:
        product = (await client.get("/api/v1/products", headers=AS_ACME)).json()["items"][0]["id"]
        workers = [
            asyncio.create_task(place_orders(client, product, answers, stop))
            for _ in range(WORKERS)
        ]
        try:
            await asyncio.sleep(1)
            for name, (begin, end) in outages.items():
                await asyncio.to_thread(begin)
                await asyncio.sleep(OUTAGE_SECONDS)
                await asyncio.to_thread(end)
                recovery[name] = await recovery_seconds(answers, time.monotonic())
                await asyncio.sleep(0.5)
        finally:
            stop.set()
            await asyncio.gather(*workers)
            await asyncio.to_thread(cluster.restore)
        checked = await all_exist(client, answers.placed)

    assert answers.wrong == []
    assert answers.slowest < ANSWER_BOUND
    assert answers.statuses.get(503, 0) > 0  # the outages were seen, and answered
    assert checked == len(answers.placed) > 0
    record_figures.update(
        scenario="outages",
        postgresql=cluster.version,
        workers=WORKERS,
        outage_seconds=OUTAGE_SECONDS,
        requests=sum(answers.statuses.values()),
        statuses={str(status): count for status, count in sorted(answers.statuses.items())},
        server_errors_other_than_503=sum(
            count for status, count in answers.statuses.items() if status >= 500 and status != 503
        ),
        acknowledged_checked=checked,
        slowest_answer_seconds=round(answers.slowest, 2),
        recovery_seconds={name: round(seconds, 2) for name, seconds in recovery.items()},
    )


async def all_exist(client: httpx.AsyncClient, order_ids: list[str]) -> int:
    """Read every order back, a page at a time; return how many acknowledged ones exist."""
    stored: set[str] = set()
    params: dict[str, str | int] = {"limit": 50}
    while True:
        response = await client.get("/api/v1/orders", headers=AS_ACME, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        stored.update(order["id"] for order in page["items"])
        if page["next_cursor"] is None:
            return len(stored.intersection(order_ids))
        params["after"] = page["next_cursor"]
