"""The tenant directory on a real database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.domain.errors import TenantAlreadyExistsError, UnknownTenantError
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory

pytestmark = pytest.mark.anyio

REGISTERED_AT = datetime(2025, 3, 14, 10, 26, 53, 589000, tzinfo=timezone(timedelta(hours=1)))


async def test_an_added_tenant_reads_back_equal_with_an_aware_utc_time(
    engine: AsyncEngine,
) -> None:
    directory = SqlAlchemyTenantDirectory(engine)
    tenant = Tenant(TenantId("acme"), "Acme Corporation", REGISTERED_AT)

    await directory.add(tenant)

    loaded = await directory.get(TenantId("acme"))
    assert loaded == tenant
    assert loaded is not None
    assert loaded.created_at.tzinfo is UTC


async def test_an_unknown_tenant_is_none(engine: AsyncEngine) -> None:
    assert await SqlAlchemyTenantDirectory(engine).get(TenantId("nobody")) is None


async def test_list_all_orders_by_id(engine: AsyncEngine) -> None:
    directory = SqlAlchemyTenantDirectory(engine)
    for slug in ["globex", "acme", "initech"]:
        await directory.add(Tenant(TenantId(slug), slug.title(), REGISTERED_AT))

    listed = await directory.list_all()

    assert [tenant.tenant_id.value for tenant in listed] == ["acme", "globex", "initech"]


async def test_an_id_is_registered_once(engine: AsyncEngine) -> None:
    directory = SqlAlchemyTenantDirectory(engine)
    await directory.add(Tenant(TenantId("acme"), "Acme", REGISTERED_AT))

    with pytest.raises(TenantAlreadyExistsError, match="a tenant with the id acme already"):
        await directory.add(Tenant(TenantId("acme"), "Another Acme", REGISTERED_AT))

    assert [t.name for t in await directory.list_all()] == ["Acme"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_tenant_name_is_not_blank_and_not_overlong(name: str) -> None:
    with pytest.raises(InvalidValueError, match="a tenant name has 1 to 200 characters"):
        Tenant(TenantId("acme"), name, REGISTERED_AT)


def test_the_unknown_tenant_error_names_the_id() -> None:
    assert str(UnknownTenantError(TenantId("acme"))) == "no tenant has the id acme"
