"""``python -m handbook.lab.run``: measure the installed shop on PostgreSQL, keep the data.

Three parts, each writing one JSON file under ``docs/performance-lab/data/`` (ADR 95):

- **throughput**: list products (cached, and uncached), read an order, place an order and a
  GraphQL page of orders, each loaded with wrk at several concurrencies under uvicorn, then
  the same bytes from the two ceilings (:mod:`handbook.lab.ceilings`) under the same server;
  the server process's CPU time per request is read from ``/proc`` around every run;
- **pagination**: the order list's deep page by keyset and by offset, at 1k to 1M orders,
  loaded with ``generate_series`` into a database of its own;
- **costs**: the statements, transactions and pool checkouts of one request, counted in
  the shop's process with the counters of the shop's round-trip budgets, its round trips to
  PostgreSQL, counted on the wire (:mod:`handbook.lab.wire`), and the CPU per request of the
  shop and both ceilings at the goal concurrency. With ``--baseline-python``, the same for
  an older shop installed in an environment of its own (``costs-before.json``).

Every request is a real client's: it carries the access token of an owner of the demo
tenant, signed with a key set made for the run and shared by every shop process, so each
measured request pays for verifying it as in production.

Every file carries the date, the machine, its load average before and after, and the
commit, so the pages say what was measured where. The shop's benchmark page is written
from the throughput file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from handbook.lab import wrk
from handbook.lab.ceilings import RECORDING
from handbook.lab.page import render_benchmark
from handbook.machine import machine
from handbook.timings import free_port

if TYPE_CHECKING:
    import httpx

ROOT = Path.cwd()
DATA = Path("docs/performance-lab/data")
PAGE = Path("docs/examples/shop/benchmark.md")
SHOP_FACTORY = "shop.presentation.api.application:app_from_environment"
CEILINGS = {
    "bare": "handbook.lab.ceilings:from_recording",
    "fastapi": "handbook.lab.ceilings:fastapi_from_recording",
}
SERVER_FLAGS = ("--workers", "1", "--log-level", "warning", "--no-access-log")
"""The uvicorn settings every application runs under."""
TENANT = "acme"
LAB_EMAIL = "lab@example.org"
LAB_PASSWORD = "the-labs-own-password"  # noqa: S105 - a local account of the lab's database
REFUSED = (401, 403, 429)
"""Statuses that say the lab's token or quota is wrong: what they measure is not the shop."""
HOST = "127.0.0.1"
CONCURRENCY = (1, 4, 16, 64)
GOAL_CONCURRENCY = 16
"""The concurrency at which the goals' ratios are read."""
SIZES = (1_000, 10_000, 100_000, 1_000_000)
PAGE_SIZE = 20
FEWEST, MOST = 20, 400
"""How many times a deep page is timed, whatever the budget."""
UNCACHED = {"CACHE_TTL": "0.000001"}
"""The shop's settings for the uncached list: every cached read has expired when read."""
GRAPHQL_ORDERS = "{ orders(limit: 20) { items { id status placedAt total { amount currency } "
GRAPHQL_ORDERS += "lines { sku name quantity } } nextCursor } }"


@dataclass(frozen=True)
class Scenario:
    """One endpoint under load.

    Attributes:
        key: Its name in the data files.
        name: What a reader calls it.
        request: What wrk sends.
        uncached: Served by a shop whose read cache always misses.
    """

    key: str
    name: str
    request: wrk.Request
    uncached: bool = False


def json_request(authorization: str, method: str, path: str, body: object = None) -> wrk.Request:
    """A request of the demo tenant by its owner, with a JSON body when there is one.

    Without ``authorization`` (a baseline shop older than its sign-in), no such header.
    """
    headers = [("X-Tenant-ID", TENANT)]
    headers += [("Authorization", authorization)] if authorization else []
    if body is None:
        return wrk.Request(method, path, tuple(headers))
    headers.append(("Content-Type", "application/json"))
    return wrk.Request(method, path, tuple(headers), json.dumps(body))


