"""Events across processes that die and a broker that restarts: none lost, none twice in effect.

Each run serves the installed shop on a database of its own, copied from the seeded one,
with ``shop relay`` publishing its outbox to a RabbitMQ node of the tests' own and
``shop consume catalog.units-sold`` counting the units sold, each a process of its own,
while clients place orders over HTTP:

- the relay is sent SIGKILL in the middle of a batch: frozen first (SIGSTOP), and killed
  only while it holds outbox rows locked that it has not marked;
- the broker is stopped and started again while ``BROKER_ORDERS`` orders are placed,
  relayed and consumed; the relay and the consumer must outlive it;
- the consumer is sent SIGKILL while it holds a message it has not acknowledged: frozen
  first, and killed only once the broker counts that message as unacknowledged.

Then the processes left are stopped with SIGTERM, and each run must show every committed
event published (no unmarked row in the outbox), every ``OrderPlaced`` in the consumer's
inbox once, the units sold equal to the quantities ordered, and no dead letter.
"""

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from catalog.infrastructure.database.tables import units_sold
from ordering.infrastructure.database.tables import order_lines
from shop.infrastructure.database.tables import inbox, outbox

from .fault_servers import Cluster, Shop, serve
from .rabbitmq_node import RabbitMqNode

pytestmark = pytest.mark.anyio

SHOP_SCRIPT = Path(sys.executable).parent / "shop"
CONSUMER = "catalog.units-sold"
CLIENTS = 4
ORDERS = 300  # in each run that kills a process
BACKLOG = 100  # orders placed before the process to be killed starts: it has work to do
BROKER_ORDERS = 1_000  # as many as keep the broker's run well under a minute on 2 cores
DRAIN_TIMEOUT = 90.0
SEEDED_ORDERS = 10  # the orders `shop seed` places, whose events wait in the outbox too
AS_ACME = {"X-Tenant-ID": "acme"}
SUMMARY = re.compile(r"(\d+) handled, (\d+) duplicate, (\d+) dead-lettered")
# Unpublished rows that some transaction holds locked: the relay's batch in flight.
LOCKED_BY_A_RELAY = text(
    "SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)"
    " - (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL"
    " FOR UPDATE SKIP LOCKED) AS free)"
)


