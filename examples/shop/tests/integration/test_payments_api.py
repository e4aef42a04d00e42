"""Payments through the shop's app, with the tests' provider on a local port.

The shop's client calls the provider over HTTP; the provider's webhooks, signed by the
provider (or forged, late, repeated and out of order), are delivered to the app as the
provider would deliver them, without a tenant header. The order becomes paid by a
verified webhook and by nothing else, and no idempotency key is charged twice.
"""

import asyncio
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from ordering.application.dto.order_commands import CancelOrder
from ordering.application.use_cases.cancel_order import cancel_order
from payments.infrastructure.database.tables import payments, processed_provider_events
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.settings import Settings

from .conftest import NOW, paying
from .payment_provider import API_KEY, Provider

pytestmark = pytest.mark.anyio

PROBLEMS = "tag:shop.example,2025:problems/"
ACME = TenantId("acme")
AS_ACME = {"X-Tenant-ID": "acme"}
AS_GLOBEX = {"X-Tenant-ID": "globex"}
EVENTS = "/api/v1/payment-events"
SIGNED_AT = int(NOW.timestamp())


@pytest.fixture
def settings(settings: Settings, provider: Provider) -> Settings:
    # Short timeouts and backoffs, and a breaker that opens soon, for the faults below.
    return paying(
        settings,
        provider,
        payment_provider_read_timeout=0.3,
        payment_provider_backoff=0.01,
        payment_provider_max_backoff=0.05,
        payment_breaker_failures=3,
    )


@pytest.fixture
async def order(services: Services, client: httpx.AsyncClient, tenants: None) -> str:  # noqa: ARG001 - needs the tenants
    """A placed order of acme's: two mugs at 12.50 EUR, 25.00 EUR in all."""
    command = AddProduct.model_validate(
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    )
    product = await add_product(command, services.catalog_unit_of_work(ACME), actor=OPERATOR)
    body = {"lines": [{"product_id": str(product.id), "quantity": 2}]}
    placed = await client.post("/api/v1/orders", json=body, headers=AS_ACME)
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def start(client: httpx.AsyncClient, order: str) -> httpx.Response:
    return await client.post("/api/v1/payments", json={"order_id": order}, headers=AS_ACME)


async def order_status(client: httpx.AsyncClient, order: str) -> str:
    status: str = (await client.get(f"/api/v1/orders/{order}", headers=AS_ACME)).json()["status"]
    return status


async def deliver(
    client: httpx.AsyncClient, webhook: tuple[dict[str, str], bytes]
) -> httpx.Response:
    headers, body = webhook
    return await client.post(EVENTS, content=body, headers=headers)


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == PROBLEMS + slug
    return problem


async def rows(engine: AsyncEngine) -> tuple[list[Any], int]:
    async with engine.connect() as connection:
        found = (await connection.execute(select(payments))).all()
        events = await connection.scalar(
            select(func.count()).select_from(processed_provider_events)
        )
    return [tuple(row) for row in found], int(events or 0)


