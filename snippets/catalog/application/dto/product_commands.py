"""What a caller may ask the catalog to do, as validated input models.

Each field is checked by the domain's own value object, so a rule lives in one place, yet
a bad field is reported at its location (``body.price``) before any handler runs. The
handlers build the value objects again from the validated, normalised fields.
"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Protocol, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from catalog.domain.value_objects.price import check_price
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.cursor import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import CURRENCY_MINOR_UNITS, Money, amount_pattern
from shared_kernel.text import NON_BLANK_TEXT_PATTERN


class _StringValue(Protocol):
    @property
    def value(self) -> str: ...


def _checked_by(value_object: Callable[[str], _StringValue]) -> AfterValidator:
    """Validate a field by building the domain's value object from it."""

    def check(raw: str) -> str:
        try:
            return value_object(raw).value  # the normalised form, e.g. an upper-case SKU
        except InvalidValueError as error:
            # Pydantic turns a ValueError into a field error that names the location.
            raise ValueError(str(error)) from error

    return AfterValidator(check)


AMOUNT_PATTERN = amount_pattern(max(CURRENCY_MINOR_UNITS.values()))


def _amount_text(raw: object) -> object:
    """Take an amount as a string of digits only: a JSON number is a binary float."""
    if isinstance(raw, Decimal):
        return raw  # from Python code, already exact
    if not isinstance(raw, str) or not re.fullmatch(AMOUNT_PATTERN, raw):
        raise ValueError(
            'an amount is a string of digits with an optional decimal point, e.g. "12.50"'
        )
    return raw


AmountField = Annotated[
    Decimal,
    BeforeValidator(_amount_text),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN, "examples": ["12.50"]}),
]


def _known_currency(code: str) -> str:
    try:
        return Money.zero(code).currency  # the domain's rule, reported at the field
    except InvalidValueError as error:
        raise ValueError(str(error)) from error


CurrencyField = Annotated[
    str,
    AfterValidator(_known_currency),
    WithJsonSchema({"type": "string", "enum": sorted(CURRENCY_MINOR_UNITS)}),
]


# The schema says which currencies take fewer decimals than AMOUNT_PATTERN allows (JPY).
_FEWER_PLACES: dict[str, Any] = {
    "allOf": [
        {
            "if": {"properties": {"currency": {"const": code}}, "required": ["currency"]},
            "then": {"properties": {"amount": {"pattern": amount_pattern(places)}}},
        }
        for code, places in sorted(CURRENCY_MINOR_UNITS.items())
        if places < max(CURRENCY_MINOR_UNITS.values())
    ]
}


class MoneyInput(BaseModel):
    """An amount of money as a client sends it: ``{"amount": "12.50", "currency": "EUR"}``.

    The amount is a string: a JSON number passes through a binary float on the way. It
    has no sign, since the catalog takes prices only, and at most as many decimals as
    its currency has.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_FEWER_PLACES)

    amount: AmountField
    currency: CurrencyField

    @model_validator(mode="after")
    def _places_of_the_currency(self) -> Self:
        # As written, not as valued: "1.0" is refused in JPY, as the schema says.
        places = CURRENCY_MINOR_UNITS[self.currency]
        if -int(self.amount.as_tuple().exponent) > places:
            raise ValueError(
                f"an amount in {self.currency} has at most {places} decimal places,"
                f" got {self.amount}"
            )
        return self

    def to_money(self) -> Money:
        """The domain's Money.

        Raises:
            InvalidValueError: Not a valid amount (only for an unvalidated instance).
        """
        return Money(self.amount, self.currency)


def _valid_price(raw: MoneyInput) -> MoneyInput:
    try:
        price = check_price(raw.to_money())
    except InvalidValueError as error:
        raise ValueError(str(error)) from error
    return MoneyInput(amount=price.amount, currency=price.currency)  # e.g. 12.5 -> 12.50


# The schema states each rule from the value object's own constants; the value object
# enforces it (a pattern naming surrogates is beyond Pydantic's regular expressions).
SkuField = Annotated[str, Field(json_schema_extra={"pattern": Sku.INPUT_PATTERN}), _checked_by(Sku)]
ProductNameField = Annotated[
    str,
    Field(max_length=ProductName.MAX_LENGTH, json_schema_extra={"pattern": NON_BLANK_TEXT_PATTERN}),
    _checked_by(ProductName),
]
PriceField = Annotated[MoneyInput, AfterValidator(_valid_price)]
"""A price: Money that is not negative. Request bodies of other layers may reuse it."""


class AddProduct(BaseModel):
    """A request to add a product to the tenant's catalog."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: SkuField = Field(examples=["MUG-001"])
    name: ProductNameField = Field(examples=["Enamel mug"])
    price: PriceField


class RepriceProduct(BaseModel):
    """A request to change a product's price, in the currency it already has."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: UUID
    price: PriceField


class DiscontinueProduct(BaseModel):
    """A request to stop selling a product."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: UUID


DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class ListProducts(BaseModel):
    """Which page of the product list to read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    after: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The next_cursor of the previous page; none for the first.",
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
