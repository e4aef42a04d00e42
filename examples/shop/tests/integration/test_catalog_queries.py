"""The catalog's queries on a real database: views without aggregates, one statement each.

Keyset pages cover every product once, in SKU order; tenant A never sees tenant B's
products; the lookup that ordering uses reads many products in one statement.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from catalog.application.dto.product_commands import AddProduct, DiscontinueProduct
from catalog.application.dto.product_views import ProductCursor, ProductView
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.look_up_products import PublishedProduct, look_up_products
from catalog.domain.errors import ProductNotFoundError
from infrastructure_kernel.pagination import encode_cursor
from shared_kernel.authorization import OPERATOR
from shared_kernel.errors import InvalidCursorError
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme", "globex")]

ACME, GLOBEX = TenantId("acme"), TenantId("globex")


async def add(services: Services, sku: str, tenant: TenantId = ACME, amount: str = "1.00") -> UUID:
    price = {"amount": amount, "currency": "EUR"}
    command = AddProduct.model_validate({"sku": sku, "name": f"Product {sku}", "price": price})
    return (await add_product(command, services.catalog_unit_of_work(tenant), actor=OPERATOR)).id


async def test_get_reads_one_product_as_a_view(services: Services) -> None:
    product_id = await add(services, "MUG-001", amount="12.5")

    view = await services.product_queries(ACME).get(product_id)

    assert view == ProductView.model_validate(
        {
            "id": product_id,
            "sku": "MUG-001",
            "name": "Product MUG-001",
            "price": {"amount": "12.50", "currency": "EUR"},
            "active": True,
        }
    )


async def test_get_raises_for_an_unknown_or_another_tenants_product(services: Services) -> None:
    globex_product = await add(services, "MUG-001", tenant=GLOBEX)

    for product_id in (uuid4(), globex_product):
        with pytest.raises(ProductNotFoundError, match=str(product_id)):
            await services.product_queries(ACME).get(product_id)


async def test_get_many_reads_the_tenants_products_in_one_statement(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    mug = await add(services, "MUG-001")
    cup = await add(services, "CUP-001")
    theirs = await add(services, "TEA-001", tenant=GLOBEX)

    with count_statements() as statements:
        views = await services.product_queries(ACME).get_many([mug, cup, theirs, uuid4()])

    assert sorted(view.sku for view in views) == ["CUP-001", "MUG-001"]
    assert len(statements) == 1


async def test_get_many_of_nothing_asks_the_database_nothing(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    with count_statements() as statements:
        assert await services.product_queries(ACME).get_many([]) == []
    assert statements == []


# --8<-- [start:keyset-test]
async def test_keyset_pages_cover_every_product_once_in_sku_order(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    skus = [f"SKU-{n:03}" for n in range(7)]
    for sku in reversed(skus):
        await add(services, sku)
    await add(services, "SKU-000", tenant=GLOBEX)  # another tenant's is never listed
    queries = services.product_queries(ACME)

    pages, after = [], None
    with count_statements() as statements:
        while True:
            page = await queries.list_page(after=after, limit=3)
            pages.append([view.sku for view in page.items])
            if page.next_cursor is None:
                break
            after = page.next_cursor

    assert pages == [skus[0:3], skus[3:6], skus[6:7]]
    assert len(statements) == 3  # one statement per page, however deep


# --8<-- [end:keyset-test]


async def test_a_full_last_page_has_no_next_cursor(services: Services) -> None:
    for sku in ("SKU-001", "SKU-002"):
        await add(services, sku)

    page = await services.product_queries(ACME).list_page(after=None, limit=2)

    assert [view.sku for view in page.items] == ["SKU-001", "SKU-002"]
    assert page.next_cursor is None


async def test_a_page_starts_after_the_cursor_even_when_that_product_is_gone(
    services: Services,
) -> None:
    for sku in ("SKU-001", "SKU-003"):
        await add(services, sku)

    page = await services.product_queries(ACME).list_page(
        after=encode_cursor(ProductCursor(sku="SKU-002")), limit=10
    )

    assert [view.sku for view in page.items] == ["SKU-003"]


async def test_an_empty_catalog_is_one_empty_page(services: Services) -> None:
    page = await services.product_queries(ACME).list_page(after=None, limit=10)

    assert (page.items, page.next_cursor) == ([], None)


async def test_a_forged_cursor_is_refused_before_any_statement(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    with count_statements() as statements, pytest.raises(InvalidCursorError):
        await services.product_queries(ACME).list_page(after="not-a-cursor", limit=10)
    assert statements == []


async def test_look_up_products_reads_through_the_adapter(services: Services) -> None:
    mug = await add(services, "MUG-001", amount="12.50")
    cup = await add(services, "CUP-001", amount="4.00")
    await discontinue_product(
        DiscontinueProduct(product_id=cup), services.catalog_unit_of_work(ACME), actor=OPERATOR
    )

    found = await look_up_products(services.product_queries(ACME), [mug, cup, uuid4()])

    assert found == {
        mug: PublishedProduct(
            mug, "MUG-001", "Product MUG-001", Money(Decimal("12.50"), "EUR"), True
        ),
        cup: PublishedProduct(
            cup, "CUP-001", "Product CUP-001", Money(Decimal("4.00"), "EUR"), False
        ),
    }
