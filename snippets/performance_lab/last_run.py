# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The last run of the lab
#
# This page is a notebook, `snippets/performance_lab/last_run.py` (its code is on its
# source page, beside the repository's other files), executed when the site was built. It
# reads the JSON files that the last `nox -s lab` wrote and draws them; every figure and
# every ratio below is computed from those files, none typed. How the
# figures were measured, and why so, is on the lab's first page, *The performance lab*.

# %%
"""The performance lab's last run, drawn: a notebook the site executes when it is built."""

import base64
import io
import json
from html import escape
from pathlib import Path
from typing import Any

import matplotlib as mpl
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure

mpl.rcParams.update({"figure.dpi": 96, "font.size": 9, "svg.fonttype": "none"})

DATA = Path("docs/performance-lab/data")
"""Where ``nox -s lab`` writes its data, from the repository's root."""
CEILINGS = {"fastapi": "FastAPI, a constant", "bare": "bare ASGI"}
GOALS = {"list": 0.2, "cached_list": 0.7, "read": 0.15, "place": 0.08}
"""The goals of the read side's issue: a share of the same-bytes FastAPI ceiling."""
DEEP_PAGE_GOAL = 1.5
"""A deep keyset page at 1M orders: its p99 at most this many times its p99 at 1k."""


def lab_data(name: str) -> dict[str, Any]:
    """The data file ``name`` of the last run, found from the working folder up."""
    here = Path.cwd().resolve()
    root = next(folder for folder in (here, *here.parents) if (folder / DATA).is_dir())
    data: dict[str, Any] = json.loads((root / DATA / f"{name}.json").read_text("utf-8"))
    return data


def show(figure: Figure, description: str) -> None:
    """Put ``figure`` into the page as an SVG image described by ``description``.

    An image in the page itself: nothing is loaded from another host, and a screen
    reader hears the description.
    """
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", bbox_inches="tight")
    encoded = base64.b64encode(svg.getvalue()).decode("ascii")
    image = f'<img alt="{escape(description)}" src="data:image/svg+xml;base64,{encoded}">'
    display(HTML(image))


def table(header: list[str], rows: list[list[str]]) -> None:
    """Show a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    display(Markdown("\n".join(lines)))


def setting(run: dict[str, Any]) -> None:
    """Say when, where and at which commit a file was measured, and how busy the machine was."""
    before, after = run["load_average_before"], run["load_average_after"]
    display(
        Markdown(
            f"Measured on {run['date'][:10]} at commit `{run['commit']}`, on {run['machine']}, "
            f"against {run['database']}. The machine's load average over a minute was "
            f"**{before[0]:.2f} when this part began and {after[0]:.2f} when it ended**, "
            f"on {run['cores']} cores: other work shared the machine, and these figures are "
            "lower, and noisier, than a quiet machine would give."
        )
    )


def at(rows: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    """The row measured at ``concurrency``."""
    return next(row for row in rows if row["concurrency"] == concurrency)


# %% [markdown]
# ## Throughput against concurrency
#
# Each endpoint of the shop, loaded by wrk at 1, 4, 16 and 64 connections, beside the two
# ceilings answering with the very same bytes under the same server: a FastAPI app that
# returns them from a constant (the framework doing nothing) and a bare ASGI app (the
# server alone). Throughput counts successful responses only.

# %%
throughput = lab_data("throughput")
setting(throughput["run"])


def plot_throughput(data: dict[str, Any]) -> Figure:
    """Requests per second against concurrency, one panel per endpoint."""
    scenarios = data["scenarios"]
    figure = Figure(figsize=(9, 2.4 * ((len(scenarios) + 1) // 2)))
    axes = figure.subplots((len(scenarios) + 1) // 2, 2, squeeze=False).flatten()
    for panel, scenario in zip(axes, scenarios, strict=False):
        for name, label in [("shop", "the shop"), *CEILINGS.items()]:
            rows = scenario[name]
            panel.plot(
                [row["concurrency"] for row in rows],
                [row["requests_per_second"] for row in rows],
                marker="o",
                label=label,
            )
        panel.set(title=scenario["name"], xscale="log", yscale="log", ylabel="requests/s")
        panel.set_xticks(data["concurrency"], [str(c) for c in data["concurrency"]])
    axes[0].legend()
    for unused in axes[len(scenarios) :]:
        unused.set_visible(False)
    figure.supxlabel("connections")
    return figure


show(
    plot_throughput(throughput),
    "Requests per second against connections for each endpoint, on logarithmic scales: "
    "the shop, the FastAPI ceiling and the bare ASGI ceiling.",
)

# %% [markdown]
# ## Latency against concurrency
#
# The median (p50) and the 99th percentile (p99) of the shop's responses. In a closed
# loop, each connection waits for its response before it sends again, so past the point
# where the server is busy all the time, more connections add waiting, not throughput.


# %%
def plot_latency(data: dict[str, Any]) -> Figure:
    """The shop's p50 and p99 against concurrency, one line each per endpoint."""
    figure = Figure(figsize=(9, 3.2))
    median, tail = figure.subplots(1, 2, sharey=True)
    for scenario in data["scenarios"]:
        rows = scenario["shop"]
        connections = [row["concurrency"] for row in rows]
        median.plot(connections, [row["p50_ms"] for row in rows], marker="o")
        tail.plot(connections, [row["p99_ms"] for row in rows], marker="o", label=scenario["name"])
    for panel, title in ((median, "p50"), (tail, "p99")):
        panel.set(title=title, xscale="log", yscale="log", xlabel="connections")
        panel.set_xticks(data["concurrency"], [str(c) for c in data["concurrency"]])
    median.set_ylabel("milliseconds")
    tail.legend(fontsize=7)
    return figure


