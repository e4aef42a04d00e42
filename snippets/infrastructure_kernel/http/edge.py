"""What every API puts between the server and its routes, and an app made with it."""

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware

from infrastructure_kernel.http.api_docs import serve_api_docs
from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.exception_handlers import exception_handlers
from infrastructure_kernel.http.methods import MethodsMiddleware
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.request_headers import RequestHeadersMiddleware
from infrastructure_kernel.http.response_headers import ResponseHeadersMiddleware
from infrastructure_kernel.http.unexpected_errors import UnexpectedErrorMiddleware


# --8<-- [start:edge-middleware]
def edge_middleware(
    problems: ProblemCatalog, *, max_body_size: int, single_headers: Iterable[str] = ()
) -> list[Middleware]:
    """Return the middleware an app is created with, outermost first.

    Every response, a 500 included, gets the default headers; an error anywhere below
    the second becomes a 500 problem; then headers that cannot mean one thing are
    refused, ``HEAD`` and ``OPTIONS`` answered, and an oversized body refused before
    routing, let alone parsing.

    Args:
        problems: Where they take their problem documents from.
        max_body_size: The largest request body accepted, in bytes.
        single_headers: The app's own headers that a request may send once.
    """
    return [
        Middleware(ResponseHeadersMiddleware),
        Middleware(UnexpectedErrorMiddleware, problems=problems),
        Middleware(RequestHeadersMiddleware, problems=problems, single=single_headers),
        Middleware(MethodsMiddleware),
        Middleware(BodySizeLimitMiddleware, problems=problems, max_body_size=max_body_size),
    ]


# --8<-- [end:edge-middleware]


# --8<-- [start:edge-app]
def edge_app(
    problems: ProblemCatalog,
    *,
    max_body_size: int,
    single_headers: Iterable[str] = (),
    **options: Any,
) -> FastAPI:
    """Create a FastAPI app whose edge is the kernel's: handlers, middleware, docs.

    Args:
        problems: Which problem document answers which error.
        max_body_size: The largest request body accepted, in bytes.
        single_headers: The app's own headers that a request may send once.
        **options: The app's own, for ``FastAPI()``: title, version, lifespan and so on.
    """
    app = FastAPI(
        exception_handlers=exception_handlers(problems),
        middleware=edge_middleware(
            problems, max_body_size=max_body_size, single_headers=single_headers
        ),
        docs_url=None,  # served by serve_api_docs, from the app's own files
        redoc_url=None,
        **options,
    )
    serve_api_docs(app)
    return app


# --8<-- [end:edge-app]
