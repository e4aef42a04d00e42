"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error response of the API has the same shape, so clients need one error handler::

    {"type": "tag:shop.example,2025:problems/unknown-tenant", "title": "Unknown tenant",
     "status": 404, "detail": "no tenant has the id acme", "instance": "/api/v1/products"}

Which exception answers with which problem type is a :class:`ProblemCatalog`: the
platform registers its own errors and the shared kernel's, each context adds its
domain errors. Request validation errors list each field's location; routing errors
keep their status; anything unexpected becomes a bare 500 whose details stay in the
log (:mod:`shop.presentation.api.unexpected_errors`). No response ever carries a stack trace.
"""

from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any, NamedTuple

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
# A tag URI (RFC 4151) names a problem type without promising a web page behind it;
# replace the authority with a domain your organisation owns.
PROBLEM_TYPE_BASE = "tag:shop.example,2025:problems/"


class ProblemType(NamedTuple):
    """One kind of problem: its status, its type URI's last part, and its title."""

    status: int
    slug: str
    title: str


INVALID_REQUEST = ProblemType(422, "invalid-request", "Invalid request")
MALFORMED_JSON = ProblemType(400, "malformed-json", "Malformed JSON")

# What a context registers: plain (status, slug, title) tuples, so that its presentation
# layer declares its problems without importing the platform.
ProblemTypes = Mapping[type[Exception], tuple[int, str, str]]
ExceptionHandler = Callable[[Request, Any], Coroutine[Any, Any, Response]]


# --8<-- [start:problem-document]
def problem_response(
    instance: str, kind: ProblemType | HTTPStatus, detail: str, **extensions: Any
) -> JSONResponse:
    """Build a problem document response.

    Args:
        instance: The path of the request that failed.
        kind: A problem type, or a bare HTTP status for problems without one
            (``type`` is then ``about:blank`` and the title is the status phrase).
        detail: What went wrong this time, for a human.
        **extensions: Further members, e.g. ``errors`` for validation problems.
    """
    if isinstance(kind, HTTPStatus):
        kind = ProblemType(kind.value, "", kind.phrase)
    document = {
        "type": (PROBLEM_TYPE_BASE + kind.slug) if kind.slug else "about:blank",
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
        "instance": instance,
        **extensions,
    }
    return JSONResponse(document, status_code=kind.status, media_type=PROBLEM_JSON)


# --8<-- [end:problem-document]


class Problem(BaseModel):
    """An RFC 9457 problem document: the body of every error response."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str


# Every error response of a route, documented once: FastAPI's own validation error
# schema is not added where a 4XX response is declared.
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": Problem.model_json_schema()}}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"description": "The request cannot be served as sent.", "content": PROBLEM_CONTENT},
    "5XX": {"description": "The server failed.", "content": PROBLEM_CONTENT},
}


# --8<-- [start:problem-catalog]
class ProblemCatalog:
    """Which problem type answers which exception.

    Looked up along the exception's class hierarchy, so an error without a type of its
    own answers with its nearest registered ancestor's: a context's new
    ``DomainError`` subclass is a 422 until it is given a type of its own.
    """

    def __init__(self, *problem_types: ProblemTypes) -> None:
        """Register every mapping in ``problem_types``, in order.

        Raises:
            ValueError: Two mappings give one exception different problem types.
        """
        self._types: dict[type[Exception], ProblemType] = {}
        for mapping in problem_types:
            for error, kind in mapping.items():
                self.register(error, ProblemType(*kind))

    def register(self, error: type[Exception], kind: ProblemType) -> None:
        """Answer ``error`` and its subclasses with ``kind``.

        Raises:
            ValueError: ``error`` already answers with another problem type.
        """
        known = self._types.setdefault(error, kind)
        if known != kind:
            raise ValueError(f"{error.__name__} already answers with {known}, not {kind}")

    def find(self, error: Exception) -> ProblemType:
        """Return the problem type of ``error``'s nearest registered class."""
        return next(self._types[cls] for cls in type(error).__mro__ if cls in self._types)

    def exception_handlers(self) -> dict[int | type[Exception], ExceptionHandler]:
        """Return the app's exception handlers.

        One answers every registered exception; two more answer invalid requests and
        routing errors.
        """
        handlers: dict[int | type[Exception], ExceptionHandler] = dict.fromkeys(
            self._types, self._answer
        )
        handlers[RequestValidationError] = invalid_request_problem
        handlers[HTTPException] = http_problem
        return handlers

    async def _answer(self, request: Request, error: Exception) -> JSONResponse:
        return problem_response(request.url.path, self.find(error), str(error))


# --8<-- [end:problem-catalog]


# --8<-- [start:request-problems]
async def invalid_request_problem(request: Request, error: RequestValidationError) -> JSONResponse:
    """Answer a request that does not fit the endpoint with every field error and where it is.

    A body that is not JSON at all is a syntax error (400); a JSON body, path, query or
    header with wrong values is a 422. Only location and message are returned:
    pydantic's error also holds the rejected input, which may be large or secret.
    """
    errors = [{"location": list(e["loc"]), "message": e["msg"]} for e in error.errors()]
    if any(e["type"] == "json_invalid" for e in error.errors()):
        return problem_response(
            request.url.path, MALFORMED_JSON, "the request body is not valid JSON", errors=errors
        )
    return problem_response(
        request.url.path,
        INVALID_REQUEST,
        f"{len(errors)} field(s) of the request are invalid",
        errors=errors,
    )


async def http_problem(request: Request, error: HTTPException) -> JSONResponse:
    """Answer routing errors (unknown path, wrong method) as problems too."""
    response = problem_response(request.url.path, HTTPStatus(error.status_code), str(error.detail))
    response.headers.update(error.headers or {})  # e.g. Allow on 405
    return response


# --8<-- [end:request-problems]