def scenarios(authorization: str, product_id: str, order_id: str) -> list[Scenario]:
    """The five loads, on the demo tenant's first product and order, by its owner."""
    products = json_request(authorization, "GET", f"/api/v1/products?limit={PAGE_SIZE}")
    place = {"lines": [{"product_id": product_id, "quantity": 1}]}
    read = json_request(authorization, "GET", f"/api/v1/orders/{order_id}")
    return [
        Scenario("list", "List products (a page of 20), uncached", products, uncached=True),
        Scenario("cached_list", "List products (a page of 20), cached", products),
        Scenario("read", "Read one order", read),
        Scenario(
            "place", "Place an order", json_request(authorization, "POST", "/api/v1/orders", place)
        ),
        Scenario(
            "graphql",
            "GraphQL: a page of 20 orders with their lines",
            replace(
                json_request(authorization, "POST", "/api/v1/graphql", {"query": GRAPHQL_ORDERS}),
                error_mark='"errors"',
            ),
        ),
    ]


# --- the setting ------------------------------------------------------------------------


def commit() -> str:
    """The commit measured, marked when the work tree had changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607 - git from the PATH
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], check=False).returncode  # noqa: S607
    return f"{head}{' (with uncommitted changes)' if dirty else ''}" if head else "unknown"


def load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes."""
    return [round(figure, 2) for figure in os.getloadavg()]


def setting(database: str) -> dict[str, Any]:
    """When, where and how: what a reader needs to judge the figures."""
    import uvicorn  # noqa: PLC0415 - its version is part of the setting

    version = subprocess.run(
        ["wrk", "--version"],  # noqa: S607 - wrk from the PATH, as the runs use it
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "date": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
        "machine": machine(),
        "cores": os.cpu_count(),
        "commit": commit(),
        "database": database,
        "server": f"uvicorn {uvicorn.__version__} {' '.join(SERVER_FLAGS)}",
        "load_generator": (version.stdout or version.stderr).splitlines()[0].strip(),
        "load_average_before": load_average(),
    }


def write(name: str, data: dict[str, Any]) -> Path:
    """Write one data file, its load average after the run added."""
    data["run"]["load_average_after"] = load_average()
    path = DATA / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"lab: wrote {path}")
    return path


# --- servers ----------------------------------------------------------------------------


LOG = Path(".handbook/lab/servers.log")
"""Where the servers' own output goes: a shop out of pool connections logs every refusal."""


@contextmanager
def server(
    factory: str, environment: dict[str, str], python: str = sys.executable
) -> Iterator[tuple[str, int]]:
    """Run ``uvicorn --factory FACTORY`` with ``python`` until the block ends.

    Yields:
        The server's URL and its process id.
    """
    port = free_port()
    command = [python, "-m", "uvicorn", "--factory", factory, "--host", HOST]
    LOG.parent.mkdir(parents=True, exist_ok=True)
    log = LOG.open("a", encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [*command, "--port", str(port), *SERVER_FLAGS], env=environment, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"lab: {factory} exited with status {process.returncode}")
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"lab: {factory} did not start listening in 60 s")
        yield f"http://{HOST}:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used, user and system, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send(url: str, request: wrk.Request) -> httpx.Response:
    """Send ``request`` once."""
    import httpx  # noqa: PLC0415 - only the runner needs a client

    return httpx.request(
        request.method,
        url + request.path,
        headers=dict(request.headers),
        content=request.body.encode() or None,
    )


def fetch(url: str, request: wrk.Request) -> tuple[int, str, str]:
    """Send ``request`` once, which must succeed: status, content type and body."""
    response = send(url, request)
    if not response.is_success:
        raise SystemExit(
            f"lab: {request.method} {request.path} answered {response.status_code}, "
            f"so its load would measure a failure: {response.text}"
        )
    return response.status_code, response.headers["content-type"], response.text


@dataclass(frozen=True)
class Load:
    """How every request is loaded.

    Attributes:
        seconds: The length of each measured run.
        warmup: The length of the unmeasured run before each.
        concurrency: The connections of each run, one run per number.
    """

    seconds: float
    warmup: float
    concurrency: tuple[int, ...] = CONCURRENCY


