"""Requests per second and CPU per request of the shop's endpoints, Core against ORM.

``python -m measure.bench`` (with ``DATABASE_URL`` set to a PostgreSQL server) migrates
and seeds a database of its own, serves the shop twice under the handbook benchmark's
uvicorn command (``handbook.bench.run.SERVER_FLAGS``), once per persistence, and loads
each endpoint with wrk (Debian's), the two servers in turn, for several interleaved
rounds (the order alternating each round). Per run it records wrk's throughput and
latency and the server process's CPU time (user + system, from ``/proc``) per request.
The figures are the medians over the rounds.

Writes need fresh targets: paying takes an order that was placed and not yet paid, so
every pay run gets its own orders, created in bulk beforehand; a reprice run walks a pool
of products with prices that differ from visit to visit; an add uses new SKUs.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from pydantic import SecretStr
from sqlalchemy import insert, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from catalog.infrastructure.tables import products
from handbook.bench.run import HOST, SERVER_FLAGS
from handbook.timings import free_port
from measure.provenance import EXPERIMENT, ROOT, write
from ordering.infrastructure.tables import order_lines, orders
from shared_kernel.clock import SystemClock
from shop.bootstrap import Services
from shop.database.engine import create_engine
from shop.database.schema import upgrade_schema
from shop.seed import seed
from shop.settings import Settings

FACTORIES = {
    "core": "shop.api.application:app_from_environment",
    "orm": "orm_persistence.app:app_from_environment",
}
TENANT = "acme"
POOL_PRODUCTS = 512


@dataclass(frozen=True)
class Scenario:
    """One endpoint under load: how wrk builds its requests."""

    name: str
    kind: str  # static, pay, reprice or add
    method: str = "GET"
    path: str = ""
    body: str = ""


LUA = r"""
local threads, ids, counter = {}, {}, 0
tid = 0  -- a global: setup() gives each thread its own with thread:set
local next_tid = 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end
function init(args)
  wrk.headers["X-Tenant-ID"] = "acme"
  wrk.headers["Content-Type"] = "application/json"
  if KIND == "pay" or KIND == "reprice" then
    local n = 0
    for line in io.lines(IDS) do
      if n % THREADS == tid then table.insert(ids, line) end
      n = n + 1
    end
  end
