"""The verification and reset tokens in the ``one_time_tokens`` table."""

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.interfaces.one_time_token_store import Purpose
from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.single_use import use_once
from identity.infrastructure.database.tables import one_time_tokens


class SqlAlchemyOneTimeTokenStore:
    """Single-use tokens, by selector; implements ``OneTimeTokenStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(
        self, purpose: Purpose, token: SecretToken, user_id: UserId, expires_at: datetime, /
    ) -> None:
        """One ``INSERT``."""
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(one_time_tokens).values(
                    selector=token.selector,
                    digest=token.digest(),
                    purpose=purpose.value,
                    user_id=user_id.value,
                    expires_at=expires_at,
                )
            )

    async def redeem(self, purpose: Purpose, token: SecretToken, now: datetime, /) -> UserId | None:
        """A ``SELECT`` by selector, the digest compared here, then :func:`use_once`."""
        async with self._engine.connect() as connection:
            found = await connection.execute(
                select(one_time_tokens).where(
                    (one_time_tokens.c.selector == token.selector)
                    & (one_time_tokens.c.purpose == purpose.value)
                )
            )
            row = found.mappings().one_or_none()
        if row is None or not token.matches(row["digest"]) or row["expires_at"] <= now:
            return None
        first = await use_once(self._engine, one_time_tokens, token.selector, now)
        return UserId(row["user_id"]) if first else None