def measure(url: str, pid: int, request: wrk.Request, load: Load) -> list[dict[str, Any]]:
    """Load ``request`` at each concurrency: a warm-up, then the run, CPU time around it."""
    figures = []
    seconds = load.seconds
    for connections in load.concurrency:
        wrk.load(url, request, connections=connections, seconds=load.warmup)
        busy = load_average()[0]
        before = cpu_seconds(pid)
        run = wrk.load(url, request, connections=connections, seconds=seconds)
        cpu = cpu_seconds(pid) - before
        if run.failed or run.timeouts:  # kept in the data: the pages show them
            print(f"lab: {request.path} c={connections}: {run.failed} failed, {run.timeouts} late")
            refused = send(url, request).status_code
            if refused in REFUSED:  # the lab's own fault: no figure of the shop's
                raise SystemExit(f"lab: {request.path} answered {refused} under load")
        figures.append(
            {
                "concurrency": connections,
                "requests_per_second": round(run.requests_per_second, 1),
                **asdict(run),
                "cpu_ms_per_request": round(cpu * 1000 / max(run.requests, 1), 4),
                "load_average": busy,
            }
        )
        print(f"lab: {request.path} c={connections}: {run.requests_per_second:,.0f}/s")
    return figures


# --- throughput -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shop:
    """The shop a part measures and how to reach it.

    Attributes:
        environment: The settings of every process of the run.
        authorization: The ``Authorization`` header of the lab's user; empty for a shop
            older than its sign-in.
        python: The interpreter of the environment the shop is installed in.
    """

    environment: dict[str, str]
    authorization: str
    python: str = sys.executable


def loaded(shop: Shop, load: Load) -> tuple[list[Scenario], list[dict[str, Any]]]:
    """The five loads on the shop, then the same bytes from each ceiling."""
    environment, authorization = shop.environment, shop.authorization
    results: dict[str, dict[str, Any]] = {}
    with server(SHOP_FACTORY, environment, shop.python) as (url, pid):
        first = ("/api/v1/products?limit=1", "/api/v1/orders?limit=1")
        products, orders = (
            json.loads(fetch(url, json_request(authorization, "GET", path))[2]) for path in first
        )
        if not products.get("items") or not orders.get("items"):
            raise SystemExit("lab: the demo tenant has no products or orders; did seed run?")
        loads = scenarios(authorization, products["items"][0]["id"], orders["items"][0]["id"])
        recording = {}
        for scenario in loads:
            status, content_type, body = fetch(url, scenario.request)
            path = scenario.request.path.split("?", 1)[0]
            recording[path] = {"status": status, "content_type": content_type, "body": body}
            results[scenario.key] = {"key": scenario.key, "name": scenario.name}
            results[scenario.key]["response_bytes"] = len(body.encode())
            if not scenario.uncached:
                results[scenario.key]["shop"] = measure(url, pid, scenario.request, load)
    with server(SHOP_FACTORY, {**environment, **UNCACHED}, shop.python) as (url, pid):
        for scenario in loads:
            if scenario.uncached:
                results[scenario.key]["shop"] = measure(url, pid, scenario.request, load)
    with tempfile.TemporaryDirectory() as folder:
        recorded = Path(folder) / "recording.json"
        recorded.write_text(json.dumps(recording), encoding="utf-8")
        for ceiling, factory in CEILINGS.items():
            with server(factory, {**environment, RECORDING: str(recorded)}) as (url, pid):
                same_bytes: dict[str, list[dict[str, Any]]] = {}
                for scenario in loads:
                    if scenario.request not in [s.request for s in loads if s.key in same_bytes]:
                        same_bytes[scenario.key] = measure(url, pid, scenario.request, load)
                    else:  # the cached list: the uncached list's bytes, measured already
                        same_bytes[scenario.key] = same_bytes["list"]
                    results[scenario.key][ceiling] = same_bytes[scenario.key]
    return loads, list(results.values())


def throughput(shop: Shop, load: Load) -> dict[str, Any]:
    """The five loads on the shop, then the same bytes from each ceiling."""
    run = setting(asyncio.run(database_version(shop.environment["DATABASE_URL"])))
    _, results = loaded(shop, load)
    return {
        "run": {
            **run,
            "seconds_per_run": load.seconds,
            "warmup_seconds": load.warmup,
            "cache": "redis" if shop.environment.get("REDIS_URL") else "in-process",
        },
        "concurrency": list(CONCURRENCY),
        "goal_concurrency": GOAL_CONCURRENCY,
        "scenarios": results,
    }


# --- costs ------------------------------------------------------------------------------


