"""Liveness and readiness, for the orchestrator that runs the service.

``GET .../health/live`` answers while the process can serve requests; it touches no
backing service, because a liveness probe that fails when the database is down would
have the orchestrator restart healthy processes in a loop. ``GET .../health/ready``
runs each readiness check (the database, and whatever else the service depends on) and
is a 503 problem with ``Retry-After`` while one fails, so that whatever routes requests
to the service sends them elsewhere until it can serve them again.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from infrastructure_kernel.http.problems import (
    PROBLEM_CONTENT,
    RETRY_AFTER_SECONDS,
    SERVICE_UNAVAILABLE,
    ProblemCatalog,
)

ReadinessCheck = Callable[[], Awaitable[object]]
"""Returns once a backing service answered; raises when it did not."""

logger = logging.getLogger(__name__)


class Live(BaseModel):
    """The answer of a live process."""

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    """The answer of a process whose backing services all answered."""

    status: Literal["ok"] = "ok"
    checks: dict[str, Literal["ok"]]


# --8<-- [start:health-router]
def health_router(
    problems: ProblemCatalog,
    checks: Mapping[str, ReadinessCheck],
    *,
    timeout: float = 2.0,
    retry_after: int = RETRY_AFTER_SECONDS,
) -> APIRouter:
    """Return the ``/health/live`` and ``/health/ready`` routes.

    Args:
        problems: Where the 503 takes its problem document from.
        checks: The readiness checks, by the name the answer reports them under.
        timeout: Seconds a check may take; a slower one counts as failed, so that the
            probe itself answers in time.
        retry_after: Seconds a client is told to wait before it tries again.
    """
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get("/live")
    async def live() -> Live:
        """Answer while the process can serve requests; checks nothing else."""
        return Live()

    @router.get(
        "/ready",
        response_model=Ready,
        responses={503: {"description": "A check failed.", "content": PROBLEM_CONTENT}},
    )
    async def ready(request: Request) -> Response | Ready:
        """Answer 200 once every backing service answered, else 503 naming those that did not."""
        results = await asyncio.gather(
            *(_run(name, check, timeout) for name, check in checks.items())
        )
        statuses = dict(zip(checks, results, strict=True))
        failed = [name for name, status in statuses.items() if status != "ok"]
        if not failed:
            return Ready(checks=dict.fromkeys(statuses, "ok"))
        return problems.response(
            request.url.path,
            SERVICE_UNAVAILABLE,
            f"not ready: {', '.join(failed)} did not answer",
            {"Retry-After": str(retry_after)},
            checks=statuses,
        )

    return router


async def _run(name: str, check: ReadinessCheck, timeout: float) -> str:
    try:
        async with asyncio.timeout(timeout):
            await check()
    except Exception:  # whatever a check raises, the service is not ready
        logger.warning("readiness_check_failed", exc_info=True, extra={"check": name})
        return "failed"
    return "ok"


# --8<-- [end:health-router]
