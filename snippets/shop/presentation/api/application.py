"""The FastAPI application factory.

The app holds the platform's middleware, problem handlers and routes, and mounts every
context's router under ``/api/v1``. It keeps the platform's two promises to the
contexts (see :mod:`catalog.presentation`): its services, which implement every
context's port, are on ``app.state.services``, and the router-level
:func:`~shop.presentation.api.tenant_access.act_for_tenant` admits only a member of the
tenant, and leaves the tenant on ``request.state.tenant_id`` and what the caller may do
there on ``request.state.actor``. Nothing is wired through ``app.dependency_overrides``:
that is left to tests that replace one collaborator.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from pydantic import SecretStr

from audit.presentation.api import audit_entries as audit_api
from catalog.presentation.api import problems as catalog_problems
from catalog.presentation.api import products as catalog_api
from identity.presentation.api import auth as identity_api
from identity.presentation.api import me as me_api
from identity.presentation.api import well_known
from infrastructure_kernel.database.readiness import database_check
from infrastructure_kernel.flags.client import flag_client
from infrastructure_kernel.flags.provider import ConfiguredFlagProvider
from infrastructure_kernel.http.api_root import add_api_root
from infrastructure_kernel.http.edge import EdgeSecurity, RateLimits, edge_app
from infrastructure_kernel.http.health import health_router
from infrastructure_kernel.http.problems import PROBLEM_RESPONSES, ProblemTypes
from infrastructure_kernel.tracing import trace_app
from ordering.presentation.api import orders as ordering_api
from ordering.presentation.api import problems as ordering_problems
from ordering.presentation.api import status_events
from payments.presentation.api import payment_events as payment_events_api
from payments.presentation.api import payments as payments_api
from shop.bootstrap import Services, bootstrap
from shop.infrastructure.logging import configure_logging
from shop.presentation.api.graphql import graphql_router
from shop.presentation.api.metrics import add_metrics
from shop.presentation.api.problems import shop_problems
from shop.presentation.api.process_events import process_consumer
from shop.presentation.api.rate_limits import request_partitions
from shop.presentation.api.tenant_access import act_for_tenant
from shop.settings import SHOP_FLAGS, Settings
from tenancy.presentation.api import tenancy as tenancy_api

# --8<-- [start:contexts]
# The bounded contexts' HTTP APIs. A context joins with its router (tenant-scoped, its
# paths relative to /api/v1) and the problem types of its errors. What its endpoints
# need, they find through the port its presentation declares, which Services implements.
CONTEXT_ROUTERS: Sequence[APIRouter] = (
    catalog_api.router,
    ordering_api.router,
    status_events.router,
    payments_api.router,
    audit_api.router,
)
CONTEXT_PROBLEM_TYPES: Sequence[ProblemTypes] = (
    catalog_problems.PROBLEM_TYPES,
    ordering_problems.PROBLEM_TYPES,
)
# --8<-- [end:contexts]


# What the API root links to, under /api/v1; a context adds its collection.
RESOURCES = {
    "tenant": "/tenant",
    "me": "/me",
    "token": "/auth/token",
    "products": "/products",
    "orders": "/orders",
    "graphql": "/graphql",
    "audit-entries": "/audit-entries",
    "health": "/health/ready",
}

# Tag descriptions for the OpenAPI document; a context adds one for its own tag.
OPENAPI_TAGS = [
    {"name": "api", "description": "Where everything else is."},
    {"name": "health", "description": "Whether the service is up, and ready to serve."},
    {"name": "tenancy", "description": "The tenant a request acts for."},
    {"name": "identity", "description": "Accounts, logins and who the caller is."},
    {"name": "products", "description": "The tenant's catalog: products, SKUs and prices."},
    {"name": "orders", "description": "The tenant's orders: place, ship or cancel them."},
    {
        "name": "payments",
        "description": "Payments of the tenant's orders, and the provider's webhook.",
    },
    {"name": "graphql", "description": "The tenant's products and orders, read with GraphQL."},
    {"name": "audit", "description": "The tenant's hash-chained audit trail of every event."},
]


# --8<-- [start:api-v1]
def api_v1(platform: Sequence[APIRouter], routers: Sequence[APIRouter]) -> APIRouter:
    """Version 1 of the API: the platform's routes and the contexts' routers.

    The version is the first segment of every path. A breaking change gets an
    ``api_v2`` beside this function, built from the routers of the changed endpoints,
    and :func:`create_app` includes both; clients move at their own pace, and v1 stays
    until the last one has.

    Every tenant-scoped router is included behind :func:`act_for_tenant`: here, once,
    so that no router can be mounted without it.

    Args:
        platform: Routes that need no tenant: health, identity's, the payment
            provider's webhook.
        routers: The tenant-scoped routers; every one of their endpoints needs an
            access token of a member of the tenant.
    """
    v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
    add_api_root(v1, RESOURCES)
    for router in platform:
        v1.include_router(router)
    for router in routers:
        v1.include_router(router, dependencies=[Depends(act_for_tenant)])
    return v1


# --8<-- [end:api-v1]


# --8<-- [start:create-app]
def create_app(
    services: Services,
    routers: Sequence[APIRouter] = (),
    problem_types: Sequence[ProblemTypes] = (),
) -> FastAPI:
    """Create the HTTP API on top of ``services``.

    A factory rather than a module-level ``app``: each call builds an independent
    application, so tests create one per test with their own database, and importing
    this module connects to nothing.

    Args:
        services: What the endpoints work with.
        routers: The contexts' routers; every one of their endpoints needs a tenant.
        problem_types: The problem types of the contexts' errors.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The process's own consumer: its status feed and in-memory cache hear every change.
        try:
            async with process_consumer(services):
                yield
        finally:
            await services.aclose()  # close pooled connections, export the last spans

    problems = shop_problems(problem_types)
    settings = services.settings
    # --8<-- [start:edge-security]
    edge = EdgeSecurity(
        trusted_proxies=settings.trusted_proxies,
        cors_origins=settings.cors_origins,
        cors_credentials=settings.cors_credentials,
        hsts_max_age=settings.hsts_max_age,
        rate_limits=RateLimits(
            services.rate_limiter, request_partitions, exempt=settings.rate_limit_exempt
        ),
    )
    # --8<-- [end:edge-security]
    app = edge_app(
        problems,
        max_body_size=services.settings.max_request_body_size,
        single_headers=[tenancy_api.TENANT_HEADER],
        trusted_hosts=services.settings.trusted_hosts,
        public_base_url=services.settings.public_base_url,
        limits=services.settings,
        edge=edge,
        title="Shop",
        version="1.0.0",
        description="Products and orders of many tenants. Every error is an RFC 9457 "
        "problem document (`application/problem+json`).",
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
    )
    # --8<-- [start:services-on-app]
    # Per app, not global: each app a test builds serves its own services. The contexts'
    # dependencies find them here, and check that they implement their port.
    app.state.services = services
    # --8<-- [end:services-on-app]
    # --8<-- [start:flags-on-app]
    # The feature flags, through OpenFeature, as the app's configuration sets them.
    provider = ConfiguredFlagProvider(SHOP_FLAGS, services.settings.feature_flags)
    app.state.flags = flag_client(provider)
    # --8<-- [end:flags-on-app]
    platform = [
        health_router(problems, {"database": database_check(services.engine)}),
        identity_api.router,
        me_api.router,
        # The provider calls it: its tenant is the payment's, found by the signed event.
        payment_events_api.router,
    ]
    app.include_router(api_v1(platform, [tenancy_api.router, *routers]))
    app.include_router(well_known.router)  # at /.well-known, where verifiers look
    add_metrics(app, services)  # at /metrics, outside the API and its document
    if services.tracer_provider is not None:
        trace_app(app, services.tracer_provider)
    return app