def costs(shop: Shop, load: Load, baseline: str = "") -> dict[str, Any]:
    """Per load: what one request costs the database, and the CPU per request.

    The counts come from :mod:`handbook.lab.probe`, run by the shop's own interpreter; the
    CPU of the shop and of both ceilings from a run of wrk at the goal concurrency. With
    ``baseline`` (a commit), the shop is an older one, and the data says which.
    """
    run = setting(asyncio.run(database_version(shop.environment["DATABASE_URL"])))
    if baseline:
        run["lab_commit"], run["commit"] = run["commit"], revision(baseline)
    run["authentication"] = (
        "every request carries the lab's user's access token, verified by the shop"
        if shop.authorization
        else "none: the shop had no sign-in, so its requests verify no token"
    )
    run["seconds_per_run"], run["warmup_seconds"] = load.seconds, load.warmup
    run["cache"] = "redis" if shop.environment.get("REDIS_URL") else "in-process"
    loads, results = loaded(shop, replace(load, concurrency=(GOAL_CONCURRENCY,)))
    counted = probe(shop, loads)
    rows = [
        {
            "key": result["key"],
            "name": result["name"],
            **counted[result["key"]],
            "cpu_ms": {name: result[name][0]["cpu_ms_per_request"] for name in ("shop", *CEILINGS)},
        }
        for result in results
    ]
    return {"run": run, "goal_concurrency": GOAL_CONCURRENCY, "scenarios": rows}


