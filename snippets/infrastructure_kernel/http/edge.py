"""What every API puts between the server and its routes, and an app made with it."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from pydantic import AnyHttpUrl
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from infrastructure_kernel.http.api_docs import serve_api_docs
from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.concurrency import ConcurrencyLimitMiddleware
from infrastructure_kernel.http.exception_handlers import exception_handlers
from infrastructure_kernel.http.methods import MethodsMiddleware
from infrastructure_kernel.http.openapi import describe_api, operation_id
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.rate_limit import Partitions, RateLimiter, RateLimitMiddleware
from infrastructure_kernel.http.request_headers import RequestHeadersMiddleware
from infrastructure_kernel.http.request_id import RequestIdMiddleware
from infrastructure_kernel.http.response_headers import HSTS_MAX_AGE, ResponseHeadersMiddleware
from infrastructure_kernel.http.server import HttpLimits
from infrastructure_kernel.http.trusted_hosts import TrustedHostsMiddleware
from infrastructure_kernel.http.unexpected_errors import UnexpectedErrorMiddleware

DEFAULT_LIMITS = HttpLimits()

# --8<-- [start:cors-policy]
CORS_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID")
"""Request headers a page of an allowed origin may send, besides the app's own."""
CORS_EXPOSED = (
    *("Location", "Retry-After", "WWW-Authenticate", "X-Request-ID"),
    *("RateLimit", "RateLimit-Policy"),
)
"""Response headers its script may read; the CORS-safelisted ones it always may."""


def cors_middleware(
    origins: Sequence[str], single_headers: Iterable[str], *, credentials: bool
) -> Middleware:
    """Starlette's CORS middleware for ``origins``, each a scheme, host and port.

    Raises:
        ValueError: ``*`` with credentials: any site could then act as the user.
    """
    if credentials and "*" in origins:
        raise ValueError("CORS: '*' cannot be allowed with credentials; list the origins")
    return Middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=[*CORS_HEADERS, *single_headers],
        expose_headers=CORS_EXPOSED,
        allow_credentials=credentials,
        max_age=600,  # a browser asks again after ten minutes, not before every call
    )


# --8<-- [end:cors-policy]


# --8<-- [start:edge-security]
@dataclass(frozen=True)
class RateLimits:
    """The rate limiter, which partitions a request counts against, and the paths exempt."""

    limiter: RateLimiter
    partitions: Partitions
    exempt: Collection[str] = ()


@dataclass(frozen=True)
class EdgeSecurity:
    """What an app's edge believes, allows and limits beyond the defaults.

    Attributes:
        trusted_proxies: Addresses or networks (``10.0.0.0/8``) whose ``X-Forwarded-For``
            and ``X-Forwarded-Proto`` are believed; ``*`` for any. None by default:
            a client that sends the header itself is not taken at its word.
        cors_origins: Origins whose pages may call the API (``https://shop.example``).
        cors_credentials: Whether those pages may send cookies; never with ``*``.
        hsts_max_age: Seconds of ``Strict-Transport-Security`` over HTTPS; 0 for none.
        rate_limits: The rate limiter and its partitions; ``None``: no limits.
    """

    trusted_proxies: Sequence[str] = ()
    cors_origins: Sequence[str] = ()
    cors_credentials: bool = False
    hsts_max_age: int = HSTS_MAX_AGE
    rate_limits: RateLimits | None = None


def rate_limit_middleware(problems: ProblemCatalog, rate_limits: RateLimits) -> Middleware:
    """The rate limit middleware, answering with ``problems``."""
    return Middleware(
        RateLimitMiddleware,
        problems=problems,
        limiter=rate_limits.limiter,
        partitions=rate_limits.partitions,
        exempt=rate_limits.exempt,
    )


# --8<-- [end:edge-security]


# --8<-- [start:edge-middleware]
def edge_middleware(  # noqa: PLR0913 - keyword-only options, each with a default
    problems: ProblemCatalog,
    *,
    max_body_size: int,
    single_headers: Iterable[str] = (),
    trusted_hosts: Iterable[str] = ("*",),
    limits: HttpLimits = DEFAULT_LIMITS,
    edge: EdgeSecurity | None = None,
) -> list[Middleware]:
    """Return the middleware an app is created with, outermost first.

    A trusted proxy's ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed first,
    so that everything after sees the client's address and scheme. Every request gets
    an id, and every response, a 500 included, the security headers and, for an allowed
    origin, CORS's; an error anywhere below becomes a 500 problem; then a host the app
    does not serve and headers that cannot mean one thing are refused, a client over its
    quota refused, ``HEAD`` and ``OPTIONS`` answered, and an oversized body refused
    before routing, let alone parsing.

    Args:
        problems: Where they take their problem documents from.
        max_body_size: The largest request body accepted, in bytes.
        single_headers: The app's own headers that a request may send once.
        trusted_hosts: The hosts the app serves (``*.shop.example`` for subdomains);
            ``*`` for any.
        limits: The most requests served at once, and the time a body may take.
        edge: Proxies, CORS, HSTS and rate limits; none of them by default.
    """
    edge = edge or EdgeSecurity()
    single_headers = list(single_headers)
    proxies = [Middleware(ProxyHeadersMiddleware, trusted_hosts=list(edge.trusted_proxies))]
    cors = [cors_middleware(edge.cors_origins, single_headers, credentials=edge.cors_credentials)]
    limited = edge.rate_limits
    rate_limit = [] if limited is None else [rate_limit_middleware(problems, limited)]
    return [
        *(proxies if edge.trusted_proxies else []),
        Middleware(RequestIdMiddleware),
        Middleware(ResponseHeadersMiddleware, hsts_max_age=edge.hsts_max_age),
        *(cors if edge.cors_origins else []),
        Middleware(UnexpectedErrorMiddleware, problems=problems),
        Middleware(
            ConcurrencyLimitMiddleware,
            problems=problems,
            max_concurrency=limits.http_max_concurrency,
        ),
        Middleware(TrustedHostsMiddleware, problems=problems, allowed=trusted_hosts),
        Middleware(RequestHeadersMiddleware, problems=problems, single=single_headers),
        *rate_limit,
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
    edge: EdgeSecurity | None = None,
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
        edge: Proxies, CORS, HSTS and rate limits (:class:`EdgeSecurity`).
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
            edge=edge,
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