# --8<-- [end:create-app]


def shop_app(services: Services) -> FastAPI:
    """The shop's app: :func:`create_app` with every context plugged in, and GraphQL.

    The GraphQL endpoint reads the contexts' queries and types its errors with the same
    problem catalog; it sits among the tenant-scoped routers.
    """
    graphql = graphql_router(shop_problems(CONTEXT_PROBLEM_TYPES))
    return create_app(services, [*CONTEXT_ROUTERS, graphql], CONTEXT_PROBLEM_TYPES)


# --8<-- [start:app-from-environment]
def app_from_environment() -> FastAPI:
    """The ASGI factory that servers run: the shop's app, configured from file and environment.

    ``python -m uvicorn --factory shop.presentation.api.application:app_from_environment``
    runs it (as the benchmark does); ``shop serve`` runs :func:`app_from_settings` with
    the settings its root command read and its options changed, so both serve the same
    app, built in the serving process, with JSON logs configured the same way.
    """
    return app_from_settings(Settings())


def app_from_settings(settings: Settings) -> FastAPI:
    """The shop's app on ``settings``, with its logs configured."""
    configure_logging(settings.log_level)
    return shop_app(bootstrap(settings))


# --8<-- [end:app-from-environment]


# --8<-- [start:openapi-document]
def openapi_document() -> dict[str, Any]:
    """Return the shop's OpenAPI document, for the documentation build.

    The app is built on an in-memory SQLite engine that never connects, and without
    reading a ``.env`` file: describing the API needs no database and no configuration.
    """
    settings = Settings(_env_file=None, database_url=SecretStr("sqlite+aiosqlite:///:memory:"))
    return shop_app(bootstrap(settings)).openapi()


# --8<-- [end:openapi-document]
