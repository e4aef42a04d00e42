"""Services on a fresh, migrated database for every test, and the app built on them."""

from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.settings import Settings
from shop.tenants import Tenant, TenantDirectory

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    # The engine comes from the fixture below; the URL here is never used.
    return Settings(_env_file=None, database_url=SecretStr("sqlite+aiosqlite:///:memory:"))


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings) -> Services:
    return Services(settings=settings, engine=engine, clock=FixedClock(NOW))


@pytest.fixture
async def acme(engine: AsyncEngine) -> Tenant:
    """A registered tenant."""
    tenant = Tenant(TenantId("acme"), "Acme Corporation", NOW)
    await TenantDirectory(engine).add(tenant)
    return tenant


@pytest.fixture
async def globex(engine: AsyncEngine) -> Tenant:
    """Another registered tenant, whose rows acme must never see (nor it acme's)."""
    tenant = Tenant(TenantId("globex"), "Globex Corporation", NOW)
    await TenantDirectory(engine).add(tenant)
    return tenant