show(
    plot_latency(throughput),
    "The shop's median and 99th-percentile latency in milliseconds against connections, "
    "one line per endpoint, on logarithmic scales.",
)


# %% [markdown]
# Requests the shop refused or answered late in each run (a status of 400 or more, or no
# answer within wrk's 10 s) are not counted as throughput; under more connections than its
# database pool has, the shop answers 503 (GraphQL: an error in its answer) to a request
# that waited for a connection longer than its pool timeout, by design.


# %%
def refused(data: dict[str, Any]) -> list[list[str]]:
    """Per endpoint and concurrency: the shop's failed and late requests."""
    return [
        [scenario["name"], *(f"{row['failed'] + row['timeouts']:,}" for row in scenario["shop"])]
        for scenario in data["scenarios"]
    ]


table(["Endpoint", *(f"{c} conn." for c in throughput["concurrency"])], refused(throughput))

# %% [markdown]
# ## The goals: a share of the FastAPI ceiling
#
# Each goal is the shop's throughput as a share of the same-bytes FastAPI ceiling's,
# measured in the same run at the same concurrency.


# %%
def goals(data: dict[str, Any]) -> list[list[str]]:
    """Each goal's ratio as measured, and how close it came."""
    concurrency = data["goal_concurrency"]
    rows = []
    for scenario in data["scenarios"]:
        shop = at(scenario["shop"], concurrency)["requests_per_second"]
        ceiling = at(scenario["fastapi"], concurrency)["requests_per_second"]
        ratio, goal = shop / ceiling, GOALS.get(scenario["key"])
        verdict = "no goal" if goal is None else "met" if ratio >= goal else "not met"
        reached = "" if goal is None else f", {ratio / goal:.0%} of the goal"
        rows.append(
            [
                scenario["name"],
                f"{shop:,.0f}",
                f"{ceiling:,.0f}",
                f"{ratio:.3f}",
                "" if goal is None else f"≥ {goal}",
                verdict + reached,
            ]
        )
    return rows


display(Markdown(f"At {throughput['goal_concurrency']} connections:"))
table(
    ["Endpoint", "Shop req/s", "FastAPI ceiling req/s", "Ratio", "Goal", "Verdict"],
    goals(throughput),
)

# %% [markdown]
# ## Where the time goes
#
# With the server busy all the time, its throughput is the time it has divided by the time
# one request takes, so a ratio to the ceiling is close to the ratio of their CPU times.
# The lab reads the server process's CPU time before and after every run. Split, a
# request's CPU in the shop's process is the bare server's (the HTTP parsing and the event
# loop), what FastAPI adds to that, and what the shop's own work adds on top: validation,
# the use case, the driver's work for each round trip, serialization. PostgreSQL's own CPU
# is not in it: it runs in processes of its own, on the same two cores.

