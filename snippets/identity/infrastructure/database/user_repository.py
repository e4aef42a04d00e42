"""The users in the ``users`` and ``memberships`` tables."""

from sqlalchemy import ColumnElement, RowMapping, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from identity.domain.entities.user import User
from identity.domain.errors import EmailAlreadyRegisteredError, MembershipTenantUnknownError
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.tables import memberships, users
from shared_kernel.tenancy import TenantId


# --8<-- [start:user-repository]
class SqlAlchemyUserRepository:
    """Users and their memberships; implements ``UserRepository``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, user_id: UserId, /) -> User | None:
        """Two ``SELECT``s on one connection: the user, then their memberships."""
        return await self._find(users.c.user_id == user_id.value)

    async def get_by_email(self, email: EmailAddress, /) -> User | None:
        """As :meth:`get`, found by the unique index on the address."""
        return await self._find(users.c.email == email.value)

    async def add(self, user: User, /) -> None:
        """One ``INSERT``; the unique index refuses a taken address."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    insert(users).values(
                        user_id=user.user_id.value,
                        email=user.email.value,
                        display_name=user.display_name.value,
                        password_hash=user.password_hash,
                        created_at=user.created_at,
                        email_verified_at=user.email_verified_at,
                    )
                )
        except IntegrityError as error:
            raise EmailAlreadyRegisteredError from error

    async def update(self, user: User, /) -> None:
        """One ``UPDATE`` of the hash and the verification time."""
        async with self._engine.begin() as connection:
            await connection.execute(
                update(users)
                .where(users.c.user_id == user.user_id.value)
                .values(password_hash=user.password_hash, email_verified_at=user.email_verified_at)
            )

    async def grant(self, user_id: UserId, membership: Membership, /) -> None:
        """An ``UPDATE`` of the role, or an ``INSERT`` when the user is not a member yet."""
        key = (memberships.c.user_id == user_id.value) & (
            memberships.c.tenant_id == membership.tenant_id.value
        )
        try:
            async with self._engine.begin() as connection:
                changed = await connection.execute(
                    update(memberships).where(key).values(role=membership.role.value)
                )
                if changed.rowcount == 0:
                    await connection.execute(
                        insert(memberships).values(
                            user_id=user_id.value,
                            tenant_id=membership.tenant_id.value,
                            role=membership.role.value,
                        )
                    )
        except IntegrityError as error:  # the foreign key to tenants
            raise MembershipTenantUnknownError from error

    async def _find(self, where: ColumnElement[bool]) -> User | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(users).where(where))).mappings().one_or_none()
            if row is None:
                return None
            return _to_user(row, await _memberships(connection, row["user_id"]))


# --8<-- [end:user-repository]


async def _memberships(connection: AsyncConnection, user_id: object) -> tuple[Membership, ...]:
    rows = await connection.execute(
        select(memberships.c.tenant_id, memberships.c.role)
        .where(memberships.c.user_id == user_id)
        .order_by(memberships.c.tenant_id)
    )
    return tuple(Membership(TenantId(tenant), Role(role)) for tenant, role in rows)


def _to_user(row: RowMapping, member_of: tuple[Membership, ...]) -> User:
    return User(
        UserId(row["user_id"]),
        EmailAddress(row["email"]),
        DisplayName(row["display_name"]),
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        email_verified_at=row["email_verified_at"],
        memberships=member_of,
    )
