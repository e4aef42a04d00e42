"""The server process's own consumer, run by the app's lifespan (ADR 89, ADR 90).

Each server process hears the relayed events on a queue of its own, which goes away
with it: an exclusive queue on RabbitMQ, which the broker deletes with the connection;
on the embedded transport a subscription under a lease, which the process removes when
it stops and a relay removes once its lease ran out. The process declares it before it
serves, so no change committed while it serves escapes it, and stops the consumer after
the last request.
"""

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from secrets import token_hex

from infrastructure_kernel.messaging.transport import Subscription, Transport
from shop.bootstrap import Services

PROCESS_EVENTS = "shop.process"
"""The first part of every server process's queue name."""

logger = logging.getLogger(__name__)


def process_queue() -> str:
    """A queue name of this process alone: its host and id, for whoever lists the queues."""
    host = socket.gethostname()[:63]
    return f"{PROCESS_EVENTS}.{host}.{os.getpid()}.{token_hex(3)}"


# --8<-- [start:process-consumer]
@asynccontextmanager
async def process_consumer(
    services: Services, *, idle: float = 0.5, grace: float = 5.0
) -> AsyncIterator[str]:
    """Run the process's own consumer while the block runs; yield its queue's name.

    Args:
        services: The process's services: its cache, its status feed, its transport.
        idle: Seconds of an empty queue after which the consumer looks whether to stop.
        grace: Seconds a shutdown waits for the consumer, and then for the transport to
            remove the queue, before it gives up on them: a database or broker that hangs
            does not hold the server. What the consumer does is in memory, so nothing is
            half done; a queue left behind goes with its connection or its lease.
    """
    consumer = services.process_events(process_queue())
    transport = services.transport()
    runtime = services.consumer_runtime(consumer, transport)
    stop = asyncio.Event()

    async def consume(*, declared: bool) -> None:
        while not declared:  # until the transport is back, or the server stops
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=idle)
            if stop.is_set():
                return
            declared = await _declare(transport, consumer.subscription)
        await runtime.run(stop, idle=idle)

    # Declared before the first request, so no change committed while it serves escapes it.
    task = asyncio.create_task(consume(declared=await _declare(transport, consumer.subscription)))
    try:
        yield consumer.name
    finally:
        stop.set()
        await _within(grace, task)  # gracefully: the message in hand is settled first
        await _within(grace, transport.close())  # and the queue goes with the process


# --8<-- [end:process-consumer]


async def _declare(transport: Transport, subscription: Subscription) -> bool:
    try:
        await transport.declare([subscription])
    except Exception as error:  # the broker or the database away: serve, and try again
        logger.warning("the process's queue is not declared yet: %r", error)
        return False
    return True


async def _within(grace: float, work: Awaitable[None]) -> None:
    try:
        await asyncio.wait_for(work, timeout=grace)
    except Exception as error:  # the transport hangs, or fails: it is left to its lease
        logger.warning("the process's consumer was not stopped cleanly: %r", error)
