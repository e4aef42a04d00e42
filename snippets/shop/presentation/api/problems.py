"""The shop's problem documents: its type URIs, and every part's problem types.

The shape of a problem document, the handlers and the lookup along the class hierarchy
are the infrastructure kernel's (:mod:`infrastructure_kernel.http.problems`), the same
for every API of the handbook; the shop chooses only where its type URIs point, and
registers the shared kernel's problem types, tenancy's and the contexts'.
"""

from collections.abc import Sequence

from identity.presentation.api import problems as identity_problems
from infrastructure_kernel.http.problems import (
    SHARED_KERNEL_PROBLEM_TYPES,
    ProblemCatalog,
    ProblemTypes,
)
from payments.presentation.api import problems as payments_problems
from shop.presentation.api import tenant_access
from tenancy.presentation.api import problems as tenancy_problems

# --8<-- [start:shop-problems]
# A tag URI (RFC 4151) names a problem type without promising a web page behind it;
# replace the authority with a domain your organisation owns.
PROBLEM_TYPE_BASE = "tag:shop.example,2025:problems/"


def shop_problems(context_problem_types: Sequence[ProblemTypes]) -> ProblemCatalog:
    """The shop's catalog: the shared kernel's types, tenancy's, identity's and the contexts'.

    Tenancy's, identity's, the tenant access's and payments' always: every context's
    endpoints admit the caller to the tenant first, and identity's endpoints and the
    payment provider's webhook are mounted with the platform's.

    Raises:
        ValueError: Two parts give one exception different problem types.
    """
    return ProblemCatalog(
        PROBLEM_TYPE_BASE,
        SHARED_KERNEL_PROBLEM_TYPES,
        tenancy_problems.PROBLEM_TYPES,
        identity_problems.PROBLEM_TYPES,
        payments_problems.PROBLEM_TYPES,
        tenant_access.PROBLEM_TYPES,
        *context_problem_types,
    )


# --8<-- [end:shop-problems]