@dataclass
class Processes:
    """The relays and consumers a run started, and what those that ended cleanly printed."""

    environment: dict[str, str]
    workdir: Path
    started: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)
    killed: int = 0

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        log = self.workdir / f"{command[0]}-{len(self.started)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own installed script
                [str(SHOP_SCRIPT), *command],
                env=self.environment,
                cwd=self.workdir,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.started.append((process, log))
        return process

    def relay(self) -> subprocess.Popen[bytes]:
        return self.start("relay", "--interval", "0.1")

    def consumer(self) -> subprocess.Popen[bytes]:
        return self.start("consume", CONSUMER, "--idle", "0.2")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)  # a frozen process dies too
        process.wait(timeout=10)
        self.killed += 1

    def stop_all(self) -> None:
        """Send SIGTERM to each one running; each must end cleanly and say what it did."""
        for process, _ in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, log in self.started:
            if process.wait(timeout=30) == -signal.SIGKILL:
                continue
            printed = log.read_text()
            assert process.returncode == 0, printed
            self.printed.append(printed)

    def abandon(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def summed(self, column: int) -> int:
        """A column of the consumers' last lines: 0 handled, 1 duplicate, 2 dead-lettered."""
        return sum(int(found[column]) for log in self.printed for found in SUMMARY.findall(log))

    def retried(self, word: str) -> int:
        """How often the processes logged a failure and tried again ("relaying", "consuming")."""
        logs = [log.read_text() for _, log in self.started]
        return sum(log.count(f"{word} failed; trying again") for log in logs)

    def dead_letters(self) -> list[dict[str, Any]]:
        """What ``shop dead-letters list`` finds in the consumer's dead-letter queue."""
        listed = subprocess.run(  # noqa: S603 - our own installed script, fixed arguments
            [str(SHOP_SCRIPT), "dead-letters", "list", CONSUMER, "--json"],
            env=self.environment,
            cwd=self.workdir,
            check=True,
            capture_output=True,
            timeout=60,
        )
        letters: list[dict[str, Any]] = json.loads(listed.stdout)
        return letters


@dataclass
class Orders:
    """Clients placing orders over HTTP until ``total`` were acknowledged."""

    total: int
    claimed: int = 0
    placed: int = 0
    last_placed_at: float = 0.0
    refused: list[str] = field(default_factory=list)

    async def place(self, client: httpx.AsyncClient, product: str) -> None:
        while self.claimed < self.total and not self.refused:
            self.claimed += 1  # before the request: the clients place exactly ``total``
            body = {"lines": [{"product_id": product, "quantity": 1 + self.placed % 3}]}
            headers = {**AS_ACME, "Idempotency-Key": str(uuid4())}
            response = await client.post("/api/v1/orders", json=body, headers=headers)
            if response.status_code != 201:
                self.refused.append(f"{response.status_code}: {response.text[:200]}")
                return
            self.placed += 1
            self.last_placed_at = time.monotonic()

    async def until(self, count: int) -> None:
        while self.placed < count and not self.refused:
            await asyncio.sleep(0.02)


@dataclass(frozen=True)
class Ledger:
    """What the shop's database says about its events, read from the test."""

    events: int
    unpublished: int
    orders_placed: int
    handled: int
    not_handled: int
    units_sold: int
    units_ordered: int

    @property
    def drained(self) -> bool:
        return self.unpublished == 0 and self.not_handled == 0


async def ledger(engine: AsyncEngine) -> Ledger:
    o = outbox
    async with engine.connect() as connection:
        events = await connection.scalar(select(func.count()).select_from(o))
        unpublished = await connection.scalar(
            select(func.count()).select_from(o).where(o.c.published_at.is_(None))
        )
        placed = set(
            await connection.scalars(select(o.c.event_id).where(o.c.event_name == "OrderPlaced"))
        )
        handled = set(
            await connection.scalars(select(inbox.c.event_id).where(inbox.c.consumer == CONSUMER))
        )
        sold = await connection.scalar(select(func.coalesce(func.sum(units_sold.c.units), 0)))
        ordered = await connection.scalar(
            select(func.coalesce(func.sum(order_lines.c.quantity), 0))
        )
    return Ledger(
        events=int(events or 0),
        unpublished=int(unpublished or 0),
        orders_placed=len(placed),
        handled=len(handled),
        not_handled=len(placed - handled),
        units_sold=int(sold or 0),
        units_ordered=int(ordered or 0),
    )


async def seconds_to_drain(engine: AsyncEngine, since: float) -> float:
    """Seconds from ``since`` until every event was published and every order counted."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while time.monotonic() < deadline:
        if (await ledger(engine)).drained:
            return time.monotonic() - since
        await asyncio.sleep(0.1)
    pytest.fail(f"not drained within {DRAIN_TIMEOUT} s: {await ledger(engine)}")


async def below(engine: AsyncEngine, figure: str, bound: int) -> bool:
    return bool(getattr(await ledger(engine), figure) < bound)


async def at_least(engine: AsyncEngine, figure: str, bound: int) -> bool:
    return bool(getattr(await ledger(engine), figure) >= bound)


async def until(
    process: subprocess.Popen[bytes], condition: Callable[[], Awaitable[bool]], timeout: float = 120
) -> None:
    """Wait until ``condition`` holds, as long as ``process`` runs and ``timeout`` allows."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert process.poll() is None, f"{process.args!r} exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{process.args!r} did not get to work in {timeout} s"
        await asyncio.sleep(0.01)


@dataclass
class Run:
    """One run: the served shop, its database, its relays and consumers, its clients."""

    shop: Shop
    engine: AsyncEngine
    processes: Processes
    orders: Orders
    started_at: float = field(default_factory=time.monotonic)

    async def settle(self) -> dict[str, Any]:
        """Wait until drained, stop the processes, check the promises, return the figures."""
        drain = await seconds_to_drain(self.engine, max(self.orders.last_placed_at, 0.0))
        self.processes.stop_all()
        state = await ledger(self.engine)
        dead = self.processes.dead_letters()

        assert self.orders.refused == []
        assert state.unpublished == 0  # every committed event was published
        assert state.not_handled == 0  # ... and reached the consumer
        assert state.handled == state.orders_placed == self.orders.placed + SEEDED_ORDERS
        assert state.units_sold == state.units_ordered  # each order counted once
        assert dead == []
        assert self.processes.summed(2) == 0
        return {
            "orders": self.orders.placed,
            "events": state.events,
            "orders_counted": state.handled,
            "lost": state.not_handled + state.unpublished,
            "duplicates_delivered": self.processes.summed(1),
            "duplicate_effects": state.units_sold - state.units_ordered,
            "dead_letters": len(dead),
            "killed": self.processes.killed,
            "drain_seconds": round(drain, 2),
            "run_seconds": round(time.monotonic() - self.started_at, 1),
        }


@dataclass(frozen=True)
class Servers:
    """The session's PostgreSQL cluster, its seeded template database, and its RabbitMQ node."""

    cluster: Cluster
    template: str
    rabbitmq: RabbitMqNode


@pytest.fixture
def servers(cluster: Cluster, seeded_database: str, rabbitmq: RabbitMqNode) -> Servers:
    return Servers(cluster, seeded_database, rabbitmq)


@asynccontextmanager
async def run(
    servers: Servers, name: str, workdir: Path, total: int
) -> AsyncIterator[tuple[Run, list[asyncio.Task[None]]]]:
    """Serve the shop on a fresh database, and start clients placing ``total`` orders."""
    with ExitStack() as stack:
        # Blocking work (a database copied, a server started): on a thread, off this loop.
        url = servers.rabbitmq.url
        served = serve(servers.cluster, servers.template, name, workdir, AMQP_URL=url)
        shop = await asyncio.to_thread(stack.enter_context, served)
        engine = create_async_engine(shop.environment["DATABASE_URL"])
        processes = Processes(dict(shop.environment), workdir)
        orders = Orders(total)
        try:
            async with httpx.AsyncClient(
                base_url=shop.url, timeout=30, headers=shop.owner
            ) as client:
                listed = await client.get("/api/v1/products", headers=AS_ACME)
                product = listed.json()["items"][0]["id"]
                clients = [
                    asyncio.create_task(orders.place(client, product)) for _ in range(CLIENTS)
                ]
                try:
                    yield Run(shop, engine, processes, orders), clients
                finally:
                    await asyncio.gather(*clients)
        finally:
            processes.abandon()
            await engine.dispose()


async def test_a_relay_killed_mid_batch_loses_nothing_and_counts_nothing_twice(
    servers: Servers, tmp_path: Path, record_figures: dict[str, Any]
) -> None:
    async with run(servers, "relay_killed", tmp_path, ORDERS) as (
        this,
        clients,
    ):
        this.processes.consumer()
        await this.orders.until(BACKLOG)
        relay = this.processes.relay()
        waiting = (await ledger(this.engine)).unpublished
        await until(relay, lambda: below(this.engine, "unpublished", waiting))  # at work
        locked = await kill_mid_batch(this, relay)
        this.processes.relay()
        await asyncio.gather(*clients)
        figures = await this.settle()

    assert locked > 0
    record_figures.update(scenario="relay_killed", locked_when_killed=locked, **figures)


async def kill_mid_batch(this: Run, relay: subprocess.Popen[bytes]) -> int:
    """Freeze the relay until it is caught holding a batch; kill it; return the batch's size."""
    for _ in range(1_000):
        relay.send_signal(signal.SIGSTOP)
        async with this.engine.connect() as connection:  # rolled back: the locks go with it
            locked = int(await connection.scalar(LOCKED_BY_A_RELAY) or 0)
        if locked > 0:
            this.processes.kill(relay)
            return locked
        relay.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.005)
    pytest.fail("the relay was never caught in the middle of a batch")


