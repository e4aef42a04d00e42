"""What the catalog returns: plain, serialisable models; no aggregate leaves the layer.

Command handlers build views from the aggregate they changed; the query port's adapters
build them straight from rows, without loading aggregates.
"""

from decimal import Decimal
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from catalog.application.dto.product_commands import SkuField
from catalog.domain.entities.product import Product
from shared_kernel.money import Money


class MoneyView(BaseModel):
    """An amount of money; serialised as ``{"amount": "12.50", "currency": "EUR"}``."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str

    @classmethod
    def from_money(cls, money: Money) -> Self:
        """Copy the domain's Money."""
        return cls(amount=money.amount, currency=money.currency)

    def to_money(self) -> Money:
        """The domain's Money again, for callers that compute with it."""
        return Money(self.amount, self.currency)


class ProductView(BaseModel):
    """A product as callers see it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    sku: str
    name: str
    price: MoneyView
    active: bool

    @classmethod
    def from_product(cls, product: Product) -> Self:
        """Copy what callers may see out of the aggregate."""
        return cls(
            id=product.id.value,
            sku=product.sku.value,
            name=product.name.value,
            price=MoneyView.from_money(product.price),
            active=product.active,
        )


class ProductPage(BaseModel):
    """One page of products in SKU order, and where the next page starts.

    Attributes:
        items: Up to the requested number of products.
        next_cursor: Pass it as ``after`` to get the next page; ``None`` on the last page.
    """

    model_config = ConfigDict(frozen=True)

    items: list[ProductView]
    next_cursor: str | None


class ProductCursor(BaseModel):
    """The key of the product list, in SKU order: a page starts after this SKU.

    A cursor (``next_cursor``, ``after``) is this key, encoded by the query adapter.
    """

    model_config = ConfigDict(frozen=True)

    sku: SkuField
