"""The daily sales report's adapter: one aggregate query over a day's orders, kept in a table.

Compiling reads the day's orders and their lines with one grouped statement and replaces
the day's rows of ``daily_sales`` in the same transaction, so a report is never half
written and compiling twice leaves the later one. Money is summed in whole minor units,
exact on every database.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.application.dto.order_views import DailySales, MoneyView
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.database.tables import daily_sales, order_lines, orders
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


# --8<-- [start:sales-reports]
class SqlAlchemySalesReports:
    """``tenant_id``'s daily sales reports, each call in a transaction of its own."""

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId) -> None:
        self._engine = engine
        self._scope = TenantScope(tenant_id)

    async def compile(self, day: date, compiled_at: datetime) -> list[DailySales]:
        """Two statements and an insert: the day's totals, the old report out, the new in."""
        start = datetime.combine(day, time(), tzinfo=UTC)
        lines = order_lines
        totals = (
            self._scope.select(
                orders,
                lines.c.currency,
                func.count(func.distinct(orders.c.order_id)).label("orders"),
                func.sum(lines.c.quantity).label("units"),
                func.sum(lines.c.quantity * lines.c.unit_price_minor).label("revenue_minor"),
            )
            .join(
                lines,
                (lines.c.tenant_id == orders.c.tenant_id) & (lines.c.order_id == orders.c.order_id),
            )
            .where(
                orders.c.placed_at >= start,
                orders.c.placed_at < start + timedelta(days=1),
                orders.c.status != OrderStatus.CANCELLED.value,
            )
            .group_by(lines.c.currency)
            .order_by(lines.c.currency)
        )
        async with self._engine.begin() as connection:
            rows = (await connection.execute(totals)).all()
            await connection.execute(
                delete(daily_sales).where(self._scope.owns(daily_sales), daily_sales.c.day == day)
            )
            report = [
                self._scope.row(
                    day=day,
                    currency=row.currency,
                    orders=row.orders,
                    units=row.units,
                    revenue_minor=row.revenue_minor,
                    compiled_at=compiled_at,
                )
                for row in rows
            ]
            if report:
                await connection.execute(insert(daily_sales), report)
        return [_view(row) for row in report]

    async def recent(self, *, limit: int) -> list[DailySales]:
        """One statement, newest day first."""
        query = (
            self._scope.select(daily_sales)
            .order_by(daily_sales.c.day.desc(), daily_sales.c.currency)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_view(row) for row in rows]


# --8<-- [end:sales-reports]


def _view(fields: Mapping[str, Any]) -> DailySales:
    revenue = Money.from_minor_units(int(fields["revenue_minor"]), str(fields["currency"]))
    return DailySales(
        day=fields["day"],
        orders=int(fields["orders"]),
        units=int(fields["units"]),
        revenue=MoneyView.from_money(revenue),
        compiled_at=fields["compiled_at"],
    )
