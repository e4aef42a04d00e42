"""Ordering's value objects, order lines and the Order aggregate with its state machine."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from itertools import product
from uuid import UUID, uuid4

import pytest

from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine, total_of
from ordering.domain.errors import (
    DuplicateOrderLineError,
    EmptyOrderError,
    InvalidOrderTransitionError,
    TooManyOrderLinesError,
)
from ordering.domain.events.order_events import (
    OrderCancelled,
    OrderedItem,
    OrderEvent,
    OrderPaid,
    OrderPlaced,
    OrderShipped,
)
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import ALLOWED_TRANSITIONS, OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import CurrencyMismatchError, Money
from shared_kernel.tenancy import TenantId

ACME = TenantId("acme")
PLACED_AT = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
TRANSITION: dict[OrderStatus, Callable[[Order], None]] = {
    OrderStatus.PAID: Order.pay,
    OrderStatus.SHIPPED: Order.ship,
    OrderStatus.CANCELLED: Order.cancel,
}


def line(
    amount: str = "12.50",
    quantity: int = 1,
    currency: str = "EUR",
    product_id: UUID | None = None,
) -> OrderLine:
    return OrderLine(
        product_id=product_id or uuid4(),
        sku="MUG-001",
        name="Mug",
        unit_price=Money(Decimal(amount), currency),
        quantity=Quantity(quantity),
    )


def order_in(status: OrderStatus) -> Order:
    return Order(OrderId.new(), tenant_id=ACME, lines=[line()], status=status, placed_at=PLACED_AT)


def test_new_order_ids_are_random_and_print_as_a_bare_uuid() -> None:
    first, second = OrderId.new(), OrderId.new()
    assert first != second
    assert str(first) == str(first.value)


@pytest.mark.parametrize("value", [1, 7, 1000])
def test_a_quantity_is_a_whole_number_from_one_to_a_thousand(value: int) -> None:
    assert Quantity(value).value == value


@pytest.mark.parametrize("value", [0, -1, 1001, True, 2.0, "2"], ids=repr)
def test_anything_else_is_not_a_quantity(value: object) -> None:
    with pytest.raises(InvalidValueError, match="a quantity is a whole number from 1 to 1000"):
        Quantity(value)  # type: ignore[arg-type]


def test_a_line_total_is_the_unit_price_times_the_quantity() -> None:
    assert line("12.50", quantity=3).line_total == Money(Decimal("37.50"), "EUR")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sku": " "}, "needs the product's SKU and name"),
        ({"name": ""}, "needs the product's SKU and name"),
        ({"unit_price": Money(Decimal("-1.00"), "EUR")}, "must not be negative"),
    ],
)
def test_a_line_needs_its_copies_and_a_price_that_is_not_negative(
    changes: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "product_id": uuid4(),
        "sku": "MUG-001",
        "name": "Mug",
        "unit_price": Money(Decimal("1.00"), "EUR"),
        "quantity": Quantity(1),
    }
    with pytest.raises(InvalidValueError, match=message):
        OrderLine(**(fields | changes))  # type: ignore[arg-type]


def test_total_of_adds_the_line_totals() -> None:
    assert total_of([line("12.50", 2), line("0.99", 1)]) == Money(Decimal("25.99"), "EUR")


def test_no_lines_have_no_total() -> None:
    with pytest.raises(EmptyOrderError, match="at least one line"):
        total_of([])


def test_place_creates_a_placed_order_and_records_it() -> None:
    order_id = OrderId.new()
    lines = [line("12.50", 2), line("4.00", 1)]

    order = Order.place(ACME, order_id, lines=lines, placed_at=PLACED_AT)

    assert (order.id, order.tenant_id, order.lines, order.placed_at) == (
        order_id,
        ACME,
        tuple(lines),
        PLACED_AT,
    )
    assert order.status is OrderStatus.PLACED
    assert order.total == Money(Decimal("29.00"), "EUR")
    assert order.version == 0
    [event] = order.pull_events()
    assert event == OrderPlaced(
        tenant_id="acme",
        order_id=order_id.value,
        items=(
            OrderedItem(lines[0].product_id, 2, Decimal("12.50")),
            OrderedItem(lines[1].product_id, 1, Decimal("4.00")),
        ),
        total=Decimal("29.00"),
        currency="EUR",
        event_id=event.event_id,
        occurred_at=event.occurred_at,
    )


def test_an_order_needs_a_line() -> None:
    with pytest.raises(EmptyOrderError):
        Order.place(ACME, OrderId.new(), lines=[], placed_at=PLACED_AT)


def test_an_order_has_at_most_max_lines_lines() -> None:
    most = [line("1.00", 1) for _ in range(Order.MAX_LINES)]

    assert len(Order.place(ACME, OrderId.new(), lines=most, placed_at=PLACED_AT).lines) == 50
    with pytest.raises(TooManyOrderLinesError, match="at most 50 lines, got 51"):
        Order.place(ACME, OrderId.new(), lines=[*most, line("1.00", 1)], placed_at=PLACED_AT)


def test_a_product_is_on_one_line_only() -> None:
    product_id = uuid4()
    with pytest.raises(DuplicateOrderLineError, match=f"product {product_id} appears on more"):
        Order.place(
            ACME,
            OrderId.new(),
            lines=[line(product_id=product_id), line(), line(product_id=product_id)],
            placed_at=PLACED_AT,
        )


def test_all_lines_are_in_one_currency() -> None:
    with pytest.raises(CurrencyMismatchError, match="cannot combine EUR with USD"):
        Order.place(
            ACME,
            OrderId.new(),
            lines=[line(currency="USD"), line(currency="EUR")],
            placed_at=PLACED_AT,
        )


def test_rebuilding_a_stored_order_records_nothing() -> None:
    order = Order(
        OrderId.new(),
        tenant_id=ACME,
        lines=[line()],
        status=OrderStatus.SHIPPED,
        placed_at=PLACED_AT,
        version=3,
    )
    assert order.pull_events() == []
    assert (order.status, order.version) == (OrderStatus.SHIPPED, 3)


def test_the_table_states_the_whole_lifecycle() -> None:
    assert {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets} == {
        (OrderStatus.PLACED, OrderStatus.PAID),
        (OrderStatus.PLACED, OrderStatus.CANCELLED),
        (OrderStatus.PAID, OrderStatus.SHIPPED),
        (OrderStatus.PAID, OrderStatus.CANCELLED),
    }
    assert set(ALLOWED_TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(
    ("current", "requested"),
    [(a, b) for a, b in product(OrderStatus, TRANSITION) if b in ALLOWED_TRANSITIONS[a]],
    ids=str,
)
def test_an_allowed_transition_moves_the_order_and_records_one_event(
    current: OrderStatus, requested: OrderStatus
) -> None:
    order = order_in(current)

    TRANSITION[requested](order)

    assert order.status is requested
    [event] = order.pull_events()
    expected = {
        OrderStatus.PAID: OrderPaid,
        OrderStatus.SHIPPED: OrderShipped,
        OrderStatus.CANCELLED: OrderCancelled,
    }[requested]
    assert type(event) is expected
    assert isinstance(event, OrderEvent)
    assert (event.tenant_id, event.order_id) == ("acme", order.id.value)


@pytest.mark.parametrize(
    ("current", "requested"),
    [(a, b) for a, b in product(OrderStatus, TRANSITION) if b not in ALLOWED_TRANSITIONS[a]],
    ids=str,
)
def test_any_other_transition_is_refused_and_changes_nothing(
    current: OrderStatus, requested: OrderStatus
) -> None:
    order = order_in(current)

    with pytest.raises(
        InvalidOrderTransitionError, match=f"cannot go from {current} to {requested}"
    ) as caught:
        TRANSITION[requested](order)

    assert (caught.value.current, caught.value.requested) == (current, requested)
    assert order.status is current
    assert order.pull_events() == []


@pytest.mark.parametrize("previous", [OrderStatus.PLACED, OrderStatus.PAID])
def test_a_cancellation_says_what_the_order_was(previous: OrderStatus) -> None:
    order = order_in(previous)
    order.cancel()
    [event] = order.pull_events()
    assert isinstance(event, OrderCancelled)
    assert event.previous_status == previous.value
