"""Aggregate roots record events until they are pulled, and carry a version."""

from dataclasses import dataclass

from shared_kernel.aggregate import AggregateRoot
from shared_kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SeatBooked(DomainEvent):
    seat: str


class Flight(AggregateRoot[str]):
    def book_seat(self, seat: str) -> None:
        self.record_event(SeatBooked(seat=seat))


def test_pull_events_returns_the_recorded_events_in_order_and_forgets_them() -> None:
    flight = Flight("LH 400")
    flight.book_seat("1A")
    flight.book_seat("1B")

    events = flight.pull_events()

    assert [event.seat for event in events if isinstance(event, SeatBooked)] == ["1A", "1B"]
    assert flight.pull_events() == []


def test_a_new_aggregate_has_version_zero_and_each_store_increments_it() -> None:
    flight = Flight("LH 400")
    assert flight.version == 0
    flight.increment_version()
    flight.increment_version()
    assert flight.version == 2


def test_a_loaded_aggregate_keeps_its_stored_version() -> None:
    assert Flight("LH 400", version=7).version == 7


def test_an_aggregate_root_is_an_entity() -> None:
    assert Flight("LH 400") == Flight("LH 400", version=3)
