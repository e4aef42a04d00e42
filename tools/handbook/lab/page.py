"""The shop's benchmark page, written from the lab's throughput data.

The page is the short version of the lab: one concurrency, one table. Its figures come
from ``docs/performance-lab/data/throughput.json``, never from a keyboard.
"""

from __future__ import annotations

from typing import Any

HEADER = (
    "| Endpoint | Shop req/s | p50 | p99 | FastAPI ceiling req/s | Bare ASGI req/s "
    "| Shop / FastAPI ceiling |\n|---|---:|---:|---:|---:|---:|---:|"
)


def at(rows: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    """The row measured at ``concurrency``."""
    return next(row for row in rows if row["concurrency"] == concurrency)


def _three(averages: list[float]) -> str:
    return ", ".join(f"{average:.2f}" for average in averages)


def _figures(row: dict[str, Any]) -> str:
    """Throughput, median and 99th-percentile latency, as three table cells."""
    return f"{row['requests_per_second']:,.0f} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms"


def render_benchmark(data: dict[str, Any]) -> str:
    """The benchmark page, figures and all, as Markdown."""
    concurrency = data["goal_concurrency"]
    run = data["run"]
    lines = []
    for scenario in data["scenarios"]:
        shop, fastapi, bare = (
            at(scenario[name], concurrency) for name in ("shop", "fastapi", "bare")
        )
        share = shop["requests_per_second"] / fastapi["requests_per_second"]
        lines.append(
            f"| {scenario['name']} | {_figures(shop)} | {fastapi['requests_per_second']:,.0f} "
            f"| {bare['requests_per_second']:,.0f} | {share:.2f} |"
        )
    rows = "\n".join(lines)
    before, after = run["load_average_before"], run["load_average_after"]
    generator = run["load_generator"].split(" Copyright")[0]
    timing = (
        f"{run['seconds_per_run']:g} s per endpoint after a {run['warmup_seconds']:g} s warm-up"
    )
    return f"""# Shop benchmark

<!-- Written by `nox -s lab` (tools/handbook/lab/page.py). Do not edit: run it again. -->

How fast is the installed `shop` over loopback, and how far is that from what its server
and its framework could do with no work at all? Each endpoint was loaded in turn by wrk,
{concurrency} keep-alive connections at a time; then two applications that answer with the
very bytes the shop answered ran under the same uvicorn command and were loaded the same
way. Those are the **ceilings**: a FastAPI app returning the bytes from a constant (the
framework with nothing in it), and a bare ASGI app (the server and the event loop alone).
The last column is the share of the FastAPI ceiling the shop reaches.

{HEADER}
{rows}

These are figures from one machine and one run, not promises: a benchmark measures its
setting. The server, the database and the load generator share the machine's cores, and
the machine was not idle: its load average was {before[0]:.2f} when the run began and
{after[0]:.2f} when it ended. The [performance lab](../../performance-lab/index.md) plots
the same run at every concurrency, the goals' ratios, and what a request's time is made of.

## Reading the figures

The ceilings answer from memory; the shop does a request's real work, and the gap between
them is that work, not waste. A request's tenant is found in memory once the process has
seen it, as
[which tenant](../../layers/rest-api.md#which-tenant-the-callers-chosen-by-the-x-tenant-id-header);
a page of products is then one statement, or none when the [read cache](../../layers/cache.md)
has it, and an order with its lines two
([queries without N+1](../../layers/persistence.md#queries-without-n1)), each a round trip to a
PostgreSQL server that competes for the same cores. Placing an order is a transaction:
the products' current prices read, the order, its lines and its events written, and a
commit that waits for the disk. On top of that, Pydantic validates what comes in and
serializes what goes out. The share of the ceiling is the figure to watch between runs: a
change to the request path that moves it deserves a look. One did:
[ADR 17](../../decisions/0017-context-endpoints-reach-a-port-not-overrides.md) records the
dependency wiring that once cost more than a request's queries, and its removal.

## How they were measured

- **Date:** {run["date"]}
- **Machine:** {run["machine"]}
- **Load average (1, 5, 15 min):** {_three(before)} before, {_three(after)} after
- **Commit:** `{run["commit"]}`
- **Database:** {run["database"]}
- **Server:** `{run["server"]}`, on 127.0.0.1
- **Load:** {generator}, one thread, {concurrency} connections, {timing}
- **Cache:** {run["cache"]}; the uncached list ran on a shop whose cached reads expire at once
- **Caller:** an owner of `acme` (seeded by `shop seed`), with the access token it got by
  logging in, sent on every request and verified on each, as a real client's

To measure again, with PostgreSQL running, wrk installed and `DATABASE_URL` pointing at the
database (the lab makes a second one beside it, named with `_lab`, for the pagination runs):

```bash
DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test ./noxw -s lab
```
"""
