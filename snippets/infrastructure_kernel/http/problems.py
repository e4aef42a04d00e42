"""RFC 9457 problem documents: the one shape of every error response.

A client needs one error handler, and branches on a stable ``type``, never on message
text::

    {"type": "tag:shop.example,2025:problems/unknown-tenant", "title": "Unknown tenant",
     "status": 404, "detail": "no tenant has the id acme", "instance": "/api/v1/products"}

Which exception answers with which problem type is a :class:`ProblemCatalog`. A
deployable makes one with the base of its type URIs, the shared kernel's problem types
and each context's; a context declares its own as plain ``(status, slug, title)``
tuples, so its presentation layer names its problems without importing anything of
the deployable's.
"""

from collections.abc import Collection, Mapping
from http import HTTPStatus
from typing import Any, NamedTuple

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from infrastructure_kernel.http.request_id import current_request_id
from infrastructure_kernel.remedies import Remedies, Remedy
from shared_kernel.errors import (
    DomainError,
    InvalidCursorError,
    InvalidValueError,
    InvariantViolationError,
)
from shared_kernel.money import CurrencyMismatchError
from shared_kernel.repository import ConcurrencyConflictError

PROBLEM_JSON = "application/problem+json"
MAX_TEXT = 256
"""The longest string a problem document holds; a longer one, a client's input say, is cut."""
MAX_ITEMS = 50
"""The most entries of a list a problem document holds, e.g. of invalid fields."""


class ProblemType(NamedTuple):
    """One kind of problem: its status, the last part of its type URI, and its title."""

    status: int
    slug: str
    title: str


ProblemTypes = Mapping[type[Exception], tuple[int, str, str]]
"""What a context registers: its errors, each with a ``(status, slug, title)`` tuple."""

SERVICE_UNAVAILABLE = ProblemType(503, "service-unavailable", "Service unavailable")
"""A backing service cannot serve now; always answered with ``Retry-After``."""
RETRY_AFTER_SECONDS = 5
"""How long a 503 asks a client to wait, unless the deployable says otherwise."""

# --8<-- [start:shared-kernel-problems]
SHARED_KERNEL_PROBLEM_TYPES: ProblemTypes = {
    ConcurrencyConflictError: (409, "edit-conflict", "Changed by someone else"),
    InvariantViolationError: (409, "rule-violated", "Business rule violated"),
    CurrencyMismatchError: (422, "currency-mismatch", "Currencies do not match"),
    InvalidCursorError: (422, "invalid-cursor", "Invalid page cursor"),
    InvalidValueError: (422, "invalid-value", "Invalid value"),
    DomainError: (422, "domain-error", "Request breaks a business rule"),
}
"""The shared kernel's errors, answered alike by every API."""
# --8<-- [end:shared-kernel-problems]

REMEDIES: Remedies = {
    "edit-conflict": Remedy(
        "Someone changed the resource between this request's read and its write.",
        "Read the resource again, apply the change to what it is now, and send it again.",
    ),
    "rule-violated": Remedy(
        "The change would leave the resource in a state its rules forbid; detail says which.",
        "Read the resource's current state, and send a change its rules allow.",
    ),
    "currency-mismatch": Remedy(
        "Amounts in different currencies were combined, e.g. products of two currencies on"
        " one order.",
        "Keep one request to one currency; place an order per currency.",
    ),
    "invalid-cursor": Remedy(
        "The after= cursor was not one this list handed out: edited, truncated, or taken"
        " from another list.",
        "Start again from the first page, and pass next_cursor back exactly as received.",
    ),
    "invalid-value": Remedy(
        "A value breaks the rule of its type (an SKU, an amount, a tenant id).",
        "Correct the value; detail names it and the rule.",
    ),
    "domain-error": Remedy(
        "A business rule without a problem type of its own refused the request.",
        "Read detail, which states the rule; report it if no rule should apply.",
    ),
}
"""What each shared kernel problem means, and what to do about it."""


