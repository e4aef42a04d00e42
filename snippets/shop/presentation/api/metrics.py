"""The shop's metrics: HTTP requests, the database pool and the relay's lag, at ``/metrics``.

Each app gets a registry of its own, so that every app a test builds counts only its own
requests. The shop's server runs one process per container (``shop serve`` starts no
workers; replicas scale it, ADR 57), so each scrape reads the one process that holds the
counts, and prometheus-client's multi-process mode is not needed.
"""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from infrastructure_kernel.database.pool_metrics import POOL_METRICS, PoolCollector
from infrastructure_kernel.http.metrics import (
    HTTP_METRICS,
    HttpMetricsMiddleware,
    add_metrics_endpoint,
)
from infrastructure_kernel.messaging.relay_metrics import OUTBOX_METRICS, OutboxLagCollector
from shop.bootstrap import Services
from shop.infrastructure.database.tables import outbox

# --8<-- [start:shop-metrics]
SHOP_METRICS = (*HTTP_METRICS, *POOL_METRICS, *OUTBOX_METRICS)
"""Every metric the shop exposes; ``shop metrics`` lists them."""


def add_metrics(app: FastAPI, services: Services) -> CollectorRegistry:
    """Count and time ``app``'s requests, and serve its metrics at ``/metrics``.

    The middleware is the outermost, so that every answer is counted, the edge's
    refusals (503 when overloaded, 400 for a foreign host) included.
    """
    registry = CollectorRegistry()
    lag = OutboxLagCollector(services.engine, outbox, services.clock)
    registry.register(PoolCollector(services.engine))
    registry.register(lag)
    app.add_middleware(HttpMetricsMiddleware, registry=registry)
    add_metrics_endpoint(app, registry, refresh=[lag.measure])
    return registry


# --8<-- [end:shop-metrics]
