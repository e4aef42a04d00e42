"""``shop relay``, ``shop consume``, ``shop dead-letters`` and ``shop events``.

The relay publishes the outbox's events, the consumers take them from their queues,
and a person looks after what they gave up on. Each works on the transport the
settings choose (:meth:`shop.bootstrap.Services.transport`): RabbitMQ when
``AMQP_URL`` is set, the embedded transport's table in the shop's database otherwise.
A command that runs until stopped ends cleanly on SIGINT or SIGTERM, and logs as the
server does: JSON lines on stderr, each with a correlation id. With ``--once`` it is an
operator's command, and prints its summary alone.
"""

import asyncio
import json
import signal
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Any, TypeVar

import click
import structlog
from pydantic import BaseModel

from infrastructure_kernel.cli.output import echo_json, echo_table, json_option
from infrastructure_kernel.messaging.consumer import Outcome
from infrastructure_kernel.messaging.correlation import correlated
from infrastructure_kernel.messaging.envelope import envelope_json_schema
from infrastructure_kernel.messaging.relay import relay_lag
from infrastructure_kernel.messaging.transport import DeadLetter, Transport
from infrastructure_kernel.remedies import Explained
from shop.bootstrap import CONSUMERS, Services
from shop.infrastructure.database.tables import outbox
from shop.infrastructure.logging import configure_logging
from shop.presentation.cli.runner import command_runner

T = TypeVar("T")

consumer_argument = click.argument("name", type=click.Choice(sorted(CONSUMERS)), metavar="NAME")


def _on_transport(work: Callable[[Services, Transport], Awaitable[T]]) -> T:
    """Run ``work`` with the services and a transport that every consumer's queue exists on."""

    async def opened(services: Services) -> T:
        transport = services.transport()
        try:
            await transport.declare([services.consumer(n).subscription for n in CONSUMERS])
            return await work(services, transport)
        finally:
            await transport.close()

    return command_runner().run(opened)


# --8<-- [start:process-logs]
@contextmanager
def logged_process(process: str, **fields: str) -> Iterator[None]:
    """Log JSON lines as the server does, each with a correlation id, for one run.

    A line about an event carries the event's correlation (the id of the request that
    caused it), set where the event is handled; every other line, the run's start, stop
    and failures, carries an id of this run, so ``grep`` finds a whole run as it finds
    a whole request.
    """
    configure_logging(command_runner().configured.settings.log_level)
    log = structlog.get_logger().bind(process=process, **fields)
    with correlated(f"{process}-{uuid.uuid4().hex[:12]}"):
        log.info("process_started")
        try:
            yield
        finally:
            log.info("process_stopped")


# --8<-- [end:process-logs]


# --8<-- [start:stopped-by-signals]
def stopped_by_signals() -> asyncio.Event:
    """An event that SIGINT and SIGTERM set, so a long-running command ends cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop


# --8<-- [end:stopped-by-signals]


@click.group(invoke_without_command=True)
@click.option("--once", is_flag=True, help="Publish what is waiting, then stop.")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds between looks into the outbox.",
)
@click.pass_context
def relay(ctx: click.Context, *, once: bool, interval: float) -> None:
    """Publish the outbox's events until stopped.

    `shop relay status` shows how far behind the relay is.
    """
    if ctx.invoked_subcommand is not None:
        return

    async def work(services: Services, transport: Transport) -> int:
        outbox_relay = services.relay(transport)
        if once:
            return await outbox_relay.drain()
        await outbox_relay.run(stopped_by_signals(), interval=interval)
        return outbox_relay.published

    # A process that runs until stopped logs as the server does; --once prints its summary.
    with nullcontext() if once else logged_process("relay"):
        published = _on_transport(work)
    click.echo(f"Published {published} event(s).")


@relay.command()
def status() -> None:
    """Show how far the relay is behind: unpublished events and the oldest one's age."""
    lag = command_runner().run(lambda s: relay_lag(s.engine, outbox, s.clock))
    echo_json(
        {
            "unpublished": lag.unpublished,
            "oldest_occurred_at": lag.oldest_occurred_at,
            "age_seconds": round(lag.age_seconds, 3),
        }
    )