def probe(shop: Shop, loads: list[Scenario]) -> dict[str, dict[str, Any]]:
    """Each load's statements, transactions, checkouts and round trips, in the shop's process."""
    described = [
        {"key": s.key, "uncached": s.uncached, "request": asdict(s.request)} for s in loads
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenarios.json"
        path.write_text(json.dumps(described), encoding="utf-8")
        # The handbook's tools on the path: a baseline's environment has the shop alone.
        environment = {**shop.environment, "PYTHONPATH": str(ROOT / "tools")}
        printed = subprocess.run(  # noqa: S603 - our own module, our own interpreter
            [shop.python, "-m", "handbook.lab.probe", str(path)],
            env=environment,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    counted: dict[str, dict[str, Any]] = json.loads(printed.strip().splitlines()[-1])
    return counted


def revision(reference: str) -> str:
    """The short commit ``reference`` names, as :func:`commit` writes it."""
    found = subprocess.run(  # noqa: S603 - git answers for any text; a bad one names nothing
        ["git", "rev-parse", "--short=12", f"{reference}^{{commit}}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not found:
        raise SystemExit(f"lab: {reference!r} names no commit of this repository")
    return found


# --- pagination -------------------------------------------------------------------------


def own_database(url: str, suffix: str = "_lab") -> str:
    """The URL of the database beside ``url``'s whose name ends in ``suffix``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


async def create_database(url: str, lab_url: str) -> None:
    """Create the lab's database unless it exists."""
    from sqlalchemy import text  # noqa: PLC0415
    from sqlalchemy.ext.asyncio import create_async_engine  # noqa: PLC0415

    name = urlsplit(lab_url).path.lstrip("/")
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


async def timed(call: Callable[[], Coroutine[Any, Any, Any]], budget: float) -> dict[str, Any]:
    """Run ``call`` again and again for ``budget`` seconds (FEWEST to MOST times): its latencies."""
    latencies: list[float] = []
    await call()  # warm: the plan cached, the pages in memory
    deadline = time.perf_counter() + budget
    while len(latencies) < FEWEST or (time.perf_counter() < deadline and len(latencies) < MOST):
        started = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    return {
        "samples": len(latencies),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 3),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 3),
    }


def pagination(environment: dict[str, str], *, budget: float) -> dict[str, Any]:
    """The deepest page of the order list by keyset and by offset, as the orders grow."""
    url = environment["DATABASE_URL"]
    lab_url = environment.get("LAB_DATABASE_URL") or own_database(url)
    asyncio.run(create_database(url, lab_url))
    shop = str(Path(sys.executable).parent / "shop")
    subprocess.run(  # noqa: S603 - the installed shop's own command
        [shop, "db", "upgrade"], check=True, env={**environment, "DATABASE_URL": lab_url}
    )
    run = setting(asyncio.run(database_version(lab_url)))
    sizes = asyncio.run(deep_pages(lab_url, budget))
    return {"run": run, "page_size": PAGE_SIZE, "sizes": sizes}


async def deep_pages(url: str, budget: float) -> list[dict[str, Any]]:
    """Load the orders size by size; time the last page both ways at each size."""
    from sqlalchemy import text, tuple_  # noqa: PLC0415
    from sqlalchemy.ext.asyncio import create_async_engine  # noqa: PLC0415

    from ordering.infrastructure.database.tables import orders  # noqa: PLC0415

    engine = create_async_engine(url)
    tenant = "lab"
    newest_first = (orders.c.placed_at.desc(), orders.c.order_id.desc())
    sizes = []
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE orders CASCADE"))
        await connection.execute(
            text(
                "INSERT INTO tenants (tenant_id, name, created_at) VALUES (:t, 'Lab', now()) "
                "ON CONFLICT DO NOTHING"
            ),
            {"t": tenant},
        )
    loaded = 0
    for size in SIZES:
        started = time.perf_counter()
        async with engine.begin() as connection:
            # One statement on the server: no row crosses the wire.
            await connection.execute(
                text(
                    "INSERT INTO orders (tenant_id, order_id, status, placed_at, version) "
                    "SELECT :t, gen_random_uuid(), 'placed', "
                    "timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second', 1 "
                    "FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS n"
                ),
                {"t": tenant, "first": loaded + 1, "last": size},
            )
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE orders"))
        seconds = time.perf_counter() - started
        loaded = size
        async with engine.connect() as connection:
            last = (
                await connection.execute(
                    orders.select()
                    .with_only_columns(orders.c.placed_at, orders.c.order_id)
                    .where(orders.c.tenant_id == tenant)
                    .order_by(*newest_first)
                    .offset(size - PAGE_SIZE - 1)
                    .limit(1)
                )
            ).one()
        page = orders.select().where(orders.c.tenant_id == tenant).order_by(*newest_first)
        keyset = page.where(
            tuple_(orders.c.placed_at, orders.c.order_id) < tuple_(last.placed_at, last.order_id)
        ).limit(PAGE_SIZE + 1)
        offset = page.offset(size - PAGE_SIZE).limit(PAGE_SIZE + 1)

        def query(statement: Any) -> Callable[[], Coroutine[Any, Any, Any]]:
            async def call() -> None:
                async with engine.connect() as connection:
                    rows = (await connection.execute(statement)).all()
                if len(rows) != PAGE_SIZE:
                    raise SystemExit(f"lab: a deep page had {len(rows)} orders")

            return call

        sizes.append(
            {
                "orders": size,
                "load_seconds": round(seconds, 2),
                "keyset": await timed(query(keyset), budget),
                "offset": await timed(query(offset), budget),
            }
        )
        print(f"lab: {size:,} orders: {sizes[-1]}")
    await engine.dispose()
    return sizes


async def database_version(url: str) -> str:
    """Ask the database for its version."""
    from sqlalchemy import text  # noqa: PLC0415 - only the lab needs a driver
    from sqlalchemy.ext.asyncio import create_async_engine  # noqa: PLC0415

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SHOW server_version"))).scalar_one()
            return f"PostgreSQL {version}"
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the lab's parts and write their data; write the benchmark page."""
    parser = argparse.ArgumentParser(prog="python -m handbook.lab.run")
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["throughput", "costs", "pagination"],
        choices=["throughput", "costs", "pagination"],
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="per measured run")
    parser.add_argument("--warmup", type=float, default=1.0, help="before each run")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per deep page")
    parser.add_argument(
        "--baseline-python",
        help="the interpreter of an older shop's environment: measure its costs alone, "
        "in a database of its own (DATABASE_URL's name with _before), into costs-before.json",
    )
    parser.add_argument("--baseline-commit", help="the commit that older shop was built from")
    arguments = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit(
            "lab: the shop runs on PostgreSQL; set DATABASE_URL=postgresql+asyncpg://…"
        )
    if bool(arguments.baseline_python) != bool(arguments.baseline_commit):
        parser.error("--baseline-python and --baseline-commit go together")
    load = Load(arguments.seconds, arguments.warmup)
    with tempfile.TemporaryDirectory() as folder:
        environment = lab_environment(Path(folder))
        if arguments.baseline_python:
            write("costs-before", baseline_costs(environment, arguments, load))
            return 0
        shop = str(Path(sys.executable).parent / "shop")  # the installed console script
        for command in (("keys", "generate"), ("db", "upgrade"), ("seed",)):
            subprocess.run([shop, *command], check=True, env=environment)  # noqa: S603
        measured = {"throughput", "costs"} & set(arguments.parts)
        signed_in = Shop(environment, sign_in(environment) if measured else "")
        if "throughput" in arguments.parts:
            data = throughput(signed_in, load)
            write("throughput", data)
            PAGE.write_text(render_benchmark(data), encoding="utf-8")
        if "costs" in arguments.parts:
            write("costs", costs(signed_in, load))
        if "pagination" in arguments.parts:
            write("pagination", pagination(environment, budget=arguments.budget))
    return 0


def baseline_costs(
    environment: dict[str, str], arguments: argparse.Namespace, load: Load
) -> dict[str, Any]:
    """The costs of the older shop installed beside ``--baseline-python``.

    It gets a database of its own, whose schema its own migrations make (the current
    shop's would be ahead of them), and its own demo data. Its requests carry no token: the
    lab signs its user in only to the shop it installs itself, and the data says so, since
    verifying a token is part of what the current shop's requests cost. A baseline that
    requires one answers 401, and the run stops with that answer.
    """
    url = own_database(environment["DATABASE_URL"], "_before")
    asyncio.run(create_database(environment["DATABASE_URL"], url))
    environment = {**environment, "DATABASE_URL": url}
    command = str(Path(arguments.baseline_python).parent / "shop")
    for step in (("db", "upgrade"), ("seed",)):
        subprocess.run([command, *step], check=True, env=environment)  # noqa: S603
    shop = Shop(environment, "", arguments.baseline_python)
    return costs(shop, load, arguments.baseline_commit)


def lab_environment(folder: Path) -> dict[str, str]:
    """The settings of every shop process of a run, its key set's file in ``folder``."""
    return {
        **os.environ,
        # The servers start one after another: without a shared key set, each would make
        # its own, and the token signed by the first would be refused by the others.
        "AUTH_KEYS_FILE": str(folder / "signing-keys.json"),
        "ACCESS_TOKEN_LIFETIME": "3600",  # the longest allowed: one token outlasts a run
        "MAIL_DIR": str(folder / "mail"),  # the lab's user's verification mail, unread
        # The load comes from one address, one user and one tenant: their quotas are raised
        # so high that every request is counted (the limiter's cost is measured) and none
        # is refused.
        "RATE_LIMIT_PER_ADDRESS": "100000000/minute",
        "RATE_LIMIT_PER_USER": "100000000/minute",
        "RATE_LIMIT_PER_TENANT": "100000000/minute",
    }


def sign_in(environment: dict[str, str]) -> str:
    """Register the lab's user, make it an owner of the demo tenant, log in: its header.

    The user signs in as a client does, over HTTP; the role is granted with the shop's own
    command, as an operator grants it. A second run finds the account registered (a 409)
    and grants the role again. The login comes after the grant: the token carries the
    memberships.
    """
    import httpx  # noqa: PLC0415 - only the runner needs a client

    shop = str(Path(sys.executable).parent / "shop")
    with server(SHOP_FACTORY, environment) as (url, _):
        account = {"email": LAB_EMAIL, "display_name": "Lab", "password": LAB_PASSWORD}
        registered = httpx.post(f"{url}/api/v1/auth/register", json=account, timeout=30)
        if registered.status_code not in {201, 409}:
            raise SystemExit(f"lab: registering its user answered {registered.text}")
        grant = [shop, "users", "grant", LAB_EMAIL, TENANT, "owner"]
        subprocess.run(  # noqa: S603 - the installed shop's own command
            grant, check=True, env=environment, stdout=subprocess.DEVNULL
        )
        form = {"grant_type": "password", "username": LAB_EMAIL, "password": LAB_PASSWORD}
        login = httpx.post(f"{url}/api/v1/auth/token", data=form, timeout=30)
        if not login.is_success:
            raise SystemExit(f"lab: its user's login answered {login.text}")
    return f"Bearer {login.json()['access_token']}"


if __name__ == "__main__":
    sys.exit(main())
