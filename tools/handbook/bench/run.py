"""``python -m handbook.bench.run``: load the installed shop beside its ceiling, write the page.

The installed shop runs on PostgreSQL under uvicorn; three endpoints are loaded in turn
(list products, read one order, place an order), as an owner of the demo tenant who
registered and logged in as any user does. Then a bare ASGI application answering
with the bytes the shop answered runs under the *same* uvicorn command and is loaded the
same way: the ceiling. Both sets of figures, the machine and the date go into a page of the
handbook, so nobody types a figure.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handbook.bench.ceiling import RECORDING
from handbook.bench.loadgen import Response, Result, http_request, load, read_response
from handbook.machine import machine
from handbook.timings import free_port

SHOP_FACTORY = "shop.presentation.api.application:app_from_environment"
CEILING_FACTORY = "handbook.bench.ceiling:from_recording"
SERVER_FLAGS = ("--workers", "1", "--log-level", "warning", "--no-access-log")
"""The uvicorn settings both applications run under."""
TENANT = "acme"
HOST = "127.0.0.1"
BENCH_EMAIL = "bench@example.org"
BENCH_PASSWORD = "the-benchmarks-own-password"  # noqa: S105 - a local test account's
OK, BAD_REQUEST = 200, 400


@dataclass(frozen=True)
class Scenario:
    """One endpoint under load.

    Attributes:
        name: What a reader calls it.
        method: The HTTP method.
        path: The path, with its query string.
        body: The JSON body, if any.
        authorization: The ``Authorization`` header's value: an owner's access token.
    """

    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    authorization: str = ""

    def request(self, port: int) -> bytes:
        """The request's bytes (the same for every send)."""
        payload = json.dumps(self.body).encode() if self.body is not None else b""
        headers = {"X-Tenant-ID": TENANT}
        if self.authorization:
            headers["Authorization"] = self.authorization
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        return http_request(
            self.method, self.path, host=f"{HOST}:{port}", headers=headers, body=payload
        )


