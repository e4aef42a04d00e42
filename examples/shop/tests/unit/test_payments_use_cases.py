"""Payments' use cases on in-memory fakes: starting, settling, and every out-of-order case."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.application.dto.payment_commands import StartPayment, WebhookDelivery
from payments.application.dto.payment_views import Reconciliation, Settlement
from payments.application.errors import (
    AmountMismatchError,
    InvalidWebhookError,
    ProviderUnavailableError,
    WebhookReplayedError,
)
from payments.application.use_cases.read_payment import read_payment
from payments.application.use_cases.reconcile_payments import reconcile_payments
from payments.application.use_cases.settle_payment import settle_payment
from payments.application.use_cases.start_payment import start_payment
from payments.domain.entities.payment import Payment, PaymentStatus, ProviderOutcome
from payments.domain.errors import (
    OrderNotPayableError,
    OrderToPayNotFoundError,
    PaymentNotFoundError,
    PaymentNotRefundableError,
    PaymentWithoutIntentError,
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
        self.provider_says(intent, ProviderOutcome(outcome))
        return await self.deliver(delivery)

    async def deliver(self, delivery: WebhookDelivery) -> Settlement:
        return await settle_payment(
            delivery,
            verifier=self.verifier,
            payments=self.payments,
            orders=lambda _: self.orders,
            provider=self.provider,
            clock=self.clock,
        )

    def provider_says(self, intent: str, outcome: ProviderOutcome) -> None:
        """Make the provider's record of the intent what its webhook says: a success stays."""
        if self.provider.ended.get(intent) is not ProviderOutcome.SUCCEEDED:
            self.provider.ended[intent] = outcome

    async def reconcile(self, older_than: timedelta = timedelta(minutes=30)) -> Reconciliation:
        return await reconcile_payments(
            self.payments,
            lambda _: self.orders,
            self.provider,
            self.clock,
            older_than=older_than,
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
        refunded=False,
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
        await world.deliver(delivery)
    assert world.payments.events == set()


OUTCOMES = st.lists(
    st.sampled_from(["payment.succeeded", "payment.failed"]), min_size=1, max_size=8
)


# --8<-- [start:any-order]
@given(outcomes=OUTCOMES, cancelled_first=st.booleans())
async def test_in_any_order_the_order_is_paid_or_refunded_exactly_once(
    outcomes: list[str], *, cancelled_first: bool
) -> None:
    world = World()
    _, intent, _ = await world.start()
    assert intent is not None
    if cancelled_first:  # cancelled while the customer was still paying
        world.orders.statuses[world.order_id] = "cancelled"
    for number, outcome in enumerate(outcomes):
        await world.settle(intent, outcome, f"evt_{number}")
    succeeded = "payment.succeeded" in outcomes
    (payment,) = world.payments.rows.values()
    if not succeeded:
        assert payment.status is PaymentStatus.FAILED
        assert world.provider.refunds == {}
    elif cancelled_first:
        assert payment.status is PaymentStatus.REFUNDED
        assert world.orders.statuses[world.order_id] == "cancelled"
        assert list(world.provider.refunds) == [payment.refund_key]  # one refund, ever
    else:
        assert payment.status is PaymentStatus.SUCCEEDED
        assert world.orders.statuses[world.order_id] == "paid"
        assert world.provider.refunds == {}


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


def test_a_payment_is_refunded_only_after_it_succeeded_and_names_its_intent_once_it_has_one() -> (
    None
):
    payment = Payment.start(uuid4(), ACME, uuid4(), attempt=1, amount=TOTAL, now=NOW)
    with pytest.raises(PaymentWithoutIntentError):
        payment.intent_id()
    with pytest.raises(PaymentNotRefundableError, match="pending"):
        payment.refunded(NOW)
    payment.attach("pi_1", NOW)
    payment.settle(ProviderOutcome.SUCCEEDED, NOW)
    payment.refunded(NOW)
    assert (payment.intent_id(), payment.status) == ("pi_1", PaymentStatus.REFUNDED)
    assert not payment.settle(ProviderOutcome.SUCCEEDED, NOW)  # a refund is final too
    assert not payment.settle(ProviderOutcome.FAILED, NOW)


# --8<-- [start:refunds]
async def test_a_success_for_a_cancelled_order_is_refunded_once() -> None:
    world = World()
    payment_id, intent, _ = await world.start()
    assert intent is not None
    world.orders.statuses[world.order_id] = "cancelled"  # before the customer paid

    settled = await world.settle(intent, "payment.succeeded", "evt_1")
    again = await world.settle(intent, "payment.succeeded", "evt_2")

    assert (settled.status, settled.order_paid, settled.refunded) == ("refunded", False, True)
    assert (again.applied, again.refunded) == (False, False)
    assert world.orders.statuses[world.order_id] == "cancelled"
    assert world.provider.refunds == {f"{payment_id}:refund": ("re_1", intent)}


async def test_a_late_success_of_an_earlier_attempt_is_refunded_not_charged_twice() -> None:
    world = World()
    _, first, _ = await world.start()
    assert first is not None
    await world.settle(first, "payment.failed", "evt_1")
    _, second, _ = await world.start()  # a new attempt, with a key of its own
    assert second is not None
    assert (await world.settle(second, "payment.succeeded", "evt_2")).order_paid

    late = await world.settle(first, "payment.succeeded", "evt_3")  # another card, meanwhile

    assert (late.status, late.order_paid, late.refunded) == ("refunded", False, True)
    assert [refund for _, refund in world.provider.refunds.values()] == [first]
    assert world.orders.statuses[world.order_id] == "paid"


async def test_a_refund_that_cannot_be_asked_for_now_stores_nothing_until_the_next_delivery() -> (
    None
):
    world = World()
    _, intent, _ = await world.start()
    assert intent is not None
    world.orders.statuses[world.order_id] = "cancelled"
    world.provider.failures = 1

    with pytest.raises(ProviderUnavailableError):
        await world.settle(intent, "payment.succeeded", "evt_1")
    (payment,) = world.payments.rows.values()
    assert (payment.status, world.payments.events) == (PaymentStatus.PENDING, set())

    redelivered = await world.settle(intent, "payment.succeeded", "evt_1")
    assert redelivered.refunded
    assert len(world.provider.refunds) == 1


# --8<-- [end:refunds]


# --8<-- [start:reconcile]
async def test_reconciling_settles_the_stale_pending_payments_as_their_webhooks_would() -> None:
    world = World()
    intents: dict[str, str] = {}
    an_hour_ago = FixedClock(NOW - timedelta(hours=1))
    for name in ("paid", "failed", "open", "cancelled", "young"):
        order_id = uuid4()
        world.orders.totals[order_id] = TOTAL
        world.orders.statuses[order_id] = "placed"
        world.clock = FixedClock(NOW) if name == "young" else an_hour_ago
        _, intent, _ = await world.start(order_id)
        assert intent is not None
        intents[name] = intent
    world.clock = FixedClock(NOW)
    world.provider_says(intents["paid"], ProviderOutcome.SUCCEEDED)
    world.provider_says(intents["failed"], ProviderOutcome.FAILED)
    world.provider_says(intents["cancelled"], ProviderOutcome.SUCCEEDED)
    world.provider_says(intents["young"], ProviderOutcome.SUCCEEDED)
    cancelled = next(
        p for p in world.payments.rows.values() if p.provider_payment_id == intents["cancelled"]
    )
    world.orders.statuses[cancelled.order_id] = "cancelled"

    found = await world.reconcile()

    assert found == Reconciliation(
        checked=4, succeeded=1, failed=1, refunded=1, still_pending=1, unresolved=[]
    )
    by_intent = {p.provider_payment_id: p.status for p in world.payments.rows.values()}
    assert by_intent == {
        intents["paid"]: "succeeded",
        intents["failed"]: "failed",
        intents["open"]: "pending",
        intents["cancelled"]: "refunded",
        intents["young"]: "pending",  # left to its webhook
    }
    assert sorted(world.orders.statuses.values()).count("paid") == 1
    assert len(world.provider.refunds) == 1


# --8<-- [end:reconcile]


async def test_a_webhook_after_the_reconciliation_changes_nothing_and_refunds_nothing_twice() -> (
    None
):
    world = World()
    world.clock = FixedClock(NOW - timedelta(hours=1))
    _, intent, _ = await world.start()
    assert intent is not None
    world.clock = FixedClock(NOW)
    world.orders.statuses[world.order_id] = "cancelled"
    world.provider_says(intent, ProviderOutcome.SUCCEEDED)
    assert (await world.reconcile()).refunded == 1

    late = await world.settle(intent, "payment.succeeded", "evt_1")

    assert (late.applied, late.status, late.refunded) == (False, "refunded", False)
    assert len(world.provider.refunds) == 1


async def test_an_intent_the_provider_does_not_confirm_is_unresolved_and_an_outage_stops() -> None:
    world = World()
    world.clock = FixedClock(NOW - timedelta(hours=1))
    payment_id, intent, _ = await world.start()
    assert intent is not None
    world.clock = FixedClock(NOW)
    world.provider.intents.clear()  # the provider knows no such intent

    found = await world.reconcile()
    assert (found.checked, found.unresolved) == (1, [payment_id])

    world.provider.failures = 1
    with pytest.raises(ProviderUnavailableError):
        await world.reconcile()
    (payment,) = world.payments.rows.values()
    assert payment.status is PaymentStatus.PENDING
