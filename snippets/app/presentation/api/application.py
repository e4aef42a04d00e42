"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from app.bootstrap import Services, bootstrap
from app.presentation.api import customers
from app.presentation.api.problems import PROBLEM_HANDLERS
from app.settings import Settings


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

    app = FastAPI(
        title="Customer directory",
        lifespan=lifespan,
        exception_handlers=PROBLEM_HANDLERS,
    )
    app.state.services = services
    app.include_router(customers.router)
    return app


# --8<-- [end:create-app]


# --8<-- [start:openapi-document]
def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, for the handbook's build and for API tooling.

    Building the application connects to nothing (the engine opens connections on first
    use), so the document is produced without a database.
    """
    return create_app(bootstrap(Settings())).openapi()


# --8<-- [end:openapi-document]
