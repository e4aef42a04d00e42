"""Placing orders on fakes: prices from the catalog, one transaction, idempotent retries."""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, Self
from uuid import UUID, uuid4

import pytest

from ordering.application.dto.order_commands import PayOrder, PlaceOrder
from ordering.application.dto.order_views import MoneyView
from ordering.application.errors import IdempotencyKeyReusedError
from ordering.application.interfaces.idempotency_store import (
    IdempotencyKey,
    IdempotencyStore,
    StoredResult,
)
from ordering.application.interfaces.order_queries import OrderQueriesFactory
from ordering.application.interfaces.product_catalog import (
    ProductCatalog,
    ProductSnapshot,
)
from ordering.application.interfaces.unit_of_work import (
    OrderingUnitOfWork,
    OrderingUnitOfWorkFactory,
)
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import PlacedOrder, place_order
from ordering.domain.errors import DuplicateOrderLineError, ProductUnavailableError
from ordering.domain.events.order_events import OrderPlaced
from ordering.domain.repositories.order_repository import OrderRepository, load_order
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.authorization import OPERATOR, Actor, Permission
from shared_kernel.clock import FixedClock
from shared_kernel.errors import InvalidValueError
from shared_kernel.events import DomainEvent
from shared_kernel.money import CurrencyMismatchError, Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")
GLOBEX = TenantId("globex")
Stock = dict[TenantId, dict[UUID, ProductSnapshot]]
Place = Callable[..., Awaitable[PlacedOrder]]


def stock_product(
    stock: Stock,
    amount: str = "12.50",
    *,
    currency: str = "EUR",
    available: bool = True,
    tenant: TenantId = ACME,
) -> UUID:
    product_id = uuid4()
    stock.setdefault(tenant, {})[product_id] = ProductSnapshot(
        sku=f"SKU-{len(stock.get(tenant, {}))}",
        name="Mug",
        unit_price=Money(Decimal(amount), currency),
        available=available,
    )
    return product_id


def order_of(*lines: tuple[UUID, int]) -> PlaceOrder:
    return PlaceOrder.model_validate(
        {"lines": [{"product_id": product_id, "quantity": qty} for product_id, qty in lines]}
    )


@pytest.fixture
def place(new_ordering_uow: OrderingUnitOfWorkFactory, clock: FixedClock) -> Place:
    """Place an order for a tenant, as the presentation layer will."""

    async def place(
        command: PlaceOrder, key: str | None = None, tenant: TenantId = ACME
    ) -> PlacedOrder:
        return await place_order(command, new_ordering_uow(tenant), clock, key, actor=OPERATOR)

    return place


async def count_orders(order_queries: OrderQueriesFactory, tenant: TenantId = ACME) -> int:
    return len((await order_queries(tenant).list_page(after=None, limit=100)).items)


