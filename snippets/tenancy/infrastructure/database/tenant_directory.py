"""The tenant directory in the ``tenants`` table.

Every row of every context's tables belongs to one tenant. A request names its tenant
(``X-Tenant-ID``); :mod:`tenancy.presentation.api.tenancy` resolves the name against
this directory before any context sees the request.
"""

from collections.abc import Sequence

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.database.read_connection import read_connection
from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.domain.errors import TenantAlreadyExistsError
from tenancy.infrastructure.database.tables import tenants


# --8<-- [start:tenant-directory]
class SqlAlchemyTenantDirectory:
    """The registered tenants, in the ``tenants`` table; implements ``TenantDirectory``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, tenant_id: TenantId, /) -> Tenant | None:
        """One ``SELECT`` by primary key, on a connection of its own, in autocommit."""
        async with read_connection(self._engine) as connection:
            result = await connection.execute(
                select(tenants).where(tenants.c.tenant_id == tenant_id.value)
            )
            row = result.mappings().one_or_none()
        return None if row is None else _to_tenant(row)

    async def add(self, tenant: Tenant, /) -> None:
        """One ``INSERT`` in a transaction of its own; the primary key refuses a taken id."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    insert(tenants).values(
                        tenant_id=tenant.tenant_id.value,
                        name=tenant.name,
                        created_at=tenant.created_at,
                    )
                )
        except IntegrityError as error:
            raise TenantAlreadyExistsError(tenant.tenant_id) from error

    async def list_all(self) -> Sequence[Tenant]:
        """One ``SELECT`` in primary key order."""
        async with read_connection(self._engine) as connection:
            result = await connection.execute(select(tenants).order_by(tenants.c.tenant_id))
            return [_to_tenant(row) for row in result.mappings()]


# --8<-- [end:tenant-directory]


def _to_tenant(row: RowMapping) -> Tenant:
    return Tenant(TenantId(row["tenant_id"]), name=row["name"], created_at=row["created_at"])
