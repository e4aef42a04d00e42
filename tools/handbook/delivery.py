"""The delivery page's figures: events across processes that are killed and a broker restarted.

The shop's delivery fault tests (``examples/shop/tests/faults/test_delivery.py``) kill the
relay in the middle of a batch, restart a RabbitMQ node of their own under load, and kill
the consumer while it holds a message it has not acknowledged, and record what they
counted. :func:`render` turns those figures into the tables between the ``delivery``
markers of ``docs/practices/delivery.md``; :mod:`handbook.reliability` writes and checks
the page, as it does the reliability page, from the same run.
"""

from __future__ import annotations

from typing import Any

PAGE = "docs/practices/delivery.md"
START = "<!-- delivery:start -->"
END = "<!-- delivery:end -->"
KEYS = ("relay_killed", "broker_restarted", "consumer_killed")

Figures = dict[str, Any]


def _row(label: str, run: Figures) -> str:
    return (
        f"| {label} | {run['orders']:,} | {run['events']:,} | {run['orders_counted']:,} "
        f"| {run['lost']} | {run['duplicates_delivered']} | {run['duplicate_effects']} "
        f"| {run['dead_letters']} | {run['drain_seconds']:.2f} s | {run['run_seconds']:.1f} s |"
    )


def render_tables(figures: Figures) -> list[str]:
    """The lines of the tables and the sentence under them, from one run's figures."""
    relay, broker = figures["relay_killed"], figures["broker_restarted"]
    consumer = figures["consumer_killed"]
    return [
        "| Run | Orders placed | Events committed | Orders counted | Lost "
        "| Duplicates delivered | Duplicate effects | Dead letters | Time to drain | Run |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        _row(
            f"`shop relay` killed (SIGKILL) mid-batch, holding {relay['locked_when_killed']} "
            "rows locked",
            relay,
        ),
        _row(
            f"The broker restarted while N = {broker['orders']:,} orders were placed",
            broker,
        ),
        _row(
            "`shop consume` killed (SIGKILL) holding "
            f"{consumer['unacknowledged_when_killed']} unacknowledged message",
            consumer,
        ),
        "",
        "| The broker's restart | |",
        "|---|---:|",
        f"| Orders placed before it stopped | {broker['placed_before_restart']:,} |",
        f"| Seconds from the stop until it took connections again "
        f"| {broker['broker_down_seconds']:.1f} s |",
        f"| Batches the relay retried while it was away | {broker['relay_retries']:,} |",
        f"| Reads the consumer retried while it was away | {broker['consumer_retries']:,} |",
        f"| Relay or consumer processes that died | {broker['killed']} |",
        "",
        f"Measured on {figures['date']} on {figures['machine']}, RabbitMQ "
        f"{broker['rabbitmq']}, PostgreSQL {broker['postgresql']}. Orders counted include "
        "the seeded demo orders; the time to drain runs from the last order placed until "
        "every event was published and every order counted.",
    ]
