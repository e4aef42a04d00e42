"""The Order aggregate and its lines mapped onto ``orders`` and ``order_lines``.

An order's lines are frozen value objects, and the ORM cannot map a frozen dataclass (it
sets its own state attribute on every instance) nor a tuple of values: a relationship
holds a mutable list of mapped objects with a primary key. So the lines are stored
through :class:`StoredLine`, an infrastructure class, and turned into ``OrderLine``
values when an order is loaded.
"""

from typing import Any
from uuid import UUID

from sqlalchemy import Table, event
from sqlalchemy.orm import composite, relationship
from sqlalchemy.orm.attributes import get_attribute, set_attribute, set_committed_value

from ordering.domain.order import Order
from ordering.domain.order_line import OrderLine
from ordering.domain.order_status import OrderStatus
from ordering.domain.value_objects import OrderId, Quantity
from orm_persistence.kernel import mapper_registry, no_events_yet
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

LINE_ROWS = "_line_rows"
"""The relationship that holds an order's :class:`StoredLine` objects."""


class StoredLine:
    """One row of ``order_lines``: an order line, column by column, and its position.

    The mapper adds ``tenant_id`` and ``order_id``, copied from the order at the flush.
    """

    def __init__(self, line_number: int, line: OrderLine) -> None:
        """Store ``line`` as the order's line number ``line_number`` (0, 1, ...)."""
        self.line_number = line_number
        self.product_id: UUID = line.product_id
        self.sku = line.sku
        self.name = line.name
        self.unit_price_minor = line.unit_price.minor_units
        self.currency = line.unit_price.currency
        self.quantity = line.quantity.value

    def to_line(self) -> OrderLine:
        """The value object this row stores."""
        return OrderLine(
            product_id=self.product_id,
            sku=self.sku,
            name=self.name,
            unit_price=Money.from_minor_units(self.unit_price_minor, self.currency),
            quantity=Quantity(self.quantity),
        )


def map_orders(orders: Table, order_lines: Table) -> None:
    """Map :class:`Order` and :class:`StoredLine` onto the schema's copies of the tables."""
    lines = order_lines.c
    mapper_registry.map_imperatively(StoredLine, order_lines)
    columns = orders.c
    mapper_registry.map_imperatively(
        Order,
        orders,
        column_prefix="_column_",
        properties={
            "_id": composite(OrderId, columns.order_id),
            "_tenant_id": composite(TenantId, columns.tenant_id),
            "_status": columns.status,
            "_placed_at": columns.placed_at,
            "_version": columns.version,
            # Loaded with the order in a second SELECT; never lazily, which the async
            # session would refuse at the first access.
            LINE_ROWS: relationship(StoredLine, lazy="selectin", order_by=lines.line_number),
        },
        version_id_col=columns.version,
    )
    event.listen(Order, "load", _rebuild)


def _rebuild(order: Order, *_: object) -> None:
    no_events_yet(order)
    # The column holds the status's text; the domain compares OrderStatus members.
    set_committed_value(order, "_status", OrderStatus(order.status))


def store_lines(order: Order) -> None:
    """Give a new order the rows of its lines; the flush inserts them after the order."""
    set_attribute(order, LINE_ROWS, [StoredLine(n, line) for n, line in enumerate(order.lines)])


def load_lines(order: Order) -> None:
    """Give a loaded order its lines, as the value objects the domain holds."""
    rows: list[Any] = get_attribute(order, LINE_ROWS)
    order._lines = tuple(row.to_line() for row in rows)