async def fetch(port: int, scenario: Scenario) -> Response:
    """Send the scenario's request once and read the response."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(scenario.request(port))
        await writer.drain()
        return await read_response(reader)
    finally:
        writer.close()


@contextmanager
def server(python: str, factory: str, port: int, environment: dict[str, str]) -> Iterator[None]:
    """Run ``uvicorn --factory FACTORY`` with the shared settings until the block ends."""
    command = [python, "-m", "uvicorn", "--factory", factory, "--host", HOST, "--port", str(port)]
    process = subprocess.Popen([*command, *SERVER_FLAGS], env=environment)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"bench: {factory} exited with status {process.returncode}")
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"bench: {factory} did not start listening in 60 s")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def sign_in(port: int, shop_command: str, environment: dict[str, str]) -> str:
    """Register the bench's user, make it an owner of the demo tenant, log in: its bearer.

    A second run finds the account registered (a 409), and grants the role again.
    """
    import httpx  # noqa: PLC0415 - the installed shop's dependency, there when it runs

    base = f"http://{HOST}:{port}/api/v1"
    account = {"email": BENCH_EMAIL, "display_name": "Bench", "password": BENCH_PASSWORD}
    httpx.post(f"{base}/auth/register", json=account, timeout=30)
    grant = [shop_command, "users", "grant", BENCH_EMAIL, TENANT, "owner"]
    subprocess.run(grant, check=True, env=environment, capture_output=True)  # noqa: S603
    form = {"grant_type": "password", "username": BENCH_EMAIL, "password": BENCH_PASSWORD}
    login = httpx.post(f"{base}/auth/token", data=form, timeout=30)
    login.raise_for_status()
    return f"Bearer {login.json()['access_token']}"


async def discover(port: int, authorization: str) -> list[Scenario]:
    """Find a product and an order of the demo tenant, and build the three scenarios."""
    first_product = Scenario("", "GET", "/api/v1/products?limit=1", None, authorization)
    first_order = Scenario("", "GET", "/api/v1/orders?limit=1", None, authorization)
    products = await fetch(port, first_product)
    orders = await fetch(port, first_order)
    product_items = json.loads(products.body).get("items") if products.status == OK else None
    order_items = json.loads(orders.body).get("items") if orders.status == OK else None
    if not product_items or not order_items:
        raise SystemExit("bench: the demo tenant has no products or orders; did `shop seed` run?")
    product_id = product_items[0]["id"]
    order_id = order_items[0]["id"]
    return [
        Scenario(
            "List products (a page of 20)", "GET", "/api/v1/products?limit=20", None, authorization
        ),
        Scenario("Read one order", "GET", f"/api/v1/orders/{order_id}", None, authorization),
        Scenario(
            "Place an order",
            "POST",
            "/api/v1/orders",
            {"lines": [{"product_id": product_id, "quantity": 1}]},
            authorization,
        ),
    ]


async def measure(
    port: int, scenarios: list[Scenario], *, connections: int, seconds: float, warmup: float
) -> list[Result]:
    """Load each scenario in turn: a warm-up first, then the measured run."""
    results: list[Result] = []
    for scenario in scenarios:
        request = scenario.request(port)
        await load(HOST, port, request, connections=connections, seconds=warmup)
        result = await load(HOST, port, request, connections=connections, seconds=seconds)
        failed = {status: n for status, n in result.statuses.items() if status >= BAD_REQUEST}
        if failed:
            raise SystemExit(f"bench: {scenario.name} answered errors under load: {failed}")
        results.append(result)
    return results


def record(responses: list[tuple[Scenario, Response]], path: Path) -> None:
    """Write what the shop answered, by path, for the ceiling to replay."""
    recorded = {
        scenario.path.split("?", 1)[0]: {
            "status": response.status,
            "content_type": response.headers.get("content-type", "application/octet-stream"),
            "body": response.body.decode("utf-8"),
        }
        for scenario, response in responses
    }
    path.write_text(json.dumps(recorded), encoding="utf-8")


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _figures(result: Result) -> str:
    """Throughput, median and 99th-percentile latency, as three table cells."""
    return (
        f"{result.requests_per_second:,.0f} | {_milliseconds(result.percentile(0.5))} "
        f"| {_milliseconds(result.percentile(0.99))}"
    )


def render_page(
    scenarios: list[Scenario],
    shop: list[Result],
    ceiling: list[Result],
    settings: dict[str, str],
) -> str:
    """The benchmark page, figures and all, as Markdown."""
    rows = "\n".join(
        f"| {scenario.name} | {_figures(mine)} | {_figures(bare)} "
        f"| {mine.requests_per_second / bare.requests_per_second:.0%} |"
        for scenario, mine, bare in zip(scenarios, shop, ceiling, strict=True)
    )
    details = "\n".join(f"- **{name}:** {value}" for name, value in settings.items())
    return f"""# Shop benchmark

<!-- Written by `nox -s bench` (tools/handbook/bench/run.py). Do not edit: run it again. -->

How fast is the installed `shop` over loopback, and how far is that from what its server
could do with no application at all? Each endpoint was loaded in turn; then a bare ASGI
application that answers with the very bytes the shop answered was run under the same
uvicorn command and loaded the same way. That second set of figures is the **ceiling**: the
server, the event loop and the load generator with nothing in between. The last column is
the share of the ceiling the shop reaches.

| Endpoint | Shop req/s | p50 | p99 | Ceiling req/s | p50 | p99 | Shop / ceiling |
|---|---:|---:|---:|---:|---:|---:|---:|
{rows}

These are figures from one machine and one run, not promises: a benchmark measures its
setting. The server, the database and the load generator share the machine's cores, so the
figures are lower than each would reach alone.

## Reading the figures

