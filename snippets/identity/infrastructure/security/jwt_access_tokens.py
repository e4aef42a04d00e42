"""Access tokens as JSON Web Tokens (RFC 7519), signed and checked with PyJWT."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt

from identity.application.interfaces.access_tokens import (
    AccessClaims,
    InvalidAccessTokenError,
    IssuedAccessToken,
)
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.infrastructure.security.signing_keys import ALGORITHM, KeySet
from shared_kernel.clock import Clock, SystemClock
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId

MAX_TOKEN_LENGTH = 4096
"""The longest token looked at: ours are under 400 characters, an IdP's under 2,000."""

REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "nbf", "iat", "jti"]
TENANTS_CLAIM = "tenants"
"""The shop's own claim: the caller's memberships, ``{"acme": "owner"}``, at issue time."""


# --8<-- [start:decode-claims]
def unverified_kid(token: str) -> str:
    """The ``kid`` of the token's header, read before any key is chosen.

    Raises:
        InvalidAccessTokenError: The token is oversized, malformed or names no key.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidAccessTokenError("the token is oversized")
    if not token.isascii():  # base64url and dots; anything else cannot even be decoded
        raise InvalidAccessTokenError("malformed token: not ASCII")
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as error:
        raise InvalidAccessTokenError(f"malformed token: {error}") from error
    if not isinstance(kid, str):
        raise InvalidAccessTokenError("the token names no key")
    return kid


def decode_claims(  # noqa: PLR0913 - the token, its key, and what it must say
    token: str,
    key: Any,
    algorithms: list[str],
    *,
    issuer: str,
    audience: str,
    memberships: bool = False,
) -> AccessClaims:
    """Check the token's signature with ``key`` and its claims, and return them.

    The algorithm allow-list is the defence against ``alg: none`` and algorithm
    confusion: the header's ``alg`` must be one of ``algorithms``, whatever it says,
    so a token "signed" with no algorithm, or with HMAC keyed by the public key, is
    refused before its signature is looked at. Every registered claim is required, and
    PyJWT checks that ``sub`` and ``jti`` are strings. Only the shop's own tokens are
    read for ``memberships``: an external provider says who the caller is, never what
    they may do in a tenant.

    Raises:
        InvalidAccessTokenError: Any check failed; the message says which.
    """
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=issuer,
            audience=audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as error:
        raise InvalidAccessTokenError(f"{type(error).__name__}: {error}") from error
    return AccessClaims(
        subject=claims["sub"],
        issuer=claims["iss"],
        token_id=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        memberships=membership_claim(claims.get(TENANTS_CLAIM)) if memberships else None,
    )


def membership_claim(value: object) -> tuple[Membership, ...]:
    """The memberships a verified token's ``tenants`` claim holds.

    Raises:
        InvalidAccessTokenError: The claim is missing or is not tenant ids to roles.
    """
    if not isinstance(value, dict):
        raise InvalidAccessTokenError("the token carries no tenants claim")
    try:
        return tuple(Membership(TenantId(tenant), Role(role)) for tenant, role in value.items())
    except (InvalidValueError, ValueError) as error:
        raise InvalidAccessTokenError("the tenants claim is malformed") from error


# --8<-- [end:decode-claims]


# --8<-- [start:jwt-access-tokens]
class JwtAccessTokens:
    """Signs access tokens with the key set's current key, and checks them with any of its keys.

    Implements ``AccessTokenIssuer`` and ``AccessTokenVerifier``. PyJWT checks the
    times against the system's clock, so tokens are issued on that clock too; a test
    issues tokens in the past or the future with a clock of its own.
    """

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        audience: str,
        lifetime: timedelta,
        clock: Clock | None = None,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._lifetime = lifetime
        self._clock = clock or SystemClock()

    def issue(self, subject: str, memberships: Sequence[Membership] = (), /) -> IssuedAccessToken:
        """Sign a token for ``subject``, valid from now for the lifetime, with a new ``jti``.

        The ``tenants`` claim carries the memberships as they are now: a request then
        learns the caller's tenants and roles from the verified token, without reading
        the users, and a membership revoked stops counting when the token expires.
        """
        now = int(self._clock.now().timestamp())
        lifetime = int(self._lifetime.total_seconds())
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": uuid4().hex,
            TENANTS_CLAIM: {str(m.tenant_id): m.role.value for m in memberships},
        }
        key = self._keys.current
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
        return IssuedAccessToken(token, lifetime)

    async def verify(self, token: str, /) -> AccessClaims:
        """Find the key the header names, then check the token with :func:`decode_claims`."""
        key = self._keys.find(unverified_kid(token))
        if key is None:
            raise InvalidAccessTokenError("the token names an unknown key")
        public_key = key.private_key.public_key()
        return decode_claims(
            token,
            public_key,
            [ALGORITHM],
            issuer=self._issuer,
            audience=self._audience,
            memberships=True,
        )


# --8<-- [end:jwt-access-tokens]
