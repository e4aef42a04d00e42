"""Money is exact, kept to its currency's minor unit, and combines within one currency."""

import dataclasses
from decimal import Decimal

import pytest

from shared_kernel.errors import DomainError, InvalidValueError
from shared_kernel.money import CurrencyMismatchError, Money


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_the_amount_is_kept_with_exactly_the_currencys_minor_digits() -> None:
    assert str(eur("12.5")) == "12.50 EUR"
    assert str(eur("12.500")) == "12.50 EUR"
    assert str(Money(Decimal("1500"), "JPY")) == "1500 JPY"
    assert str(Money(Decimal("1.5E+3"), "JPY")) == "1500 JPY"


def test_equal_amounts_in_the_same_currency_are_equal_whatever_their_notation() -> None:
    assert eur("12.5") == eur("12.50")
    assert hash(eur("12.5")) == hash(eur("12.50"))
    assert eur("12.50") != Money(Decimal("12.50"), "USD")


def test_negative_zero_is_plain_zero() -> None:
    assert str(eur("-0")) == "0.00 EUR"


def test_money_cannot_be_changed() -> None:
    price = eur("1.00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        price.amount = Decimal("2.00")  # type: ignore[misc]


@pytest.mark.parametrize("amount", [0.1, 10, True, "12.50"], ids=repr)
def test_only_a_decimal_is_an_amount(amount: object) -> None:
    with pytest.raises(TypeError, match=f"is a Decimal, not {type(amount).__name__}"):
        Money(amount, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["eur", "EURO", "", "XYZ"])
def test_an_unsupported_currency_is_refused(currency: str) -> None:
    with pytest.raises(
        InvalidValueError, match=r"not a supported currency code: .* \(supported: CHF, EUR"
    ):
        Money(Decimal("1.00"), currency)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("12.505", "EUR", "an amount in EUR has at most 2 decimal places, got 12.505"),
        ("0.5", "JPY", "an amount in JPY has at most 0 decimal places, got 0.5"),
        ("NaN", "EUR", "must be finite"),
        ("-Infinity", "EUR", "must be finite"),
        ("1E+15", "EUR", "at most 15 digits before the point"),
        ("-1E+15", "JPY", "at most 15 digits before the point"),
    ],
)
def test_an_amount_the_currency_cannot_hold_is_refused(
    amount: str, currency: str, message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message):
        Money(Decimal(amount), currency)


def test_the_largest_amount_is_accepted() -> None:
    assert eur("999999999999999.99").minor_units == 99_999_999_999_999_999


def test_zero_starts_a_sum_in_a_currency() -> None:
    assert Money.zero("EUR") == eur("0")
    assert str(Money.zero("JPY")) == "0 JPY"


def test_amounts_in_one_currency_add_and_subtract() -> None:
    assert eur("12.50") + eur("0.49") == eur("12.99")
    assert eur("1.00") - eur("2.50") == eur("-1.50")


def test_an_amount_is_multiplied_by_a_whole_number() -> None:
    assert eur("12.50") * 3 == eur("37.50")
    assert eur("12.50") * 0 == eur("0")


@pytest.mark.parametrize("factor", [Decimal("1.5"), 1.5, True], ids=repr)
def test_a_fractional_or_boolean_factor_is_refused(factor: object) -> None:
    with pytest.raises(TypeError, match="whole numbers only"):
        eur("12.50") * factor  # type: ignore[operator]


@pytest.mark.parametrize("combine", [Money.__add__, Money.__sub__], ids=["add", "subtract"])
def test_amounts_in_different_currencies_do_not_combine(combine: object) -> None:
    with pytest.raises(CurrencyMismatchError, match="cannot combine EUR with USD") as caught:
        combine(eur("1.00"), Money(Decimal("1.00"), "USD"))  # type: ignore[operator]
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize(
    ("money", "minor_units"),
    [(eur("12.50"), 1250), (eur("-0.01"), -1), (Money(Decimal("1500"), "JPY"), 1500)],
    ids=str,
)
def test_minor_units_round_trip(money: Money, minor_units: int) -> None:
    assert money.minor_units == minor_units
    assert Money.from_minor_units(minor_units, money.currency) == money


def test_minor_units_of_an_unsupported_currency_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="not a supported currency code: 'XYZ'"):
        Money.from_minor_units(100, "XYZ")
