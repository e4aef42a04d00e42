"""Ordering's adapters on a real database: repository, unit of work, queries, catalog.

Every test runs on SQLite, and on the server in DATABASE_URL too when it is set.
"""

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy import Connection, func, insert, inspect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct, DiscontinueProduct
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from infrastructure_kernel.database.column_types import UtcDateTime
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from ordering.application.dto.order_commands import MAX_PAGE_SIZE, PlaceOrder
from ordering.application.dto.order_views import OrderCursor, OrderDetails
from ordering.application.interfaces.idempotency_store import IdempotencyKey
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.use_cases.place_order import place_order
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.errors import OrderNotFoundError
from ordering.domain.repositories.order_repository import load_order
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from ordering.infrastructure.database.tables import SUBJECT_LENGTH, order_lines, orders
from ordering.infrastructure.external.product_catalog import InProcessProductCatalog
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.errors import InvalidCursorError
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import idempotency_keys, outbox

pytestmark = pytest.mark.anyio

ACME, GLOBEX = TenantId("acme"), TenantId("globex")
T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def line(amount: str = "12.50", quantity: int = 1, currency: str = "EUR") -> OrderLine:
    return OrderLine(
        product_id=uuid4(),
        sku="MUG-001",
        name="Enamel mug",
        unit_price=Money(Decimal(amount), currency),
        quantity=Quantity(quantity),
    )


def new_order(
    tenant_id: TenantId = ACME, placed_at: datetime = T0, lines: list[OrderLine] | None = None
) -> Order:
    return Order.place(tenant_id, OrderId.new(), lines=lines or [line()], placed_at=placed_at)


async def store(services: Services, *new_orders: Order) -> None:
    uow = services.ordering_unit_of_work(new_orders[0].tenant_id)
    async with uow:
        for order in new_orders:
            await uow.orders.add(order)
        await uow.commit()


async def count(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


# The schema -----------------------------------------------------------------------------


def ordering_schema(connection: Connection) -> dict[str, Any]:
    inspector = inspect(connection)
    return {
        table: {
            "columns": [column["name"] for column in inspector.get_columns(table)],
            "primary_key": inspector.get_pk_constraint(table)["name"],
            "foreign_keys": [key["name"] for key in inspector.get_foreign_keys(table)],
            "indexes": sorted(index["name"] for index in inspector.get_indexes(table)),
        }
        for table in ("orders", "order_lines")
    }


async def test_migration_0003_creates_the_tables_named_as_the_convention_names_them(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as connection:
        schema = await connection.run_sync(ordering_schema)

    assert schema == {
        "orders": {
            "columns": [column.name for column in orders.columns],
            "primary_key": "pk_orders",
            "foreign_keys": ["fk_orders_tenant_id_tenants"],
            "indexes": [
                "ix_orders_tenant_id_placed_at_order_id",
                "ix_orders_tenant_id_status_placed_at_order_id",
            ],
        },
        "order_lines": {
            "columns": [column.name for column in order_lines.columns],
            "primary_key": "pk_order_lines",
            "foreign_keys": ["fk_order_lines_tenant_id_order_id_orders"],
            "indexes": [],
        },
    }


def test_utc_datetime_compares_and_returns_aware_utc() -> None:
    column_type = UtcDateTime()
    dialect = sqlite.dialect()
    noon_in_berlin = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))

    assert column_type.process_bind_param(noon_in_berlin, dialect) == datetime(
        2025, 6, 1, 10, 0, tzinfo=UTC
    )
    assert column_type.process_result_value(datetime(2025, 6, 1, 10, 0), dialect) == datetime(
        2025, 6, 1, 10, 0, tzinfo=UTC
    )
    assert column_type.process_result_value(noon_in_berlin, dialect) is noon_in_berlin
    assert column_type.process_bind_param(None, dialect) is None
    assert column_type.process_result_value(None, dialect) is None


# The repository and the unit of work ---------------------------------------------------


@pytest.mark.usefixtures("tenants")
async def test_an_order_is_stored_and_loaded_whole_with_exact_money(services: Services) -> None:
    lines = [line("12.50", 2), line("0.99", 3), line("1234567890123.45", 1)]
    order = new_order(lines=lines, placed_at=T0 + timedelta(microseconds=123456))
    await store(services, order)

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        loaded = await load_order(uow.orders, order.id)

    assert loaded.lines == order.lines  # same order, same exact prices
    assert (loaded.status, loaded.placed_at, loaded.version) == (
        OrderStatus.PLACED,
        order.placed_at,
        1,
    )
    assert loaded.placed_at.tzinfo is not None
    assert loaded.total == Money(Decimal("1234567890151.42"), "EUR")
    assert loaded.pull_events() == []


