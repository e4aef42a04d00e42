"""``shop payments reconcile``: payments whose webhook never came, settled by asking.

The provider on a local port makes the intents and later says how each ended, but its
webhooks are never delivered: as after an outage longer than it retries for. The
command, run as an operator's schedule runs it, asks about the payments pending for
longer than ``--older-than`` and settles them as the webhooks would have, once.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result
from pydantic import SecretStr

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from ordering.application.dto.order_commands import CancelOrder, PlaceOrder
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.place_order import place_order
from payments.application.dto.payment_commands import StartPayment
from payments.application.use_cases.start_payment import start_payment
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, provider_client
from shop.infrastructure.database.engine import create_engine
from shop.presentation.cli.main import cli
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory

from .payment_provider import API_KEY, WEBHOOK_SECRET, Provider

ACME = TenantId("acme")
AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def shop(database_url: str, provider: Provider | None, *args: str) -> Result:
    """Run ``shop ARGS`` as a scheduled job would, with the provider's settings or none."""
    environment: dict[str, str | None] = {
        "DATABASE_URL": database_url,
        "AMQP_URL": None,
        "REDIS_URL": None,
    }
    if provider is not None:
        environment |= {
            "PAYMENT_PROVIDER_URL": provider.url,
            "PAYMENT_PROVIDER_API_KEY": API_KEY,
            "PAYMENT_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "PAYMENT_PROVIDER_BACKOFF": "0.01",
        }
    return CliRunner().invoke(cli, list(args), env=environment)


async def paying_for_orders(
    database_url: str, provider: Provider, count: int, cancelled: int | None = None
) -> None:
    """Place ``count`` orders of acme's an hour ago and start paying each.

    The order numbered ``cancelled`` (from 0) is cancelled afterwards, as its customer
    did while the payment was under way.
    """
    settings = Settings(
        _env_file=None,
        database_url=SecretStr(database_url),
        redis_url=None,
        payment_provider_url=provider.url,
        payment_provider_api_key=SecretStr(API_KEY),
        payment_webhook_secret=SecretStr(WEBHOOK_SECRET),
    )
    clock = FixedClock(AN_HOUR_AGO)
    services = Services(
        settings=settings,
        engine=create_engine(settings),
        clock=clock,
        provider_client=provider_client(settings),
    )
    try:
        await SqlAlchemyTenantDirectory(services.engine).add(Tenant(ACME, "Acme", AN_HOUR_AGO))
        product = await add_product(
            AddProduct.model_validate(
                {"sku": "MUG-1", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
            ),
            services.catalog_unit_of_work(ACME),
            actor=OPERATOR,
        )
        payment_provider = services.payment_provider()
        assert payment_provider is not None
        for number in range(count):
            line = {"product_id": product.id, "quantity": 1}
            placed = await place_order(
                PlaceOrder.model_validate({"lines": [line]}),
                services.ordering_unit_of_work(ACME),
                clock,
                actor=OPERATOR,
            )
            await start_payment(
                StartPayment(order_id=placed.order.id),
                ACME,
                payments=services.payment_repository(),
                orders=services.order_payments(ACME),
                provider=payment_provider,
                clock=clock,
                actor=OPERATOR,
            )
            if number == cancelled:
                await cancel_order(
                    CancelOrder(order_id=placed.order.id),
                    services.ordering_unit_of_work(ACME),
                    actor=OPERATOR,
                )
    finally:
        await services.aclose()


@pytest.fixture
def migrated(database_url: str) -> str:
    assert shop(database_url, None, "db", "upgrade").exit_code == 0
    return database_url


def test_the_reconciliation_settles_payments_whose_webhooks_were_lost(
    migrated: str, provider: Provider
) -> None:
    asyncio.run(paying_for_orders(migrated, provider, 4, cancelled=2))
    intents = list(provider.intents)  # in the order the payments started
    provider.webhook(intents[0], "payment.succeeded", timestamp=0)  # made, never delivered
    provider.webhook(intents[1], "payment.failed", timestamp=0)
    provider.webhook(intents[2], "payment.succeeded", timestamp=0)

    first = shop(migrated, provider, "payments", "reconcile", "--older-than", "30")
    second = shop(migrated, provider, "payments", "reconcile", "--json")

    assert (first.exit_code, first.output) == (
        0,
        "Checked 4 payments pending for over 30 minutes: 1 succeeded, 1 failed,"
        " 1 refunded, 1 still pending, 0 unresolved.\n",
    )
    assert second.output.count('"checked": 1') == 1, second.output  # only the open one
    assert provider.refunded(intents[2]) == 1


def test_an_intent_the_provider_does_not_know_is_named_and_fails_the_run(
    migrated: str, provider: Provider
) -> None:
    asyncio.run(paying_for_orders(migrated, provider, 1))
    provider.intents.clear()

    result = shop(migrated, provider, "payments", "reconcile")

    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith("unresolved: ")
    assert "(the provider does not confirm its intent)" in result.output


def test_an_outage_or_no_provider_is_one_line_and_status_1(
    migrated: str, provider: Provider
) -> None:
    asyncio.run(paying_for_orders(migrated, provider, 1))
    provider.script = ["503"] * 3

    down = shop(migrated, provider, "payments", "reconcile")
    unset = shop(migrated, None, "payments", "reconcile")

    assert (down.exit_code, down.output) == (
        1,
        "Error: the payment provider cannot serve now: it answered 503; run again later\n",
    )
    assert (unset.exit_code, unset.output) == (
        1,
        "Error: payments are not configured on this shop\n",
    )


def test_the_age_and_the_batch_are_checked_before_anything_runs(migrated: str) -> None:
    for value in ("0", "-5", "soon"):
        refused = shop(migrated, None, "payments", "reconcile", "--older-than", value)
        assert refused.exit_code == 2
        assert "Invalid value for '--older-than'" in refused.output
    too_many = shop(migrated, None, "payments", "reconcile", "--limit", "10001")
    assert too_many.exit_code == 2
