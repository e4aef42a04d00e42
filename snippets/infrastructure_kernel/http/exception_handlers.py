"""How errors raised while handling a request become problem documents.

Four kinds, four handlers: an error of the domain or the application (a registered
exception, its status and type from the catalog), a request that does not fit its
endpoint (malformed JSON, a body that is not JSON at all, invalid values), a routing
error (unknown path, wrong method), and a database that cannot serve now (a 503 with
``Retry-After``). Whichever of them answers a 503, it says when to try again. What no
handler answers is a bug, left to :mod:`infrastructure_kernel.http.unexpected_errors`.
"""

import logging
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from infrastructure_kernel.database.outages import OUTAGE_ERRORS, is_outage
from infrastructure_kernel.http.methods import allowed_methods
from infrastructure_kernel.http.problems import (
    RETRY_AFTER_SECONDS,
    SERVICE_UNAVAILABLE,
    ProblemCatalog,
    ProblemType,
)
from infrastructure_kernel.remedies import Remedies, Remedy

MALFORMED_JSON = ProblemType(400, "malformed-json", "Malformed JSON")
UNSUPPORTED_MEDIA_TYPE = ProblemType(415, "unsupported-media-type", "Body is not JSON")
INVALID_REQUEST = ProblemType(422, "invalid-request", "Invalid request")
# What a routing error answers with: no type of its own, the status and its phrase.
NOT_FOUND = ProblemType(404, "", HTTPStatus.NOT_FOUND.phrase)
METHOD_NOT_ALLOWED = ProblemType(405, "", HTTPStatus.METHOD_NOT_ALLOWED.phrase)
REMEDIES: Remedies = {
    "malformed-json": Remedy(
        "The body is not valid JSON; errors[] says where it stopped parsing.",
        "Send the body through a JSON encoder rather than building it as text.",
    ),
    "unsupported-media-type": Remedy(
        "The body came as something else than application/json: `curl -d` sends a form.",
        "Send Content-Type: application/json (curl: --json instead of -d).",
    ),
    "invalid-request": Remedy(
        "A field of the body, path, query or headers breaks its rule; errors[] names each"
        " one with its location and the rule.",
        "Correct each field named; the API's page lists every field's rules.",
    ),
    "404": Remedy(
        "No route has this path: a typo, a missing /api/v1 prefix, or an id in the wrong place.",
        "Start from GET /api/v1, which links to every collection.",
    ),
    "405": Remedy(
        "The path exists, and does not take this method.",
        "Use one of the methods the response's Allow header lists.",
    ),
    "service-unavailable": Remedy(
        "A backing service (the database) cannot serve now: down, unreachable, out of"
        " connections, or slower than its timeouts. The log says service_unavailable, or"
        " readiness_check_failed with the check's name.",
        "Clients: retry after Retry-After seconds. Operators: follow the runbook"
        " 'The database is down'.",
    ),
}
JSON = "application/json"

ExceptionHandler = Callable[[Request, Any], Coroutine[Any, Any, Response]]

logger = logging.getLogger(__name__)


# --8<-- [start:exception-handlers]
def exception_handlers(
    problems: ProblemCatalog, *, retry_after: int = RETRY_AFTER_SECONDS
) -> dict[int | type[Exception], ExceptionHandler]:
    """Return the handlers an app is created with (``FastAPI(exception_handlers=...)``).

    One answers every exception registered in ``problems``; two more answer requests
    that do not fit their endpoint and routing errors; the last answers a database
    that cannot serve now with a 503 that asks the client to come back in
    ``retry_after`` seconds. Every 503 asks so, an error's own ``Retry-After`` aside.
    """

    def come_back(status: int, headers: Mapping[str, str] | None) -> Mapping[str, str] | None:
        # Every 503 says when to try again; an error's own Retry-After wins.
        if status != HTTPStatus.SERVICE_UNAVAILABLE:
            return headers
        return {"Retry-After": str(retry_after), **(headers or {})}

    async def registered_error(request: Request, error: Exception) -> JSONResponse:
        # An error may carry headers of its answer: a 401's WWW-Authenticate (RFC 6750),
        # a 429's or a 503's Retry-After.
        kind = problems.find(error)
        headers = come_back(kind.status, getattr(error, "headers", None))
        return problems.response(request.url.path, kind, str(error), headers)

    async def request_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return invalid_request_problem(problems, request, error)

    async def routing_error(request: Request, error: HTTPException) -> JSONResponse:
        # A route has no problem type of its own: about:blank and the status phrase.
        headers = come_back(error.status_code, error.headers)
        if error.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            # Every route of the path, not only the first one the router tried.
            headers = {"Allow": ", ".join(allowed_methods(request.scope))}
        return problems.response(
            request.url.path, HTTPStatus(error.status_code), str(error.detail), headers
        )

    # --8<-- [start:outage-handler]
    async def outage(request: Request, error: Exception) -> JSONResponse:
        if not is_outage(error):
            raise error  # a bug after all: the 500 of UnexpectedErrorMiddleware
        # One short line, no traceback: an outage fails every request at once.
        logger.warning("service_unavailable", extra={"error": type(error).__name__})
        return problems.response(
            request.url.path,
            SERVICE_UNAVAILABLE,
            "the database cannot serve the request now; try again later",
            {"Retry-After": str(retry_after)},
        )

    # --8<-- [end:outage-handler]
    handlers: dict[int | type[Exception], ExceptionHandler] = dict.fromkeys(
        problems.errors, registered_error
    )
    handlers[RequestValidationError] = request_error
    handlers[HTTPException] = routing_error
    handlers.update(dict.fromkeys(OUTAGE_ERRORS, outage))
    return handlers


# --8<-- [end:exception-handlers]


# --8<-- [start:request-problems]
def invalid_request_problem(
    problems: ProblemCatalog, request: Request, error: RequestValidationError
) -> JSONResponse:
    """Answer a request that does not fit its endpoint, naming every field and where it is.

    - A JSON body that does not parse is a syntax error: 400 ``malformed-json``.
    - A body sent as anything but JSON (``curl -d`` sends a form) is a 415
      ``unsupported-media-type`` whose ``Accept`` header names the one type there is,
      rather than a puzzling list of fields that "should be a valid dictionary".
    - Wrong values anywhere (body, path, query, header): 422 ``invalid-request``.

    Only each error's location and message are returned: Pydantic's error also holds
    the rejected input, which may be large or secret.
    """
    path = request.url.path
    errors = [{"location": list(e["loc"]), "message": e["msg"]} for e in error.errors()]
    if any(e["type"] == "json_invalid" for e in error.errors()):
        return problems.response(
            path, MALFORMED_JSON, "the request body is not valid JSON", errors=errors
        )
    # FastAPI hands the body on as bytes exactly when it did not parse it as JSON.
    if isinstance(error.body, bytes) and error.body and _about_the_body(error):
        sent = request.headers.get("content-type")
        how = f"as {sent}" if sent else "without a Content-Type"
        return problems.response(
            path,
            UNSUPPORTED_MEDIA_TYPE,
            f"the request body must be sent as {JSON}; this one came {how}",
            {"Accept": JSON},  # RFC 9110, 15.5.16: the media types that are accepted
        )
    return problems.response(
        path, INVALID_REQUEST, f"{len(errors)} field(s) of the request are invalid", errors=errors
    )


# --8<-- [end:request-problems]


def _about_the_body(error: RequestValidationError) -> bool:
    return any(e["loc"][:1] == ("body",) for e in error.errors())
