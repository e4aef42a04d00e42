"""Clocks tell aware UTC time; a fixed clock always tells the same."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared_kernel.clock import Clock, FixedClock, SystemClock


def test_the_system_clock_tells_the_current_utc_time() -> None:
    clock: Clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    assert now.tzinfo is UTC
    assert before <= now <= before + timedelta(seconds=5)


def test_a_fixed_clock_tells_its_instant_in_utc() -> None:
    berlin_noon = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    clock: Clock = FixedClock(berlin_noon)
    assert clock.now() == clock.now() == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_a_fixed_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        FixedClock(datetime(2025, 6, 1, 12, 0))