async def test_a_broker_restarted_under_load_loses_nothing_and_counts_nothing_twice(
    servers: Servers, tmp_path: Path, record_figures: dict[str, Any]
) -> None:
    name = "broker_restarted"
    async with run(servers, name, tmp_path, BROKER_ORDERS) as (
        this,
        clients,
    ):
        relay, consumer = this.processes.relay(), this.processes.consumer()
        await this.orders.until(BROKER_ORDERS // 3)
        # Both connected and at work before the broker goes: a relay that starts while the
        # broker is away exits for its supervisor to restart; this test is about outliving it.
        await until(consumer, lambda: at_least(this.engine, "handled", 1))
        placed_before_restart = this.orders.placed
        stopped_at = time.monotonic()
        await asyncio.to_thread(servers.rabbitmq.stop)
        starting = await asyncio.to_thread(servers.rabbitmq.start)
        down = time.monotonic() - stopped_at
        await asyncio.gather(*clients)
        assert relay.poll() is None  # both outlived the broker's restart
        assert consumer.poll() is None
        figures = await this.settle()

    assert this.processes.retried("relaying") > 0  # the relay did see the broker go
    record_figures.update(
        scenario="broker_restarted",
        rabbitmq=servers.rabbitmq.version,
        postgresql=servers.cluster.version,
        broker_down_seconds=round(down, 1),
        broker_start_seconds=round(starting, 1),
        placed_before_restart=placed_before_restart,
        relay_retries=this.processes.retried("relaying"),
        consumer_retries=this.processes.retried("consuming"),
        **figures,
    )


async def test_a_consumer_killed_before_acknowledging_counts_nothing_twice(
    servers: Servers, tmp_path: Path, record_figures: dict[str, Any]
) -> None:
    async with run(servers, "consumer_killed", tmp_path, ORDERS) as (
        this,
        clients,
    ):
        this.processes.relay()
        await this.orders.until(BACKLOG)
        consumer = this.processes.consumer()
        await until(consumer, lambda: at_least(this.engine, "handled", SEEDED_ORDERS))  # at work
        held = await kill_holding_a_message(this, consumer, servers.rabbitmq)
        this.processes.consumer()
        await asyncio.gather(*clients)
        figures = await this.settle()

    assert held == 1
    record_figures.update(scenario="consumer_killed", unacknowledged_when_killed=held, **figures)


async def kill_holding_a_message(
    this: Run, consumer: subprocess.Popen[bytes], rabbitmq: RabbitMqNode
) -> int:
    """Freeze the consumer until the broker says it holds a message; kill it; return how many."""
    for _ in range(30):
        consumer.send_signal(signal.SIGSTOP)
        held = await asyncio.to_thread(rabbitmq.unacknowledged, CONSUMER)
        if held:
            this.processes.kill(consumer)
            return held
        consumer.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.02)
    pytest.fail("the consumer was never caught holding a message")
