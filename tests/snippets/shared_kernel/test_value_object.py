"""Value objects are immutable, equal by value and never invalid."""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class Money(ValueObject):
    amount: Decimal
    currency: str

    def validate(self) -> None:
        if len(self.currency) != 3 or not self.currency.isupper():
            raise InvalidValueError(f"not an ISO 4217 currency code: {self.currency!r}")


@dataclass(frozen=True)
class Note(ValueObject):
    text: str


def test_values_with_equal_fields_are_equal_and_hash_alike() -> None:
    assert Money(Decimal("10.00"), "EUR") == Money(Decimal("10.00"), "EUR")
    assert hash(Money(Decimal("10.00"), "EUR")) == hash(Money(Decimal("10.00"), "EUR"))
    assert Money(Decimal("10.00"), "EUR") != Money(Decimal("10.00"), "USD")


def test_a_value_object_cannot_be_changed() -> None:
    money = Money(Decimal("10.00"), "EUR")
    with pytest.raises(dataclasses.FrozenInstanceError):
        money.currency = "USD"  # type: ignore[misc]


def test_construction_runs_the_validation_hook() -> None:
    with pytest.raises(InvalidValueError, match="not an ISO 4217 currency code: 'euro'"):
        Money(Decimal("10.00"), "euro")


def test_a_value_object_without_rules_accepts_any_value() -> None:
    assert Note("").text == ""
