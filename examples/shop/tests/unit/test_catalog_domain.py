"""The catalog's value objects and the Product aggregate."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from catalog.domain.entities.product import Product
from catalog.domain.errors import ProductDiscontinuedError
from catalog.domain.events.product_events import ProductAdded, ProductDiscontinued, ProductRepriced
from catalog.domain.value_objects.price import check_price
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import CurrencyMismatchError, Money
from shared_kernel.tenancy import TenantId

ACME = TenantId("acme")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def new_product(price: str = "12.50") -> Product:
    product = Product.add(
        ACME, ProductId.new(), sku=Sku("MUG-001"), name=ProductName("Mug"), price=eur(price)
    )
    product.pull_events()
    return product


def test_new_product_ids_are_random_and_print_as_a_bare_uuid() -> None:
    first, second = ProductId.new(), ProductId.new()
    assert first != second
    assert str(first) == str(first.value)


@pytest.mark.parametrize(
    ("raw", "sku"), [("MUG-001", "MUG-001"), (" mug-001 ", "MUG-001"), ("A" * 32, "A" * 32)]
)
def test_a_sku_is_stored_trimmed_in_upper_case(raw: str, sku: str) -> None:
    assert str(Sku(raw)) == sku
    assert Sku(raw) == Sku(sku)


@pytest.mark.parametrize("raw", ["", "AB", "-MUG", "MUG 001", "MUG_001", "A" * 33, "MÜG"])
def test_malformed_skus_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="not a SKU"):
        Sku(raw)


def test_a_product_name_is_stored_trimmed() -> None:
    assert str(ProductName("  Enamel mug ")) == "Enamel mug"


@pytest.mark.parametrize("raw", ["", "   "])
def test_a_blank_product_name_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="must not be blank"):
        ProductName(raw)


def test_a_product_name_longer_than_the_limit_is_refused() -> None:
    assert ProductName("x" * ProductName.MAX_LENGTH)
    with pytest.raises(InvalidValueError, match="at most 200 characters"):
        ProductName("x" * (ProductName.MAX_LENGTH + 1))


def test_a_price_is_money_that_is_not_negative() -> None:
    assert check_price(eur("0")) == eur("0")
    with pytest.raises(InvalidValueError, match=r"must not be negative, got -0\.01 EUR"):
        check_price(eur("-0.01"))


def test_add_creates_an_active_product_and_records_it() -> None:
    product_id = ProductId.new()

    product = Product.add(
        ACME, product_id, sku=Sku("mug-001"), name=ProductName("Mug"), price=eur("12.5")
    )

    assert (product.id, product.tenant_id, product.sku, product.name, product.price) == (
        product_id,
        ACME,
        Sku("MUG-001"),
        ProductName("Mug"),
        eur("12.50"),
    )
    assert product.active
    assert product.version == 0
    [event] = product.pull_events()
    assert event == ProductAdded(
        tenant_id="acme",
        product_id=product_id.value,
        sku="MUG-001",
        name="Mug",
        price=Decimal("12.50"),
        currency="EUR",
        event_id=event.event_id,
        occurred_at=event.occurred_at,
    )


def test_a_product_cannot_be_added_at_a_negative_price() -> None:
    with pytest.raises(InvalidValueError, match="must not be negative"):
        Product.add(
            ACME, ProductId.new(), sku=Sku("MUG-001"), name=ProductName("M"), price=eur("-1")
        )


def test_rebuilding_a_stored_product_records_nothing() -> None:
    product = Product(
        ProductId.new(),
        tenant_id=ACME,
        sku=Sku("MUG-001"),
        name=ProductName("Mug"),
        price=eur("1.00"),
        active=False,
        version=4,
    )
    assert product.pull_events() == []
    assert not product.active
    assert product.version == 4


def test_reprice_changes_the_price_and_records_old_and_new() -> None:
    product = new_product("12.50")

    product.reprice(eur("9.99"))

    assert product.price == eur("9.99")
    [event] = product.pull_events()
    assert isinstance(event, ProductRepriced)
    assert (event.product_id, event.old_price, event.new_price, event.currency) == (
        product.id.value,
        Decimal("12.50"),
        Decimal("9.99"),
        "EUR",
    )


def test_repricing_to_the_same_price_is_no_change_and_records_nothing() -> None:
    product = new_product("12.50")
    product.reprice(eur("12.5"))
    assert product.pull_events() == []


def test_a_price_keeps_its_currency() -> None:
    product = new_product()
    with pytest.raises(CurrencyMismatchError, match="cannot combine EUR with USD"):
        product.reprice(Money(Decimal("12.50"), "USD"))
    assert product.price == eur("12.50")


def test_a_product_cannot_be_repriced_below_zero() -> None:
    product = new_product()
    with pytest.raises(InvalidValueError, match="must not be negative"):
        product.reprice(eur("-1.00"))
    assert product.pull_events() == []


def test_discontinue_stops_selling_and_records_it() -> None:
    product = new_product()

    product.discontinue()

    assert not product.active
    [event] = product.pull_events()
    assert event == ProductDiscontinued(
        tenant_id="acme",
        product_id=product.id.value,
        event_id=event.event_id,
        occurred_at=event.occurred_at,
    )


@pytest.mark.parametrize(
    "change",
    [Product.discontinue, lambda product: product.reprice(eur("1.00"))],
    ids=["discontinue", "reprice"],
)
def test_a_discontinued_product_no_longer_changes(change: Callable[[Product], None]) -> None:
    product = new_product()
    product.discontinue()
    product.pull_events()

    with pytest.raises(ProductDiscontinuedError, match="is discontinued and cannot be changed"):
        change(product)

    assert product.price == eur("12.50")
    assert product.pull_events() == []
