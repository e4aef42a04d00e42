"""``shop payments``: the payments an operator looks after.

``shop payments reconcile`` asks the provider about the payments left pending for
longer than ``--older-than`` minutes and settles them as their webhooks would have,
then prints what it found; run it on a schedule (a cron job, a Kubernetes
``CronJob``). It reaches payments through
:class:`~payments.presentation.api.dependencies.PaymentsServices`, the port the
endpoints use too, and it exits with status 1 when a payment is left unresolved or the
provider cannot be reached, so the schedule's alerting sees it.
"""

from datetime import timedelta

import click

from infrastructure_kernel.cli.output import echo_json, json_option
from infrastructure_kernel.cli.runner import run
from infrastructure_kernel.remedies import Explained
from payments.application.dto.payment_views import Reconciliation
from payments.application.errors import ProviderUnavailableError
from payments.application.use_cases.reconcile_payments import DEFAULT_BATCH, reconcile_payments
from payments.presentation.api.dependencies import PaymentsServices

DEFAULT_AGE_MINUTES = 30  # longer than the provider's webhooks take, on a good day


class ProviderUnreachable(Explained, click.ClickException):
    """The provider could not be asked; what was settled before it is kept."""

    looks_like = "Error: the payment provider cannot serve now: REASON; run again later"
    cause = "The provider refused, timed out or is down, or the shop's breaker is open."
    fix = "Run the reconciliation again later; it carries on with the payments still pending."


class PaymentsNotConfigured(Explained, click.ClickException):
    """The shop has no provider to ask."""

    looks_like = "Error: payments are not configured on this shop"
    cause = "PAYMENT_PROVIDER_URL, PAYMENT_PROVIDER_API_KEY or PAYMENT_WEBHOOK_SECRET is unset."
    fix = "Set all three, as the shop that serves the API has them."


@click.group()
def payments() -> None:
    """Look after the payments: settle the ones whose webhook never came."""


# --8<-- [start:reconcile]
@payments.command()
@click.option(
    "--older-than",
    "minutes",
    type=click.IntRange(min=1),
    default=DEFAULT_AGE_MINUTES,
    show_default=True,
    help="Ask about payments pending for longer than this many minutes.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=10_000),
    default=DEFAULT_BATCH,
    show_default=True,
    help="Ask about at most this many, the oldest first.",
)
@json_option
def reconcile(minutes: int, limit: int, *, as_json: bool) -> None:
    """Settle the payments left pending by asking the provider how each one ended."""

    async def reconciled(services: PaymentsServices) -> Reconciliation:
        provider = services.payment_provider()
        if provider is None:
            raise PaymentsNotConfigured("payments are not configured on this shop")
        try:
            return await reconcile_payments(
                services.payment_repository(),
                services.order_payments,
                provider,
                services.clock,
                older_than=timedelta(minutes=minutes),
                limit=limit,
            )
        except ProviderUnavailableError as error:
            raise ProviderUnreachable(f"{error}; run again later") from error

    report(run(PaymentsServices, reconciled), minutes, as_json=as_json)


def report(found: Reconciliation, minutes: int, *, as_json: bool) -> None:
    """Print what the reconciliation found; exit with status 1 if a payment is unresolved."""
    if as_json:
        echo_json(found)
    else:
        click.echo(
            f"Checked {found.checked} payments pending for over {minutes} minutes:"
            f" {found.succeeded} succeeded, {found.failed} failed, {found.refunded} refunded,"
            f" {found.still_pending} still pending, {len(found.unresolved)} unresolved."
        )
    for payment_id in found.unresolved:
        click.echo(f"unresolved: {payment_id} (the provider does not confirm its intent)")
    if found.unresolved:
        raise SystemExit(1)


# --8<-- [end:reconcile]