# --8<-- [start:problem-catalog]
class ProblemCatalog:
    """Which problem type answers which exception, and the documents that say so.

    Looked up along the exception's class hierarchy, so an error without a type of its
    own answers with its nearest registered ancestor's: a context's new ``DomainError``
    subclass is a 422 on the day it is written, never a 500.
    """

    def __init__(self, type_base: str, *problem_types: ProblemTypes) -> None:
        """Register every mapping in ``problem_types``, in order.

        Args:
            type_base: What each type URI starts with; the slug completes it. A tag URI
                (RFC 4151), e.g. ``tag:shop.example,2025:problems/``, names a type
                without promising a web page behind it; use a domain you own.
            *problem_types: The shared kernel's, the deployable's and each context's.

        Raises:
            ValueError: Two mappings give one exception different problem types.
        """
        self.type_base = type_base
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

    @property
    def errors(self) -> Collection[type[Exception]]:
        """The exception classes registered so far."""
        return self._types.keys()

    @property
    def kinds(self) -> Collection[ProblemType]:
        """The problem types registered so far, each once."""
        return set(self._types.values())

    def find(self, error: Exception) -> ProblemType:
        """Return the problem type of ``error``'s nearest registered class.

        Raises:
            LookupError: Neither ``error``'s class nor any of its bases is registered.
        """
        for cls in type(error).__mro__:
            if cls in self._types:
                return self._types[cls]
        raise LookupError(f"no problem type answers {type(error).__name__}")

    # --8<-- [start:problem-document]
    def response(
        self,
        instance: str,
        kind: ProblemType | HTTPStatus,
        detail: str,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> JSONResponse:
        """Build a problem document response.

        Args:
            instance: The path of the request that failed.
            kind: A problem type, or a bare HTTP status for problems without one
                (``type`` is then ``about:blank`` and the title is the status phrase,
                as RFC 9457 says).
            detail: What went wrong this time, for a human.
            headers: Response headers, e.g. ``Retry-After`` or ``Allow``.
            **extensions: Further members, e.g. ``errors`` for validation problems.
        """
        if isinstance(kind, HTTPStatus):
            kind = ProblemType(kind.value, "", kind.phrase)
        document = {
            "type": (self.type_base + kind.slug) if kind.slug else "about:blank",
            "title": kind.title,
            "status": kind.status,
            "detail": detail,
            "instance": instance,
            **extensions,
        }
        request_id = current_request_id()
        if request_id is not None:  # the id the response's X-Request-ID header carries
            document["request_id"] = request_id
        return JSONResponse(
            bounded(document), status_code=kind.status, headers=headers, media_type=PROBLEM_JSON
        )

    # --8<-- [end:problem-document]


# --8<-- [end:problem-catalog]


# --8<-- [start:bounded]
def bounded(value: Any) -> Any:
    """Return ``value`` with every string cut to :data:`MAX_TEXT` and list to :data:`MAX_ITEMS`.

    A problem document may repeat what the client sent (a path, a header, a field's
    name); cut, a 60 KB header gives a problem document of a few hundred bytes.
    """
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, dict):
        return {bounded(key): bounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [bounded(item) for item in value[:MAX_ITEMS]]
    return value


# --8<-- [end:bounded]


# --8<-- [start:problem-responses]
class Problem(BaseModel):
    """The shape of every error response, for the OpenAPI document (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Names the kind of problem; branch on this.")
    title: str = Field(description="A short summary of the kind, for humans.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, for humans.")
    instance: str = Field(description="The path of the request that failed.")


PROBLEM_SCHEMA_NAME = "Problem"
"""The one component every error response refers to; the app adds it to its document."""

# Declared on a router, so the OpenAPI document tells clients the truth: errors are
# problem documents, and FastAPI leaves out its own validation error schema, which the
# API never sends, wherever a 4XX response is declared. A reference, not the schema
# itself: inline, a client generator makes one problem model per operation.
PROBLEM_CONTENT = {
    PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}}
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"description": "The request cannot be served as sent.", "content": PROBLEM_CONTENT},
    "5XX": {"description": "The server failed, or cannot serve now.", "content": PROBLEM_CONTENT},
}
# --8<-- [end:problem-responses]