# Any subject a token may carry that a database's text holds: PostgreSQL's holds no NUL.
SUBJECTS = st.text(st.characters(exclude_characters="\x00"), max_size=SUBJECT_LENGTH)


@examples(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(subject=st.one_of(st.none(), SUBJECTS, st.just("x" * SUBJECT_LENGTH)))
@pytest.mark.usefixtures("tenants")
async def test_who_placed_an_order_is_stored_and_loaded_as_it_was(
    services: Services, subject: str | None
) -> None:
    order = Order.place(ACME, OrderId.new(), lines=[line()], placed_at=T0, placed_by=subject)
    await store(services, order)

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        loaded = await load_order(uow.orders, order.id)

    assert loaded.placed_by == subject


@pytest.mark.usefixtures("tenants")
async def test_an_order_the_release_before_0013_placed_loads_with_no_placer(
    services: Services, engine: AsyncEngine
) -> None:
    # The statement that release sent: it names its columns, and placed_by is not one.
    order_id = uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            insert(orders).values(
                tenant_id="acme", order_id=order_id, status="placed", placed_at=T0, version=1
            )
        )
        await connection.execute(
            insert(order_lines).values(
                tenant_id="acme",
                order_id=order_id,
                line_number=0,
                product_id=uuid4(),
                sku="MUG-001",
                name="Enamel mug",
                unit_price_minor=1250,
                currency="EUR",
                quantity=1,
            )
        )

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        loaded = await load_order(uow.orders, OrderId(order_id))
        loaded.pay()  # and it changes as any order does
        await uow.commit()

    assert (loaded.placed_by, loaded.status) == (None, OrderStatus.PAID)


@pytest.mark.usefixtures("tenants")
async def test_a_commit_writes_the_events_to_the_outbox_under_the_tenant(
    services: Services, engine: AsyncEngine
) -> None:
    order = new_order()
    await store(services, order)

    async with engine.connect() as connection:
        [row] = (await connection.execute(select(outbox))).mappings().all()
    assert (row["tenant_id"], row["event_name"]) == ("acme", "OrderPlaced")
    assert json.loads(row["payload"])["order_id"] == str(order.id)


@pytest.mark.usefixtures("tenants")
async def test_a_change_updates_status_and_version_only(
    services: Services, engine: AsyncEngine
) -> None:
    order = new_order()
    await store(services, order)

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        loaded = await load_order(uow.orders, order.id)
        loaded.pay()
        await uow.commit()
    assert loaded.version == 2

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        paid = await load_order(uow.orders, order.id)
        await uow.commit()  # nothing changed, nothing is written
    assert (paid.status, paid.version, paid.lines) == (OrderStatus.PAID, 2, order.lines)
    assert await count(engine, outbox) == 2  # OrderPlaced, OrderPaid
    assert await count(engine, order_lines) == 1


@pytest.mark.usefixtures("tenants")
async def test_leaving_without_commit_stores_nothing(
    services: Services, engine: AsyncEngine
) -> None:
    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        await uow.orders.add(new_order())
        await uow.idempotency_keys.remember(IdempotencyKey("k-1"), "f" * 64, uuid4())

    assert (await count(engine, orders), await count(engine, idempotency_keys)) == (0, 0)
    assert await count(engine, outbox) == 0


@pytest.mark.usefixtures("tenants")
async def test_an_order_of_another_tenant_cannot_be_added(services: Services) -> None:
    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        with pytest.raises(ValueError, match="an order of globex cannot join the orders of acme"):
            await uow.orders.add(new_order(GLOBEX))


@pytest.mark.usefixtures("tenants")
async def test_a_tenant_never_loads_another_tenants_order(services: Services) -> None:
    theirs = new_order(GLOBEX)
    await store(services, theirs)

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        assert await uow.orders.get(theirs.id) is None


# --8<-- [start:optimistic-concurrency-test]
@pytest.mark.usefixtures("tenants")
async def test_the_second_of_two_concurrent_changes_is_refused(
    services: Services, engine: AsyncEngine
) -> None:
    order = new_order()
    await store(services, order)
    first, second = services.ordering_unit_of_work(ACME), services.ordering_unit_of_work(ACME)

    async with first, second:
        # Both load version 1; the first to commit wins.
        paying = await load_order(first.orders, order.id)
        cancelling = await load_order(second.orders, order.id)
        paying.pay()
        await first.commit()
        cancelling.cancel()
        with pytest.raises(ConcurrencyConflictError, match=f"order {order.id} was changed"):
            await second.commit()

    uow = services.ordering_unit_of_work(ACME)
    async with uow:
        stored = await load_order(uow.orders, order.id)
    assert (stored.status, stored.version) == (OrderStatus.PAID, 2)
    assert await count(engine, outbox) == 2  # placed, paid; the refused cancel left none


