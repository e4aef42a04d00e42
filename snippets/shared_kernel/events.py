"""Domain events: facts about something that happened in the domain.

An event is named in the past tense (``CustomerRegistered``) and never changes once
recorded. Its fields hold plain data (ids, strings, numbers) rather than entities, so it
can be stored or sent elsewhere without dragging the model along.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --8<-- [start:domain-event]
# kw_only lets subclasses declare fields without defaults after the defaulted ones here.
@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every domain event.

    Attributes:
        event_id: Unique per event; the outbox stores it as the row's primary key.
        occurred_at: When it happened, as an aware UTC datetime.
        schema_version: The version of the event's fields, for whoever reads them
            elsewhere; a class raises it when it changes them incompatibly.
    """

    schema_version: ClassVar[int] = 1

    event_id: UUID = field(default_factory=uuid4)
    occurred_at: datetime = field(default_factory=_utc_now)

    @property
    def event_name(self) -> str:
        """The event's type name, e.g. ``"CustomerRegistered"``, for routing and storage."""
        return type(self).__name__


# --8<-- [end:domain-event]
