"""What a caller may ask the catalog to do, as validated input models.

Each field is checked by the domain's own value object, so a rule lives in one place, yet
a bad field is reported at its location (``body.price``) before any handler runs. The
handlers build the value objects again from the validated, normalised fields.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Protocol
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from catalog.domain.value_objects.price import check_price
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import Money


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


class MoneyInput(BaseModel):
    """An amount of money as a client sends it: ``{"amount": "12.50", "currency": "EUR"}``.

    Send the amount as a string: a JSON number passes through a binary float on the way.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal
    currency: str

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


SkuField = Annotated[str, _checked_by(Sku)]
ProductNameField = Annotated[str, _checked_by(ProductName)]
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
        default=None, description="The next_cursor of the previous page; none for the first."
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
