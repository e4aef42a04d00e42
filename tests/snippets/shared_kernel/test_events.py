"""Domain events are immutable facts with an id and a UTC timestamp."""

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from shared_kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ParcelShipped(DomainEvent):
    parcel: str


def test_each_event_gets_its_own_id() -> None:
    first, second = ParcelShipped(parcel="P1"), ParcelShipped(parcel="P1")
    assert isinstance(first.event_id, UUID)
    assert first.event_id != second.event_id


def test_an_event_is_stamped_with_the_current_utc_time() -> None:
    before = datetime.now(UTC)
    event = ParcelShipped(parcel="P1")
    assert event.occurred_at.tzinfo is UTC
    assert before <= event.occurred_at <= before + timedelta(seconds=5)


def test_an_event_is_named_after_its_class() -> None:
    assert ParcelShipped(parcel="P1").event_name == "ParcelShipped"


def test_an_event_cannot_be_changed() -> None:
    event = ParcelShipped(parcel="P1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.parcel = "P2"  # type: ignore[misc]
