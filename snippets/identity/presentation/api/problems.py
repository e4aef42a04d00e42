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
