"""The connection pool's state, read at each scrape.

SQLAlchemy's pool counts its connections itself; the collector reads those counts when
Prometheus asks, so nothing is done per request. A pool that is not a queue pool (an
in-memory SQLite database's single connection) has nothing to report.
"""

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from infrastructure_kernel.metrics import MetricSpec

# --8<-- [start:pool-metrics]
POOL_CONNECTIONS = MetricSpec(
    "db_client_connections",
    "gauge",
    "Connections of the pool, by state: used (checked out) or idle (in the pool).",
    ("state",),
)
POOL_SIZE = MetricSpec(
    "db_client_connections_pool_size",
    "gauge",
    "Connections the pool keeps open (DATABASE_POOL_SIZE).",
)
POOL_OVERFLOW = MetricSpec(
    "db_client_connections_overflow",
    "gauge",
    "Connections open beyond the pool's size, at most DATABASE_MAX_OVERFLOW.",
)
POOL_METRICS = (POOL_CONNECTIONS, POOL_SIZE, POOL_OVERFLOW)


class PoolCollector(Collector):
    """Reports the state of ``engine``'s connection pool at each scrape."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        """Yield the pool's connections by state, its size and its overflow, as now."""
        pool = self._engine.sync_engine.pool
        if not isinstance(pool, QueuePool):
            return
        connections = POOL_CONNECTIONS.gauge()
        connections.add_metric(["used"], pool.checkedout())
        connections.add_metric(["idle"], pool.checkedin())
        size, overflow = POOL_SIZE.gauge(), POOL_OVERFLOW.gauge()
        size.add_metric([], pool.size())
        # Negative while fewer connections than the size have been opened yet.
        overflow.add_metric([], max(0, pool.overflow()))
        yield from (connections, size, overflow)


# --8<-- [end:pool-metrics]
