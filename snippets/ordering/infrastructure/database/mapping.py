"""Order lines to rows and back: the one place that knows how a line is stored.

The repository uses both directions; the query adapter reads lines into the same
:class:`~ordering.domain.entities.order_line.OrderLine` values, so a view's totals are computed by
the domain's own code.
"""

from typing import Any

from sqlalchemy import RowMapping

from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.money import Money


# --8<-- [start:line-mapping]
def line_rows(scope: TenantScope, order: Order) -> list[dict[str, Any]]:
    """The rows of an order's lines, numbered in the order they were placed."""
    return [
        scope.row(
            order_id=order.id.value,
            line_number=number,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            # Whole minor units: exact on SQLite too, which has no decimal type.
            unit_price_minor=line.unit_price.minor_units,
            currency=line.unit_price.currency,
            quantity=line.quantity.value,
        )
        for number, line in enumerate(order.lines)
    ]


def to_line(row: RowMapping) -> OrderLine:
    """Rebuild an order line from its row."""
    return OrderLine(
        product_id=row["product_id"],
        sku=row["sku"],
        name=row["name"],
        unit_price=Money.from_minor_units(row["unit_price_minor"], row["currency"]),
        quantity=Quantity(row["quantity"]),
    )


# --8<-- [end:line-mapping]
