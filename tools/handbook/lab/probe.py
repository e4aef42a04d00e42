"""``python -m handbook.lab.probe SCENARIOS.json``: what one request costs, in the shop's process.

The lab's costs part runs this module with the interpreter of the shop it measures: the
shop installed by ``nox -s lab``, or an older one (``--baseline-python``), so it imports
nothing of the handbook's but :mod:`handbook.lab.wire` (standard library only) and the
shop's round-trip counters, loaded from their file. For each scenario of the file it
builds the shop's application from the environment, with the database reached through a
:class:`~handbook.lab.wire.Proxy`, sends the request once (the pool's connection opened,
the statements prepared), then ten times, and prints per request, as JSON: the
statements, transactions and pool checkouts that SQLAlchemy's events saw, the most
connections held at once, and the round trips the proxy counted on the wire; then one
request more, whose round trips it lists by the messages the shop sent in each.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from handbook.lab.wire import Proxy

ROUND_TRIPS = Path("examples/shop/tests/integration/round_trips.py")
TIMES = 10
UNCACHED = {"CACHE_TTL": "0.000001"}
"""The shop's settings for the uncached list: every cached read has expired when read."""


def through(url: str, port: int) -> str:
    """``url`` with its host and port replaced by the proxy's, on this machine."""
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0]
    return urlunsplit(
        parts._replace(netloc=f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}")
    )


def counters() -> Any:
    """The shop's round-trip counters, loaded from their file (the tests' own)."""
    specification = importlib.util.spec_from_file_location("round_trips", ROUND_TRIPS)
    if specification is None or specification.loader is None:
        raise SystemExit(f"lab: cannot load {ROUND_TRIPS}")
    module = importlib.util.module_from_spec(specification)
    specification.loader.exec_module(module)
    return module


async def count(scenario: dict[str, Any], counted_round_trips: Any) -> dict[str, Any]:
    """What one request of ``scenario`` costs the database, over ten requests after one."""
    import httpx  # noqa: PLC0415 - the shop's environment has it, the handbook's may not

    from shop.presentation.api.application import app_from_environment  # noqa: PLC0415

    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    port = await proxy.start()
    saved = dict(os.environ)
    os.environ["DATABASE_URL"] = through(url, port)
    if scenario["uncached"]:
        os.environ.update(UNCACHED)
    try:
        app = app_from_environment()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    request: dict[str, Any] = scenario["request"]
    engine = app.state.services.engine
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lab") as client:

        async def send() -> None:
            response = await client.request(
                request["method"],
                request["path"],
                headers=dict(request["headers"]),
                content=request["body"].encode() or None,
            )
            if not response.is_success or (request["error_mark"] or "\0") in response.text:
                raise SystemExit(f"lab: {request['path']} answered {response.text}")

        await send()
        before = proxy.tally.round_trips
        with counted_round_trips(engine) as counts:
            for _ in range(TIMES):
                await send()
        round_trips = proxy.tally.round_trips - before
        one = len(proxy.tally.turns)
        await send()
        turns = proxy.tally.turns[one:]
    await engine.dispose()
    await proxy.close()
    return {
        "statements": len(counts.statements) / TIMES,
        "transactions": counts.transactions / TIMES,
        "checkouts": counts.checkouts / TIMES,
        "round_trips": round_trips / TIMES,
        "most_connections_held": counts.most_held,
        "turns": turns,
    }


def main(argv: list[str] | None = None) -> int:
    """Count each scenario of the file named first in ``argv``; print the counts as JSON."""
    (path,) = argv if argv is not None else sys.argv[1:]
    scenarios = json.loads(Path(path).read_text(encoding="utf-8"))
    module = counters()
    counted = {s["key"]: asyncio.run(count(s, module.counted_round_trips)) for s in scenarios}
    print(json.dumps(counted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