# --8<-- [start:start-and-settle]
async def test_a_payment_starts_pending_and_only_the_signed_webhook_pays_the_order(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    started = await start(client, order)
    assert started.status_code == 201, started.text
    payment = started.json()
    assert payment["status"] == "pending"
    assert payment["amount"] == {"amount": "25.00", "currency": "EUR"}
    assert started.headers["Location"] == f"/api/v1/payments/{payment['id']}"
    intent = payment["provider_payment_id"]
    assert provider.intents[intent]["amount"] == 2500  # minor units, an integer
    assert await order_status(client, order) == "placed"  # the client's word pays nothing

    settled = await deliver(client, provider.webhook(intent, timestamp=SIGNED_AT))

    assert settled.status_code == 200, settled.text
    assert settled.json()["applied"] is True
    assert settled.json()["order_paid"] is True
    assert await order_status(client, order) == "paid"
    read = await client.get(started.headers["Location"], headers=AS_ACME)
    assert read.json()["status"] == "succeeded"


# --8<-- [end:start-and-settle]


async def test_starting_again_answers_the_same_payment_and_charges_once(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    first = await start(client, order)
    again = await start(client, order)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert list(provider.charges.values()) == [1]


async def test_two_starts_at_once_make_one_payment_and_one_charge(
    client: httpx.AsyncClient, provider: Provider, order: str, engine: AsyncEngine
) -> None:
    answers = await asyncio.gather(start(client, order), start(client, order))
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert list(provider.charges.values()) == [1]
    assert len((await rows(engine))[0]) == 1


# --8<-- [start:outage]
async def test_an_outage_is_a_503_and_the_retry_charges_the_same_key_once(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    provider.script = ["drop", "drop", "drop"]  # made the intent, never said so

    down = await start(client, order)

    problem = assert_problem(down, 503, "service-unavailable")
    assert down.headers["Retry-After"] == "5"
    assert "provider" in problem["detail"]
    retried = await start(client, order)
    assert retried.status_code == 200, retried.text
    assert retried.json()["provider_payment_id"] in provider.intents
    assert list(provider.charges.values()) == [1]  # four requests, one key, one charge
    assert len({key for _, _, key in provider.requests}) == 1


# --8<-- [end:outage]


async def test_an_open_breaker_answers_503_without_calling_the_provider(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    provider.script = ["503"] * 9
    for _ in range(3):
        assert_problem(await start(client, order), 503, "service-unavailable")
    sent = len(provider.requests)
    refused = await start(client, order)
    assert_problem(refused, 503, "service-unavailable")
    assert int(refused.headers["Retry-After"]) <= 30
    assert len(provider.requests) == sent


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"secret": "whsec_forged"}, "wrong secret"),
        ({"timestamp": SIGNED_AT - 301}, "too old"),
        ({"timestamp": SIGNED_AT + 301}, "from the future"),
    ],
)
async def test_a_forged_or_old_webhook_is_refused_and_changes_nothing(  # noqa: PLR0913, PLR0917 - fixtures
    client: httpx.AsyncClient,
    provider: Provider,
    order: str,
    engine: AsyncEngine,
    change: dict[str, Any],
    check: str,
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    before = await rows(engine)
    webhook = provider.webhook(intent, **{"timestamp": SIGNED_AT, **change})

    refused = await deliver(client, webhook)

    problem = assert_problem(refused, 400, "webhook-refused")
    assert problem["detail"] == "the webhook's signature is not valid", check
    assert await rows(engine) == before
    assert await order_status(client, order) == "placed"


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=1100)


