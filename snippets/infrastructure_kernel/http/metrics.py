"""HTTP metrics, per route template, and the endpoint Prometheus scrapes.

Requests are counted and timed by method, route and status. The route is the template
the request matched (``/api/v1/orders/{order_id}``), read from the scope once routing
has run, never the path the client sent: a label takes as many values as the paths it
sees, and every value is a series that Prometheus keeps, so a scanner trying ten
thousand paths would otherwise make ten thousand series. A request that matched no
route is counted under ``unmatched``, and a method that is not a standard one under
``other``.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from fastapi import FastAPI, Request, Response
from fastapi.routing import iter_route_contexts
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.metrics import MetricSpec

UNMATCHED = "unmatched"
OTHER_METHOD = "other"
STANDARD_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

logger = logging.getLogger(__name__)

# --8<-- [start:http-metrics]
HTTP_REQUESTS = MetricSpec(
    "http_server_requests_total",
    "counter",
    "HTTP requests answered, by method, route template and status code.",
    ("method", "route", "status"),
)
HTTP_DURATION = MetricSpec(
    "http_server_request_duration_seconds",
    "histogram",
    "Seconds from a request's arrival until its response was sent, by method and route.",
    ("method", "route"),
)
HTTP_METRICS = (HTTP_REQUESTS, HTTP_DURATION)


class HttpMetricsMiddleware:
    """Count and time every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry) -> None:
        self._app = app
        self._requests = HTTP_REQUESTS.counter(registry)
        self._duration = HTTP_DURATION.histogram(registry)
        self._templates: RouteTemplates | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, then record it under the route that routing found."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it answers

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, watched)
        finally:
            if self._templates is None:  # the app's routes are all there by now
                self._templates = RouteTemplates(scope["app"].router.routes)
            method = scope["method"] if scope["method"] in STANDARD_METHODS else OTHER_METHOD
            route = self._templates.of(scope)
            self._requests.labels(method, route, str(status)).inc()
            self._duration.labels(method, route).observe(time.perf_counter() - started)


class RouteTemplates:
    """The full template of each route of an app, included routers' prefixes and all."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self._contexts = list(iter_route_contexts(routes))
        by_route: dict[int, list[str]] = {}
        for context in self._contexts:
            by_route.setdefault(id(context.original_route), []).append(str(context.path_format))
        # A router included twice (under /api/v1 and /api/v2) has two templates per route.
        self._unique = {route: paths[0] for route, paths in by_route.items() if len(paths) == 1}

    def of(self, scope: Scope) -> str:
        """The template of the route that served the request, or ``unmatched``.

        The router leaves the route it chose in the scope, with the template relative to
        its router; a request it did not see (``OPTIONS``, answered before routing, or
        ``HEAD``, routed as ``GET`` in a copy of the scope) is matched here, a partial
        match (405) too.
        """
        chosen = self._unique.get(id(scope.get("route")))
        if chosen is not None:
            return chosen
        partial = None
        for context in self._contexts:
            match, _ = context.matches(scope)
            if match is Match.FULL:
                return str(context.path_format)
            if match is Match.PARTIAL and partial is None:
                partial = str(context.path_format)
        return partial or UNMATCHED


# --8<-- [end:http-metrics]

Refresh = Callable[[], Awaitable[None]]
"""Brings a collector's values up to date before a scrape, e.g. with a query."""


# --8<-- [start:metrics-endpoint]
def add_metrics_endpoint(
    app: FastAPI,
    registry: CollectorRegistry,
    *,
    refresh: Sequence[Refresh] = (),
    path: str = "/metrics",
    timeout: float = 2.0,
) -> None:
    """Serve ``registry`` at ``path`` in Prometheus's text format, left out of OpenAPI.

    The metrics are for the platform that runs the service, not for its clients, so the
    path stays outside the versioned API and its document. Each ``refresh`` runs first,
    all at once, within ``timeout`` seconds; one that fails or is too slow is logged,
    and its collector reports what it has (see each collector), so a scrape still
    answers when the database does not.
    """

    async def refreshed(step: Refresh) -> None:
        try:
            async with asyncio.timeout(timeout):
                await step()
        except Exception:  # whatever fails, the other metrics are still worth having
            logger.warning("metrics_refresh_failed", exc_info=True)

    @app.get(path, include_in_schema=False)
    async def metrics(request: Request) -> Response:
        await asyncio.gather(*(refreshed(step) for step in refresh))
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(registry), media_type=content_type)


# --8<-- [end:metrics-endpoint]
