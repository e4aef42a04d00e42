"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error response of the API has the same shape, so clients need one error handler::

    {"type": "tag:...:customer-not-found", "title": "Customer not found",
     "status": 404, "detail": "no customer has the id ...", "instance": "/api/v1/..."}

Domain errors map to a status by class; request validation errors list each field's
location and message; anything unexpected becomes a bare 500 whose details stay in the
server log. No response ever carries a stack trace.
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from app.domain.errors import (
    CustomerInactiveError,
    CustomerNotFoundError,
    EmailAlreadyRegisteredError,
)
from shared_kernel.errors import DomainError, InvalidValueError, InvariantViolationError
from shared_kernel.repository import ConcurrencyConflictError

PROBLEM_JSON = "application/problem+json"
# A tag URI (RFC 4151) names a problem type without promising a web page behind it;
# replace the authority with a domain your organisation owns.
PROBLEM_TYPE_BASE = "tag:customer-directory.example,2025:problems/"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: its status, its type URI's last part, and its title."""

    status: int
    slug: str
    title: str


# --8<-- [start:problem-types]
# Looked up along the error's class hierarchy, so a new DomainError subclass gets its
# nearest ancestor's problem type until it is given one of its own.
PROBLEM_TYPES: dict[type[Exception], ProblemType] = {
    CustomerNotFoundError: ProblemType(404, "customer-not-found", "Customer not found"),
    EmailAlreadyRegisteredError: ProblemType(409, "email-taken", "E-mail already registered"),
    CustomerInactiveError: ProblemType(409, "customer-inactive", "Customer is deactivated"),
    ConcurrencyConflictError: ProblemType(409, "edit-conflict", "Changed by someone else"),
    InvariantViolationError: ProblemType(409, "rule-violated", "Business rule violated"),
    InvalidValueError: ProblemType(422, "invalid-value", "Invalid value"),
    DomainError: ProblemType(422, "domain-error", "Request breaks a business rule"),
}
INVALID_REQUEST = ProblemType(422, "invalid-request", "Invalid request")
# --8<-- [end:problem-types]


# --8<-- [start:problem-responses]
class Problem(BaseModel):
    """The shape of every error response, for the OpenAPI document (RFC 9457)."""

    type: str = Field(description="Names the kind of problem; branch on this.")
    title: str = Field(description="A short summary of the kind, for humans.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, for humans.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For invalid requests: each field's location and message."
    )


# Declared on the router, so the document tells clients the truth: errors are problem
# documents, and FastAPI does not add its own validation error schema where 4XX is declared.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": Problem.model_json_schema()}},
    }
    for status, description in (
        ("4XX", "The request cannot be served as sent."),
        ("5XX", "The server failed."),
    )
}
# --8<-- [end:problem-responses]


# --8<-- [start:problem-document]
def problem(
    request: Request, kind: ProblemType | HTTPStatus, detail: str, **extensions: Any
) -> JSONResponse:
    """Build a problem document response.

    Args:
        request: The request that failed; its path becomes ``instance``.
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
        "instance": request.url.path,
        **extensions,
    }
    return JSONResponse(document, status_code=kind.status, media_type=PROBLEM_JSON)


# --8<-- [end:problem-document]


# --8<-- [start:handlers]
async def domain_problem(
    request: Request, error: DomainError | ConcurrencyConflictError
) -> JSONResponse:
    """Answer a domain error with the problem type of its nearest mapped class."""
    kind = next(PROBLEM_TYPES[cls] for cls in type(error).__mro__ if cls in PROBLEM_TYPES)
    return problem(request, kind, str(error))


async def invalid_request_problem(request: Request, error: RequestValidationError) -> JSONResponse:
    """Answer a malformed request with every field error and where it is.

    Only location and message are returned: pydantic's error also holds the rejected
    input, which may be large or secret and is the client's own anyway.
    """
    errors = [{"location": list(e["loc"]), "message": e["msg"]} for e in error.errors()]
    return problem(
        request,
        INVALID_REQUEST,
        f"{len(errors)} field(s) of the request are invalid",
        errors=errors,
    )


async def http_problem(request: Request, error: HTTPException) -> JSONResponse:
    """Answer routing errors (unknown path, wrong method) as problems too."""
    response = problem(request, HTTPStatus(error.status_code), str(error.detail))
    response.headers.update(error.headers or {})  # e.g. Allow on 405
    return response


async def unexpected_problem(request: Request, _error: Exception) -> JSONResponse:
    """Answer a bug with a bare 500; the server logs the error with its traceback."""
    return problem(
        request, HTTPStatus.INTERNAL_SERVER_ERROR, "the server failed to handle the request"
    )


PROBLEM_HANDLERS: dict[
    int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]
] = {
    DomainError: domain_problem,
    ConcurrencyConflictError: domain_problem,
    RequestValidationError: invalid_request_problem,
    HTTPException: http_problem,
    Exception: unexpected_problem,
}
# --8<-- [end:handlers]
