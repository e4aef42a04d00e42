"""Which HTTP status and problem type answers each ordering error.

Plain ``(status, slug, title)`` tuples, so ordering declares its problems without
importing the platform, which registers them with its own and answers every error as
an RFC 9457 problem document. An error missing here answers as its nearest registered
base class does: a concurrency conflict is the platform's 409 ``edit-conflict``, a
currency mismatch its 422 ``currency-mismatch``.
"""

from collections.abc import Mapping

from ordering.application.errors import IdempotencyKeyReusedError
from ordering.domain.errors import (
    DuplicateOrderLineError,
    InvalidOrderTransitionError,
    OrderNotFoundError,
    ProductUnavailableError,
    TooManyOrderLinesError,
)

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    OrderNotFoundError: (404, "order-not-found", "No such order"),
    # The order exists but is in the wrong state for this: a conflict with its state,
    # and the detail names both statuses.
    InvalidOrderTransitionError: (409, "invalid-order-transition", "Order cannot do that now"),
    # Mistakes in the request's lines, not conflicts: the client must change the request.
    ProductUnavailableError: (422, "product-unavailable", "Product not available"),
    DuplicateOrderLineError: (422, "duplicate-order-line", "Product on more than one line"),
    TooManyOrderLinesError: (422, "too-many-order-lines", "Too many lines on one order"),
    IdempotencyKeyReusedError: (422, "idempotency-key-reused", "Idempotency key reused"),
}
# --8<-- [end:problem-types]