async def test_an_order_is_placed_at_the_catalogs_current_prices(
    place: Place,
    stock: Stock,
    clock: FixedClock,
    order_queries: OrderQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    mug, cup = stock_product(stock, "12.50"), stock_product(stock, "4.00")

    placed = await place(order_of((mug, 2), (cup, 1)))

    assert not placed.replayed
    order = placed.order
    assert (order.status, order.placed_at) == (OrderStatus.PLACED, clock.now())
    assert [(line.product_id, line.quantity, line.unit_price.amount) for line in order.lines] == [
        (mug, 2, Decimal("12.50")),
        (cup, 1, Decimal("4.00")),
    ]
    assert order.total == MoneyView(amount=Decimal("29.00"), currency="EUR")
    assert await order_queries(ACME).get(order.id) == order
    [event] = outbox
    assert isinstance(event, OrderPlaced)
    assert event.order_id == order.id


async def test_the_order_records_who_placed_it(
    stock: Stock, new_ordering_uow: OrderingUnitOfWorkFactory, clock: FixedClock
) -> None:
    customer = Actor("0190f1a4-7c1e-7000-8000-000000000042", frozenset({Permission.ORDERS_PLACE}))
    by_customer = await place_order(
        order_of((stock_product(stock, "1.00"), 1)), new_ordering_uow(ACME), clock, actor=customer
    )
    by_operator = await place_order(
        order_of((stock_product(stock, "2.00"), 1)), new_ordering_uow(ACME), clock, actor=OPERATOR
    )

    async with new_ordering_uow(ACME) as uow:
        placers = [
            (await load_order(uow.orders, OrderId(placed.order.id))).placed_by
            for placed in (by_customer, by_operator)
        ]
    assert placers == [customer.subject, "operator"]


async def test_the_order_keeps_its_prices_when_the_catalog_changes(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory
) -> None:
    mug = stock_product(stock, "12.50")
    placed = await place(order_of((mug, 1)))

    stock[ACME][mug] = ProductSnapshot("MUG-9", "Big mug", Money(Decimal("99.00"), "EUR"), True)

    [line] = (await order_queries(ACME).get(placed.order.id)).lines
    assert (line.sku, line.unit_price.amount) == ("SKU-0", Decimal("12.50"))


@pytest.mark.parametrize(
    "make_product",
    [
        lambda _stock: uuid4(),
        lambda stock: stock_product(stock, available=False),
        lambda stock: stock_product(stock, tenant=GLOBEX),
    ],
    ids=["unknown", "discontinued", "another-tenants"],
)
async def test_an_unavailable_product_is_refused_and_nothing_is_stored(
    place: Place,
    stock: Stock,
    order_queries: OrderQueriesFactory,
    outbox: list[DomainEvent],
    make_product: Callable[[Stock], UUID],
) -> None:
    mug, other = stock_product(stock), make_product(stock)

    with pytest.raises(ProductUnavailableError, match=str(other)):
        await place(order_of((mug, 1), (other, 1)))

    assert await count_orders(order_queries) == 0
    assert outbox == []


async def test_the_domain_rules_apply_to_placed_orders(place: Place, stock: Stock) -> None:
    mug, dollar_cup = stock_product(stock), stock_product(stock, currency="USD")

    with pytest.raises(DuplicateOrderLineError):
        await place(order_of((mug, 1), (mug, 2)))
    with pytest.raises(CurrencyMismatchError):
        await place(order_of((mug, 1), (dollar_cup, 1)))


async def test_without_a_key_every_request_places_an_order(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory
) -> None:
    command = order_of((stock_product(stock), 1))

    first, second = await place(command), await place(command)

    assert first.order.id != second.order.id
    assert await count_orders(order_queries) == 2


async def test_a_retry_with_the_same_key_returns_the_same_order_and_places_no_other(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory, outbox: list[DomainEvent]
) -> None:
    command = order_of((stock_product(stock), 2))

    first = await place(command, key="retry-me")
    retry = await place(command.model_copy(), key="retry-me")

    assert (first.replayed, retry.replayed) == (False, True)
    assert retry.order == first.order
    assert await count_orders(order_queries) == 1
    assert len(outbox) == 1


async def test_a_key_reused_for_another_request_is_refused(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory
) -> None:
    mug = stock_product(stock)
    await place(order_of((mug, 1)), key="once")

    with pytest.raises(IdempotencyKeyReusedError, match="'once' was already used"):
        await place(order_of((mug, 2)), key="once")

    assert await count_orders(order_queries) == 1


async def test_a_replay_returns_the_order_as_it_is_now(
    place: Place, stock: Stock, new_ordering_uow: OrderingUnitOfWorkFactory
) -> None:
    command = order_of((stock_product(stock), 1))
    first = await place(command, key="k")
    await pay_order(PayOrder(order_id=first.order.id), new_ordering_uow(ACME), actor=OPERATOR)

    retry = await place(command, key="k")

    assert (retry.order.id, retry.order.status) == (first.order.id, OrderStatus.PAID)


async def test_keys_are_per_tenant(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory
) -> None:
    ours = await place(order_of((stock_product(stock), 1)), key="k")
    theirs = await place(order_of((stock_product(stock, tenant=GLOBEX), 1)), key="k", tenant=GLOBEX)

    assert not theirs.replayed
    assert theirs.order.id != ours.order.id
    assert await count_orders(order_queries, GLOBEX) == 1


async def test_a_failed_placement_does_not_use_up_the_key(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory
) -> None:
    mug = stock_product(stock, available=False)
    command = order_of((mug, 1))
    with pytest.raises(ProductUnavailableError):
        await place(command, key="k")

    stock[ACME][mug] = ProductSnapshot("MUG-1", "Mug", Money(Decimal("1.00"), "EUR"), True)
    placed = await place(command, key="k")

    assert not placed.replayed
    assert await count_orders(order_queries) == 1


@pytest.mark.parametrize("key", ["", "k" * 256, "line\nbreak"], ids=["empty", "long", "newline"])
async def test_a_malformed_key_is_refused_before_anything_happens(
    place: Place, stock: Stock, order_queries: OrderQueriesFactory, key: str
) -> None:
    with pytest.raises(InvalidValueError, match="an idempotency key has 1 to 255 printable"):
        await place(order_of((stock_product(stock), 1)), key=key)
    assert await count_orders(order_queries) == 0


def test_the_longest_key_is_accepted() -> None:
    assert IdempotencyKey("k" * 255).value == "k" * 255


class RacingKeys:
    """An idempotency store that lets a competing request finish at the worst moment.

    It answers the lookup like the real store, then lets a request with the same key
    place its order and commit, so the request it serves has already found the key
    unused when the competitor stores it.
    """

    def __init__(self, keys: IdempotencyStore, competitor: Callable[[], Awaitable[object]]):
        self._keys = keys
        self._competitor: Callable[[], Awaitable[object]] | None = competitor

    async def recall(self, key: IdempotencyKey) -> StoredResult | None:
        found = await self._keys.recall(key)
        if self._competitor is not None:
            competitor, self._competitor = self._competitor, None
            await competitor()
        return found

    async def remember(self, key: IdempotencyKey, fingerprint: str, order_id: UUID) -> None:
        await self._keys.remember(key, fingerprint, order_id)


class RacingUnitOfWork:
    """A unit of work whose idempotency store races; everything else is the fake's."""

    def __init__(self, inner: OrderingUnitOfWork, keys: RacingKeys) -> None:
        self._inner = inner
        self._keys = keys

    @property
    def tenant_id(self) -> TenantId:
        return self._inner.tenant_id

    @property
    def orders(self) -> OrderRepository:
        return self._inner.orders

    @property
    def idempotency_keys(self) -> IdempotencyStore:
        return self._keys

    @property
    def products(self) -> ProductCatalog:
        return self._inner.products

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._inner.__aexit__(*exc_info)

    async def commit(self) -> None:
        await self._inner.commit()

    async def rollback(self) -> None:
        await self._inner.rollback()


@pytest.fixture
def racing_place(
    place: Place,
    new_ordering_uow: OrderingUnitOfWorkFactory,
    clock: FixedClock,
) -> Callable[[PlaceOrder, str], Awaitable[PlacedOrder]]:
    """Place an order while a competing request with the same key commits first."""

    async def racing_place(command: PlaceOrder, key: str) -> PlacedOrder:
        inner = new_ordering_uow(ACME)
        racing = RacingUnitOfWork(
            inner, RacingKeys(inner.idempotency_keys, lambda: place(command, key=key))
        )
        return await place_order(command, racing, clock, key, actor=OPERATOR)

    return racing_place


async def test_of_two_concurrent_requests_with_one_key_only_one_places_an_order(
    place: Place,
    stock: Stock,
    racing_place: Callable[[PlaceOrder, str], Awaitable[PlacedOrder]],
    order_queries: OrderQueriesFactory,
) -> None:
    command = order_of((stock_product(stock), 1))

    with pytest.raises(ConcurrencyConflictError):
        await racing_place(command, "k")

    assert await count_orders(order_queries) == 1
    retry = await place(command, key="k")  # what the losing client does next
    assert retry.replayed
