"""Payments' use cases on in-memory fakes: starting, settling, and every out-of-order case."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.application.dto.payment_commands import StartPayment, WebhookDelivery
from payments.application.dto.payment_views import Settlement
from payments.application.errors import (
    AmountMismatchError,
    InvalidWebhookError,
    ProviderUnavailableError,
    WebhookReplayedError,
)
from payments.application.use_cases.read_payment import read_payment
from payments.application.use_cases.settle_payment import settle_payment
from payments.application.use_cases.start_payment import start_payment
from payments.domain.entities.payment import Payment, PaymentStatus, ProviderOutcome
from payments.domain.errors import (
    OrderNotPayableError,
    OrderToPayNotFoundError,
    PaymentNotFoundError,
)
from payments.infrastructure.security.hmac_webhooks import HmacWebhookVerifier, sign
from shared_kernel.authorization import OPERATOR, Actor, Permission, PermissionDeniedError
from shared_kernel.clock import FixedClock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

from .payments_fakes import InMemoryOrders, InMemoryPayments, InMemoryProvider

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
ACME = TenantId("acme")
SECRET = b"whsec_unit"
TOTAL = Money(Decimal("25.00"), "EUR")


class World:
    """The fakes of one test, an order of acme's placed, and a way to sign webhooks."""

    def __init__(self) -> None:
        self.payments = InMemoryPayments()
        self.orders = InMemoryOrders()
        self.provider = InMemoryProvider()
        self.clock = FixedClock(NOW)
        self.verifier = HmacWebhookVerifier([SECRET], 300, self.clock)
        self.order_id = uuid4()
        self.orders.totals[self.order_id] = TOTAL
        self.orders.statuses[self.order_id] = "placed"

    async def start(self, order_id: UUID | None = None) -> tuple[UUID, str | None, bool]:
        started = await start_payment(
            StartPayment(order_id=order_id or self.order_id),
            ACME,
            payments=self.payments,
            orders=self.orders,
            provider=self.provider,
            clock=self.clock,
            actor=OPERATOR,
        )
        return started.payment.id, started.payment.provider_payment_id, started.created

    async def settle(
        self, intent: str, outcome: str, event_id: str, minor: int = 2500
    ) -> Settlement:
        body = json.dumps(
            {
                "id": event_id,
                "type": outcome,
                "created": int(NOW.timestamp()),
                "data": {"payment_intent": intent, "amount": minor, "currency": "eur"},
            }
        ).encode()
        delivery = WebhookDelivery(sign(SECRET, int(NOW.timestamp()), body), body)
        return await settle_payment(
            delivery, self.verifier, self.payments, lambda _: self.orders, self.clock
        )


async def test_a_start_stores_a_pending_payment_with_the_provider_s_intent() -> None:
    world = World()
    payment_id, intent, created = await world.start()
    assert created
    assert intent == "pi_1"
    view = await read_payment(ACME, payment_id, world.payments, actor=OPERATOR)
    assert (view.status, view.attempt, view.amount.amount) == ("pending", 1, Decimal("25.00"))
    assert world.provider.charges == {str(payment_id): 1}  # the payment's id is its key


async def test_a_failed_call_leaves_the_payment_pending_and_the_retry_sends_the_same_key() -> None:
    world = World()
    world.provider.failures = 1
    with pytest.raises(ProviderUnavailableError):
        await world.start()
    (pending,) = world.payments.rows.values()
    assert pending.provider_payment_id is None
    payment_id, intent, created = await world.start()
    assert (payment_id, intent, created) == (pending.id, "pi_1", False)
    assert world.provider.charges == {str(pending.id): 1}


async def test_a_start_that_loses_the_race_carries_on_with_the_winner_s_payment() -> None:
    world = World()
    rival = Payment.start(uuid4(), ACME, world.order_id, attempt=1, amount=TOTAL, now=NOW)
    real_of_order = world.payments.of_order
    calls = 0

    async def of_order_before_the_rival_stored(tenant: TenantId, order: UUID) -> list[Payment]:
        nonlocal calls
        calls += 1
        if calls == 1:  # read before the rival's insert, which lands before ours
            await world.payments.add(rival)
            return []
        return list(await real_of_order(tenant, order))

    world.payments.of_order = of_order_before_the_rival_stored  # type: ignore[method-assign]
    payment_id, _, created = await world.start()
    assert (payment_id, created) == (rival.id, False)
    assert world.provider.charges == {str(rival.id): 1}


async def test_an_order_that_is_missing_or_not_placed_gets_no_payment() -> None:
    world = World()
    with pytest.raises(OrderToPayNotFoundError):
        await world.start(uuid4())
    world.orders.statuses[world.order_id] = "cancelled"
    with pytest.raises(OrderNotPayableError, match="cancelled"):
        await world.start()
    assert world.payments.rows == {}


