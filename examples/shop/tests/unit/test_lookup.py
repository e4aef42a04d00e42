"""The catalog's published lookup, and ordering placing orders through it.

``CatalogAdapter`` below is what ``ordering.infrastructure`` will hold: the adapter behind
ordering's ProductCatalog port, calling the catalog's application layer. Here it runs on
the catalog's fakes, so the two contexts are tested together without a database.
"""

from collections.abc import Collection
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from catalog.application.dto.product_commands import AddProduct, DiscontinueProduct
from catalog.application.interfaces.product_queries import ProductQueries, ProductQueriesFactory
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWorkFactory
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.look_up_products import PublishedProduct, look_up_products
from ordering.application.dto.order_commands import PlaceOrder
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.use_cases.place_order import place_order
from ordering.domain.errors import ProductUnavailableError
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

from .conftest import FakeDatabase, FakeOrderingUnitOfWork

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")


class CatalogAdapter:
    def __init__(self, queries: ProductQueries) -> None:
        self._queries = queries

    async def snapshot(self, product_ids: Collection[UUID]) -> dict[UUID, ProductSnapshot]:
        products = await look_up_products(self._queries, product_ids)
        return {
            product_id: ProductSnapshot(p.sku, p.name, p.price, p.available)
            for product_id, p in products.items()
        }


async def add(new_uow: CatalogUnitOfWorkFactory, sku: str, amount: str) -> UUID:
    command = AddProduct.model_validate(
        {"sku": sku, "name": f"Product {sku}", "price": {"amount": amount, "currency": "EUR"}}
    )
    return (await add_product(command, new_uow(ACME), actor=OPERATOR)).id


async def test_look_up_products_describes_the_known_products_by_id(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    mug = await add(new_catalog_uow, "MUG-1", "12.50")
    cup = await add(new_catalog_uow, "CUP-1", "4.00")
    await discontinue_product(
        DiscontinueProduct(product_id=cup), new_catalog_uow(ACME), actor=OPERATOR
    )

    products = await look_up_products(product_queries(ACME), [mug, cup, uuid4()])

    assert products == {
        mug: PublishedProduct(mug, "MUG-1", "Product MUG-1", Money(Decimal("12.50"), "EUR"), True),
        cup: PublishedProduct(cup, "CUP-1", "Product CUP-1", Money(Decimal("4.00"), "EUR"), False),
    }


async def test_an_order_is_placed_at_the_catalogs_prices_through_the_adapter(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    database: FakeDatabase,
    clock: FixedClock,
) -> None:
    mug = await add(new_catalog_uow, "MUG-1", "12.50")
    cup = await add(new_catalog_uow, "CUP-1", "4.00")
    command = PlaceOrder.model_validate(
        {"lines": [{"product_id": mug, "quantity": 2}, {"product_id": cup, "quantity": 1}]}
    )

    uow = FakeOrderingUnitOfWork(database, ACME, CatalogAdapter(product_queries(ACME)))
    placed = await place_order(command, uow, clock, actor=OPERATOR)

    assert [(line.sku, line.line_total.amount) for line in placed.order.lines] == [
        ("MUG-1", Decimal("25.00")),
        ("CUP-1", Decimal("4.00")),
    ]
    assert placed.order.total.amount == Decimal("29.00")


async def test_a_discontinued_product_cannot_be_ordered_through_the_adapter(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    database: FakeDatabase,
    clock: FixedClock,
) -> None:
    mug = await add(new_catalog_uow, "MUG-1", "12.50")
    await discontinue_product(
        DiscontinueProduct(product_id=mug), new_catalog_uow(ACME), actor=OPERATOR
    )
    command = PlaceOrder.model_validate({"lines": [{"product_id": mug, "quantity": 1}]})

    uow = FakeOrderingUnitOfWork(database, ACME, CatalogAdapter(product_queries(ACME)))

    with pytest.raises(ProductUnavailableError, match=str(mug)):
        await place_order(command, uow, clock, actor=OPERATOR)
