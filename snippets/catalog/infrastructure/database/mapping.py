"""How products map onto rows of the ``products`` table, and rows onto views.

Explicit functions rather than an ORM mapping, as in the service template: the Product
aggregate stays a plain class, and each direction reads exactly like the schema.
"""

from typing import Any

from sqlalchemy import RowMapping

from catalog.application.dto.product_views import MoneyView, ProductView
from catalog.domain.entities.product import Product
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


# --8<-- [start:mapping]
def product_row(product: Product, *, version: int) -> dict[str, Any]:
    """The columns of ``product`` at ``version``; the tenant scope adds ``tenant_id``."""
    return {
        "product_id": product.id.value,
        "sku": product.sku.value,
        "name": product.name.value,
        "price_minor_units": product.price.minor_units,
        "currency": product.price.currency,
        "active": product.active,
        "version": version,
    }


def _price(row: RowMapping) -> Money:
    return Money.from_minor_units(row["price_minor_units"], row["currency"])


def to_product(row: RowMapping) -> Product:
    """Rebuild the stored aggregate; it records no event."""
    return Product(
        ProductId(row["product_id"]),
        tenant_id=TenantId(row["tenant_id"]),
        sku=Sku(row["sku"]),
        name=ProductName(row["name"]),
        price=_price(row),
        active=row["active"],
        version=row["version"],
    )


def to_view(row: RowMapping) -> ProductView:
    """Read a row straight into the view that queries return; no aggregate is built."""
    return ProductView(
        id=row["product_id"],
        sku=row["sku"],
        name=row["name"],
        price=MoneyView.from_money(_price(row)),
        active=row["active"],
    )


# --8<-- [end:mapping]
