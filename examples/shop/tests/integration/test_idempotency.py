"""The idempotency store ordering's unit of work is given, on a real database."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from ordering.application.interfaces.idempotency_store import IdempotencyKey, StoredResult
from shared_kernel.clock import FixedClock
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.infrastructure.database.idempotency import SqlAlchemyIdempotencyStore
from tenancy.domain.entities.tenant import Tenant
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
KEY = IdempotencyKey("5b0c4c1e-retry-me")
FINGERPRINT = "f" * 64

StoreFor = Callable[[TenantId], AbstractAsyncContextManager[SqlAlchemyIdempotencyStore]]


@pytest.fixture
def store_for(engine: AsyncEngine) -> StoreFor:
    """Opens a store in a transaction of its own; leaving the block commits what it stored."""

    @asynccontextmanager
    async def open_store(tenant_id: TenantId) -> AsyncIterator[SqlAlchemyIdempotencyStore]:
        async with engine.begin() as connection:
            yield SqlAlchemyIdempotencyStore(connection, tenant_id, FixedClock(NOW))

    return open_store


async def test_a_remembered_key_is_recalled_after_commit(store_for: StoreFor, acme: Tenant) -> None:
    order_id = uuid4()
    async with store_for(acme.tenant_id) as store:
        assert await store.recall(KEY) is None
        await store.remember(KEY, FINGERPRINT, order_id)
        assert await store.recall(KEY) == StoredResult(FINGERPRINT, order_id)
        await store.store_changes()

    async with store_for(acme.tenant_id) as store:
        assert await store.recall(KEY) == StoredResult(FINGERPRINT, order_id)


async def test_a_key_is_not_stored_until_the_changes_are(store_for: StoreFor, acme: Tenant) -> None:
    async with store_for(acme.tenant_id) as store:
        await store.remember(KEY, FINGERPRINT, uuid4())

    async with store_for(acme.tenant_id) as store:
        assert await store.recall(KEY) is None
        await store.store_changes()  # nothing remembered: nothing to write


async def test_keys_are_per_tenant(store_for: StoreFor, engine: AsyncEngine, acme: Tenant) -> None:
    globex = Tenant(TenantId("globex"), "Globex", NOW)
    await SqlAlchemyTenantDirectory(engine).add(globex)
    acme_order, globex_order = uuid4(), uuid4()

    for tenant_id, order_id in [(acme.tenant_id, acme_order), (globex.tenant_id, globex_order)]:
        async with store_for(tenant_id) as store:
            await store.remember(KEY, FINGERPRINT, order_id)
            await store.store_changes()

    async with store_for(globex.tenant_id) as store:
        assert await store.recall(KEY) == StoredResult(FINGERPRINT, globex_order)


async def test_a_key_stored_concurrently_first_is_a_conflict(
    store_for: StoreFor, acme: Tenant
) -> None:
    async with store_for(acme.tenant_id) as late:
        assert await late.recall(KEY) is None
        async with store_for(acme.tenant_id) as early:
            await early.remember(KEY, FINGERPRINT, uuid4())
            await early.store_changes()
        await late.remember(KEY, FINGERPRINT, uuid4())
        with pytest.raises(ConcurrencyConflictError, match="same idempotency key"):
            await late.store_changes()