@click.command()
@consumer_argument
@click.option("--once", is_flag=True, help="Handle what is waiting, then stop.")
@click.option(
    "--idle",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds an empty queue is waited on; then --once stops.",
)
def consume(name: str, *, once: bool, idle: float) -> None:
    """Run the consumer NAME until stopped, handling the events in its queue."""

    async def work(services: Services, transport: Transport) -> str:
        runtime = services.consumer_runtime(services.consumer(name), transport)
        if once:
            outcomes = await runtime.drain(idle=idle)
        else:
            outcomes = await runtime.run(stopped_by_signals(), idle=idle)
        return ", ".join(f"{outcomes[o]} {o.value}" for o in Outcome)

    with nullcontext() if once else logged_process("consume", consumer=name):
        settled = _on_transport(work)
    click.echo(f"{name}: {settled}.")


class DeadLetterView(BaseModel):
    """A dead letter as the command line shows it: the event, if it is one, and why."""

    id: str
    event_name: str | None
    event_id: str | None
    reason: str
    dead_at: datetime | None


def _view(letter: DeadLetter) -> DeadLetterView:
    try:
        fields: Any = json.loads(letter.body)
    except ValueError:  # not even JSON: the reason says so
        fields = {}
    if not isinstance(fields, dict):
        fields = {}
    name, event_id = fields.get("event_name"), fields.get("event_id")
    return DeadLetterView(
        id=letter.message_id,
        event_name=name if isinstance(name, str) else None,
        event_id=event_id if isinstance(event_id, str) else None,
        reason=letter.reason,
        dead_at=letter.dead_at,
    )


@click.group("dead-letters")
def dead_letters() -> None:
    """List and replay the messages a consumer gave up on."""


@dead_letters.command("list")
@consumer_argument
@json_option
def list_dead_letters(name: str, *, as_json: bool) -> None:
    """List the dead letters of the consumer NAME, oldest first, with their reasons."""
    letters = _on_transport(lambda s, t: t.dead_letters(s.consumer(name).subscription))
    views = [_view(letter) for letter in letters]
    if as_json:
        echo_json(views)
        return
    echo_table(
        views,
        {
            "ID": lambda v: v.id,
            "Event": lambda v: v.event_name or "-",
            "Dead at": lambda v: v.dead_at.isoformat() if v.dead_at else "-",
            "Reason": lambda v: v.reason,
        },
    )


class IdsOrAll(Explained, click.UsageError):
    """``dead-letters replay`` needs ids or ``--all``, and not both."""

    looks_like = "Error: name the dead letters to replay, or give --all, not both"
    cause = "Replaying every dead letter is a choice to say out loud, never a default."
    fix = "List them with `dead-letters list NAME`, then replay by ID, or give --all alone."


@dead_letters.command()
@consumer_argument
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
def replay(name: str, ids: tuple[str, ...], *, replay_all: bool) -> None:
    """Put dead letters of the consumer NAME back into its queue, by ID or --all."""
    if bool(ids) == replay_all:
        raise IdsOrAll("name the dead letters to replay, or give --all, not both")

    async def work(services: Services, transport: Transport) -> int:
        subscription = services.consumer(name).subscription
        chosen = ids or [d.message_id for d in await transport.dead_letters(subscription)]
        return await transport.replay(subscription, chosen)

    click.echo(f"Replayed {_on_transport(work)} dead letter(s) into {name}.")


@click.group()
def events() -> None:
    """What the shop's events look like on the wire."""


@events.command()
def schema() -> None:
    """Print the JSON Schema of the envelope every event travels in."""
    echo_json(envelope_json_schema())


MESSAGING_COMMANDS: tuple[click.Command, ...] = (relay, consume, dead_letters, events)
"""The commands :mod:`shop.presentation.cli.main` adds to ``shop``."""
