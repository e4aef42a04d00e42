"""What can happen to a product, as domain events.

Every event names the tenant and the product, so its row in the outbox says whose it is
and what it concerns without a lookup. Fields are plain values (prices as a Decimal and
a currency code), so an event can be serialised and read without this domain model.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from shared_kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ProductEvent(DomainEvent):
    """Base of the product events: whose product, and which."""

    tenant_id: str
    product_id: UUID


@dataclass(frozen=True, kw_only=True)
class ProductAdded(ProductEvent):
    """A product was added to the catalog."""

    sku: str
    name: str
    price: Decimal
    currency: str


@dataclass(frozen=True, kw_only=True)
class ProductRepriced(ProductEvent):
    """A product's price changed; the currency stays the same."""

    old_price: Decimal
    new_price: Decimal
    currency: str


@dataclass(frozen=True, kw_only=True)
class ProductDiscontinued(ProductEvent):
    """A product is no longer sold; it stays in the catalog, read-only, for old orders."""
