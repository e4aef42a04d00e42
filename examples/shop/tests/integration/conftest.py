"""Services on a fresh, migrated database for every test, and what tests build on them.

The app, in-process clients (an owner's of acme and globex, and an anonymous one),
access tokens for any memberships, and a counter of the SQL statements the engine sends.
"""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, provider_client
from shop.presentation.api.application import shop_app
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory

from .payment_provider import API_KEY, WEBHOOK_SECRET, Provider, serving_provider

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The engine comes from the fixture below; the URL here is never used. The read cache
    # stays in the process: the cache's own tests use the Redis server in REDIS_URL.
    # Passwords are hashed at Argon2id's lowest cost, and mail lands in the test's folder.
    return Settings(
        _env_file=None,
        database_url=SecretStr("sqlite+aiosqlite:///:memory:"),
        redis_url=None,
        password_hash_time_cost=1,
        password_hash_memory_cost=8,
        password_hash_parallelism=1,
        mail_dir=tmp_path / "mail",
    )


@pytest.fixture
async def services(engine: AsyncEngine, settings: Settings) -> AsyncIterator[Services]:
    """The services on the test's engine; the payment provider's client, if any, is closed after."""
    client = provider_client(settings)  # None, unless a module's settings pay
    try:
        yield Services(
            settings=settings, engine=engine, clock=FixedClock(NOW), provider_client=client
        )
    finally:
        if client is not None:
            await client.aclose()


@pytest.fixture
def provider() -> Iterator[Provider]:
    """The tests' own payment provider, on a local port, for a module whose settings pay."""
    with serving_provider() as provider:
        yield provider


def paying(settings: Settings, provider: Provider, **changes: Any) -> Settings:
    """``settings`` with payments through ``provider``, and ``changes`` on top, validated."""
    return Settings.model_validate(
        {
            **settings.model_dump(),
            "payment_provider_url": provider.url,
            "payment_provider_api_key": SecretStr(API_KEY),
            "payment_webhook_secret": SecretStr(WEBHOOK_SECRET),
            **changes,
        }
    )


@pytest.fixture
async def acme(engine: AsyncEngine) -> Tenant:
    """A registered tenant."""
    tenant = Tenant(TenantId("acme"), "Acme Corporation", NOW)
    await SqlAlchemyTenantDirectory(engine).add(tenant)
    return tenant


@pytest.fixture
async def globex(engine: AsyncEngine) -> Tenant:
    """Another registered tenant, whose rows acme must never see (nor it acme's)."""
    tenant = Tenant(TenantId("globex"), "Globex Corporation", NOW)
    await SqlAlchemyTenantDirectory(engine).add(tenant)
    return tenant


@pytest.fixture
async def tenants(acme: Tenant, globex: Tenant) -> None:
    """Both tenants registered, for tests that need them but not their details."""
    del acme, globex


@pytest.fixture
def app(services: Services) -> FastAPI:
    """The shop's app on the test's services; a module overrides it to test less."""
    return shop_app(services)


# --8<-- [start:member-token]
TokenFor = Callable[..., str]


@pytest.fixture
def token_for(services: Services) -> TokenFor:
    """``token_for(acme=Role.CLERK)``: an access token of a new user with those memberships.

    Signed by the services' own issuer, as a login would sign it, without a password
    hashed or a statement sent: the shop reads the memberships from its verified token.
    """

    def token(**roles: Role) -> str:
        memberships = [Membership(TenantId(tenant), role) for tenant, role in roles.items()]
        issued = services.access_token_issuer().issue(str(UserId.new().value), memberships)
        return issued.token

    return token


def bearer(token: str) -> dict[str, str]:
    """The header that sends ``token``."""
    return {"Authorization": f"Bearer {token}"}


def owner_of_both(services: Services) -> dict[str, str]:
    """The header of an owner of acme and of globex, whose token ``services`` signed."""
    owner = [Membership(TenantId(tenant), Role.OWNER) for tenant in ("acme", "globex")]
    return bearer(services.access_token_issuer().issue(str(UserId.new().value), owner).token)


# --8<-- [end:member-token]


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that calls the app in process, with no access token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def client(app: FastAPI, services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that calls the app in process as an owner of acme and of globex.

    The tests of what the contexts do call as a user allowed everything in both tenants,
    choosing one with ``X-Tenant-ID``; the tests of who may do what are in
    ``test_authorization.py``, and identity's call as ``anonymous``.
    """
    transport = httpx.ASGITransport(app=app)
    owner = owner_of_both(services)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=owner
    ) as client:
        yield client


@pytest.fixture
def root_logger_restored() -> Iterator[None]:
    """Leave the root logger's handlers and level as they were, for tests that configure logging."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    root.handlers = saved
    root.setLevel(level)


@pytest.fixture
def structlog_restored() -> Iterator[None]:
    """Leave structlog as it was: a test that configures logging resets it afterwards."""
    yield
    structlog.reset_defaults()


# --8<-- [start:count-statements]
@contextmanager
def counted_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Record every SQL statement ``engine`` sends while the block runs."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, parameters, ...)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@pytest.fixture
def count_statements(engine: AsyncEngine) -> Callable[[], AbstractContextManager[list[str]]]:
    """``with count_statements() as statements:`` records what the test's engine sends."""
    return partial(counted_statements, engine)


# --8<-- [end:count-statements]
