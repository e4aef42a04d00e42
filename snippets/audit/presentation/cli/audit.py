"""``shop audit``: the audit log from the command line.

``shop audit verify`` recomputes every tenant's chain (or one, with ``--tenant``),
prints what it found and exits with status 1 when a chain is broken, so a scheduled
job or a CI step fails on it. It reaches the log through
:class:`~audit.presentation.api.dependencies.AuditServices`, the port the endpoint
uses too.
"""

import click

from audit.application.use_cases.verify_trail import TrailReport, verify_trail
from audit.presentation.api.dependencies import AuditServices
from infrastructure_kernel.cli.options import BadTenantOption
from infrastructure_kernel.cli.runner import run, run_for_tenant
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId


@click.group()
def audit() -> None:
    """Verify the tenants' hash-chained audit logs."""


def _tenant_id(_ctx: click.Context, _param: click.Parameter, value: str | None) -> TenantId | None:
    try:
        return None if value is None else TenantId(value)
    except InvalidValueError as error:
        raise BadTenantOption(str(error)) from error  # a usage error: status 2


# --8<-- [start:verify]
@audit.command()
@click.option(
    "--tenant",
    "tenant_id",
    callback=_tenant_id,
    metavar="TENANT",
    help="Verify only this tenant's chain; default: every tenant's.",
)
def verify(tenant_id: TenantId | None) -> None:
    """Recompute the chains and name the first broken entry of each; exit 1 if one is."""

    async def verified(services: AuditServices) -> list[TrailReport]:
        log = services.audit_log()
        chosen = [tenant_id] if tenant_id else await log.tenants()
        return [await verify_trail(log, tenant) for tenant in chosen]

    if tenant_id is None:
        reports = run(AuditServices, verified)
    else:  # a tenant that does not exist is an error, not an empty chain
        reports = run_for_tenant(AuditServices, tenant_id, verified)
    for report in reports:
        click.echo(_line(report))
    if any(report.first_break for report in reports):
        raise SystemExit(1)


def _line(report: TrailReport) -> str:
    broken = report.first_break
    if broken is None:
        return f"{report.tenant_id}: {report.entries} entries, intact; head {report.head}"
    return (
        f"{report.tenant_id}: entry {broken.sequence} (event {broken.event_id}) is broken:"
        f" {broken.reason}"
    )


# --8<-- [end:verify]
