"""The payments' repository on SQLite and PostgreSQL, and the in-memory fake beside it.

The same tests for both: the fake's promises are the adapter's, checked here.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from payments.domain.entities.payment import Payment, ProviderOutcome
from payments.domain.repositories.payment_repository import PaymentRepository, load_payment
from payments.infrastructure.database.payment_repository import SqlAlchemyPaymentRepository
from shared_kernel.clock import FixedClock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

from ..unit.payments_fakes import InMemoryPayments  # noqa: TID252 - the fake these tests hold to the adapter's promises

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
ACME, GLOBEX = TenantId("acme"), TenantId("globex")

REPOSITORIES: dict[str, Callable[[AsyncEngine], PaymentRepository]] = {
    "sql": lambda engine: SqlAlchemyPaymentRepository(engine, FixedClock(NOW)),
    "in-memory": lambda _: InMemoryPayments(),
}


@pytest.fixture(params=sorted(REPOSITORIES))
def repository(
    request: pytest.FixtureRequest,
    engine: AsyncEngine,
    tenants: None,  # noqa: ARG001 - the tenants' rows
) -> PaymentRepository:
    return REPOSITORIES[request.param](engine)


def payment(attempt: int = 1, tenant: TenantId = ACME, order_id: object = None) -> Payment:
    return Payment.start(
        uuid4(),
        tenant,
        order_id or uuid4(),  # type: ignore[arg-type]
        attempt=attempt,
        amount=Money(Decimal("1234567890123.45"), "EUR"),
        now=NOW,
    )


async def test_a_payment_is_stored_and_read_back_exactly(repository: PaymentRepository) -> None:
    stored = payment()
    assert await repository.add(stored)
    found = await load_payment(repository, ACME, stored.id)
    assert (found.amount, found.status, found.created_at) == (stored.amount, stored.status, NOW)
    assert await repository.get(GLOBEX, stored.id) is None


async def test_an_attempt_of_an_order_is_stored_once(repository: PaymentRepository) -> None:
    first = payment()
    assert await repository.add(first)
    assert not await repository.add(payment(order_id=first.order_id))
    second = payment(attempt=2, order_id=first.order_id)
    assert await repository.add(second)
    assert [p.id for p in await repository.of_order(ACME, first.order_id)] == [first.id, second.id]
    assert await repository.of_order(GLOBEX, first.order_id) == []


async def test_an_event_is_recorded_once_with_the_change_it_made(
    repository: PaymentRepository,
) -> None:
    stored = payment()
    await repository.add(stored)
    stored.attach("pi_1", NOW)
    assert await repository.save(stored)
    later = NOW + timedelta(seconds=1)
    stored.settle(ProviderOutcome.SUCCEEDED, later)
    assert await repository.save(stored, event_id="evt_1")
    assert await repository.processed("evt_1")
    assert not await repository.processed("evt_2")

    stored.settle(ProviderOutcome.FAILED, later)  # success is final: no change
    assert not await repository.save(stored, event_id="evt_1")

    found = await repository.by_provider_id("pi_1")
    assert found is not None
    assert (found.id, found.tenant_id, found.status, found.updated_at) == (
        stored.id,
        ACME,
        "succeeded",
        later,
    )
    assert await repository.by_provider_id("pi_2") is None


async def test_pending_finds_the_stale_pending_payments_with_an_intent_of_any_tenant_oldest_first(
    repository: PaymentRepository,
) -> None:
    made: dict[str, Payment] = {}
    for name, tenant, minutes_ago in [
        ("older", GLOBEX, 50),
        ("old", ACME, 40),
        ("oldest", ACME, 60),
        ("young", ACME, 5),
        ("without-intent", ACME, 90),
        ("settled", ACME, 70),
        ("refunded", GLOBEX, 80),
    ]:
        stored = payment(tenant=tenant)
        await repository.add(stored)
        if name != "without-intent":
            stored.attach(f"pi_{name}", NOW - timedelta(minutes=minutes_ago))
        if name in {"settled", "refunded"}:
            stored.settle(ProviderOutcome.SUCCEEDED, NOW - timedelta(minutes=minutes_ago))
        if name == "refunded":
            stored.refunded(NOW - timedelta(minutes=minutes_ago))
        await repository.save(stored)
        made[name] = stored

    stale = await repository.pending(NOW - timedelta(minutes=30), 100)
    first_two = await repository.pending(NOW - timedelta(minutes=30), 2)

    assert [p.id for p in stale] == [made[n].id for n in ("oldest", "older", "old")]
    assert [p.id for p in first_two] == [made["oldest"].id, made["older"].id]
    assert await repository.pending(NOW - timedelta(hours=2), 100) == []
    refunded = await load_payment(repository, GLOBEX, made["refunded"].id)
    assert refunded.status == "refunded"  # and it is stored as such
