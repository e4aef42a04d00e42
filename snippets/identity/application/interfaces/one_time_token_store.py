"""The port of single-use tokens: e-mail verification and password reset."""

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId


class Purpose(StrEnum):
    """What a single-use token proves; a token of one purpose never serves another."""

    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a purpose, not a password


class OneTimeTokenStore(Protocol):
    """Tokens mailed to a user, each accepted once and until it expires."""

    async def add(
        self, purpose: Purpose, token: SecretToken, user_id: UserId, expires_at: datetime, /
    ) -> None:
        """Store a new token's selector and digest."""
        ...

    async def redeem(self, purpose: Purpose, token: SecretToken, now: datetime, /) -> UserId | None:
        """Use the token, atomically: return its user once, then ``None`` for ever.

        ``None`` too when no token of this purpose matches, or it expired.
        """
        ...
