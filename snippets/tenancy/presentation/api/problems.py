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
        "The request has no X-Tenant-ID header, and the caller belongs to several tenants"
        " (or to none): every product and order belongs to one tenant.",
        "Send X-Tenant-ID: ID with one of your tenants' ids, e.g. acme; GET /api/v1/me lists them.",
    ),
    "tenant-malformed": Remedy(
        "X-Tenant-ID is not a tenant id (2 to 63 lower-case letters, digits and hyphens).",
        "Send the id exactly as registered: lower case, no spaces.",
    ),
    "unknown-tenant": Remedy(
        "No tenant the caller belongs to has that id: a typo, a tenant the caller is no"
        " member of (answered alike, so that tenants' names do not leak), or none registered.",
        "GET /api/v1/me lists your tenants. Operators: `shop tenants list` shows the registered"
        " ones, `shop users grant EMAIL TENANT ROLE` makes a member (then log in again).",
    ),
}
"""What each of tenancy's problems means, and what to do about it."""