@examples(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    signature=st.one_of(st.none(), HEADER_TEXT, st.just(f"t={SIGNED_AT},v1=" + "a" * 64)),
    body=st.one_of(st.binary(max_size=512), st.just(b'{"id": "evt_1"}')),
)
async def test_any_webhook_the_provider_did_not_sign_is_refused_and_changes_nothing(  # noqa: PLR0913, PLR0917 - fixtures and examples
    client: httpx.AsyncClient,
    order: str,
    engine: AsyncEngine,
    provider: Provider,
    signature: str | None,
    body: bytes,
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    before = await rows(engine)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Provider-Signature"] = signature

    refused = await client.post(EVENTS, content=body, headers=headers)

    assert refused.status_code in {400, 422}, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert await rows(engine) == before
    assert provider.intents[intent]["amount"] == 2500


async def test_a_webhook_without_a_signature_or_with_a_changed_body_is_refused(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    headers, body = provider.webhook(intent, timestamp=SIGNED_AT)
    unsigned = await client.post(EVENTS, content=body, headers={"Content-Type": "application/json"})
    changed = await client.post(EVENTS, content=body.replace(b"2500", b"1"), headers=headers)
    assert_problem(unsigned, 400, "webhook-refused")
    assert_problem(changed, 400, "webhook-refused")
    assert await order_status(client, order) == "placed"


# --8<-- [start:out-of-order]
async def test_a_replayed_event_is_refused_and_a_late_failure_undoes_nothing(
    client: httpx.AsyncClient, provider: Provider, order: str, engine: AsyncEngine
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    succeeded = provider.webhook(intent, timestamp=SIGNED_AT)
    assert (await deliver(client, succeeded)).status_code == 200

    replayed = await deliver(client, succeeded)
    late_failure = await deliver(
        client, provider.webhook(intent, "payment.failed", timestamp=SIGNED_AT)
    )
    second_success = await deliver(
        client, provider.webhook(intent, event_id="evt_again", timestamp=SIGNED_AT)
    )

    assert_problem(replayed, 409, "webhook-replayed")
    assert late_failure.json() == {**late_failure.json(), "status": "succeeded", "applied": False}
    assert second_success.json()["applied"] is False
    assert await order_status(client, order) == "paid"
    assert (await rows(engine))[1] == 3  # each event recorded once


# --8<-- [end:out-of-order]


async def test_a_failure_then_a_success_pays_the_order(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    failed = await deliver(client, provider.webhook(intent, "payment.failed", timestamp=SIGNED_AT))
    assert failed.json()["status"] == "failed"
    assert await order_status(client, order) == "placed"
    succeeded = await deliver(client, provider.webhook(intent, timestamp=SIGNED_AT))
    assert succeeded.json()["status"] == "succeeded"
    assert await order_status(client, order) == "paid"


async def test_after_a_failed_payment_a_new_attempt_gets_a_new_key(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    first = (await start(client, order)).json()
    await deliver(
        client,
        provider.webhook(first["provider_payment_id"], "payment.failed", timestamp=SIGNED_AT),
    )
    second = await start(client, order)
    assert second.status_code == 201
    assert second.json()["attempt"] == 2
    assert list(provider.charges.values()) == [1, 1]


async def test_a_paid_order_gets_no_new_payment(
    client: httpx.AsyncClient, provider: Provider, order: str
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    await deliver(client, provider.webhook(intent, timestamp=SIGNED_AT))
    again = await start(client, order)
    assert again.status_code == 200
    assert again.json()["status"] == "succeeded"


# --8<-- [start:refund]
async def test_a_success_after_the_order_was_cancelled_is_refunded_once(
    client: httpx.AsyncClient, provider: Provider, order: str, services: Services
) -> None:
    payment = (await start(client, order)).json()
    intent = payment["provider_payment_id"]
    await cancel_order(
        CancelOrder(order_id=UUID(order)), services.ordering_unit_of_work(ACME), actor=OPERATOR
    )
    provider.script = ["503"]  # the refund's first try: retried with the same key

    settled = await deliver(client, provider.webhook(intent, timestamp=SIGNED_AT))
    again = await deliver(client, provider.webhook(intent, event_id="evt_2", timestamp=SIGNED_AT))

    assert settled.status_code == 200, settled.text
    assert settled.json() | {"event_id": "", "payment_id": ""} == {
        "event_id": "",
        "payment_id": "",
        "status": "refunded",
        "applied": True,
        "order_paid": False,
        "refunded": True,
    }
    assert (again.json()["applied"], again.json()["refunded"]) == (False, False)
    assert provider.refunded(intent) == 1
    assert await order_status(client, order) == "cancelled"
    read = await client.get(f"/api/v1/payments/{payment['id']}", headers=AS_ACME)
    assert read.json()["status"] == "refunded"


# --8<-- [end:refund]


async def test_a_refund_the_provider_cannot_take_is_a_503_and_the_next_delivery_refunds(
    client: httpx.AsyncClient, provider: Provider, order: str, services: Services
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    await cancel_order(
        CancelOrder(order_id=UUID(order)), services.ordering_unit_of_work(ACME), actor=OPERATOR
    )
    webhook = provider.webhook(intent, timestamp=SIGNED_AT)
    provider.script = ["503"] * 3  # every try of the refund

    refused = await deliver(client, webhook)
    problem = assert_problem(refused, 503, "service-unavailable")
    assert refused.headers["Retry-After"].isdigit()
    assert "refund" not in problem["detail"]  # the provider learns nothing of the shop's state
    redelivered = await deliver(client, webhook)  # the same event: it was not recorded

    assert redelivered.json()["refunded"] is True
    assert provider.refunded(intent) == 1


async def test_an_order_that_is_not_placed_or_not_there_gets_no_payment(
    client: httpx.AsyncClient, services: Services, order: str
) -> None:
    await cancel_order(
        CancelOrder(order_id=UUID(order)), services.ordering_unit_of_work(ACME), actor=OPERATOR
    )
    assert_problem(await start(client, order), 409, "order-not-payable")
    missing = "0b7e4c1e-5c4b-4f43-9a4e-9f5d0c3c2a11"
    assert_problem(await start(client, missing), 404, "order-not-found")


async def test_a_webhook_about_an_unknown_intent_or_another_amount_changes_nothing(
    client: httpx.AsyncClient, provider: Provider, order: str, engine: AsyncEngine
) -> None:
    intent = (await start(client, order)).json()["provider_payment_id"]
    provider.intents["pi_unknown"] = provider.intents[intent]
    before = await rows(engine)
    unknown = await deliver(client, provider.webhook("pi_unknown", timestamp=SIGNED_AT))
    cheaper = await deliver(client, provider.webhook(intent, amount=1, timestamp=SIGNED_AT))
    assert_problem(unknown, 404, "payment-not-found")
    assert_problem(cheaper, 422, "payment-amount-mismatch")
    assert await rows(engine) == before


async def test_another_tenants_payment_is_not_found(client: httpx.AsyncClient, order: str) -> None:
    location = (await start(client, order)).headers["Location"]
    assert (await client.get(location, headers=AS_ACME)).status_code == 200
    assert_problem(await client.get(location, headers=AS_GLOBEX), 404, "payment-not-found")


async def test_the_payments_endpoints_are_tenant_scoped_and_the_webhook_is_not(
    client: httpx.AsyncClient,
) -> None:
    no_tenant = await client.post("/api/v1/payments", json={"order_id": "x"})
    assert no_tenant.status_code == 400
    unsigned = await client.post(
        EVENTS, content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert_problem(unsigned, 400, "webhook-refused")


NEITHER = "whsec_neither"  # a test secret that signs nothing the shop believes


class TestDuringARotation:
    PREVIOUS = "whsec_before_the_rotation"

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        previous = SecretStr(self.PREVIOUS)
        return settings.model_copy(update={"payment_webhook_previous_secret": previous})

    async def test_a_webhook_signed_with_either_secret_is_believed(
        self, client: httpx.AsyncClient, provider: Provider, order: str
    ) -> None:
        intent = (await start(client, order)).json()["provider_payment_id"]
        old = provider.webhook(intent, "payment.failed", timestamp=SIGNED_AT, secret=self.PREVIOUS)
        new = provider.webhook(intent, timestamp=SIGNED_AT)
        forged = provider.webhook(intent, event_id="evt_x", timestamp=SIGNED_AT, secret=NEITHER)

        assert (await deliver(client, old)).json()["status"] == "failed"
        assert (await deliver(client, new)).json()["status"] == "succeeded"
        assert_problem(await deliver(client, forged), 400, "webhook-refused")


class TestWithoutAProvider:
    @pytest.fixture
    def services(self, engine: AsyncEngine) -> Services:
        settings = Settings(_env_file=None, database_url=SecretStr("sqlite+aiosqlite:///:memory:"))
        return Services(settings=settings, engine=engine, clock=FixedClock(NOW))

    async def test_payments_answer_503_not_configured(
        self,
        client: httpx.AsyncClient,
        tenants: None,  # noqa: ARG002 - needs the tenants
    ) -> None:
        started = await client.post(
            "/api/v1/payments",
            json={"order_id": "0b7e4c1e-5c4b-4f43-9a4e-9f5d0c3c2a11"},
            headers=AS_ACME,
        )
        delivered = await client.post(
            EVENTS, content=b"{}", headers={"Content-Type": "application/json"}
        )
        assert_problem(started, 503, "payments-not-configured")
        assert_problem(delivered, 503, "payments-not-configured")
        assert started.headers["Retry-After"] == delivered.headers["Retry-After"] == "5"


async def test_the_provider_s_client_carries_the_key_and_closes_with_the_services(
    settings: Settings,
) -> None:
    services = bootstrap(settings)
    client = services.provider_client
    assert client is not None
    assert client.headers["Authorization"] == f"Bearer {API_KEY}"
    assert (client.timeout.connect, client.timeout.read) == (3.0, 0.3)
    assert services.payment_provider() is services.payment_provider()  # one breaker
    await services.aclose()
    assert client.is_closed


def test_a_provider_without_its_key_and_secret_is_refused_at_start_up(provider: Provider) -> None:
    with pytest.raises(ValidationError, match="payment_provider_api_key"):
        Settings(_env_file=None, payment_provider_url=provider.url)