The ceiling answers from memory; the shop does a request's real work, and the gap between
them is that work, not waste. Every request to a context looks its tenant up in the database
before anything else ([which tenant](../../layers/rest-api.md#which-tenant-the-x-tenant-id-header));
a page of products is then one more statement and an order with its lines two
([queries without N+1](../../layers/persistence.md#queries-without-n1)), each a round trip to a
PostgreSQL server that competes for the same cores. Placing an order is a transaction:
the products' current prices read, the idempotency key checked, the order, its lines, its
events and the key written, and a commit that waits for the disk. On top of that, Pydantic
validates what comes in and serializes what goes out. The share of the ceiling is the figure
to watch between runs: a change to the request path that moves it deserves a look. One did:
[ADR 17](../../decisions/0017-context-endpoints-reach-a-port-not-overrides.md) records the
dependency wiring that once cost more than a request's queries, and its removal.

## How they were measured

{details}

To measure again, with PostgreSQL running and `DATABASE_URL` pointing at it:

```bash
DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test ./noxw -s bench
```
"""


async def database_version(url: str) -> str:
    """Ask the database for its version."""
    from sqlalchemy import text  # noqa: PLC0415 - only the benchmark needs a driver
    from sqlalchemy.ext.asyncio import create_async_engine  # noqa: PLC0415

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SHOW server_version"))).scalar_one()
            return f"PostgreSQL {version}"
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the page."""
    parser = argparse.ArgumentParser(prog="python -m handbook.bench.run")
    parser.add_argument("--page", type=Path, required=True, help="the page to write")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    arguments = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit(
            "bench: the shop runs on PostgreSQL; set DATABASE_URL=postgresql+asyncpg://…"
        )
    python = sys.executable
    environment = {**os.environ, "ACCESS_TOKEN_LIFETIME": "3600"}  # outlasts the run
    settings = {
        "connections": arguments.connections,
        "seconds": arguments.seconds,
        "warmup": arguments.warmup,
    }
    shop_command = str(Path(python).parent / "shop")  # the installed console script
    for command in (("db", "upgrade"), ("seed",)):
        subprocess.run([shop_command, *command], check=True, env=environment)  # noqa: S603
    port = free_port()
    with server(python, SHOP_FACTORY, port, environment):
        scenarios = asyncio.run(discover(port, sign_in(port, shop_command, environment)))
        samples = [(scenario, asyncio.run(fetch(port, scenario))) for scenario in scenarios]
        shop = asyncio.run(measure(port, scenarios, **settings))
    with tempfile.TemporaryDirectory() as temporary:
        recording = Path(temporary) / "recording.json"
        record(samples, recording)
        port = free_port()
        with server(python, CEILING_FACTORY, port, {**environment, RECORDING: str(recording)}):
            ceiling = asyncio.run(measure(port, scenarios, **settings))
    page = render_page(scenarios, shop, ceiling, describe_setting(arguments, url))
    arguments.page.write_text(page, encoding="utf-8")
    for scenario, mine, bare in zip(scenarios, shop, ceiling, strict=True):
        rates = f"shop {mine.requests_per_second:8.0f}/s  ceiling {bare.requests_per_second:8.0f}/s"
        print(f"{scenario.name:32} {rates}")
    return 0


def describe_setting(arguments: argparse.Namespace, url: str) -> dict[str, str]:
    """What a reader needs to know to judge the figures: when, where, how."""
    import uvicorn  # noqa: PLC0415 - its version is part of the setting

    return {
        "Date": f"{datetime.now(UTC):%Y-%m-%d}",
        "Machine": machine(),
        "Database": asyncio.run(database_version(url)),
        "Server": f"uvicorn {uvicorn.__version__}, `{' '.join(SERVER_FLAGS)}`, on 127.0.0.1",
        "Load": f"{arguments.connections} keep-alive connections, each sending its next request "
        f"when the previous response arrived, for {arguments.seconds:g} s per endpoint after "
        f"a {arguments.warmup:g} s warm-up (the handbook's own load generator, "
        "`tools/handbook/bench/loadgen.py`)",
        "Tenant": f"`{TENANT}`, seeded by `shop seed`",
    }


if __name__ == "__main__":
    sys.exit(main())
