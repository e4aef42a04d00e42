"""Which HTTP status and problem type answers each catalog error.

Plain ``(status, slug, title)`` tuples, so the catalog declares its problems without
importing the platform, which registers them with its own and answers every error
as an RFC 9457 problem document. An error missing here answers as its nearest
registered base class does (a ``DomainError`` is a 422).
"""

from collections.abc import Mapping

from catalog.domain.errors import (
    ProductDiscontinuedError,
    ProductNotFoundError,
    SkuAlreadyExistsError,
)

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    ProductNotFoundError: (404, "product-not-found", "No such product"),
    SkuAlreadyExistsError: (409, "sku-taken", "SKU already in use"),
    ProductDiscontinuedError: (409, "product-discontinued", "Product discontinued"),
}
# --8<-- [end:problem-types]
