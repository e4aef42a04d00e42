"""What every API puts between the server and its routes, and an app made with it."""

from collections.abc import Collection
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware

from infrastructure_kernel.http.api_docs import serve_api_docs
from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.exception_handlers import exception_handlers
from infrastructure_kernel.http.openapi import describe_api, operation_id
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.unexpected_errors import UnexpectedErrorMiddleware


# --8<-- [start:edge-middleware]
def edge_middleware(problems: ProblemCatalog, *, max_body_size: int) -> list[Middleware]:
    """Return the middleware an app is created with, outermost first.

    An error anywhere below the first, the body limit included, becomes a 500 problem;
    the second refuses an oversized body before routing, let alone parsing.

    Args:
        problems: Where both take their problem documents from.
        max_body_size: The largest request body accepted, in bytes.
    """
    return [
        Middleware(UnexpectedErrorMiddleware, problems=problems),
        Middleware(BodySizeLimitMiddleware, problems=problems, max_body_size=max_body_size),
    ]


# --8<-- [end:edge-middleware]


# --8<-- [start:edge-app]
def edge_app(
    problems: ProblemCatalog,
    *,
    max_body_size: int,
    required_headers: Collection[str] = (),
    **options: Any,
) -> FastAPI:
    """Create a FastAPI app whose edge is the kernel's: handlers, middleware, docs.

    Its OpenAPI document names each operation after its endpoint function and holds the
    one ``Problem`` schema that every error response refers to.

    Args:
        problems: Which problem document answers which error.
        max_body_size: The largest request body accepted, in bytes.
        required_headers: Headers a dependency checks itself; the document marks them
            required (see :func:`~infrastructure_kernel.http.openapi.describe_api`).
        **options: The app's own, for ``FastAPI()``: title, version, lifespan and so on.
    """
    app = FastAPI(
        exception_handlers=exception_handlers(problems),
        middleware=edge_middleware(problems, max_body_size=max_body_size),
        docs_url=None,  # served by serve_api_docs, from the app's own files
        redoc_url=None,
        generate_unique_id_function=operation_id,
        **options,
    )
    describe_api(app, required_headers=required_headers)
    serve_api_docs(app)
    return app


# --8<-- [end:edge-app]