end
if KIND ~= "static" then
  request = function()
    counter = counter + 1
    if KIND == "pay" then
      return wrk.format("POST", "/api/v1/orders/" .. ids[counter] .. "/pay", nil, "")
    elseif KIND == "reprice" then
      local visit = math.floor((counter - 1) / #ids)
      local id = ids[(counter - 1) % #ids + 1]
      local cents = 1000 + (OFFSET + visit) % 97
      local body = string.format('{"price":{"amount":"%d.%02d","currency":"EUR"}}',
        math.floor(cents / 100), cents % 100)
      return wrk.format("POST", "/api/v1/products/" .. id .. "/reprice", nil, body)
    else
      local body = string.format(
        '{"sku":"%s-%d-%d","name":"Bench product","price":{"amount":"9.99","currency":"EUR"}}',
        TAG, tid, counter)
      return wrk.format("POST", "/api/v1/products", nil, body)
    end
  end
end
function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d,'
    .. ' "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def lua(scenario: Scenario, *, ids: Path | None, tag: str, offset: int, threads: int) -> str:
    """The wrk script of one run."""
    prelude = (
        f'KIND = "{scenario.kind}"\nIDS = "{ids or ""}"\nTAG = "{tag}"\n'
        f"OFFSET = {offset}\nTHREADS = {threads}\n"
    )
    static = ""
    if scenario.kind == "static":
        static = f'wrk.method = "{scenario.method}"\nwrk.body = {json.dumps(scenario.body)}\n'
    return prelude + static + LUA


@dataclass
class Server:
    """A uvicorn process serving one persistence."""

    persistence: str
    process: subprocess.Popen[bytes]
    port: int

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(persistence: str, environment: dict[str, str]) -> Iterator[Server]:
    """Run the shop on ``persistence`` under the benchmark's uvicorn command."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", FACTORIES[persistence]]
    command += ["--host", HOST, "--port", str(port), *SERVER_FLAGS]
    process = subprocess.Popen(command, env=environment)  # noqa: S603 - our own server
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: the {persistence} server did not start")
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield Server(persistence, process, port)
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(
    server: Server,
    scenario: Scenario,
    script: str,
    *,
    seconds: float,
    arguments: argparse.Namespace,
) -> dict[str, Any]:
    """Load one endpoint of one server with wrk; return wrk's figures and the CPU used."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    url = f"http://{HOST}:{server.port}{scenario.path}"
    command = ["wrk", f"-t{arguments.threads}", f"-c{arguments.connections}"]
    command += [f"-d{seconds:g}s", "--timeout", "10s", "-s", file.name, url]
    cpu = server.cpu_seconds()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    cpu = server.cpu_seconds() - cpu
    Path(file.name).unlink()
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    requests = figures["requests"]
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests": requests,
        "rps": requests / seconds_run,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "cpu_ms_per_request": 1000 * cpu / requests if requests else None,
        "server_cpu_share": cpu / seconds_run,
        "non_2xx": figures["non_2xx"],
        "socket_errors": figures["socket_errors"],
    }


async def prepare(url: str, runs: int, orders_per_run: int) -> dict[str, Any]:
    """Migrate and seed; create the reprice pool and the orders every pay run needs."""
    settings = Settings(_env_file=None, database_url=SecretStr(url))
    engine = create_engine(settings)
    try:
        await upgrade_schema(engine)
        await seed(Services(settings=settings, engine=engine, clock=SystemClock()))
        started = datetime(2000, 1, 1, tzinfo=UTC)
        pool = [uuid4() for _ in range(POOL_PRODUCTS)]
        pay = [[uuid4() for _ in range(orders_per_run)] for _ in range(runs)]
        async with engine.begin() as connection:
            await connection.execute(
                insert(products),
                [
                    {
                        "tenant_id": TENANT,
                        "product_id": p,
                        "sku": f"POOL-{n:04d}",
                        "name": f"Pool product {n}",
                        "price_minor_units": 1000,
                        "currency": "EUR",
                        "active": True,
                        "version": 1,
                    }
                    for n, p in enumerate(pool)
                ],
            )
            for run in pay:
                await connection.execute(
                    insert(orders),
                    [
                        {
                            "tenant_id": TENANT,
                            "order_id": o,
                            "status": "placed",
                            "placed_at": started + timedelta(seconds=n),
                            "version": 1,
                        }
                        for n, o in enumerate(run)
                    ],
                )
                await connection.execute(
                    insert(order_lines),
                    [
                        {
                            "tenant_id": TENANT,
                            "order_id": o,
                            "line_number": 0,
                            "product_id": pool[0],
                            "sku": "POOL-0000",
                            "name": "Pool product 0",
                            "unit_price_minor": 1000,
                            "currency": "EUR",
                            "quantity": 1,
                        }
                        for o in run
                    ],
                )
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT p.product_id, o.order_id FROM products p, orders o"
                        " WHERE p.tenant_id = 'acme' AND p.sku = 'MUG-001'"
                        " AND o.tenant_id = 'acme' AND o.placed_at > '2001-01-01' LIMIT 1"
                    )
                )
            ).one()
        return {"pool": pool, "pay": pay, "product": row[0], "order": row[1]}
    finally:
        await engine.dispose()


def scenarios(product: UUID, order: UUID) -> list[Scenario]:
    """The endpoints under load, reads and writes of both contexts."""
    place = json.dumps({"lines": [{"product_id": str(product), "quantity": 1}]})
    return [
        Scenario("List products (20)", "static", path="/api/v1/products?limit=20"),
        Scenario("Read one product", "static", path=f"/api/v1/products/{product}"),
        Scenario("Add a product", "add", path="/api/v1/products"),
        Scenario("Reprice a product", "reprice", path="/api/v1/products"),
        Scenario("Place an order (1 line)", "static", "POST", "/api/v1/orders", place),
        Scenario("Read one order", "static", path=f"/api/v1/orders/{order}"),
        Scenario("List orders (20)", "static", path="/api/v1/orders?limit=20"),
        Scenario("Pay an order", "pay", path="/api/v1/orders"),
    ]


