"""Reading orders: one with its lines, and keyset pages newest first with opaque cursors."""

import base64
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest

from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from ordering.application.dto.order_commands import CancelOrder, PlaceOrder
from ordering.application.dto.order_views import OrderCursor
from ordering.application.interfaces.order_queries import OrderQueriesFactory
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWorkFactory
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.place_order import place_order
from ordering.domain.errors import OrderNotFoundError
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.cursor import MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidCursorError, InvalidValueError
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

ACME = TenantId("acme")
GLOBEX = TenantId("globex")
START = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
PlaceAt = Callable[..., Awaitable[UUID]]


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.fixture
def place_at(
    new_ordering_uow: OrderingUnitOfWorkFactory,
    stock: dict[TenantId, dict[UUID, ProductSnapshot]],
) -> PlaceAt:
    """Place a one-line order some minutes after START; returns its id."""
    product_id = uuid4()
    for tenant in (ACME, GLOBEX):
        stock[tenant] = {product_id: ProductSnapshot("MUG-1", "Mug", Money.zero("EUR"), True)}
    command = PlaceOrder.model_validate({"lines": [{"product_id": product_id, "quantity": 1}]})

    async def place_at(minutes: int, tenant: TenantId = ACME) -> UUID:
        clock = FixedClock(START + timedelta(minutes=minutes))
        return (
            await place_order(command, new_ordering_uow(tenant), clock, actor=OPERATOR)
        ).order.id

    return place_at


def test_a_cursor_is_url_safe_text_that_decodes_to_the_key() -> None:
    key = OrderCursor(
        placed_at=datetime(2025, 3, 14, 9, 26, 1, 123456, tzinfo=UTC), order_id=uuid4()
    )
    cursor = encode_cursor(key)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)
    assert decode_cursor(cursor, OrderCursor) == key


def test_a_cursor_keeps_the_instant_whatever_the_zone() -> None:
    berlin = timezone(timedelta(hours=1))
    key = OrderCursor(placed_at=datetime(2025, 3, 14, 10, 26, tzinfo=berlin), order_id=uuid4())
    assert decode_cursor(encode_cursor(key), OrderCursor).placed_at == datetime(
        2025, 3, 14, 9, 26, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64!",
        "é",
        cursor_of("not json"),
        cursor_of('"text"'),
        cursor_of(f'{{"order_id": "{uuid4()}"}}'),
        cursor_of(f'{{"placed_at": 5, "order_id": "{uuid4()}"}}'),
        cursor_of(f'{{"placed_at": "yesterday", "order_id": "{uuid4()}"}}'),
        cursor_of('{"placed_at": "2025-03-14T09:26:00+00:00", "order_id": "42"}'),
        cursor_of(f'{{"placed_at": "2025-03-14T09:26:00", "order_id": "{uuid4()}"}}'),
        "A" * (MAX_CURSOR_LENGTH + 1),
    ],
    ids=[
        "empty",
        "not-base64",
        "not-ascii",
        "not-json",
        "not-object",
        "no-placed-at",
        "number",
        "bad-date",
        "bad-id",
        "naive",
        "long",
    ],
)
def test_anything_but_a_handed_out_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError, match="not a cursor of this list") as caught:
        decode_cursor(cursor, OrderCursor)
    assert isinstance(caught.value, InvalidValueError)


@pytest.mark.anyio
async def test_pages_are_newest_first_and_end_with_no_cursor(
    place_at: PlaceAt, order_queries: OrderQueriesFactory
) -> None:
    ids = {minutes: await place_at(minutes) for minutes in [3, 1, 4, 0, 2]}
    queries = order_queries(ACME)

    first = await queries.list_page(after=None, limit=2)
    second = await queries.list_page(after=first.next_cursor, limit=2)
    third = await queries.list_page(after=second.next_cursor, limit=2)

    assert [[o.id for o in page.items] for page in (first, second, third)] == [
        [ids[4], ids[3]],
        [ids[2], ids[1]],
        [ids[0]],
    ]
    assert third.next_cursor is None
    assert [len(order.lines) for order in first.items] == [1, 1]


@pytest.mark.anyio
async def test_orders_placed_in_the_same_instant_are_ordered_by_id_and_none_is_lost(
    place_at: PlaceAt, order_queries: OrderQueriesFactory
) -> None:
    ids = [await place_at(0) for _ in range(5)]
    queries = order_queries(ACME)

    seen: list[UUID] = []
    after = None
    while True:
        page = await queries.list_page(after=after, limit=2)
        seen.extend(order.id for order in page.items)
        if (after := page.next_cursor) is None:
            break

    assert seen == sorted(ids, reverse=True)


@pytest.mark.anyio
async def test_a_page_can_hold_only_one_status(
    place_at: PlaceAt,
    order_queries: OrderQueriesFactory,
    new_ordering_uow: OrderingUnitOfWorkFactory,
) -> None:
    kept, cancelled = await place_at(0), await place_at(1)
    await cancel_order(CancelOrder(order_id=cancelled), new_ordering_uow(ACME), actor=OPERATOR)
    queries = order_queries(ACME)

    only_placed = await queries.list_page(after=None, limit=10, status=OrderStatus.PLACED)
    only_cancelled = await queries.list_page(after=None, limit=10, status=OrderStatus.CANCELLED)

    assert [order.id for order in only_placed.items] == [kept]
    assert [order.id for order in only_cancelled.items] == [cancelled]
    assert (await queries.list_page(after=None, limit=10, status=OrderStatus.PAID)).items == []


@pytest.mark.anyio
async def test_a_tenant_lists_and_reads_its_own_orders_only(
    place_at: PlaceAt, order_queries: OrderQueriesFactory
) -> None:
    ours = await place_at(0)
    theirs = await place_at(1, tenant=GLOBEX)

    page = await order_queries(ACME).list_page(after=None, limit=10)

    assert [order.id for order in page.items] == [ours]
    assert (await order_queries(ACME).get(ours)).id == ours
    with pytest.raises(OrderNotFoundError, match=str(theirs)):
        await order_queries(ACME).get(theirs)
