"""``shop relay``, ``shop consume``, ``shop dead-letters`` and ``shop events``, in-process.

On the embedded transport, as a laptop runs them; the transports themselves are tested,
on RabbitMQ too, in ``test_transports``.
"""

import asyncio
import json
import os
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure_kernel.messaging.envelope import envelope_json_schema
from shop.infrastructure.database.tables import messages
from shop.presentation.cli import messaging
from shop.presentation.cli.main import cli

Invoke = Callable[..., Result]
CONSUMER = "catalog.units-sold"
# The relay and the consumers configure logging as the server does: put it back after each.
pytestmark = pytest.mark.usefixtures("structlog_restored", "root_logger_restored")


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        # Without AMQP_URL, whatever the shell has: the embedded transport.
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url, "AMQP_URL": None})

    assert invoke("db", "upgrade").exit_code == 0
    return invoke


def output(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def dead_letter(database_url: str, body: bytes, reason: str) -> None:
    async def insert_it() -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                row = {"queue": CONSUMER, "body": body, "deliveries": 1, "dead_reason": reason}
                now = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
                await connection.execute(
                    insert(messages), {**row, "visible_at": now, "dead_at": now}
                )
        finally:
            await engine.dispose()

    asyncio.run(insert_it())


def test_the_relay_publishes_what_the_seed_stored_and_the_lag_falls_to_zero(run: Invoke) -> None:
    assert output(run("relay", "status")) == {
        "unpublished": 0,
        "oldest_occurred_at": None,
        "age_seconds": 0.0,
    }
    assert run("seed").exit_code == 0

    waiting = output(run("relay", "status"))
    published = run("relay", "--once")

    assert waiting["unpublished"] == 32  # 10 products added; 5 orders placed, 6 moves, twice
    assert waiting["age_seconds"] >= 0
    assert published.stdout == "Published 32 event(s).\n"
    assert output(run("relay", "status"))["unpublished"] == 0


def test_a_consumer_handles_its_queue_and_a_second_run_finds_nothing(run: Invoke) -> None:
    assert run("seed").exit_code == 0
    assert run("relay", "--once").exit_code == 0

    first = run("consume", CONSUMER, "--once", "--idle", "0.2")
    second = run("consume", CONSUMER, "--once", "--idle", "0.2")

    assert first.stdout == f"{CONSUMER}: 10 handled, 0 duplicate, 0 dead-lettered.\n"
    assert second.stdout == f"{CONSUMER}: 0 handled, 0 duplicate, 0 dead-lettered.\n"


def test_an_unknown_consumer_is_a_usage_error_naming_the_known_ones(run: Invoke) -> None:
    result = run("consume", "billing")

    assert result.exit_code == 2
    known = (
        "'audit.trail', 'catalog.cache-invalidation', 'catalog.units-sold', "
        "'notifications.order-emails'"
    )
    assert f"'billing' is not one of {known}" in result.output


def test_dead_letters_are_listed_with_their_reasons_and_replayed(
    run: Invoke, database_url: str
) -> None:
    envelope = {"event_id": "00000000-0000-4000-8000-000000000001", "event_name": "OrderPlaced"}
    dead_letter(database_url, json.dumps(envelope).encode(), "the handler refused it: no items")
    dead_letter(database_url, b"\xff\xfe not json", "not an event envelope: body: Invalid JSON")
    dead_letter(database_url, b"[1, 2]", "not an event envelope: body: not an object")

    table = run("dead-letters", "list", CONSUMER)
    listed = output(run("dead-letters", "list", CONSUMER, "--json"))

    assert table.exit_code == 0
    assert (
        "OrderPlaced  2025-03-14T09:26:00+00:00  the handler refused it: no items" in table.output
    )
    assert [(d["event_name"], d["event_id"]) for d in listed] == [
        ("OrderPlaced", envelope["event_id"]),
        (None, None),
        (None, None),
    ]
    first = listed[0]["id"]
    assert run("dead-letters", "replay", CONSUMER, first).stdout == (
        f"Replayed 1 dead letter(s) into {CONSUMER}.\n"
    )
    assert run("dead-letters", "replay", CONSUMER, "--all").stdout == (
        f"Replayed 2 dead letter(s) into {CONSUMER}.\n"
    )
    assert output(run("dead-letters", "list", CONSUMER, "--json")) == []


@pytest.mark.parametrize("arguments", [(), ("1", "--all")])
def test_replay_needs_ids_or_all_but_not_both(run: Invoke, arguments: tuple[str, ...]) -> None:
    result = run("dead-letters", "replay", CONSUMER, *arguments)

    assert result.exit_code == 2
    assert "name the dead letters to replay, or give --all, not both" in result.output


def test_the_envelope_schema_is_printed_as_generated(run: Invoke) -> None:
    assert output(run("events", "schema")) == envelope_json_schema()


def stopped_soon() -> asyncio.Event:
    """What SIGTERM does to a running command, half a second after it started."""
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.5, stop.set)
    return stop


