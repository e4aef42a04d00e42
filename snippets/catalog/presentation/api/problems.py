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
from infrastructure_kernel.remedies import Remedies, Remedy

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    ProductNotFoundError: (404, "product-not-found", "No such product"),
    SkuAlreadyExistsError: (409, "sku-taken", "SKU already in use"),
    ProductDiscontinuedError: (409, "product-discontinued", "Product discontinued"),
}
# --8<-- [end:problem-types]

# --8<-- [start:remedies]
REMEDIES: Remedies = {
    "product-not-found": Remedy(
        "The tenant has no product with that id (another tenant's product is not found).",
        "Check the id and the X-Tenant-ID; list the products with GET /api/v1/products.",
    ),
    "sku-taken": Remedy(
        "Another product of the tenant has that SKU already.",
        "Choose another SKU, or change the existing product instead of adding one.",
    ),
    "product-discontinued": Remedy(
        "The product is discontinued, and takes no more changes.",
        "Add a new product if it is to be sold again.",
    ),
}
"""What each of the catalog's problems means, and what to do about it."""
# --8<-- [end:remedies]