def medians(runs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per scenario and persistence, the median of each figure over the rounds."""
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for run in runs:
        summary.setdefault(run["scenario"], {}).setdefault(run["persistence"], {})
    for scenario, by_persistence in summary.items():
        for persistence in by_persistence:
            mine = [r for r in runs if (r["scenario"], r["persistence"]) == (scenario, persistence)]
            by_persistence[persistence] = {
                key: statistics.median(r[key] for r in mine)
                for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request")
            }
            by_persistence[persistence]["non_2xx"] = sum(r["non_2xx"] for r in mine)
    return summary


def main() -> None:
    """Prepare, load both servers in interleaved rounds, write ``results/bench.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.bench")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--orders-per-run", type=int, default=12000)
    parser.add_argument("--only", help="run only scenarios whose name contains this")
    parser.add_argument("--name", default="bench", help="the results file's name")
    arguments = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        raise SystemExit("measure.bench: set DATABASE_URL=postgresql+asyncpg://...")
    database = f"bench_{uuid4().hex[:12]}"
    url = make_url(server_url).set(database=database).render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    try:
        # Each pay run of each persistence, warm-up included, gets orders of its own.
        data = asyncio.run(prepare(url, 2 * 2 * arguments.rounds, arguments.orders_per_run))
        asyncio.run(admin("VACUUM ANALYZE"))
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "snippets"), str(EXPERIMENT), str(ROOT / "tools")]
            ),
        }
        chosen = [
            s
            for s in scenarios(data["product"], data["order"])
            if not arguments.only or arguments.only in s.name
        ]
        runs = load(chosen, data, environment, arguments)
    finally:
        asyncio.run(admin(f'DROP DATABASE "{database}" WITH (FORCE)'))
    summary = medians(runs)
    for scenario, by_persistence in summary.items():
        core, orm = by_persistence["core"], by_persistence["orm"]
        print(
            f"{scenario:26} core {core['rps']:7.0f}/s {core['cpu_ms_per_request']:5.2f} ms CPU"
            f" | orm {orm['rps']:7.0f}/s {orm['cpu_ms_per_request']:5.2f} ms CPU"
            f" | orm/core {orm['rps'] / core['rps']:.2f}"
        )
    settings = {k: v for k, v in vars(arguments).items() if k not in {"only", "name"}}
    settings.update(server=" ".join(["uvicorn", *SERVER_FLAGS]), load="wrk " + wrk_version())
    print(write(arguments.name, {"settings": settings, "medians": summary, "runs": runs}))


def load(
    chosen: list[Scenario],
    data: dict[str, Any],
    environment: dict[str, str],
    arguments: argparse.Namespace,
) -> list[dict[str, Any]]:
    """Every round, every scenario, both servers in turn; the order alternates by round."""
    runs: list[dict[str, Any]] = []
    pay_batches = iter(data["pay"])
    with (
        tempfile.TemporaryDirectory() as temporary,
        serving("core", environment) as core,
        serving("orm", environment) as orm,
    ):
        pool = Path(temporary) / "pool.txt"
        pool.write_text("\n".join(map(str, data["pool"])) + "\n")
        for round_number in range(arguments.rounds):
            order = [core, orm] if round_number % 2 == 0 else [orm, core]
            for scenario in chosen:
                for server in order:
                    figures: dict[str, Any] = {}
                    for phase, seconds in (
                        ("warmup", arguments.warmup),
                        ("run", arguments.seconds),
                    ):
                        ids = pool
                        if scenario.kind == "pay":
                            ids = (
                                Path(temporary)
                                / f"pay-{round_number}-{server.persistence}-{phase}.txt"
                            )
                            ids.write_text("\n".join(map(str, next(pay_batches))) + "\n")
                        tag = f"R{round_number}{server.persistence.upper()}{phase[0].upper()}"
                        script = lua(
                            scenario,
                            ids=ids,
                            tag=tag,
                            offset=len(runs) * 3 + (phase == "run"),
                            threads=arguments.threads,
                        )
                        load_average = os.getloadavg()[0]
                        figures = wrk(
                            server, scenario, script, seconds=seconds, arguments=arguments
                        )
                    runs.append(
                        {
                            "round": round_number,
                            "scenario": scenario.name,
                            "persistence": server.persistence,
                            "load_average_before": load_average,
                            **figures,
                        }
                    )
                    print(
                        f"round {round_number} {scenario.name:26} {server.persistence:4}"
                        f" {figures['rps']:7.0f}/s non-2xx {figures['non_2xx']}",
                        flush=True,
                    )
    return runs


def wrk_version() -> str:
    """The version line of wrk."""
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    return (result.stdout or result.stderr).splitlines()[0].split(" [")[0]


if __name__ == "__main__":
    main()
