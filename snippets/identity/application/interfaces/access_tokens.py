"""The ports of access tokens: who issues them, and who checks them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from identity.domain.value_objects.membership import Membership


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says.

    Attributes:
        subject: Whom the token was issued to: a user's id, or the external provider's
            subject.
        issuer: Who issued it.
        token_id: The token's own id (``jti``).
        expires_at: When it stops being accepted.
        memberships: The tenants and roles the shop put in its own token when it
            issued it; ``None`` for a token that carries none (an external provider's),
            whose caller's memberships are then read from the users.
    """

    subject: str
    issuer: str
    token_id: str
    expires_at: datetime
    memberships: tuple[Membership, ...] | None = None


@dataclass(frozen=True)
class IssuedAccessToken:
    """A signed access token, and how many seconds it is accepted for."""

    token: str
    expires_in: int


class InvalidAccessTokenError(Exception):
    """The token was not accepted.

    Its message is for the log of the service, never for the caller: a caller is told
    only that the token was not accepted, so the answer teaches an attacker nothing.
    """


# --8<-- [start:access-token-ports]
class AccessTokenIssuer(Protocol):
    """Signs access tokens."""

    def issue(self, subject: str, memberships: Sequence[Membership] = (), /) -> IssuedAccessToken:
        """Return a new short-lived token for ``subject``, carrying its ``memberships``."""
        ...


class AccessTokenVerifier(Protocol):
    """Checks access tokens: signature, algorithm, issuer, audience and times."""

    async def verify(self, token: str, /) -> AccessClaims:
        """Return what ``token`` says, if every check passes.

        Raises:
            InvalidAccessTokenError: Any check failed.
        """
        ...


# --8<-- [end:access-token-ports]
