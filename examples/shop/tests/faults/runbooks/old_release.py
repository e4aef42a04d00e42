"""The release before migration 0013, for the expand-and-contract runbook's test.

Run as ``python old_release.py serve --port PORT``: the installed shop, with the one
change 0013's release made to its code taken back out before it serves. The ``orders``
table loses its ``placed_by`` column, and the order repository inserts and loads an
order as it did before, so every statement this process sends is the earlier release's:
it names the columns it writes and reads, and ``placed_by`` is none of them. The rest
of its code is this wheel's; 0013's release changed nothing else.
"""

from sqlalchemy import RowMapping, insert

from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.database import order_repository
from ordering.infrastructure.database.mapping import line_rows
from ordering.infrastructure.database.tables import order_lines, orders
from shop.presentation.cli.main import cli


def _to_order(scope: TenantScope, row: RowMapping, lines: list[OrderLine]) -> Order:
    return Order(
        OrderId(row["order_id"]),
        tenant_id=scope.tenant_id,
        lines=lines,
        status=OrderStatus(row["status"]),
        placed_at=row["placed_at"],
        version=row["version"],
    )


async def _insert(self: order_repository.SqlAlchemyOrderRepository, aggregate: Order) -> None:
    scope: TenantScope = self._scope
    await self._connection.execute(
        insert(orders).values(
            scope.row(
                order_id=aggregate.id.value,
                status=aggregate.status.value,
                placed_at=aggregate.placed_at,
                version=1,
            )
        )
    )
    await self._connection.execute(insert(order_lines), line_rows(scope, aggregate))


def as_before_0013() -> None:
    """Take 0013's change back out of the code of this process."""
    orders._columns.remove(orders.c.placed_by)
    order_repository._to_order = _to_order  # type: ignore[assignment]
    order_repository.SqlAlchemyOrderRepository._insert = _insert  # type: ignore[method-assign]


if __name__ == "__main__":
    as_before_0013()
    cli()
