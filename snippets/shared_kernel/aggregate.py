"""Aggregate roots: the entities that guard a cluster of objects and record what happened.

Example:
    An aggregate checks its rules before it changes and records an event when it does:

    ```py
    from dataclasses import dataclass

    from shared_kernel.aggregate import AggregateRoot
    from shared_kernel.errors import InvariantViolationError
    from shared_kernel.events import DomainEvent


    @dataclass(frozen=True, kw_only=True)
    class SeatBooked(DomainEvent):
        flight: str
        seat: str


    class Flight(AggregateRoot[str]):
        def __init__(self, number: str, seats: int) -> None:
            super().__init__(number)
            self._free = seats

        def book_seat(self, seat: str) -> None:
            if self._free == 0:
                raise InvariantViolationError(f"flight {self.id} is full")
            self._free -= 1
            self.record_event(SeatBooked(flight=self.id, seat=seat))


    flight = Flight("LH 400", seats=1)
    flight.book_seat("1A")
    print([event.event_name for event in flight.pull_events()], flight.pull_events())
    #> ['SeatBooked'] []
    try:
        flight.book_seat("1B")
    except InvariantViolationError as error:
        print(error)
        #> flight LH 400 is full
    ```
"""

from collections.abc import Hashable
from typing import TypeVar

from shared_kernel.entity import Entity
from shared_kernel.events import DomainEvent

IdT = TypeVar("IdT", bound=Hashable)


# --8<-- [start:aggregate-root]
class AggregateRoot(Entity[IdT]):
    """The one entity of an aggregate that the outside world may hold and change.

    Its methods check the aggregate's invariants before changing anything and record a
    domain event for every change they make. The events wait in the aggregate until the
    unit of work that stores it pulls them, so they are published only if the change is.
    """

    def __init__(self, aggregate_id: IdT, *, version: int = 0) -> None:
        """Create the aggregate root, with no events recorded yet.

        Args:
            aggregate_id: The identity.
            version: How many times the aggregate has been stored; 0 for a new one.
        """
        super().__init__(aggregate_id)
        self._version = version
        self._events: list[DomainEvent] = []

    # --8<-- [start:events]
    def record_event(self, event: DomainEvent) -> None:
        """Remember that something happened; called by the aggregate's own methods."""
        self._events.append(event)

    def pull_events(self) -> list[DomainEvent]:
        """Return the events recorded since the last pull, and forget them."""
        events, self._events = self._events, []
        return events

    # --8<-- [end:events]

    # --8<-- [start:version]
    @property
    def version(self) -> int:
        """The stored version this object was loaded at, for optimistic concurrency.

        A repository writes the aggregate only if the stored version still equals this
        one; otherwise someone else changed it in between and the write is refused.
        """
        return self._version

    def increment_version(self) -> None:
        """Move to the next version; called by a repository after it stored the changes."""
        self._version += 1

    # --8<-- [end:version]


# --8<-- [end:aggregate-root]