async def test_starting_or_reading_needs_the_payments_permissions() -> None:
    world = World()
    payment_id, _, _ = await world.start()
    clerk_without = Actor("ann", frozenset({Permission.ORDERS_READ}))
    with pytest.raises(PermissionDeniedError, match="payments:read"):
        await read_payment(ACME, payment_id, world.payments, actor=clerk_without)
    with pytest.raises(PermissionDeniedError, match="payments:start"):
        await start_payment(
            StartPayment(order_id=world.order_id),
            ACME,
            payments=world.payments,
            orders=world.orders,
            provider=world.provider,
            clock=world.clock,
            actor=clerk_without,
        )
    assert world.provider.charges == {str(payment_id): 1}  # the refused start sent nothing


async def test_reading_another_tenant_s_payment_finds_nothing() -> None:
    world = World()
    payment_id, _, _ = await world.start()
    with pytest.raises(PaymentNotFoundError):
        await read_payment(TenantId("globex"), payment_id, world.payments, actor=OPERATOR)


async def test_a_success_pays_the_order_and_records_the_event() -> None:
    world = World()
    payment_id, intent, _ = await world.start()
    assert intent is not None
    settled = await world.settle(intent, "payment.succeeded", "evt_1")
    assert settled == Settlement(
        event_id="evt_1",
        payment_id=payment_id,
        status=PaymentStatus.SUCCEEDED,
        applied=True,
        order_paid=True,
    )
    assert world.orders.statuses[world.order_id] == "paid"
    assert world.payments.events == {"evt_1"}


async def test_a_replay_a_stranger_and_another_amount_change_nothing() -> None:
    world = World()
    _, intent, _ = await world.start()
    assert intent is not None
    await world.settle(intent, "payment.failed", "evt_1")
    with pytest.raises(WebhookReplayedError):
        await world.settle(intent, "payment.succeeded", "evt_1")
    with pytest.raises(PaymentNotFoundError):
        await world.settle("pi_unknown", "payment.succeeded", "evt_2")
    with pytest.raises(AmountMismatchError):
        await world.settle(intent, "payment.succeeded", "evt_3", minor=1)
    assert world.orders.statuses[world.order_id] == "placed"
    assert world.payments.events == {"evt_1"}


async def test_a_concurrent_delivery_that_stored_the_event_first_makes_this_one_a_replay() -> None:
    world = World()
    _, intent, _ = await world.start()
    assert intent is not None
    real_processed = world.payments.processed

    async def processed_after_the_rival(event_id: str) -> bool:
        seen = await real_processed(event_id)
        world.payments.events.add(event_id)  # the rival delivery commits meanwhile
        return seen

    world.payments.processed = processed_after_the_rival  # type: ignore[method-assign]
    with pytest.raises(WebhookReplayedError):
        await world.settle(intent, "payment.succeeded", "evt_1")


async def test_nothing_is_read_before_the_signature_is_verified() -> None:
    world = World()
    delivery = WebhookDelivery("t=1,v1=" + "0" * 64, b"{}")
    with pytest.raises(InvalidWebhookError):
        await settle_payment(
            delivery, world.verifier, world.payments, lambda _: world.orders, world.clock
        )
    assert world.payments.events == set()


OUTCOMES = st.lists(
    st.sampled_from(["payment.succeeded", "payment.failed"]), min_size=1, max_size=8
)


# --8<-- [start:any-order]
@given(outcomes=OUTCOMES)
async def test_in_any_order_the_order_is_paid_exactly_when_a_success_arrived(
    outcomes: list[str],
) -> None:
    world = World()
    _, intent, _ = await world.start()
    assert intent is not None
    for number, outcome in enumerate(outcomes):
        await world.settle(intent, outcome, f"evt_{number}")
    paid = "payment.succeeded" in outcomes
    assert world.orders.statuses[world.order_id] == ("paid" if paid else "placed")
    (payment,) = world.payments.rows.values()
    assert payment.status is (PaymentStatus.SUCCEEDED if paid else PaymentStatus.FAILED)


# --8<-- [end:any-order]


def test_success_is_final_and_a_failure_may_still_succeed() -> None:
    payment = Payment.start(uuid4(), ACME, uuid4(), attempt=1, amount=TOTAL, now=NOW)
    later = NOW + timedelta(seconds=1)
    assert payment.settle(ProviderOutcome.FAILED, later)
    assert not payment.settle(ProviderOutcome.FAILED, later)
    assert payment.settle(ProviderOutcome.SUCCEEDED, later)
    assert not payment.settle(ProviderOutcome.FAILED, later)
    assert not payment.settle(ProviderOutcome.SUCCEEDED, later)
    assert (payment.status, payment.updated_at) == (PaymentStatus.SUCCEEDED, later)
