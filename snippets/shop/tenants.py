"""The tenants: who the shop serves, and the directory that knows them.

Every row of every context's tables belongs to one tenant. A request names its tenant
(``X-Tenant-ID``); :mod:`shop.api.tenancy` resolves the name against this directory
before any context sees the request.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared_kernel.errors import DomainError, InvalidValueError
from shared_kernel.tenancy import TenantId
from shop.database.tables import TENANT_NAME_LENGTH, tenants


class TenantAlreadyExistsError(DomainError):
    """A tenant with this id is already registered."""

    def __init__(self, tenant_id: TenantId) -> None:
        """Name the taken id."""
        super().__init__(f"a tenant with the id {tenant_id.value} already exists")


class UnknownTenantError(DomainError):
    """No tenant has this id."""

    def __init__(self, tenant_id: TenantId) -> None:
        """Name the unknown id."""
        super().__init__(f"no tenant has the id {tenant_id.value}")


@dataclass(frozen=True)
class Tenant:
    """A registered tenant.

    Attributes:
        tenant_id: The slug that requests name the tenant by.
        name: The display name, 1 to 200 characters.
        created_at: When the tenant was registered, in UTC.
    """

    tenant_id: TenantId
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        """Refuse a blank or overlong name."""
        if not self.name.strip() or len(self.name) > TENANT_NAME_LENGTH:
            raise InvalidValueError(
                f"a tenant name has 1 to {TENANT_NAME_LENGTH} characters and is not blank"
            )


# --8<-- [start:tenant-directory]
class TenantDirectory:
    """The registered tenants, in the ``tenants`` table.

    Each method runs in a short transaction of its own: registering a tenant is an
    administrative act, and checking one is a single read per request.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        """Read and write through ``engine``."""
        self._engine = engine

    async def get(self, tenant_id: TenantId) -> Tenant | None:
        """Return the tenant with this id, or ``None`` when there is none."""
        async with self._engine.connect() as connection:
            result = await connection.execute(
                select(tenants).where(tenants.c.tenant_id == tenant_id.value)
            )
            row = result.mappings().one_or_none()
        return None if row is None else _to_tenant(row)

    async def require(self, tenant_id: TenantId) -> Tenant:
        """Return the tenant with this id.

        Raises:
            UnknownTenantError: No tenant has it.
        """
        tenant = await self.get(tenant_id)
        if tenant is None:
            raise UnknownTenantError(tenant_id)
        return tenant

    async def add(self, tenant: Tenant) -> None:
        """Register a tenant.

        Raises:
            TenantAlreadyExistsError: The id is taken.
        """
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
        """Return every tenant, ordered by id."""
        async with self._engine.connect() as connection:
            result = await connection.execute(select(tenants).order_by(tenants.c.tenant_id))
            return [_to_tenant(row) for row in result.mappings()]


# --8<-- [end:tenant-directory]


def _to_tenant(row: RowMapping) -> Tenant:
    return Tenant(TenantId(row["tenant_id"]), name=row["name"], created_at=row["created_at"])
