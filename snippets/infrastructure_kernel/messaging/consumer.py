"""The consumer runtime: each message handled at most once in effect, or dead-lettered.

A consumer is a name (its queue's) and a handler per event name. For each message the
runtime reads the envelope, records the event in the inbox and runs the handler in one
transaction, then acknowledges. What can never succeed (a body that is not an
envelope, an event the consumer has no handler for, a payload its handler refuses)
goes to the dead-letter queue at once, with the reason; what failed otherwise is tried
again after a growing pause, a bounded number of times, and then dead-lettered too. No
message can stop a consumer: the worst one costs a few retries.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from enum import StrEnum

from opentelemetry.trace import Tracer
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure_kernel.database.inbox import first_delivery
from infrastructure_kernel.messaging.correlation import correlated
from infrastructure_kernel.messaging.envelope import (
    EventEnvelope,
    MalformedMessageError,
    parse_envelope,
)
from infrastructure_kernel.messaging.tracing import process_span
from infrastructure_kernel.messaging.transport import Received, Subscription, Transport
from shared_kernel.clock import Clock

Handler = Callable[[AsyncConnection, EventEnvelope], Awaitable[None]]
"""Applies one event's effect inside the given connection's transaction."""

MAX_REASON = 500
logger = logging.getLogger(__name__)


# --8<-- [start:consumer]
class PoisonMessageError(Exception):
    """Raised by a handler for an event it can never handle, so it is not tried again."""


@dataclass(frozen=True)
class Backoff:
    """How often a failing message is tried, and how long the pauses between tries grow.

    Attributes:
        attempts: Tries in all, the first included, before the message is dead-lettered.
        first_pause: Seconds before the second try; each pause is ``factor`` times longer.
        factor: How much each pause grows.
    """

    attempts: int = 5
    first_pause: float = 0.5
    factor: float = 2.0

    def pause(self, failed_tries: int) -> float:
        """Seconds to wait after ``failed_tries`` tries have failed."""
        return self.first_pause * self.factor ** (failed_tries - 1)


@dataclass(frozen=True)
class Consumer:
    """A consumer: its name, which is its queue's, a handler per event it wants, its retries.

    A consumer ``in_process`` has its effect in its process's memory alone (ADR 89): its
    queue is ephemeral, and the inbox records nothing for it, since its name is its
    process's and nothing it did outlives the process. Its handlers must be idempotent.
    """

    name: str
    handlers: Mapping[str, Handler]
    backoff: Backoff = Backoff()
    in_process: bool = False

    @property
    def subscription(self) -> Subscription:
        """Its queue, bound to the events it has handlers for."""
        return Subscription(self.name, frozenset(self.handlers), ephemeral=self.in_process)


class Outcome(StrEnum):
    """What became of one message."""

    HANDLED = "handled"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead-lettered"


# --8<-- [end:consumer]


class _AlreadyHandledError(Exception):
    """Ends the transaction of a delivery the inbox has seen; not an error to anyone."""


class ConsumerRuntime:
    """Runs one consumer: takes its messages from the transport and settles each one."""

    def __init__(  # noqa: PLR0913 - the tracer is keyword-only, with a default
        self,
        consumer: Consumer,
        engine: AsyncEngine,
        inbox: Table,
        transport: Transport,
        clock: Clock,
        *,
        tracer: Tracer | None = None,
    ) -> None:
        self._consumer = consumer
        self._engine = engine
        self._inbox = inbox
        self._transport = transport
        self._clock = clock
        self._backoff = consumer.backoff
        self._tracer = tracer

    # --8<-- [start:handle]
    async def handle(self, message: Received) -> Outcome:
        """Handle one message and settle it: acknowledged, or dead-lettered with the reason."""
        try:
            envelope = parse_envelope(message.body)
        except MalformedMessageError as error:
            return await self._dead_letter(message, f"not an event envelope: {error}")
        # The events this handling records, and its log lines, carry the same correlation.
        correlation = envelope.correlation_id or str(envelope.event_id)
        with correlated(correlation, tenant_id=envelope.tenant_id), self._span(envelope):
            outcome = await self._settle(message, envelope)
            logger.log(
                logging.WARNING if outcome is Outcome.DEAD_LETTERED else logging.INFO,
                "event_settled",
                extra={
                    "consumer": self._consumer.name,
                    "event_name": envelope.event_name,
                    "event_id": str(envelope.event_id),
                    "outcome": outcome.value,
                },
            )
        return outcome

    def _span(self, envelope: EventEnvelope) -> AbstractContextManager[object]:
        # A child of the publish span in the envelope; none when tracing is off.
        if self._tracer is None:
            return nullcontext()
        return process_span(self._tracer, envelope, self._consumer.name)

    async def _settle(self, message: Received, envelope: EventEnvelope) -> Outcome:
        handler = self._consumer.handlers.get(envelope.event_name)
        if handler is None:
            return await self._dead_letter(message, f"no handler for {envelope.event_name}")
        tries = 0
        while True:
            tries += 1
            try:
                outcome = await self._apply(handler, envelope)
            except (PoisonMessageError, ValidationError) as error:
                return await self._dead_letter(message, f"the handler refused it: {error}")
            except Exception as error:  # a database outage, a bug: may pass; tried again
                if tries >= self._backoff.attempts:
                    reason = f"failed {tries} times; last: {type(error).__name__}: {error}"
                    return await self._dead_letter(message, reason)
                logger.warning("retrying event %s after: %r", envelope.event_id, error)
                await asyncio.sleep(self._backoff.pause(tries))
                continue
            await message.acknowledge()
            return outcome

    async def _apply(self, handler: Handler, envelope: EventEnvelope) -> Outcome:
        try:
            # --8<-- [start:inbox]
            async with self._engine.begin() as connection:
                first = self._consumer.in_process or await first_delivery(
                    connection,
                    self._inbox,
                    self._consumer.name,
                    envelope.event_id,
                    self._clock.now(),
                )
                if not first:
                    raise _AlreadyHandledError
                await handler(connection, envelope)
            # --8<-- [end:inbox]
        except _AlreadyHandledError:
            return Outcome.DUPLICATE
        return Outcome.HANDLED

    # --8<-- [end:handle]

    async def _dead_letter(self, message: Received, reason: str) -> Outcome:
        await message.dead_letter(reason[:MAX_REASON])
        return Outcome.DEAD_LETTERED

    async def drain(self, *, idle: float = 1.0) -> Counter[Outcome]:
        """Handle messages until none came for ``idle`` seconds; count what became of them."""
        outcomes: Counter[Outcome] = Counter()
        await self._drain_into(outcomes, idle)
        return outcomes

    async def _drain_into(self, outcomes: Counter[Outcome], idle: float) -> None:
        async for message in self._transport.receive(self._consumer.subscription, idle=idle):
            outcomes[await self.handle(message)] += 1

    async def run(self, stop: asyncio.Event, *, idle: float = 1.0) -> Counter[Outcome]:
        """Handle messages until ``stop`` is set, looked at whenever the queue is idle.

        When the transport fails (the broker restarting), the failure is logged and the
        queue is read again after ``idle`` seconds; a message taken and not acknowledged
        comes again, and the inbox absorbs it.
        """
        outcomes: Counter[Outcome] = Counter()
        while not stop.is_set():
            try:
                await self._drain_into(outcomes, idle)
            except Exception as error:  # logged; what was not acknowledged comes again
                logger.warning("consuming failed; trying again in %s s: %r", idle, error)
                await asyncio.sleep(idle)
        return outcomes
