"""What every API puts between the server and its routes, and an app made with it."""

from collections.abc import Collection, Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import AnyHttpUrl
from starlette.middleware import Middleware

from infrastructure_kernel.http.api_docs import serve_api_docs
from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.concurrency import ConcurrencyLimitMiddleware
from infrastructure_kernel.http.exception_handlers import exception_handlers
from infrastructure_kernel.http.methods import MethodsMiddleware
from infrastructure_kernel.http.openapi import describe_api, operation_id
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.request_headers import RequestHeadersMiddleware
from infrastructure_kernel.http.request_id import RequestIdMiddleware
from infrastructure_kernel.http.response_headers import ResponseHeadersMiddleware
from infrastructure_kernel.http.server import HttpLimits
from infrastructure_kernel.http.trusted_hosts import TrustedHostsMiddleware
from infrastructure_kernel.http.unexpected_errors import UnexpectedErrorMiddleware

DEFAULT_LIMITS = HttpLimits()


# --8<-- [start:edge-middleware]
def edge_middleware(
    problems: ProblemCatalog,
    *,
    max_body_size: int,
    single_headers: Iterable[str] = (),
    trusted_hosts: Iterable[str] = ("*",),
    limits: HttpLimits = DEFAULT_LIMITS,
) -> list[Middleware]:
    """Return the middleware an app is created with, outermost first.

    Every request gets an id, and every response, a 500 included, the default headers;
    an error anywhere below the third becomes a 500 problem; then a host the app does
    not serve and headers that cannot mean one thing are refused, ``HEAD`` and
    ``OPTIONS`` answered, and an oversized body refused before routing, let alone
    parsing.

    Args:
        problems: Where they take their problem documents from.
        max_body_size: The largest request body accepted, in bytes.
        single_headers: The app's own headers that a request may send once.
        trusted_hosts: The hosts the app serves (``*.shop.example`` for subdomains);
            ``*`` for any.
        limits: The most requests served at once, and the time a body may take.
    """
    return [
        Middleware(RequestIdMiddleware),
        Middleware(ResponseHeadersMiddleware),
        Middleware(UnexpectedErrorMiddleware, problems=problems),
        Middleware(
            ConcurrencyLimitMiddleware,
            problems=problems,
            max_concurrency=limits.http_max_concurrency,
        ),
        Middleware(TrustedHostsMiddleware, problems=problems, allowed=trusted_hosts),
        Middleware(RequestHeadersMiddleware, problems=problems, single=single_headers),
        Middleware(MethodsMiddleware),
        Middleware(
            BodySizeLimitMiddleware,
            problems=problems,
            max_body_size=max_body_size,
            body_timeout=limits.http_body_timeout,
        ),
    ]


# --8<-- [end:edge-middleware]


# --8<-- [start:edge-app]
def edge_app(  # noqa: PLR0913 - keyword-only options, each with a default
    problems: ProblemCatalog,
    *,
    max_body_size: int,
    single_headers: Iterable[str] = (),
    trusted_hosts: Iterable[str] = ("*",),
    public_base_url: AnyHttpUrl | str | None = None,
    required_headers: Collection[str] = (),
    limits: HttpLimits = DEFAULT_LIMITS,
    **options: Any,
) -> FastAPI:
    """Create a FastAPI app whose edge is the kernel's: handlers, middleware, docs.

    Its OpenAPI document names each operation after its endpoint function and holds the
    one ``Problem`` schema that every error response refers to.

    Args:
        problems: Which problem document answers which error.
        max_body_size: The largest request body accepted, in bytes.
        single_headers: The app's own headers that a request may send once.
        trusted_hosts: The hosts the app serves; ``*`` for any.
        public_base_url: Where clients reach the app, e.g. ``https://shop.example``;
            the URLs it hands out start with it (:mod:`infrastructure_kernel.http.urls`).
        required_headers: Headers a dependency checks itself; the document marks them
            required (see :func:`~infrastructure_kernel.http.openapi.describe_api`).
        limits: The most requests served at once, and the time a body may take.
        **options: The app's own, for ``FastAPI()``: title, version, lifespan and so on.
    """
    app = FastAPI(
        exception_handlers=exception_handlers(problems),
        middleware=edge_middleware(
            problems,
            max_body_size=max_body_size,
            single_headers=single_headers,
            trusted_hosts=trusted_hosts,
            limits=limits,
        ),
        docs_url=None,  # served by serve_api_docs, from the app's own files
        redoc_url=None,
        generate_unique_id_function=operation_id,
        # Starlette's redirect from /path/ to /path builds its URL from the Host header.
        redirect_slashes=False,
        **options,
    )
    describe_api(app, required_headers=required_headers)
    app.state.public_base_url = str(public_base_url) if public_base_url else None
    serve_api_docs(app)
    return app


# --8<-- [end:edge-app]
