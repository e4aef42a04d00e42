"""The links of external identities to the shop's users, in the ``identity_links`` table."""

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.errors import IdentityLinkedElsewhereError
from identity.application.interfaces.identity_links import ExternalIdentity
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.tables import identity_links
from shared_kernel.clock import Clock


# --8<-- [start:identity-links]
class SqlAlchemyIdentityLinks:
    """Links by issuer and subject, the table's primary key; implements ``IdentityLinks``."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def find(self, identity: ExternalIdentity, /) -> UserId | None:
        """One ``SELECT`` by the primary key."""
        async with self._engine.connect() as connection:
            found = await connection.scalar(
                select(identity_links.c.user_id).where(
                    (identity_links.c.issuer == identity.issuer)
                    & (identity_links.c.subject == identity.subject)
                )
            )
        return None if found is None else UserId(found)

    async def link(self, identity: ExternalIdentity, user_id: UserId, /) -> None:
        """One ``INSERT``; when the key is taken, a ``SELECT`` says by whom."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    insert(identity_links).values(
                        issuer=identity.issuer,
                        subject=identity.subject,
                        user_id=user_id.value,
                        linked_at=self._clock.now(),
                    )
                )
        except IntegrityError as error:
            if await self.find(identity) != user_id:
                raise IdentityLinkedElsewhereError from error


# --8<-- [end:identity-links]