# --8<-- [end:optimistic-concurrency-test]


@pytest.mark.usefixtures("tenants")
async def test_a_key_remembered_concurrently_first_refuses_the_second_order(
    services: Services, engine: AsyncEngine
) -> None:
    key, fingerprint = IdempotencyKey("retry-1"), "f" * 64
    first, second = services.ordering_unit_of_work(ACME), services.ordering_unit_of_work(ACME)

    async with first, second:
        assert await first.idempotency_keys.recall(key) is None
        assert await second.idempotency_keys.recall(key) is None
        winner, loser = new_order(), new_order()
        for uow, order in [(first, winner), (second, loser)]:
            await uow.orders.add(order)
            await uow.idempotency_keys.remember(key, fingerprint, order.id.value)
        await first.commit()
        with pytest.raises(ConcurrencyConflictError, match="same idempotency key"):
            await second.commit()

    async with engine.connect() as connection:
        assert (await connection.execute(select(orders.c.order_id))).scalars().all() == [
            winner.id.value
        ]
    assert await count(engine, order_lines) == 1


# The queries ------------------------------------------------------------------------


@pytest.mark.usefixtures("tenants")
async def test_get_reads_the_view_without_loading_the_aggregate(services: Services) -> None:
    order = new_order(lines=[line("12.50", 2), line("4.00", 1)])
    await store(services, order)

    details = await services.order_queries(ACME).get(order.id.value)

    assert details == OrderDetails.from_order(order)
    assert details.total.amount == Decimal("29.00")


@pytest.mark.usefixtures("tenants")
async def test_get_of_an_unknown_or_another_tenants_order_is_not_found(
    services: Services,
) -> None:
    theirs = new_order(GLOBEX)
    await store(services, theirs)

    for order_id in (uuid4(), theirs.id.value):
        with pytest.raises(OrderNotFoundError, match=str(order_id)):
            await services.order_queries(ACME).get(order_id)


