"""Single flight: concurrent callers of one key share one call instead of making many."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


# --8<-- [start:single-flight]
class SingleFlight(Generic[T]):
    """Runs one call per key at a time; callers that come while it runs await its result.

    The call runs in a task of its own, shielded from its callers: a caller that gives up
    (its request was cancelled) does not cancel the call for the others waiting on it.
    An error reaches every waiting caller and is not remembered; the next caller calls again.
    """

    def __init__(self) -> None:
        self._flights: dict[str, asyncio.Task[T]] = {}

    async def run(self, key: str, call: Callable[[], Awaitable[T]]) -> T:
        """Return the result of ``call``, or of the call already running for ``key``."""
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(call())
            self._flights[key] = flight
            flight.add_done_callback(lambda done: self._landed(key, done))
        return await asyncio.shield(flight)

    def _landed(self, key: str, flight: asyncio.Task[T]) -> None:
        del self._flights[key]
        if not flight.cancelled():
            flight.exception()  # retrieved, so an error no caller awaited is not logged as lost


# --8<-- [end:single-flight]
