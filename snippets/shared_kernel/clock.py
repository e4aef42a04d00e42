"""Clocks: where the current time comes from.

Code that asks a ``Clock`` for the time, rather than calling ``datetime.now()``, can be
tested at any instant: production passes a :class:`SystemClock`, tests a
:class:`FixedClock`.
"""

from datetime import UTC, datetime
from typing import Protocol


# --8<-- [start:clock]
class Clock(Protocol):
    """Anything that can tell the current time."""

    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class SystemClock:
    """The real time, from the operating system."""

    def now(self) -> datetime:
        """Return the system's current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that always tells the same time, for repeatable tests."""

    def __init__(self, instant: datetime) -> None:
        """Stop the clock at ``instant``.

        Args:
            instant: The time to tell; must be timezone-aware.

        Raises:
            ValueError: ``instant`` is naive, so its meaning would depend on the machine.
        """
        if instant.tzinfo is None:
            raise ValueError(f"a clock needs an aware datetime, got naive {instant}")
        self._instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        """Return the fixed instant, in UTC."""
        return self._instant


# --8<-- [end:clock]
