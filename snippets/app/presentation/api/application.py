"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from app.bootstrap import Services, bootstrap
from app.presentation.api import customers
from app.presentation.api.problems import customer_problems
from app.settings import Settings
from infrastructure_kernel.database.readiness import database_check
from infrastructure_kernel.http.api_root import add_api_root
from infrastructure_kernel.http.edge import edge_app
from infrastructure_kernel.http.health import health_router
from infrastructure_kernel.http.problems import PROBLEM_RESPONSES, ProblemCatalog

# What the API root links to, under /api/v1.
RESOURCES = {"customers": "/customers", "health": "/health/ready"}


# --8<-- [start:create-app]
def create_app(services: Services) -> FastAPI:
    """Create the HTTP API on top of ``services``.

    A factory rather than a module-level ``app``: each call builds an independent
    application, so tests create one per test with their own database, and importing
    this module connects to nothing.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await services.engine.dispose()  # close pooled connections on shutdown

    problems = customer_problems()
    app = edge_app(
        problems,
        max_body_size=services.settings.max_request_body_size,
        trusted_hosts=services.settings.trusted_hosts,
        public_base_url=services.settings.public_base_url,
        limits=services.settings,
        title="Customer directory",
        version="1.0.0",
        lifespan=lifespan,
    )
    app.state.services = services
    app.include_router(api_v1(services, problems))
    return app


# --8<-- [end:create-app]


# --8<-- [start:api-v1]
def api_v1(services: Services, problems: ProblemCatalog) -> APIRouter:
    """Version 1 of the API: its root, health and the customers.

    The version is part of every path, so a breaking ``api_v2`` can run beside it while
    clients move.
    """
    v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
    add_api_root(v1, RESOURCES)
    v1.include_router(health_router(problems, {"database": database_check(services.engine)}))
    v1.include_router(customers.router)
    return v1


# --8<-- [end:api-v1]


# --8<-- [start:openapi-document]
def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, for the handbook's build and for API tooling.

    Building the application connects to nothing (the engine opens connections on first
    use), so the document is produced without a database.
    """
    return create_app(bootstrap(Settings())).openapi()


# --8<-- [end:openapi-document]
