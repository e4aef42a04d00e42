"""Which HTTP status and problem type answers each tenancy error.

Plain ``(status, slug, title)`` tuples, as every context declares its problems; the
platform registers them with its own.
"""

from collections.abc import Mapping

from tenancy.domain.errors import UnknownTenantError
from tenancy.presentation.api.tenancy import MalformedTenantError, MissingTenantError

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    MissingTenantError: (400, "tenant-missing", "Tenant not named"),
    MalformedTenantError: (400, "tenant-malformed", "Malformed tenant id"),
    UnknownTenantError: (404, "unknown-tenant", "Unknown tenant"),
}
# --8<-- [end:problem-types]
