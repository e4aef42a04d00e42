"""Access tokens as JSON Web Tokens (RFC 7519), signed and checked with PyJWT."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt

from identity.application.interfaces.access_tokens import (
    AccessClaims,
    InvalidAccessTokenError,
    IssuedAccessToken,
)
from identity.infrastructure.security.signing_keys import ALGORITHM, KeySet
from shared_kernel.clock import Clock, SystemClock

MAX_TOKEN_LENGTH = 4096
"""The longest token looked at: ours are under 400 characters, an IdP's under 2,000."""

REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "nbf", "iat", "jti"]


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


def decode_claims(
    token: str, key: Any, algorithms: list[str], *, issuer: str, audience: str
) -> AccessClaims:
    """Check the token's signature with ``key`` and its claims, and return them.

    The algorithm allow-list is the defence against ``alg: none`` and algorithm
    confusion: the header's ``alg`` must be one of ``algorithms``, whatever it says,
    so a token "signed" with no algorithm, or with HMAC keyed by the public key, is
    refused before its signature is looked at. Every registered claim is required, and
    PyJWT checks that ``sub`` and ``jti`` are strings.

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
    )


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

    def issue(self, subject: str, /) -> IssuedAccessToken:
        """Sign a token for ``subject``, valid from now for the lifetime, with a new ``jti``."""
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
            token, public_key, [ALGORITHM], issuer=self._issuer, audience=self._audience
        )


# --8<-- [end:jwt-access-tokens]
