"""Reading the catalog: one product, several, and keyset pages with opaque cursors."""

import base64
import re
from uuid import uuid4

import pytest

from catalog.application.dto.product_commands import AddProduct
from catalog.application.dto.product_views import ProductCursor, ProductView
from catalog.application.interfaces.product_queries import ProductQueriesFactory
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWorkFactory
from catalog.application.use_cases.add_product import add_product
from catalog.domain.errors import ProductNotFoundError
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from shared_kernel.authorization import OPERATOR
from shared_kernel.cursor import MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidCursorError, InvalidValueError
from shared_kernel.tenancy import TenantId

ACME = TenantId("acme")


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def add(new_uow: CatalogUnitOfWorkFactory, sku: str, tenant: TenantId = ACME) -> ProductView:
    command = AddProduct.model_validate(
        {"sku": sku, "name": f"Product {sku}", "price": {"amount": "1.00", "currency": "EUR"}}
    )
    return await add_product(command, new_uow(tenant), actor=OPERATOR)


def test_a_cursor_is_url_safe_text_that_decodes_to_the_sku() -> None:
    cursor = encode_cursor(ProductCursor(sku="MUG-001"))
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)
    assert decode_cursor(cursor, ProductCursor) == ProductCursor(sku="MUG-001")


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64!",
        "é",
        cursor_of("not json"),
        cursor_of("[1, 2]"),
        cursor_of('{"id": "MUG-001"}'),
        cursor_of('{"sku": 7}'),
        cursor_of('{"sku": "-"}'),
        "A" * (MAX_CURSOR_LENGTH + 1),
    ],
    ids=[
        "empty",
        "not-base64",
        "not-ascii",
        "not-json",
        "not-object",
        "no-sku",
        "number",
        "bad-sku",
        "long",
    ],
)
def test_anything_but_a_handed_out_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError, match="not a cursor of this list") as caught:
        decode_cursor(cursor, ProductCursor)
    assert isinstance(caught.value, InvalidValueError)


@pytest.mark.anyio
async def test_pages_follow_the_sku_order_and_end_with_no_cursor(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    for sku in ["CUP-2", "BOWL-1", "MUG-1", "CUP-1", "PLATE-1"]:
        await add(new_catalog_uow, sku)
    queries = product_queries(ACME)

    first = await queries.list_page(after=None, limit=2)
    second = await queries.list_page(after=first.next_cursor, limit=2)
    third = await queries.list_page(after=second.next_cursor, limit=2)

    assert [[p.sku for p in page.items] for page in (first, second, third)] == [
        ["BOWL-1", "CUP-1"],
        ["CUP-2", "MUG-1"],
        ["PLATE-1"],
    ]
    assert first.next_cursor is not None
    assert third.next_cursor is None


@pytest.mark.anyio
async def test_a_full_last_page_has_no_next_cursor(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    for sku in ["CUP-1", "MUG-1"]:
        await add(new_catalog_uow, sku)

    page = await product_queries(ACME).list_page(after=None, limit=2)

    assert len(page.items) == 2
    assert page.next_cursor is None


@pytest.mark.anyio
async def test_a_cursor_stays_valid_while_products_are_added_before_it(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    for sku in ["CUP-1", "MUG-1", "PLATE-1"]:
        await add(new_catalog_uow, sku)
    first = await product_queries(ACME).list_page(after=None, limit=1)

    await add(new_catalog_uow, "BOWL-1")  # an offset would now repeat CUP-1
    second = await product_queries(ACME).list_page(after=first.next_cursor, limit=1)

    assert [p.sku for p in second.items] == ["MUG-1"]


@pytest.mark.anyio
async def test_get_many_returns_the_tenants_products_among_the_ids(
    new_catalog_uow: CatalogUnitOfWorkFactory, product_queries: ProductQueriesFactory
) -> None:
    mug = await add(new_catalog_uow, "MUG-1")
    cup = await add(new_catalog_uow, "CUP-1")
    await add(new_catalog_uow, "PLATE-1")
    theirs = await add(new_catalog_uow, "BOWL-1", tenant=TenantId("globex"))

    found = await product_queries(ACME).get_many([mug.id, cup.id, theirs.id, uuid4()])

    assert sorted(view.sku for view in found) == ["CUP-1", "MUG-1"]


@pytest.mark.anyio
async def test_get_raises_not_found_for_an_unknown_product(
    product_queries: ProductQueriesFactory,
) -> None:
    unknown = uuid4()
    with pytest.raises(ProductNotFoundError, match=str(unknown)):
        await product_queries(ACME).get(unknown)
