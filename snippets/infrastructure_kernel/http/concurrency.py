"""A limit on the requests served at once: one more is told to come back, at once.

Past some number of requests in flight, each further one only makes all of them slower
(they share the event loop, the connection pool, the cores). The limit answers that one
with a 503 problem and ``Retry-After`` straight away, without reading its body, instead
of letting it queue. uvicorn has a limit of its own (``--limit-concurrency``), but it
answers in plain text without ``Retry-After`` (ADR 34).
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

TOO_BUSY = ProblemType(503, "too-busy", "Too many requests at once")
REMEDIES: Remedies = {
    "too-busy": Remedy(
        "The process serves HTTP_MAX_CONCURRENCY requests already.",
        "Clients: retry after Retry-After seconds. Operators: add replicas, or find what"
        " makes requests slow (the database's pool and statements first).",
    ),
}


# --8<-- [start:concurrency-limit]
class ConcurrencyLimitMiddleware:
    """Answer 503 with ``Retry-After`` while ``max_concurrency`` requests are being served."""

    def __init__(
        self, app: ASGIApp, problems: ProblemCatalog, max_concurrency: int, retry_after: int = 1
    ) -> None:
        self._app = app
        self._problems = problems
        self._max_concurrency = max_concurrency
        self._retry_after = retry_after
        self._in_flight = 0  # one event loop per app: no lock needed between awaits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, or refuse it if the limit is reached."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        if self._in_flight >= self._max_concurrency:
            response = self._problems.response(
                scope["path"],
                TOO_BUSY,
                f"more than {self._max_concurrency} requests at once; try again shortly",
                {"Retry-After": str(self._retry_after)},
            )
            await response(scope, receive, send)
            return
        self._in_flight += 1
        try:
            await self._app(scope, receive, send)
        finally:
            self._in_flight -= 1


# --8<-- [end:concurrency-limit]
