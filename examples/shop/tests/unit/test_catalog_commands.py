"""The catalog's input models validate with the domain's rules; views copy the aggregate."""

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pydantic
import pytest

from catalog.application.dto.product_commands import (
    AddProduct,
    ListProducts,
    MoneyInput,
    RepriceProduct,
)
from catalog.application.dto.product_views import MoneyView, ProductView
from catalog.domain.entities.product import Product
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


def field_errors(
    model: type[pydantic.BaseModel], data: dict[str, Any]
) -> dict[tuple[Any, ...], str]:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    return {error["loc"]: error["msg"] for error in caught.value.errors()}


def test_add_product_holds_the_normalised_fields() -> None:
    command = AddProduct.model_validate(
        {"sku": " mug-001", "name": " Enamel mug ", "price": {"amount": "12.5", "currency": "EUR"}}
    )
    assert (command.sku, command.name) == ("MUG-001", "Enamel mug")
    assert command.price == MoneyInput(amount=Decimal("12.50"), currency="EUR")
    assert str(command.price.amount) == "12.50"


def test_each_invalid_field_is_reported_at_its_location_with_the_domain_message() -> None:
    errors = field_errors(
        AddProduct,
        {"sku": "a", "name": " ", "price": {"amount": "1.5", "currency": "JPY"}},
    )
    assert errors == {
        ("sku",): "Value error, not a SKU: 'a' (3 to 32 letters, digits and hyphens,"
        " not starting with a hyphen)",
        ("name",): "Value error, a product name must not be blank",
        ("price",): "Value error, an amount in JPY has at most 0 decimal places, got 1.5",
    }


@pytest.mark.parametrize(
    ("price", "location", "message"),
    [
        ({"amount": "-1.00", "currency": "EUR"}, ("price", "amount"), "a string of digits"),
        ({"amount": 1.5, "currency": "EUR"}, ("price", "amount"), "a string of digits"),
        ({"amount": "1e999999999", "currency": "EUR"}, ("price", "amount"), "a string of"),
        ({"amount": "1.00", "currency": "eur"}, ("price", "currency"), "currency code: 'eur'"),
        ({"amount": "1.5", "currency": "JPY"}, ("price",), "at most 0 decimal places"),
        ({"amount": "1.0", "currency": "JPY"}, ("price",), "at most 0 decimal places"),
        # From Python code an amount may be a Decimal already; the domain still checks it.
        ({"amount": Decimal("-1.00"), "currency": "EUR"}, ("price",), "must not be negative"),
    ],
)
def test_a_price_must_be_valid_money_that_is_not_negative(
    price: dict[str, Any], location: tuple[str, ...], message: str
) -> None:
    errors = field_errors(RepriceProduct, {"product_id": str(uuid4()), "price": price})
    assert list(errors) == [location]
    assert message in errors[location]


@pytest.mark.parametrize(
    "data",
    [
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "1", "currency": "EUR"}, "x": 1},
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "1", "currency": "EUR", "x": 1}},
    ],
    ids=["command", "price"],
)
def test_unknown_fields_are_refused(data: dict[str, Any]) -> None:
    assert "Extra inputs are not permitted" in field_errors(AddProduct, data).values()


def test_an_unvalidated_money_input_is_checked_when_it_becomes_money() -> None:
    with pytest.raises(InvalidValueError, match="at most 2 decimal places"):
        MoneyInput.model_construct(amount=Decimal("0.001"), currency="EUR").to_money()


@pytest.mark.parametrize("fields", [{"limit": 0}, {"limit": 101}, {"offset": 3}])
def test_list_products_bounds_the_page(fields: dict[str, int]) -> None:
    with pytest.raises(pydantic.ValidationError):
        ListProducts.model_validate(fields)


def test_list_products_starts_at_the_first_page_of_twenty() -> None:
    assert ListProducts() == ListProducts(after=None, limit=20)


def test_a_product_view_copies_what_callers_may_see() -> None:
    product = Product.add(
        TenantId("acme"),
        ProductId.new(),
        sku=Sku("MUG-001"),
        name=ProductName("Mug"),
        price=Money(Decimal("12.50"), "EUR"),
    )

    view = ProductView.from_product(product)

    assert view.model_dump(mode="json") == {
        "id": str(product.id.value),
        "sku": "MUG-001",
        "name": "Mug",
        "price": {"amount": "12.50", "currency": "EUR"},
        "active": True,
    }


def test_a_money_view_converts_to_and_from_money() -> None:
    money = Money(Decimal("1500"), "JPY")
    assert MoneyView.from_money(money).to_money() == money
