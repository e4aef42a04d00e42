"""Ordering's input models validate quantities with the domain's rule; views copy orders."""

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pydantic
import pytest

from ordering.application.dto.order_commands import ListOrders, PayOrder, PlaceOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.interfaces.idempotency_store import fingerprint
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.errors import EmptyOrderError
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

PRODUCT = uuid4()


def place(*lines: dict[str, Any]) -> PlaceOrder:
    return PlaceOrder.model_validate({"lines": list(lines)})


def errors_of(data: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    with pytest.raises(pydantic.ValidationError) as caught:
        PlaceOrder.model_validate_json(json.dumps(data))
    return {error["loc"]: error["msg"] for error in caught.value.errors()}


def test_place_order_holds_its_lines() -> None:
    command = PlaceOrder.model_validate_json(
        f'{{"lines": [{{"product_id": "{PRODUCT}", "quantity": 3}}]}}'
    )
    [line] = command.lines
    assert (line.product_id, line.quantity) == (PRODUCT, 3)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Value error, a quantity is a whole number from 1 to 1000, got 0"),
        (1001, "Value error, a quantity is a whole number from 1 to 1000, got 1001"),
        (-5, "Value error, a quantity is a whole number from 1 to 1000, got -5"),
        ("2", "Input should be a valid integer"),
        (2.0, "Input should be a valid integer"),
        (True, "Input should be a valid integer"),
    ],
    ids=repr,
)
def test_a_bad_quantity_is_reported_at_its_location(quantity: object, message: str) -> None:
    errors = errors_of({"lines": [{"product_id": str(PRODUCT), "quantity": quantity}]})
    assert errors == {("lines", 0, "quantity"): message}


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"lines": []}, ("lines",)),
        ({}, ("lines",)),
        ({"lines": [{"product_id": "mug", "quantity": 1}]}, ("lines", 0, "product_id")),
        ({"lines": [{"product_id": str(PRODUCT)}]}, ("lines", 0, "quantity")),
        (
            {"lines": [{"product_id": str(PRODUCT), "quantity": 1, "price": 1}]},
            ("lines", 0, "price"),
        ),
        ({"lines": [{"product_id": str(PRODUCT), "quantity": 1}], "total": 1}, ("total",)),
    ],
    ids=["no-lines", "missing", "bad-id", "no-quantity", "extra-in-line", "extra"],
)
def test_a_malformed_order_is_refused_at_the_location(
    data: dict[str, Any], location: tuple[Any, ...]
) -> None:
    assert list(errors_of(data)) == [location]


def test_the_quantity_range_is_in_the_schema() -> None:
    schema = PlaceOrder.model_json_schema()["$defs"]["PlaceOrderLine"]["properties"]["quantity"]
    assert (schema["minimum"], schema["maximum"]) == (Quantity.MIN, Quantity.MAX)


def test_equal_requests_have_equal_fingerprints_and_others_do_not() -> None:
    other = uuid4()
    request = place({"product_id": PRODUCT, "quantity": 2}, {"product_id": other, "quantity": 1})
    same = PlaceOrder.model_validate_json(request.model_dump_json(indent=4))

    assert fingerprint(request) == fingerprint(same)
    assert len(fingerprint(request)) == 64
    assert fingerprint(request) != fingerprint(place({"product_id": PRODUCT, "quantity": 2}))
    assert fingerprint(request) != fingerprint(
        place({"product_id": other, "quantity": 1}, {"product_id": PRODUCT, "quantity": 2})
    )


def test_state_changes_name_the_order_only() -> None:
    order_id = uuid4()
    assert PayOrder.model_validate({"order_id": str(order_id)}).order_id == order_id
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        PayOrder.model_validate({"order_id": str(order_id), "status": "paid"})


@pytest.mark.parametrize("fields", [{"limit": 0}, {"limit": 51}, {"status": "lost"}])
def test_list_orders_bounds_the_page_and_knows_the_statuses(fields: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        ListOrders.model_validate(fields)


def test_list_orders_filters_by_a_status_name() -> None:
    assert ListOrders.model_validate({"status": "paid"}).status is OrderStatus.PAID


def test_order_details_copy_the_order_with_line_totals_and_total() -> None:
    product_id = uuid4()
    placed_at = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
    order = Order.place(
        TenantId("acme"),
        OrderId.new(),
        lines=[
            OrderLine(
                product_id=product_id,
                sku="MUG-001",
                name="Mug",
                unit_price=Money(Decimal("12.50"), "EUR"),
                quantity=Quantity(2),
            )
        ],
        placed_at=placed_at,
    )

    details = OrderDetails.from_order(order)

    assert details.model_dump(mode="json") == {
        "id": str(order.id.value),
        "status": "placed",
        "placed_at": "2025-03-14T09:26:00Z",
        "lines": [
            {
                "product_id": str(product_id),
                "sku": "MUG-001",
                "name": "Mug",
                "unit_price": {"amount": "12.50", "currency": "EUR"},
                "quantity": 2,
                "line_total": {"amount": "25.00", "currency": "EUR"},
            }
        ],
        "total": {"amount": "25.00", "currency": "EUR"},
    }


def test_order_details_need_the_lines_of_an_order() -> None:
    with pytest.raises(EmptyOrderError):
        OrderDetails.from_parts(
            order_id=uuid4(), status=OrderStatus.PLACED, placed_at=datetime.now(UTC), lines=[]
        )


def test_a_request_without_an_address_keeps_the_fingerprint_it_had_before_the_field() -> None:
    line = {"product_id": PRODUCT, "quantity": 2}
    without = place(line)
    with_address = PlaceOrder.model_validate({"lines": [line], "customer_email": "ada@example.com"})
    before_the_field = json.dumps({"lines": [{"product_id": str(PRODUCT), "quantity": 2}]})

    assert (
        fingerprint(without)
        == hashlib.sha256(before_the_field.replace(" ", "").encode()).hexdigest()
    )
    assert fingerprint(with_address) != fingerprint(without)
    assert with_address.customer_email == "ada@example.com"


@pytest.mark.parametrize(
    "address", ["ada", "ada@example.com\r\nBcc: eve@evil.example", "a@b@c.example", "Ada <x@y>"]
)
def test_an_address_that_is_not_one_plain_address_is_refused(address: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="customer_email"):
        PlaceOrder.model_validate(
            {"lines": [{"product_id": PRODUCT, "quantity": 1}], "customer_email": address}
        )


def test_a_display_name_given_with_the_address_is_dropped() -> None:
    line = {"product_id": PRODUCT, "quantity": 1}
    command = PlaceOrder.model_validate(
        {"lines": [line], "customer_email": "Ada <ada@example.com>"}
    )

    assert command.customer_email == "ada@example.com"
