"""Which HTTP status and problem type answers each tenancy error.

Plain ``(status, slug, title)`` tuples, as every context declares its problems; the
platform registers them with its own.
"""

from collections.abc import Mapping

from infrastructure_kernel.remedies import Remedies, Remedy
from tenancy.domain.errors import UnknownTenantError
from tenancy.presentation.api.tenancy import MalformedTenantError, MissingTenantError

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    MissingTenantError: (400, "tenant-missing", "Tenant not named"),
    MalformedTenantError: (400, "tenant-malformed", "Malformed tenant id"),
    UnknownTenantError: (404, "unknown-tenant", "Unknown tenant"),
}
# --8<-- [end:problem-types]

REMEDIES: Remedies = {
    "tenant-missing": Remedy(
        "The request has no X-Tenant-ID header; every product and order belongs to one tenant.",
        "Send X-Tenant-ID: ID with the tenant's id, e.g. acme.",
    ),
    "tenant-malformed": Remedy(
        "X-Tenant-ID is not a tenant id (2 to 63 lower-case letters, digits and hyphens).",
        "Send the id exactly as registered: lower case, no spaces.",
    ),
    "unknown-tenant": Remedy(
        "No tenant has that id: a typo, or the tenant was never registered here.",
        "Check `shop tenants list`; register it with `shop tenants add` if it should exist.",
    ),
}
"""What each of tenancy's problems means, and what to do about it."""
