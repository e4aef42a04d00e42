"""Which HTTP status and problem type answers each ordering error.

Plain ``(status, slug, title)`` tuples, so ordering declares its problems without
importing the platform, which registers them with its own and answers every error as
an RFC 9457 problem document. An error missing here answers as its nearest registered
base class does: a concurrency conflict is the platform's 409 ``edit-conflict``, a
currency mismatch its 422 ``currency-mismatch``.
"""

from collections.abc import Mapping

from infrastructure_kernel.remedies import Remedies, Remedy
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

REMEDIES: Remedies = {
    "order-not-found": Remedy(
        "The tenant has no order with that id (another tenant's order is not found).",
        "Check the id and the X-Tenant-ID; list the orders with GET /api/v1/orders.",
    ),
    "invalid-order-transition": Remedy(
        "The order's status does not allow this step (e.g. shipping an unpaid order);"
        " detail names both statuses.",
        "Read the order, and take a step its status allows: placed, paid, shipped.",
    ),
    "product-unavailable": Remedy(
        "A line names a product that is unknown to the tenant or discontinued.",
        "Remove the line, or order a product the catalog lists as active.",
    ),
    "duplicate-order-line": Remedy(
        "One product is on two lines.",
        "Put the product on one line with the quantities added up.",
    ),
    "too-many-order-lines": Remedy(
        "The order has more lines than one order may have.",
        "Split it into several orders.",
    ),
    "idempotency-key-reused": Remedy(
        "The Idempotency-Key was used before with a different request body.",
        "Use a fresh key for a new order; reuse a key only to retry the same request.",
    ),
}
"""What each of ordering's problems means, and what to do about it."""
