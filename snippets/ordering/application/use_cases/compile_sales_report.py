"""Compile a tenant's daily sales report: by default of yesterday, the day that has ended."""

from datetime import date, timedelta

from ordering.application.dto.order_views import DailySales
from ordering.application.interfaces.sales_reports import SalesReports
from shared_kernel.clock import Clock


# --8<-- [start:compile-sales-report]
async def compile_sales_report(
    reports: SalesReports, clock: Clock, day: date | None = None
) -> list[DailySales]:
    """Compile the sales of ``day`` (UTC), or of yesterday when no day is given."""
    now = clock.now()
    return await reports.compile(day or now.date() - timedelta(days=1), now)


# --8<-- [end:compile-sales-report]
