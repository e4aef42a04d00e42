"""The middleware every API puts between the server and its routes."""

from starlette.middleware import Middleware

from infrastructure_kernel.http.body_limit import BodySizeLimitMiddleware
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.unexpected_errors import UnexpectedErrorMiddleware


# --8<-- [start:edge-middleware]
def edge_middleware(problems: ProblemCatalog, *, max_body_size: int) -> list[Middleware]:
    """Return the middleware an app is created with (``FastAPI(middleware=...)``).

    Outermost first: an error anywhere below the first, the body limit included,
    becomes a 500 problem; the second refuses an oversized body before routing, let
    alone parsing.

    Args:
        problems: Where both take their problem documents from.
        max_body_size: The largest request body accepted, in bytes.
    """
    return [
        Middleware(UnexpectedErrorMiddleware, problems=problems),
        Middleware(BodySizeLimitMiddleware, problems=problems, max_body_size=max_body_size),
    ]


# --8<-- [end:edge-middleware]
