"""The refresh tokens in the ``refresh_tokens`` table."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.interfaces.refresh_token_store import Redemption, RefreshTokenRecord
from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.single_use import use_once
from identity.infrastructure.database.tables import refresh_tokens


# --8<-- [start:refresh-token-store]
class SqlAlchemyRefreshTokenStore:
    """Refresh tokens, by selector; implements ``RefreshTokenStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, record: RefreshTokenRecord, /) -> None:
        """One ``INSERT``."""
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(refresh_tokens).values(
                    selector=record.selector,
                    digest=record.digest,
                    family_id=record.family_id,
                    user_id=record.user_id.value,
                    expires_at=record.expires_at,
                )
            )

    async def redeem(
        self, token: SecretToken, now: datetime, /
    ) -> tuple[Redemption, RefreshTokenRecord | None]:
        """A ``SELECT`` by selector, the digest compared here, then :func:`use_once`."""
        async with self._engine.connect() as connection:
            found = await connection.execute(
                select(refresh_tokens).where(refresh_tokens.c.selector == token.selector)
            )
            row = found.mappings().one_or_none()
        if row is None or not token.matches(row["digest"]):
            return Redemption.REFUSED, None
        record = _to_record(row)
        if row["revoked_at"] is not None or row["expires_at"] <= now:
            return Redemption.REFUSED, record
        first = await use_once(self._engine, refresh_tokens, token.selector, now)
        return (Redemption.REDEEMED if first else Redemption.REUSED), record

    async def revoke_family(self, family_id: UUID, now: datetime, /) -> None:
        """One ``UPDATE`` of the family's tokens not revoked yet."""
        await self._revoke(refresh_tokens.c.family_id == family_id, now)

    async def revoke_user(self, user_id: UserId, now: datetime, /) -> None:
        """One ``UPDATE`` of the user's tokens not revoked yet."""
        await self._revoke(refresh_tokens.c.user_id == user_id.value, now)

    async def _revoke(self, which: ColumnElement[bool], now: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(refresh_tokens)
                .where(which)
                .where(refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )


# --8<-- [end:refresh-token-store]


def _to_record(row: RowMapping) -> RefreshTokenRecord:
    return RefreshTokenRecord(
        row["selector"], row["digest"], row["family_id"], UserId(row["user_id"]), row["expires_at"]
    )
