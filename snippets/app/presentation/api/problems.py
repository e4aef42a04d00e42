"""Which HTTP status and problem type answers each customer error.

The shape of a problem document, the handlers and the lookup along the class hierarchy
are the infrastructure kernel's (:mod:`infrastructure_kernel.http.problems`), the same
for every API of the handbook; the service chooses only where its type URIs point, and
registers its own errors beside the shared kernel's.
"""

from app.domain.errors import (
    CustomerInactiveError,
    CustomerNotFoundError,
    EmailAlreadyRegisteredError,
)
from infrastructure_kernel.http.problems import (
    SHARED_KERNEL_PROBLEM_TYPES,
    ProblemCatalog,
    ProblemTypes,
)

# --8<-- [start:problem-types]
# A tag URI (RFC 4151) names a problem type without promising a web page behind it;
# replace the authority with a domain your organisation owns.
PROBLEM_TYPE_BASE = "tag:customer-directory.example,2025:problems/"

PROBLEM_TYPES: ProblemTypes = {
    CustomerNotFoundError: (404, "customer-not-found", "Customer not found"),
    EmailAlreadyRegisteredError: (409, "email-taken", "E-mail already registered"),
    CustomerInactiveError: (409, "customer-inactive", "Customer is deactivated"),
}


def customer_problems() -> ProblemCatalog:
    """The service's catalog: its own problem types and the shared kernel's."""
    return ProblemCatalog(PROBLEM_TYPE_BASE, SHARED_KERNEL_PROBLEM_TYPES, PROBLEM_TYPES)


# --8<-- [end:problem-types]