# --8<-- [start:n-plus-one-test]
@pytest.mark.usefixtures("tenants")
async def test_a_full_page_of_orders_with_their_lines_takes_two_selects(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    await store(
        services,
        *(
            new_order(placed_at=T0 + timedelta(seconds=n), lines=[line(), line("3.00", 2)])
            for n in range(MAX_PAGE_SIZE + 1)
        ),
    )

    with count_statements() as statements:
        page = await services.order_queries(ACME).list_page(after=None, limit=MAX_PAGE_SIZE)

    assert len(page.items) == MAX_PAGE_SIZE
    assert all(len(order.lines) == 2 for order in page.items)
    assert page.next_cursor is not None
    assert len(selects(statements)) == len(statements) == 2


# --8<-- [end:n-plus-one-test]


@pytest.mark.usefixtures("tenants")
async def test_an_empty_page_takes_one_select(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    with count_statements() as statements:
        page = await services.order_queries(ACME).list_page(after=None, limit=10)

    assert (page.items, page.next_cursor) == ([], None)
    assert len(statements) == 1


# --8<-- [start:keyset-pagination-test]
@pytest.mark.usefixtures("tenants")
async def test_pages_follow_each_other_without_duplicates_or_gaps(services: Services) -> None:
    # Groups of orders placed in the same instant: the id must break the ties.
    placed = [new_order(placed_at=T0 + timedelta(seconds=n // 3)) for n in range(23)]
    await store(services, *placed)
    await store(services, new_order(GLOBEX))  # another tenant's order is never listed
    queries = services.order_queries(ACME)

    seen: list[OrderDetails] = []
    after: str | None = None
    while True:
        page = await queries.list_page(after=after, limit=5)
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        after = page.next_cursor

    newest_first = sorted(placed, key=lambda o: (o.placed_at, o.id.value), reverse=True)
    assert [order.id for order in seen] == [order.id.value for order in newest_first]
    assert len(seen) == 23  # five pages: 5, 5, 5, 5, 3


# --8<-- [end:keyset-pagination-test]


@pytest.mark.usefixtures("tenants")
async def test_a_page_ending_exactly_at_the_last_order_has_no_cursor(services: Services) -> None:
    await store(services, *(new_order(placed_at=T0 + timedelta(seconds=n)) for n in range(4)))

    first = await services.order_queries(ACME).list_page(after=None, limit=2)
    second = await services.order_queries(ACME).list_page(after=first.next_cursor, limit=2)

    assert first.next_cursor is not None
    assert decode_cursor(first.next_cursor, OrderCursor) == OrderCursor(
        placed_at=first.items[-1].placed_at, order_id=first.items[-1].id
    )
    assert (len(second.items), second.next_cursor) == (2, None)


@pytest.mark.usefixtures("tenants")
async def test_a_status_filter_lists_only_orders_in_that_status(services: Services) -> None:
    placed = [new_order(placed_at=T0 + timedelta(seconds=n)) for n in range(5)]
    await store(services, *placed)
    for order in placed[1::2]:  # the second and the fourth
        uow = services.ordering_unit_of_work(ACME)
        async with uow:
            (await load_order(uow.orders, order.id)).pay()
            await uow.commit()
    queries = services.order_queries(ACME)

    paid_first = await queries.list_page(after=None, limit=1, status=OrderStatus.PAID)
    paid_rest = await queries.list_page(
        after=paid_first.next_cursor, limit=1, status=OrderStatus.PAID
    )
    shipped = await queries.list_page(after=None, limit=10, status=OrderStatus.SHIPPED)

    assert [o.id for o in paid_first.items + paid_rest.items] == [
        placed[3].id.value,
        placed[1].id.value,
    ]
    assert paid_rest.next_cursor is None
    assert all(o.status is OrderStatus.PAID for o in paid_first.items + paid_rest.items)
    assert shipped.items == []


@pytest.mark.usefixtures("tenants")
async def test_a_cursor_in_another_time_zone_means_the_same_instant(services: Services) -> None:
    placed = [new_order(placed_at=T0 + timedelta(hours=n)) for n in range(3)]
    await store(services, *placed)
    newest = placed[2]
    in_new_york = newest.placed_at.astimezone(timezone(timedelta(hours=-5)))

    page = await services.order_queries(ACME).list_page(
        after=encode_cursor(OrderCursor(placed_at=in_new_york, order_id=newest.id.value)), limit=10
    )

    assert [o.id for o in page.items] == [placed[1].id.value, placed[0].id.value]


@pytest.mark.usefixtures("tenants")
async def test_a_cursor_that_is_not_one_is_refused(services: Services) -> None:
    with pytest.raises(InvalidCursorError):
        await services.order_queries(ACME).list_page(after="not-a-cursor", limit=10)


# The catalog adapter and the factories -------------------------------------------------


async def add(services: Services, tenant_id: TenantId, sku: str, amount: str) -> UUID:
    command = AddProduct.model_validate(
        {"sku": sku, "name": f"Product {sku}", "price": {"amount": amount, "currency": "EUR"}}
    )
    return (await add_product(command, services.catalog_unit_of_work(tenant_id), actor=OPERATOR)).id


# --8<-- [start:catalog-adapter-test]
@pytest.mark.usefixtures("tenants")
async def test_the_catalog_adapter_describes_the_tenants_products_in_one_query(
    services: Services, count_statements: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    mug = await add(services, ACME, "MUG-001", "12.50")
    old = await add(services, ACME, "OLD-001", "1.00")
    await discontinue_product(
        DiscontinueProduct(product_id=old), services.catalog_unit_of_work(ACME), actor=OPERATOR
    )
    theirs = await add(services, GLOBEX, "TEE-001", "20.00")
    catalog = InProcessProductCatalog(services.product_queries(ACME))

    with count_statements() as statements:
        snapshots = await catalog.snapshot([mug, old, theirs, uuid4()])

    assert snapshots == {
        mug: ProductSnapshot("MUG-001", "Product MUG-001", Money(Decimal("12.50"), "EUR"), True),
        old: ProductSnapshot("OLD-001", "Product OLD-001", Money(Decimal("1.00"), "EUR"), False),
    }
    assert len(statements) == 1


# --8<-- [end:catalog-adapter-test]


@pytest.mark.usefixtures("tenants")
async def test_the_factories_bind_catalog_unit_of_work_and_queries_to_one_tenant(
    services: Services,
) -> None:
    acme_mug = await add(services, ACME, "MUG-001", "12.50")
    globex_mug = await add(services, GLOBEX, "MUG-001", "15.00")
    command = PlaceOrder.model_validate({"lines": [{"product_id": globex_mug, "quantity": 1}]})

    placed = await place_order(
        command,
        services.ordering_unit_of_work(GLOBEX),
        FixedClock(T0),
        "key-1",
        actor=OPERATOR,
    )

    assert services.ordering_unit_of_work(GLOBEX).tenant_id == GLOBEX
    async with services.ordering_unit_of_work(GLOBEX) as uow:
        assert await uow.products.snapshot([acme_mug]) == {}
    assert placed.order.total.amount == Decimal("15.00")
    assert await services.order_queries(GLOBEX).get(placed.order.id) == placed.order
    with pytest.raises(OrderNotFoundError):
        await services.order_queries(ACME).get(placed.order.id)