def test_without_once_the_relay_and_a_consumer_run_until_stopped(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messaging, "stopped_by_signals", stopped_soon)
    assert run("seed").exit_code == 0

    relayed = run("relay", "--interval", "0.05")
    consumed = run("consume", CONSUMER, "--idle", "0.05")

    assert relayed.stdout == "Published 32 event(s).\n"
    assert consumed.stdout == f"{CONSUMER}: 10 handled, 0 duplicate, 0 dead-lettered.\n"


# --8<-- [start:signals-test]
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_sigint_and_sigterm_stop_a_running_command(number: signal.Signals) -> None:
    async def stopped() -> None:
        stop = messaging.stopped_by_signals()
        try:
            os.kill(os.getpid(), number)
            await asyncio.wait_for(stop.wait(), timeout=5)
        finally:
            for handled in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().remove_signal_handler(handled)

    asyncio.run(stopped())


# --8<-- [end:signals-test]


def logged(result: Result) -> list[dict[str, Any]]:
    """The JSON lines a command wrote to stderr."""
    return [json.loads(line) for line in result.stderr.splitlines()]


# --8<-- [start:process-logs-test]
def test_the_relay_and_a_consumer_log_json_lines_each_with_a_correlation(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messaging, "stopped_by_signals", stopped_soon)  # SIGTERM, soon
    assert run("seed").exit_code == 0

    relayed = logged(run("relay", "--interval", "0.05"))
    consumed = logged(run("consume", CONSUMER, "--idle", "0.05"))

    for lines in (relayed, consumed):
        assert all(line["correlation_id"] for line in lines)
        started, *about_events, stopped = lines
        assert (started["event"], stopped["event"]) == ("process_started", "process_stopped")
        # The run's own lines share the run's id; each event's lines, the event's.
        assert started["correlation_id"] == stopped["correlation_id"]
        assert all(line["correlation_id"] != started["correlation_id"] for line in about_events)
    assert relayed[0]["process"] == "relay"
    assert (consumed[0]["process"], consumed[0]["consumer"]) == ("consume", CONSUMER)
    published = {line["event_id"]: line for line in relayed if line["event"] == "event_published"}
    settled = [line for line in consumed if line["event"] == "event_settled"]
    assert (len(published), len(settled)) == (32, 10)
    for line in settled:  # the consumer's line about an event: the relay's correlation
        assert line["correlation_id"] == published[line["event_id"]]["correlation_id"]
        assert line["tenant_id"] == published[line["event_id"]]["tenant_id"]


def test_with_once_the_relay_and_a_consumer_print_their_summary_alone(run: Invoke) -> None:
    assert run("seed").exit_code == 0

    relayed = run("relay", "--once")
    consumed = run("consume", CONSUMER, "--once", "--idle", "0.2")

    assert (relayed.stderr, consumed.stderr) == ("", "")
    assert relayed.stdout == "Published 32 event(s).\n"


# --8<-- [end:process-logs-test]
