"""Money: an exact amount in one currency.

Example:
    Amounts are Decimals kept to the currency's minor unit, and only amounts in the same
    currency combine:

    ```py
    from decimal import Decimal

    from shared_kernel.money import CurrencyMismatchError, Money

    price = Money(Decimal("12.5"), "EUR")
    print(price, price * 3, price + Money(Decimal("0.49"), "EUR"))
    #> 12.50 EUR 37.50 EUR 12.99 EUR
    print(Money.zero("JPY"), Money(Decimal("1500"), "JPY") - Money(Decimal("200"), "JPY"))
    #> 0 JPY 1300 JPY
    try:
        price + Money(Decimal("1500"), "JPY")
    except CurrencyMismatchError as error:
        print(error)
        #> cannot combine EUR with JPY
    ```
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Final, Self

from shared_kernel.errors import DomainError, InvalidValueError
from shared_kernel.value_object import ValueObject

# --8<-- [start:money]
CURRENCY_MINOR_UNITS: Final[Mapping[str, int]] = {"CHF": 2, "EUR": 2, "GBP": 2, "JPY": 0, "USD": 2}
"""The supported ISO 4217 currencies, each with its number of decimal places."""


class CurrencyMismatchError(DomainError):
    """Two amounts in different currencies were combined; that needs an exchange rate."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"cannot combine {expected} with {actual}")
        self.expected = expected
        self.actual = actual


def _ensure_decimal(amount: object) -> None:
    # The annotation says Decimal, but callers without a type checker may pass a float.
    if not isinstance(amount, Decimal):
        raise TypeError(f"an amount of money is a Decimal, not {type(amount).__name__}")


@dataclass(frozen=True)
class Money(ValueObject):
    """An amount of money: a :class:`~decimal.Decimal` and an ISO 4217 currency code.

    The amount is exact and kept to the currency's minor unit (cents for EUR, whole yen
    for JPY): an amount with a fraction of a cent is refused rather than rounded, because
    rounding is a business decision that belongs where it is made. Floats are refused
    too, since ``0.1`` is not one tenth in binary.
    """

    # Every amount fits a signed 64-bit count of minor units (a BIGINT column).
    MAX_WHOLE_DIGITS: ClassVar[int] = 15

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        """Check the amount's type, validate, then write it with exactly the minor digits."""
        _ensure_decimal(self.amount)
        super().__post_init__()
        exact = self.amount.quantize(self._minor_unit())  # Decimal("12.5") -> Decimal("12.50")
        object.__setattr__(self, "amount", exact.copy_abs() if exact.is_zero() else exact)

    def validate(self) -> None:
        """Reject unknown currencies, infinite or huge amounts and fractions of a minor unit."""
        if self.currency not in CURRENCY_MINOR_UNITS:
            supported = ", ".join(sorted(CURRENCY_MINOR_UNITS))
            raise InvalidValueError(
                f"not a supported currency code: {self.currency!r} (supported: {supported})"
            )
        if not self.amount.is_finite():
            raise InvalidValueError(f"an amount of money must be finite, got {self.amount}")
        # By the exponent, not by abs() or a comparison: those round to the context's
        # precision, and Decimal("1e999999999") would raise decimal.Overflow.
        if not self.amount.is_zero() and self.amount.adjusted() >= self.MAX_WHOLE_DIGITS:
            raise InvalidValueError(
                f"an amount of money has at most {self.MAX_WHOLE_DIGITS} digits before the point"
            )
        if self.amount != self.amount.quantize(self._minor_unit()):
            places = CURRENCY_MINOR_UNITS[self.currency]
            raise InvalidValueError(
                f"an amount in {self.currency} has at most {places} decimal places,"
                f" got {self.amount}"
            )

    @classmethod
    def zero(cls, currency: str) -> Self:
        """No money in ``currency``: the start of a sum."""
        return cls(Decimal(0), currency)

    # --8<-- [start:arithmetic]
    def __add__(self, other: "Money") -> "Money":
        """Add an amount in the same currency.

        Raises:
            CurrencyMismatchError: ``other`` is in another currency.
        """
        self._ensure_same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        """Subtract an amount in the same currency; the result may be negative.

        Raises:
            CurrencyMismatchError: ``other`` is in another currency.
        """
        self._ensure_same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> "Money":
        """Multiply by a whole number, e.g. a unit price by a quantity.

        Raises:
            TypeError: ``factor`` is not an int; a fractional factor would need rounding.
        """
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError(f"money is multiplied by whole numbers only, not {factor!r}")
        return Money(self.amount * factor, self.currency)

    def _ensure_same_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency)

    # --8<-- [end:arithmetic]

    def __str__(self) -> str:
        """Show the amount and the currency, e.g. ``12.50 EUR``."""
        return f"{self.amount} {self.currency}"

    @property
    def minor_units(self) -> int:
        """The amount as a whole number of minor units, e.g. 1250 for 12.50 EUR.

        Databases without an exact decimal type (SQLite) store money as this integer.
        """
        return int(self.amount.scaleb(CURRENCY_MINOR_UNITS[self.currency]))

    @classmethod
    def from_minor_units(cls, minor_units: int, currency: str) -> Self:
        """Build the amount that :attr:`minor_units` stored, e.g. 1250 EUR cents."""
        places = CURRENCY_MINOR_UNITS.get(currency, 0)  # an unknown currency fails validation
        return cls(Decimal(minor_units).scaleb(-places), currency)

    def _minor_unit(self) -> Decimal:
        return Decimal(1).scaleb(-CURRENCY_MINOR_UNITS[self.currency])


# --8<-- [end:money]


def amount_pattern(places: int) -> str:
    """A regular expression for amounts as text: no sign, at most ``places`` decimals.

    At most :attr:`Money.MAX_WHOLE_DIGITS` digits before the point and no leading zeros,
    so an amount that matches is a valid :class:`Money` amount in a currency with
    ``places`` decimal places; input models state it in their schema and check it
    before a :class:`~decimal.Decimal` is made.
    """
    whole = f"(0|[1-9][0-9]{{0,{Money.MAX_WHOLE_DIGITS - 1}}})"
    return rf"^{whole}(\.[0-9]{{1,{places}}})?$" if places else f"^{whole}$"
