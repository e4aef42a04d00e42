"""Which HTTP status and problem type answers each identity error.

The token endpoint answers its own errors as RFC 6749 says (``invalid_grant`` and the
others, :mod:`identity.presentation.api.auth`); everything else is a problem document
from the one catalogue. A problem's detail is the error's message, which names no
secret: not the token, not the password, not which of the two was wrong.
"""

from collections.abc import Mapping

from identity.application.errors import InvalidCredentialsError, InvalidLinkTokenError
from identity.domain.errors import EmailAlreadyRegisteredError
from identity.infrastructure.cache.login_throttle import ThrottleUnavailableError
from identity.presentation.api.auth import TooManyLoginsError
from identity.presentation.api.dependencies import (
    AuthenticationRequiredError,
    IdentityProviderUnavailableError,
)
from infrastructure_kernel.remedies import Remedies, Remedy

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    AuthenticationRequiredError: (401, "authentication-required", "Authentication required"),
    InvalidCredentialsError: (400, "invalid-credentials", "Credentials not accepted"),
    InvalidLinkTokenError: (400, "invalid-link", "Link not valid"),
    EmailAlreadyRegisteredError: (409, "email-registered", "E-mail address registered"),
    TooManyLoginsError: (429, "too-many-logins", "Too many failed logins"),
    IdentityProviderUnavailableError: (503, "service-unavailable", "Service unavailable"),
    ThrottleUnavailableError: (503, "service-unavailable", "Service unavailable"),
}
# --8<-- [end:problem-types]

REMEDIES: Remedies = {
    "authentication-required": Remedy(
        "The request carried no access token, or one that is not valid now: unsigned by a"
        " key the shop knows, expired, not yet valid, or meant for another audience.",
        "Send `Authorization: Bearer TOKEN` with a token from POST /api/v1/auth/token;"
        " when it has expired, get a new one with the refresh token.",
    ),
    "invalid-credentials": Remedy(
        "The e-mail address and password do not match an account (which of the two was"
        " wrong is not said), or the current password given for a change was wrong.",
        "Check both; after too many failures, wait as Retry-After says, or reset the password.",
    ),
    "invalid-link": Remedy(
        "The link's token is unknown, used already, or expired.",
        "Ask for a new verification or reset e-mail, and use its link once.",
    ),
    "email-registered": Remedy(
        "An account with that e-mail address exists already.",
        "Log in with it, or reset its password if it is forgotten.",
    ),
    "too-many-logins": Remedy(
        "Too many failed logins for the account or from the address within the window.",
        "Wait the seconds Retry-After gives; an operator can raise the limits in the"
        " login_failures_* settings.",
    ),
}
"""What each of identity's problems means, and what to do about it."""
