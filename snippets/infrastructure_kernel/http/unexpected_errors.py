"""The last line of defence: an exception no handler answered becomes a bare 500 problem.

Starlette's own error middleware would answer with plain text and re-raise, so the
server logs the error a second time. This one logs it once, with its traceback, through
the standard library's ``logging`` (the deployable decides how log lines look), and
answers with a problem document that says nothing about the cause.
"""

import logging
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

logger = logging.getLogger(__name__)

INTERNAL_ERROR = ProblemType(500, "", HTTPStatus.INTERNAL_SERVER_ERROR.phrase)
"""A bug: no type of its own (``about:blank``), and nothing said about the cause."""
REMEDIES: Remedies = {
    "500": Remedy(
        "An exception no handler answered: a bug, logged as unexpected_error with its"
        " traceback and the request's request_id.",
        "Find the log line by the request_id of the problem document (the X-Request-ID"
        " header), and report it with the traceback.",
    ),
}


# --8<-- [start:unexpected-errors]
class UnexpectedErrorMiddleware:
    """Turn an exception no handler answered into a logged, generic 500 problem."""

    def __init__(self, app: ASGIApp, problems: ProblemCatalog) -> None:
        self._app = app
        self._problems = problems

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; log and answer 500 if it raises."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        response_started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._app(scope, receive, send_noting_start)
        except Exception:
            where = {"method": scope["method"], "path": scope["path"]}
            logger.exception("unexpected_error", extra=where)
            if response_started:
                raise  # too late for a problem document; the server drops the connection
            response = self._problems.response(
                scope["path"],
                INTERNAL_ERROR,
                "the server failed to handle the request",
            )
            await response(scope, receive, send)


# --8<-- [end:unexpected-errors]
