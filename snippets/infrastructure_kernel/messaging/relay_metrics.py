"""How far the relay is behind, measured by whoever is scraped, at the scrape.

The lag is read from the outbox (:func:`~infrastructure_kernel.messaging.relay.relay_lag`)
by the API's processes, not reported by the relay: a relay that has died, or was never
started, reports nothing, and that is exactly when its lag grows. One indexed query per
scrape answers it. While the outbox cannot be read, the two gauges are left out of the
scrape rather than reported stale, so an alert on their absence fires.
"""

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.messaging.relay import RelayLag, relay_lag
from infrastructure_kernel.metrics import MetricSpec
from shared_kernel.clock import Clock

# --8<-- [start:lag-metrics]
OUTBOX_UNPUBLISHED = MetricSpec(
    "outbox_unpublished_events",
    "gauge",
    "Events in the outbox that no broker has confirmed yet.",
)
OUTBOX_AGE = MetricSpec(
    "outbox_oldest_unpublished_event_age_seconds",
    "gauge",
    "Seconds since the oldest unpublished event happened; 0 when none waits.",
)
OUTBOX_METRICS = (OUTBOX_UNPUBLISHED, OUTBOX_AGE)


class OutboxLagCollector(Collector):
    """Reports the relay's lag as :meth:`measure` last found it."""

    def __init__(self, engine: AsyncEngine, outbox: Table, clock: Clock) -> None:
        self._engine = engine
        self._outbox = outbox
        self._clock = clock
        self._lag: RelayLag | None = None

    async def measure(self) -> None:
        """Read the lag from the outbox; until this succeeds again, nothing is reported."""
        self._lag = None
        self._lag = await relay_lag(self._engine, self._outbox, self._clock)

    def collect(self) -> Iterator[Metric]:
        """Yield the unpublished events and the oldest one's age, if the last read worked."""
        if self._lag is None:
            return
        unpublished, age = OUTBOX_UNPUBLISHED.gauge(), OUTBOX_AGE.gauge()
        unpublished.add_metric([], self._lag.unpublished)
        age.add_metric([], self._lag.age_seconds)
        yield from (unpublished, age)


# --8<-- [end:lag-metrics]
