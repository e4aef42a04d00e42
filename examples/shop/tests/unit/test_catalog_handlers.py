"""The catalog's command handlers on fakes: one transaction per command, events on commit."""

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from catalog.application.dto.product_commands import AddProduct, DiscontinueProduct, RepriceProduct
from catalog.application.dto.product_views import MoneyView, ProductView
from catalog.application.interfaces.product_queries import ProductQueriesFactory
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWorkFactory
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.reprice_product import reprice_product
from catalog.domain.errors import (
    ProductDiscontinuedError,
    ProductNotFoundError,
    SkuAlreadyExistsError,
)
from catalog.domain.events.product_events import ProductAdded, ProductDiscontinued, ProductRepriced
from catalog.domain.value_objects.product_id import ProductId
from shared_kernel.authorization import OPERATOR
from shared_kernel.events import DomainEvent
from shared_kernel.money import CurrencyMismatchError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")
GLOBEX = TenantId("globex")


def price(amount: str, currency: str = "EUR") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


async def add(
    new_uow: CatalogUnitOfWorkFactory, sku: str = "MUG-001", tenant: TenantId = ACME
) -> ProductView:
    command = AddProduct.model_validate({"sku": sku, "name": "Mug", "price": price("12.50")})
    return await add_product(command, new_uow(tenant), actor=OPERATOR)


def reprice(product_id: UUID, amount: str, currency: str = "EUR") -> RepriceProduct:
    return RepriceProduct.model_validate(
        {"product_id": product_id, "price": price(amount, currency)}
    )


async def test_add_stores_the_product_and_publishes_the_event(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    view = await add(new_catalog_uow)

    assert (view.sku, view.name, view.price, view.active) == (
        "MUG-001",
        "Mug",
        MoneyView(amount=Decimal("12.50"), currency="EUR"),
        True,
    )
    assert await product_queries(ACME).get(view.id) == view
    [event] = outbox
    assert isinstance(event, ProductAdded)
    assert (event.tenant_id, event.product_id) == ("acme", view.id)


async def test_add_refuses_a_sku_the_tenant_uses_and_stores_nothing(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    await add(new_catalog_uow)

    with pytest.raises(SkuAlreadyExistsError, match="the SKU MUG-001 already exists"):
        await add(new_catalog_uow, sku="mug-001")

    page = await product_queries(ACME).list_page(after=None, limit=10)
    assert len(page.items) == 1
    assert len(outbox) == 1


async def test_skus_are_unique_per_tenant_only(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    ours = await add(new_catalog_uow, tenant=ACME)
    theirs = await add(new_catalog_uow, tenant=GLOBEX)

    assert ours.id != theirs.id
    assert [
        p.id for p in (await product_queries(GLOBEX).list_page(after=None, limit=10)).items
    ] == [theirs.id]


async def test_reprice_stores_the_new_price(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    added = await add(new_catalog_uow)

    repriced = await reprice_product(
        reprice(added.id, "9.99"), new_catalog_uow(ACME), actor=OPERATOR
    )

    assert repriced.price == MoneyView(amount=Decimal("9.99"), currency="EUR")
    assert await product_queries(ACME).get(added.id) == repriced
    assert isinstance(outbox[-1], ProductRepriced)


async def test_a_reprice_in_another_currency_is_refused_and_changes_nothing(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    added = await add(new_catalog_uow)

    with pytest.raises(CurrencyMismatchError):
        await reprice_product(
            reprice(added.id, "9.99", "USD"), new_catalog_uow(ACME), actor=OPERATOR
        )

    assert await product_queries(ACME).get(added.id) == added


async def test_discontinue_stores_the_state_and_later_changes_are_refused(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    added = await add(new_catalog_uow)
    command = DiscontinueProduct(product_id=added.id)

    discontinued = await discontinue_product(command, new_catalog_uow(ACME), actor=OPERATOR)

    assert not discontinued.active
    assert not (await product_queries(ACME).get(added.id)).active
    assert isinstance(outbox[-1], ProductDiscontinued)
    with pytest.raises(ProductDiscontinuedError):
        await discontinue_product(command, new_catalog_uow(ACME), actor=OPERATOR)
    with pytest.raises(ProductDiscontinuedError):
        await reprice_product(reprice(added.id, "1.00"), new_catalog_uow(ACME), actor=OPERATOR)
    assert len(outbox) == 2


async def test_another_tenants_product_is_not_found(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    theirs = await add(new_catalog_uow, tenant=GLOBEX)

    with pytest.raises(ProductNotFoundError, match=str(theirs.id)):
        await discontinue_product(
            DiscontinueProduct(product_id=theirs.id), new_catalog_uow(ACME), actor=OPERATOR
        )
    with pytest.raises(ProductNotFoundError):
        await reprice_product(reprice(theirs.id, "1.00"), new_catalog_uow(ACME), actor=OPERATOR)

    assert (await product_queries(GLOBEX).get(theirs.id)).active


async def test_acting_on_an_unknown_product_raises_not_found(
    new_catalog_uow: CatalogUnitOfWorkFactory,
) -> None:
    unknown = uuid4()
    with pytest.raises(ProductNotFoundError, match=str(unknown)):
        await reprice_product(reprice(unknown, "1.00"), new_catalog_uow(ACME), actor=OPERATOR)


async def test_a_concurrent_change_loses_with_a_conflict(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    added = await add(new_catalog_uow)
    stale = new_catalog_uow(ACME)

    async with stale:
        product = await stale.products.get(ProductId(added.id))
        assert product is not None
        await reprice_product(reprice(added.id, "9.99"), new_catalog_uow(ACME), actor=OPERATOR)
        product.discontinue()
        with pytest.raises(ConcurrencyConflictError):
            await stale.commit()

    view = await product_queries(ACME).get(added.id)
    assert (view.active, view.price.amount) == (True, Decimal("9.99"))
