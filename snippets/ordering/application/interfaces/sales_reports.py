"""The port of the daily sales report: compiled from a tenant's orders, and read back."""

from datetime import date, datetime
from typing import Protocol

from ordering.application.dto.order_views import DailySales


# --8<-- [start:sales-reports]
class SalesReports(Protocol):
    """One tenant's daily sales reports; made for one tenant, like the order queries."""

    async def compile(self, day: date, compiled_at: datetime) -> list[DailySales]:
        """Compile ``day``'s sales, one per currency, replacing any report of that day.

        Compiling a day twice leaves one report, the later one, so a job that runs again
        after a crash, or twice, does no harm.
        """
        ...

    async def recent(self, *, limit: int) -> list[DailySales]:
        """The reports of the latest ``limit`` days and currencies, newest day first."""
        ...


# --8<-- [end:sales-reports]
