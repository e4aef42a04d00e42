"""What identity's endpoints and commands need, and where they find it.

:class:`IdentityServices` is identity's port on the application that serves it (ADR 17);
:func:`authenticated_subject` is the dependency that any endpoint adds to require a
valid access token.
"""

import logging
from typing import Annotated, Any, Protocol, runtime_checkable

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from identity.application.interfaces.access_tokens import (
    AccessClaims,
    AccessTokenIssuer,
    AccessTokenVerifier,
    InvalidAccessTokenError,
)
from identity.application.interfaces.account_mail import AccountMail
from identity.application.interfaces.identity_links import IdentityLinks
from identity.application.interfaces.lifetimes import TokenLifetimes
from identity.application.interfaces.login_throttle import LoginThrottle
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.domain.repositories.user_repository import UserRepository
from identity.infrastructure.security.jwks_verifier import KeysUnavailableError
from infrastructure_kernel.http.request_state import app_services
from shared_kernel.clock import Clock

TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a path, not a password

logger = logging.getLogger(__name__)


# --8<-- [start:services-port]
@runtime_checkable
class IdentityServices(Protocol):
    """What identity's endpoints and commands need from the application serving them."""

    def users(self) -> UserRepository:
        """The registered users."""
        ...

    def refresh_tokens(self) -> RefreshTokenStore:
        """The refresh tokens issued."""
        ...

    def one_time_tokens(self) -> OneTimeTokenStore:
        """The tokens of verification and reset mails."""
        ...

    def access_token_issuer(self) -> AccessTokenIssuer:
        """Signs access tokens."""
        ...

    def access_token_verifier(self) -> AccessTokenVerifier:
        """Checks access tokens: the shop's own, or an external provider's."""
        ...

    def token_issuer(self) -> str:
        """The ``iss`` of the shop's own access tokens."""
        ...

    def public_key_set(self) -> dict[str, Any]:
        """The public halves of the keys that sign the shop's tokens, as a JWK Set."""
        ...

    def identity_links(self) -> IdentityLinks:
        """Which shop user each linked user of an external provider is."""
        ...

    def password_hasher(self) -> PasswordHasher:
        """Hashes and checks passwords."""
        ...

    def account_mail(self) -> AccountMail:
        """Delivers the links."""
        ...

    def token_lifetimes(self) -> TokenLifetimes:
        """How long refresh tokens and links last."""
        ...

    @property
    def login_throttle(self) -> LoginThrottle:
        """Counts failed logins; one for the process, whose counts outlive a request."""
        ...

    @property
    def clock(self) -> Clock:
        """Tells the time."""
        ...


# --8<-- [end:services-port]


async def identity_services(request: Request) -> IdentityServices:
    """The services of the app that serves the request."""
    services: IdentityServices = app_services(request, IdentityServices)
    return services


ServicesDep = Annotated[IdentityServices, Depends(identity_services)]


class AuthenticationRequiredError(Exception):
    """No valid access token came with the request.

    The problem document and the ``WWW-Authenticate`` header (RFC 6750, 3) say only
    that the token is missing or invalid, never why: the reason is the service's to
    log, and an attacker probing the checks learns nothing from the answer.
    """

    def __init__(self, *, token_sent: bool) -> None:
        super().__init__("a valid access token is required")
        challenge = 'Bearer realm="shop"'
        if token_sent:  # RFC 6750, 3.1: no error code when no token was sent at all
            challenge += ', error="invalid_token"'
        self.headers = {"WWW-Authenticate": challenge}


class IdentityProviderUnavailableError(Exception):
    """The external identity provider's keys cannot be had now: a 503, come back later."""

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__("the identity provider cannot be reached now; try again later")
        self.headers = {"Retry-After": str(retry_after)}


# --8<-- [start:authenticated-subject]
# FastAPI's OAuth2 scheme reads the Authorization header and names the password flow and
# its token endpoint in the OpenAPI document; auto_error=False leaves the 401 to us.
bearer_token = OAuth2PasswordBearer(tokenUrl=TOKEN_PATH, auto_error=False)


async def authenticated_subject(
    services: ServicesDep, token: Annotated[str | None, Depends(bearer_token)]
) -> AccessClaims:
    """Return the claims of the request's verified access token.

    Raises:
        AuthenticationRequiredError: No token was sent, or it failed a check.
        IdentityProviderUnavailableError: The external provider's keys cannot be had.
    """
    if token is None:
        raise AuthenticationRequiredError(token_sent=False)
    try:
        return await services.access_token_verifier().verify(token)
    except InvalidAccessTokenError as error:
        # Why, for the operator: the messages name a check, never the token.
        logger.info("access_token_refused", extra={"reason": str(error)})
        raise AuthenticationRequiredError(token_sent=True) from error
    except KeysUnavailableError as error:
        raise IdentityProviderUnavailableError from error


ClaimsDep = Annotated[AccessClaims, Depends(authenticated_subject)]
# --8<-- [end:authenticated-subject]