# %%
costs = lab_data("costs")
setting(costs["run"])


def cpu_split(data: dict[str, Any]) -> dict[str, list[float]]:
    """Per endpoint: the bare server's CPU, FastAPI's addition and the shop's, in ms."""
    return {
        scenario["name"]: [
            scenario["cpu_ms"]["bare"],
            max(scenario["cpu_ms"]["fastapi"] - scenario["cpu_ms"]["bare"], 0.0),
            max(scenario["cpu_ms"]["shop"] - scenario["cpu_ms"]["fastapi"], 0.0),
        ]
        for scenario in data["scenarios"]
    }


def plot_cpu(split: dict[str, list[float]]) -> Figure:
    """The CPU of one request, stacked: server, framework, the shop's own work."""
    figure = Figure(figsize=(9, 3))
    panel = figure.subplots()
    names = list(split)
    left = [0.0] * len(split)
    for index, label in enumerate(("bare ASGI server", "FastAPI's addition", "the shop's work")):
        widths = [parts[index] for parts in split.values()]
        panel.barh(names, widths, left=left, label=label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    panel.invert_yaxis()
    panel.set(xlabel="CPU milliseconds per request, in the server's process")
    panel.legend(fontsize=7)
    return figure


show(
    plot_cpu(cpu_split(costs)),
    "Horizontal stacked bars: CPU milliseconds per request for each endpoint, split into "
    "the bare server's share, FastAPI's addition and the shop's own work.",
)


# %%
def round_trips(data: dict[str, Any]) -> list[list[str]]:
    """Per endpoint: what one request costs the database, and its CPU against the ceiling."""
    return [
        [
            scenario["name"],
            f"{scenario['statements']:g}",
            f"{scenario['transactions']:g}",
            f"{scenario['checkouts']:g}",
            f"{scenario['round_trips']:g}",
            f"{scenario['cpu_ms']['shop']:.2f}",
            f"{scenario['cpu_ms']['fastapi']:.2f}",
            f"{scenario['cpu_ms']['fastapi'] / scenario['cpu_ms']['shop']:.3f}",
        ]
        for scenario in data["scenarios"]
    ]


display(
    Markdown(
        "Per request, counted in process with the counters of the shop's round-trip budgets "
        "(statements sent, transactions begun, connections taken from the pool), the round "
        "trips to PostgreSQL counted on the wire (each time the server answered what the shop "
        "had sent since its last answer), and the CPU per request at "
        f"{costs['goal_concurrency']} connections:"
    )
)
table(
    [
        "Endpoint",
        "Statements",
        "Transactions",
        "Checkouts",
        "Round trips",
        "Shop CPU ms",
        "Ceiling CPU ms",
        "CPU ratio",
    ],
    round_trips(costs),
)


# %% [markdown]
# For each goal not met, how close it came and what the shop's request spends, from the two
# files: its share of the ceiling, and where the CPU of one request goes.


# %%
def shortfalls(data: dict[str, Any], spent: dict[str, Any]) -> str:
    """A line per goal not met: the ratio against the goal, and the request's CPU and trips."""
    concurrency = data["goal_concurrency"]
    costs_of = {scenario["key"]: scenario for scenario in spent["scenarios"]}
    lines = []
    for scenario in data["scenarios"]:
        goal = GOALS.get(scenario["key"], 0.0)
        shop = at(scenario["shop"], concurrency)["requests_per_second"]
        ratio = shop / at(scenario["fastapi"], concurrency)["requests_per_second"]
        if ratio >= goal:  # met, or no goal
            continue
        cost = costs_of[scenario["key"]]
        cpu = cost["cpu_ms"]
        lines.append(
            f"- **{scenario['name']}**: {ratio:.3f} of the ceiling against a goal of {goal} "
            f"({ratio / goal:.0%} of it). One request takes {cpu['shop']:.2f} ms of the "
            f"server's CPU where the ceiling takes {cpu['fastapi']:.2f} ms; "
            f"{cpu['shop'] - cpu['fastapi']:.2f} ms of it is the shop's own work, beside "
            f"{cost['statements']:g} statements on {cost['checkouts']:g} pool checkouts and "
            f"{cost['transactions']:g} transactions, in {cost['round_trips']:g} round trips "
            "to PostgreSQL, whose own CPU comes on top on the same cores."
        )
    return "\n".join(lines) or "Every goal was met in this run."


display(Markdown(shortfalls(throughput, costs)))

# %% [markdown]
# ## Before and after the round-trip work
#
# The same costs, measured the same way, for the shop as it was before its round-trip
# budgets were set (the commit the run names: the tenant looked up on a connection of its
# own, every read in a transaction, an order's prices read on a second connection), built
# from that commit into an environment of its own and run beside the same two ceilings.
# That shop had no sign-in, so its requests verify no token, and the current shop's do:
# its CPU per request carries that work, the older one's does not. Both runs shared the
# machine with other work, at the load averages each states; the CPU figures move with that
# load from run to run, so the ratio of the shop's CPU to the FastAPI ceiling's, measured
# minutes apart in the same run, is the figure to compare, not the milliseconds.

# %%
before = lab_data("costs-before")
setting(before["run"])
display(
    Markdown(
        f"The shop measured is commit `{before['run']['commit']}`'s, measured by the lab of "
        f"commit `{before['run']['lab_commit']}`. Authentication in that run: "
        f"{before['run']['authentication']}."
    )
)

COMPARED = ("list", "read", "place")
"""The endpoints compared before and after: the ones the round-trip work changed."""
MEASURES = {
    "statements": "Statements",
    "transactions": "Transactions",
    "checkouts": "Checkouts",
    "round_trips": "Round trips",
}


def cpu_ratio(scenario: dict[str, Any]) -> float:
    """The shop's CPU per request in ceilings: how many FastAPI ceilings' worth it takes."""
    ratio: float = scenario["cpu_ms"]["shop"] / scenario["cpu_ms"]["fastapi"]
    return ratio


def before_after(old: dict[str, Any], new: dict[str, Any]) -> list[list[str]]:
    """Per compared endpoint: each count and the CPU, before → after."""
    olds = {scenario["key"]: scenario for scenario in old["scenarios"]}
    rows = []
    for scenario in new["scenarios"]:
        if scenario["key"] not in COMPARED:
            continue
        was = olds[scenario["key"]]
        rows.append(
            [
                scenario["name"],
                *(f"{was[key]:g} → {scenario[key]:g}" for key in MEASURES),
                f"{was['cpu_ms']['shop']:.2f} → {scenario['cpu_ms']['shop']:.2f}",
                f"{cpu_ratio(was):.1f} → {cpu_ratio(scenario):.1f}",
            ]
        )
    return rows


def plot_before_after(old: dict[str, Any], new: dict[str, Any]) -> Figure:
    """One panel per count and one for the CPU in ceilings: before and after, per endpoint."""
    olds = {scenario["key"]: scenario for scenario in old["scenarios"]}
    compared = [scenario for scenario in new["scenarios"] if scenario["key"] in COMPARED]
    figure = Figure(figsize=(9, 4.8))
    axes = figure.subplots(2, 3).flatten()
    panels = [*MEASURES.items(), ("cpu", "Shop CPU per request, in FastAPI ceilings")]
    where = range(len(compared))
    for panel, (key, title) in zip(axes, panels, strict=False):
        for offset, label, side in ((-0.2, "before", olds), (0.2, "after", None)):
            sides = [side[s["key"]] if side else s for s in compared]
            heights = [cpu_ratio(s) if key == "cpu" else s[key] for s in sides]
            panel.bar([x + offset for x in where], heights, width=0.4, label=label)
        panel.set_xticks(list(where), [s["key"] for s in compared])
        panel.set_title(title, fontsize=8)
    axes[0].legend()
    axes[-1].set_visible(False)
    return figure


table(
    ["Endpoint", *MEASURES.values(), "Shop CPU ms", "CPU in FastAPI ceilings"],
    before_after(before, costs),
)
show(
    plot_before_after(before, costs),
    "Bar charts, before and after the round-trip work, for listing products, reading an "
    "order and placing an order: statements, transactions, pool checkouts and round trips "
    "per request, and the shop's CPU per request as a multiple of the FastAPI ceiling's.",
)

# %% [markdown]
# What each round trip of one request was, before and after: the messages the shop sent
# in it, by their type bytes in PostgreSQL's protocol (`Q` a query sent as text, `P`
# Parse, `D` Describe, `B` Bind, `E` Execute, `S` Sync, `H` Flush, `C` Close), as the
# proxy saw them in one request sent after the counted ten. A statement the driver has
# prepared already is one `B E S`; the driver sends `BEGIN`, `COMMIT` and `ROLLBACK` as
# text, one `Q` each. Before lending a connection, the pool checks it (the shop's
# `database_pool_pre_ping` is on), and SQLAlchemy's asyncpg dialect does that with a
# statement `;` in a transaction of its own unless the connection is in autocommit
# already: `Q`, `B E S`, `Q`, three trips for each checkout, before and after.


# %%
def trips(old: dict[str, Any], new: dict[str, Any]) -> list[list[str]]:
    """Per compared endpoint: one request's round trips before and after, by their messages."""
    olds = {scenario["key"]: scenario for scenario in old["scenarios"]}

    def listed(turns: list[str]) -> str:
        return f"{len(turns)}: " + " · ".join(f"`{turn}`" for turn in turns)

    return [
        [scenario["name"], listed(olds[scenario["key"]]["turns"]), listed(scenario["turns"])]
        for scenario in new["scenarios"]
        if scenario["key"] in COMPARED
    ]


table(["Endpoint", "Round trips before", "Round trips after"], trips(before, costs))

# %% [markdown]
# ## Keyset against offset pagination
#
# The last page of the order list, 20 orders, asked for in two ways as the orders grow from
# a thousand to a million: by **keyset** (the rows after the previous page's last key, as
# the shop's cursor does) and by **offset** (skip all the rows before it). The orders are
# loaded with `generate_series` in a database of their own, analysed, and each page is
# asked for again and again for a few seconds.

# %%
pagination = lab_data("pagination")
setting(pagination["run"])


def plot_pagination(data: dict[str, Any]) -> Figure:
    """The deep page's p99 against the number of orders, by keyset and by offset."""
    figure = Figure(figsize=(9, 3.2))
    panel = figure.subplots()
    orders = [size["orders"] for size in data["sizes"]]
    for way in ("keyset", "offset"):
        panel.plot(orders, [size[way]["p99_ms"] for size in data["sizes"]], marker="o", label=way)
    panel.set(xscale="log", yscale="log", xlabel="orders", ylabel="p99 of the last page, ms")
    panel.legend()
    return figure


show(
    plot_pagination(pagination),
    "The 99th-percentile time of the last page in milliseconds against the number of orders, "
    "by keyset and by offset, on logarithmic scales.",
)


# %%
def deep_pages(data: dict[str, Any]) -> list[list[str]]:
    """Per size: the deep page's p50 and p99 both ways."""
    return [
        [
            f"{size['orders']:,}",
            f"{size['keyset']['p50_ms']:.2f}",
            f"{size['keyset']['p99_ms']:.2f}",
            f"{size['offset']['p50_ms']:.2f}",
            f"{size['offset']['p99_ms']:.2f}",
        ]
        for size in data["sizes"]
    ]


def deep_page_goal(data: dict[str, Any]) -> str:
    """The keyset goal: the deep page's p99 at the most orders against at the fewest."""
    fewest, most = data["sizes"][0], data["sizes"][-1]
    growth = most["keyset"]["p99_ms"] / fewest["keyset"]["p99_ms"]
    verdict = "met" if growth <= DEEP_PAGE_GOAL else "not met"
    return (
        f"By keyset, the last page's p99 at {most['orders']:,} orders is **{growth:.2f} times** "
        f"its p99 at {fewest['orders']:,} (goal: at most {DEEP_PAGE_GOAL} times, {verdict}); by "
        f"offset it is {most['offset']['p99_ms'] / fewest['offset']['p99_ms']:,.0f} times."
    )


table(
    ["Orders", "Keyset p50 ms", "Keyset p99 ms", "Offset p50 ms", "Offset p99 ms"],
    deep_pages(pagination),
)
display(Markdown(deep_page_goal(pagination)))
