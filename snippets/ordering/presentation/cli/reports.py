"""``shop reports``: the daily sales report, compiled now or read back.

``shop worker`` compiles yesterday's report of every tenant each night, as a background
job; these commands compile one tenant's report of one day at once, and print the ones
kept. Like ``shop orders``, they reach ordering through a port, :class:`ReportServices`,
which the deployable's services implement; the API needs none of it.
"""

from datetime import date, datetime
from typing import Protocol, runtime_checkable

import click

from infrastructure_kernel.cli.options import tenant_option
from infrastructure_kernel.cli.output import Columns, echo_json, echo_table, json_option
from infrastructure_kernel.cli.runner import run_for_tenant
from ordering.application.dto.order_views import DailySales
from ordering.application.interfaces.sales_reports import SalesReports
from ordering.application.use_cases.compile_sales_report import compile_sales_report
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


@runtime_checkable
class ReportServices(Protocol):
    """What the report commands need from the deployable running them."""

    def sales_reports(self, tenant_id: TenantId) -> SalesReports:
        """``tenant_id``'s daily sales reports."""
        ...

    @property
    def clock(self) -> Clock:
        """Where the use case gets the time: the day before today is its default."""
        ...


day_option = click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day (UTC), as YYYY-MM-DD; yesterday by default.",
)

COLUMNS: Columns[DailySales] = {
    "DAY": lambda report: report.day.isoformat(),
    "ORDERS": lambda report: report.orders,
    "UNITS": lambda report: report.units,
    "REVENUE": lambda report: f"{report.revenue.amount} {report.revenue.currency}",
}


@click.group()
def reports() -> None:
    """Compile and print a tenant's daily sales report."""


# --8<-- [start:reports-compile]
@reports.command("compile")
@tenant_option
@day_option
@json_option
def compile_report(
    tenant_id: TenantId,
    day: datetime | None,
    as_json: bool,  # noqa: FBT001 - a flag
) -> None:
    """Compile the tenant's sales report of a day now, replacing any kept, and print it."""
    chosen: date | None = day.date() if day else None

    async def work(services: ReportServices) -> list[DailySales]:
        return await compile_sales_report(services.sales_reports(tenant_id), services.clock, chosen)

    compiled = run_for_tenant(ReportServices, tenant_id, work)
    _print(compiled, as_json=as_json)


# --8<-- [end:reports-compile]


@reports.command("daily")
@tenant_option
@click.option("--limit", type=click.IntRange(1, 366), default=7, show_default=True)
@json_option
def daily(tenant_id: TenantId, limit: int, as_json: bool) -> None:  # noqa: FBT001 - a flag
    """Print the tenant's latest daily sales reports, newest day first."""

    async def read(services: ReportServices) -> list[DailySales]:
        return await services.sales_reports(tenant_id).recent(limit=limit)

    _print(run_for_tenant(ReportServices, tenant_id, read), as_json=as_json)


def _print(kept: list[DailySales], *, as_json: bool) -> None:
    if as_json:
        echo_json(kept)
    else:
        echo_table(kept, COLUMNS)
