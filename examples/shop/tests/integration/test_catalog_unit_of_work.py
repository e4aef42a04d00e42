"""The catalog's unit of work and repository on a real database.

Products are stored and rebuilt exactly, only changed ones are written, events reach the
outbox in the same transaction, a lost race is refused, and a tenant sees its own rows.
"""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.domain.entities.product import Product
from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from catalog.infrastructure.database.tables import products
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import outbox

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme", "globex")]

ACME, GLOBEX = TenantId("acme"), TenantId("globex")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def new_product(sku: str = "MUG-001", price: str = "12.50", tenant: TenantId = ACME) -> Product:
    return Product.add(
        tenant, ProductId.new(), sku=Sku(sku), name=ProductName("Mug"), price=eur(price)
    )


async def store(services: Services, product: Product) -> None:
    async with services.catalog_unit_of_work(product.tenant_id) as uow:
        await uow.products.add(product)
        await uow.commit()


async def outbox_events(engine: AsyncEngine) -> list[tuple[str, str, dict[str, object]]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox))).mappings().all()
    return [(row["tenant_id"], row["event_name"], json.loads(row["payload"])) for row in rows]


async def test_a_stored_product_is_rebuilt_exactly_at_version_1(services: Services) -> None:
    product = new_product(price="1234567890123.45")
    await store(services, product)

    async with services.catalog_unit_of_work(ACME) as uow:
        by_id = await uow.products.get(product.id)
        by_sku = await uow.products.get_by_sku(Sku("mug-001"))

    assert by_id is not None
    assert by_sku is not None
    assert by_sku.id == by_id.id == product.id
    assert (by_id.tenant_id, by_id.sku, by_id.name) == (ACME, Sku("MUG-001"), ProductName("Mug"))
    assert by_id.price == eur("1234567890123.45")
    assert (by_id.active, by_id.version, product.version) == (True, 1, 1)
    assert by_id.pull_events() == []  # rebuilding records nothing


async def test_money_is_stored_as_minor_units_and_a_currency(
    services: Services, engine: AsyncEngine
) -> None:
    await store(services, new_product(price="12.50"))

    async with engine.connect() as connection:
        row = (await connection.execute(select(products))).mappings().one()

    assert (row["price_minor_units"], row["currency"]) == (1250, "EUR")


async def test_a_missing_product_is_none(services: Services) -> None:
    async with services.catalog_unit_of_work(ACME) as uow:
        assert await uow.products.get(ProductId.new()) is None
        assert await uow.products.get_by_sku(Sku("NONE-001")) is None


async def test_the_added_product_and_its_event_are_stored_together(
    services: Services, engine: AsyncEngine
) -> None:
    product = new_product()
    await store(services, product)

    [(tenant, name, payload)] = await outbox_events(engine)
    assert (tenant, name) == ("acme", "ProductAdded")
    assert (payload["product_id"], payload["sku"], payload["price"]) == (
        str(product.id),
        "MUG-001",
        "12.50",
    )


async def test_changes_are_stored_with_the_next_version_and_their_events(
    services: Services, engine: AsyncEngine
) -> None:
    product = new_product()
    await store(services, product)

    async with services.catalog_unit_of_work(ACME) as uow:
        loaded = await uow.products.get(product.id)
        assert loaded is not None
        loaded.reprice(eur("13.00"))
        loaded.discontinue()
        await uow.commit()

    async with services.catalog_unit_of_work(ACME) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None
    assert (stored.price, stored.active, stored.version) == (eur("13.00"), False, 2)
    events = await outbox_events(engine)
    assert [name for _, name, _ in events] == [
        "ProductAdded",
        "ProductRepriced",
        "ProductDiscontinued",
    ]


async def test_a_loaded_product_without_changes_is_not_written(
    services: Services, engine: AsyncEngine
) -> None:
    product = new_product()
    await store(services, product)

    async with services.catalog_unit_of_work(ACME) as uow:
        loaded = await uow.products.get(product.id)
        assert loaded is not None
        loaded.reprice(eur("12.50"))  # the same price: nothing happens
        await uow.commit()

    async with services.catalog_unit_of_work(ACME) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None
    assert stored.version == 1
    assert len(await outbox_events(engine)) == 1


async def test_leaving_without_commit_discards_everything(
    services: Services, engine: AsyncEngine
) -> None:
    async with services.catalog_unit_of_work(ACME) as uow:
        await uow.products.add(new_product())

    async with services.catalog_unit_of_work(ACME) as uow:
        assert await uow.products.get_by_sku(Sku("MUG-001")) is None
    assert await outbox_events(engine) == []


# --8<-- [start:concurrency-test]
async def test_the_second_of_two_concurrent_changes_is_refused(services: Services) -> None:
    product = new_product()
    await store(services, product)

    async with (
        services.catalog_unit_of_work(ACME) as first,
        services.catalog_unit_of_work(ACME) as second,
    ):
        mine = await first.products.get(product.id)
        theirs = await second.products.get(product.id)
        assert mine is not None
        assert theirs is not None
        mine.reprice(eur("13.00"))
        theirs.discontinue()
        await first.commit()
        with pytest.raises(ConcurrencyConflictError, match="changed by someone else"):
            await second.commit()

    async with services.catalog_unit_of_work(ACME) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None
    assert (stored.price, stored.active, stored.version) == (eur("13.00"), True, 2)


# --8<-- [end:concurrency-test]


async def test_a_sku_taken_by_a_concurrent_add_is_refused_on_commit(
    services: Services, engine: AsyncEngine
) -> None:
    async with (
        services.catalog_unit_of_work(ACME) as first,
        services.catalog_unit_of_work(ACME) as second,
    ):
        # Both checked that the SKU was free before either stored its product.
        assert await first.products.get_by_sku(Sku("MUG-001")) is None
        assert await second.products.get_by_sku(Sku("MUG-001")) is None
        await first.products.add(new_product(price="1.00"))
        await second.products.add(new_product(price="2.00"))
        await first.commit()
        with pytest.raises(SkuAlreadyExistsError, match="MUG-001"):
            await second.commit()

    assert len(await outbox_events(engine)) == 1


async def test_a_tenant_never_sees_another_tenants_products(services: Services) -> None:
    product = new_product()
    await store(services, product)

    async with services.catalog_unit_of_work(GLOBEX) as uow:
        assert uow.tenant_id == GLOBEX
        assert await uow.products.get(product.id) is None
        assert await uow.products.get_by_sku(Sku("MUG-001")) is None


async def test_two_tenants_may_use_the_same_sku(services: Services) -> None:
    await store(services, new_product(tenant=ACME))
    await store(services, new_product(tenant=GLOBEX))

    for tenant in (ACME, GLOBEX):
        async with services.catalog_unit_of_work(tenant) as uow:
            found = await uow.products.get_by_sku(Sku("MUG-001"))
            assert found is not None
            assert found.tenant_id == tenant


async def test_a_repository_refuses_another_tenants_product(services: Services) -> None:
    async with services.catalog_unit_of_work(GLOBEX) as uow:
        with pytest.raises(ValueError, match="belongs to acme"):
            await uow.products.add(new_product(tenant=ACME))
