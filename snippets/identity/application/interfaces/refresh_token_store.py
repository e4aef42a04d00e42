"""The port of the refresh tokens' store."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol
from uuid import UUID

from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId


@dataclass(frozen=True)
class RefreshTokenRecord:
    """A refresh token as stored: its selector and digest, never the token.

    Attributes:
        selector: The token's public half, which finds the record.
        digest: The SHA-256 digest of its secret half.
        family_id: The login the token descends from; every rotation keeps it.
        user_id: Whose token it is.
        expires_at: When it stops being accepted; a rotation keeps the family's end.
    """

    selector: str
    digest: str
    family_id: UUID
    user_id: UserId
    expires_at: datetime


class Redemption(Enum):
    """What presenting a refresh token found."""

    REDEEMED = "redeemed"  # valid and unused: now used, its successor may be issued
    REUSED = "reused"  # used before: a copy is in someone else's hands
    REFUSED = "refused"  # unknown, expired, or its family revoked


# --8<-- [start:refresh-token-store]
class RefreshTokenStore(Protocol):
    """The refresh tokens issued, each used once."""

    async def add(self, record: RefreshTokenRecord, /) -> None:
        """Store a new token."""
        ...

    async def redeem(
        self, token: SecretToken, now: datetime, /
    ) -> tuple[Redemption, RefreshTokenRecord | None]:
        """Mark the token used, atomically, and say what it was.

        Two requests that present the same token at once cannot both redeem it: one of
        them finds it used. The record is returned whenever the token is known, so that
        its family can be continued or revoked.
        """
        ...

    async def revoke_family(self, family_id: UUID, now: datetime, /) -> None:
        """Revoke every token of the family: that login ends on every device it reached."""
        ...

    async def revoke_user(self, user_id: UserId, now: datetime, /) -> None:
        """Revoke every token of the user: every login ends."""
        ...


# --8<-- [end:refresh-token-store]
