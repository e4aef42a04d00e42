"""The audit trail: every event appended once to its tenant's chain, verified, paged.

The events take the real way: stored in the outbox, relayed through the embedded
transport, appended by the ``audit.trail`` consumer's runtime with its inbox. Tampering
is done as an intruder with database access would: with SQL on the table.
"""

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from audit.application.use_cases.verify_trail import verify_trail
from audit.infrastructure.database.audit_log import SqlAlchemyAuditLog
from audit.infrastructure.database.tables import audit_entries
from audit.infrastructure.messaging.audit_trail import append_to_trail
from infrastructure_kernel.http.hostile_input import cursor_of
from infrastructure_kernel.messaging.consumer import (
    Backoff,
    ConsumerRuntime,
    Outcome,
    PoisonMessageError,
)
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.relay import OutboxRelay, envelope
from ordering.domain.events.order_events import OrderedItem, OrderPaid, OrderPlaced
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.bootstrap import AUDIT_TRAIL, DOMAIN_EVENTS
from shop.infrastructure.database.tables import inbox, outbox
from shop.presentation.cli.main import cli
from tenancy.domain.entities.tenant import Tenant

from .messaging import NOW, MovingClock, embedded, product_added, store_events

pytestmark = [
    pytest.mark.anyio,
    # The relay and the consumer (the run fixture) configure logging: put it back after each.
    pytest.mark.usefixtures("structlog_restored", "root_logger_restored"),
]

AS_ACME = {"X-Tenant-ID": "acme"}
QUICK = Backoff(attempts=3, first_pause=0.001)


def order_placed(tenant: str = "acme") -> OrderPlaced:
    item = OrderedItem(product_id=uuid4(), quantity=2, unit_price=Decimal("12.50"))
    return OrderPlaced(
        tenant_id=tenant, order_id=uuid4(), items=(item,), total=Decimal(25), currency="EUR"
    )


async def audited(engine: AsyncEngine, *stored: tuple[str, list[DomainEvent]]) -> Counter[Outcome]:
    """Store the events, relay them and let the audit consumer drain its queue."""
    clock = MovingClock(NOW)
    transport = embedded(engine, clock)
    await transport.declare([AUDIT_TRAIL.subscription])
    for tenant, events in stored:
        await store_events(engine, tenant, events)
    await OutboxRelay(engine, outbox, transport, clock).drain()
    runtime = ConsumerRuntime(AUDIT_TRAIL, engine, inbox, transport, clock)
    return await runtime.drain(idle=0.05)


async def trail(engine: AsyncEngine, tenant: str = "acme") -> list[tuple[int, str]]:
    query = (
        select(audit_entries.c.sequence, audit_entries.c.event_name)
        .where(audit_entries.c.tenant_id == tenant)
        .order_by(audit_entries.c.sequence)
    )
    async with engine.connect() as connection:
        return [(row.sequence, row.event_name) for row in await connection.execute(query)]


def test_the_trail_keeps_every_event_the_contexts_record() -> None:
    def below(cls: type[DomainEvent]) -> set[type[DomainEvent]]:
        return set().union(*({c} | below(c) for c in cls.__subclasses__()))

    # The handbook's suite imports other examples' and its own tests' events as well.
    contexts = {"tenancy", "identity", "catalog", "ordering", "notifications", "audit"}
    recorded = {c for c in below(DomainEvent) if c.__module__.split(".")[0] in contexts}
    concrete = {c for c in recorded if not any(o is not c and issubclass(o, c) for o in recorded)}

    assert concrete == set(DOMAIN_EVENTS)
    assert AUDIT_TRAIL.subscription.event_names == {e.__name__ for e in DOMAIN_EVENTS}


@pytest.mark.usefixtures("tenants")
async def test_every_event_is_appended_once_to_its_tenants_chain(engine: AsyncEngine) -> None:
    placed = order_placed()
    events: list[DomainEvent] = [
        product_added(),
        placed,
        OrderPaid(tenant_id="acme", order_id=placed.order_id),
    ]

    outcomes = await audited(engine, ("acme", events), ("globex", [order_placed("globex")]))

    assert outcomes == Counter({Outcome.HANDLED: 4})
    assert await trail(engine) == [(1, "ProductAdded"), (2, "OrderPlaced"), (3, "OrderPaid")]
    assert await trail(engine, "globex") == [(1, "OrderPlaced")]
    log = SqlAlchemyAuditLog(engine, batch_size=2)  # two batches for acme's three entries
    assert await log.tenants() == [TenantId("acme"), TenantId("globex")]
    report = await verify_trail(log, TenantId("acme"))
    assert (report.entries, report.first_break) == (3, None)


async def test_a_redelivered_event_is_appended_once(engine: AsyncEngine, acme: Tenant) -> None:
    del acme
    await store_events(engine, "acme", [order_placed()])
    async with engine.connect() as connection:
        [row] = (await connection.execute(select(outbox))).mappings().all()
    transport = embedded(engine, MovingClock(NOW))
    await transport.declare([AUDIT_TRAIL.subscription])
    await transport.publish([envelope(row), envelope(row)])

    runtime = ConsumerRuntime(AUDIT_TRAIL, engine, inbox, transport, MovingClock(NOW))
    outcomes = await runtime.drain(idle=0.05)

    assert outcomes == Counter({Outcome.HANDLED: 1, Outcome.DUPLICATE: 1})
    assert await trail(engine) == [(1, "OrderPlaced")]


def event(tenant: str = "acme", **payload: Any) -> EventEnvelope:
    return EventEnvelope.model_validate(
        {
            "event_id": uuid4(),
            "event_name": "OrderPlaced",
            "schema_version": 1,
            "tenant_id": tenant,
            "occurred_at": NOW,
            "payload": payload,
        }
    )


@pytest.mark.parametrize(
    ("tenant", "payload", "reason"),
    [
        ("initech", {}, "the audit log refused entry 1, and no race explains it"),
        ("ACME!", {}, "not a tenant id: 'ACME!'"),
        ("acme", {"total": float("nan")}, "the payload is not canonical JSON: Out of range"),
    ],
)
async def test_an_event_that_can_never_be_appended_is_refused_for_good(
    engine: AsyncEngine, acme: Tenant, tenant: str, payload: dict[str, Any], reason: str
) -> None:
    del acme
    async with engine.begin() as connection:
        await append_to_trail(connection, event(payload={"n": 1}))  # a chain to refuse after
    with pytest.raises(PoisonMessageError) as refused:
        async with engine.begin() as connection:
            await append_to_trail(connection, event(tenant, **payload))

    assert str(refused.value).startswith(reason)
    assert await trail(engine) == [(1, "OrderPlaced")]


async def test_two_appenders_for_one_tenant_never_fork_the_chain(
    engine: AsyncEngine, acme: Tenant
) -> None:
    """Both read the same last entry; the primary key lets one insert its successor."""
    del acme
    await append_in_own_transaction(engine, event(n=1))
    async with engine.begin() as first:
        await append_to_trail(first, event(n=2))
        if engine.dialect.name == "postgresql":
            # The second read entry 1 too, and waits on the first's uncommitted entry 2;
            # refused once the first commits, it reads entry 2 and appends entry 3.
            second = asyncio.create_task(append_in_own_transaction(engine, event(n=3)))
            await asyncio.sleep(0.3)
            assert not second.done()
    if engine.dialect.name == "postgresql":
        await second
    else:  # SQLite has one writer at a time: the second comes after the first
        await append_in_own_transaction(engine, event(n=3))

    assert [seq for seq, _ in await trail(engine)] == [1, 2, 3]
    report = await verify_trail(SqlAlchemyAuditLog(engine), TenantId("acme"))
    assert (report.entries, report.first_break) == (3, None)


async def append_in_own_transaction(engine: AsyncEngine, envelope: EventEnvelope) -> None:
    async with engine.begin() as connection:
        await append_to_trail(connection, envelope)


@pytest.mark.usefixtures("tenants")
async def test_consumers_side_by_side_append_every_event_to_one_unforked_chain(
    engine: AsyncEngine,
) -> None:
    clock = MovingClock(NOW)
    transport = embedded(engine, clock)
    await transport.declare([AUDIT_TRAIL.subscription])
    await store_events(engine, "acme", [order_placed() for _ in range(30)])
    await OutboxRelay(engine, outbox, transport, clock).drain()
    consumer = replace(AUDIT_TRAIL, backoff=QUICK)

    outcomes = await asyncio.gather(
        *(
            ConsumerRuntime(consumer, engine, inbox, transport, clock).drain(idle=0.1)
            for _ in range(3)
        )
    )

    assert sum(outcomes, Counter()) == Counter({Outcome.HANDLED: 30})
    assert [seq for seq, _ in await trail(engine)] == list(range(1, 31))
    report = await verify_trail(SqlAlchemyAuditLog(engine), TenantId("acme"))
    assert (report.entries, report.first_break) == (30, None)


async def test_the_api_pages_through_the_tenants_own_trail(
    engine: AsyncEngine, client: httpx.AsyncClient, tenants: None
) -> None:
    del tenants
    await audited(
        engine, ("acme", [order_placed() for _ in range(3)]), ("globex", [order_placed("globex")])
    )

    first = await client.get("/api/v1/audit-entries?limit=2", headers=AS_ACME)
    body = first.json()
    second = await client.get(
        f"/api/v1/audit-entries?limit=2&after={body['next_cursor']}", headers=AS_ACME
    )

    assert first.status_code == second.status_code == 200
    assert [e["sequence"] for e in body["items"]] == [1, 2]
    assert body["items"][1]["previous_hash"] == body["items"][0]["hash"]
    assert body["items"][0]["payload"]["total"] == "25"
    assert [e["sequence"] for e in second.json()["items"]] == [3]
    assert second.json()["next_cursor"] is None
    as_globex = await client.get("/api/v1/audit-entries", headers={"X-Tenant-ID": "globex"})
    assert [e["event_name"] for e in as_globex.json()["items"]] == ["OrderPlaced"]


async def test_a_cursor_past_every_sequence_is_a_problem_not_a_crash(
    client: httpx.AsyncClient, acme: Tenant
) -> None:
    del acme
    forged = cursor_of({"sequence": 2**63})

    response = await client.get(f"/api/v1/audit-entries?after={forged}", headers=AS_ACME)

    assert response.status_code == 422
    assert response.json()["type"].endswith("invalid-cursor")


# The command line, as an operator runs it after an intruder edited the table.

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url, "AMQP_URL": None})

    assert invoke("db", "upgrade").exit_code == 0
    assert invoke("seed").exit_code == 0
    assert invoke("relay", "--once").exit_code == 0
    consumed = invoke("consume", "audit.trail", "--once", "--idle", "0.1")
    assert consumed.stdout == "audit.trail: 32 handled, 0 duplicate, 0 dead-lettered.\n"
    return invoke


def tamper(database_url: str, statement: Callable[[], Any]) -> None:
    async def execute() -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                for part in statement():
                    await connection.execute(part)
        finally:
            await engine.dispose()

    asyncio.run(execute())


def acme(sequence: int) -> Any:
    return (audit_entries.c.tenant_id == "acme") & (audit_entries.c.sequence == sequence)


def test_verify_names_every_tenants_intact_chain_and_its_head(run: Invoke) -> None:
    verified = run("audit", "verify")

    assert verified.exit_code == 0, verified.output
    acme_line, globex_line = verified.output.splitlines()
    assert acme_line.startswith("acme: 16 entries, intact; head ")
    assert globex_line.startswith("globex: 16 entries, intact; head ")
    assert run("audit", "verify", "--tenant", "globex").output == globex_line + "\n"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda: [update(audit_entries).where(acme(5)).values(payload={"total": "0.01"})],
            "acme: entry 5 (event {e5}) is broken: its hash does not match its contents",
        ),
        (
            lambda: [delete(audit_entries).where(acme(5))],
            "acme: entry 6 (event {e6}) is broken: sequence 6 where 5 was expected",
        ),
        (  # entries 5 and 6 swapped, through a number no entry has
            lambda: [
                update(audit_entries).where(acme(5)).values(sequence=0),
                update(audit_entries).where(acme(6)).values(sequence=5),
                update(audit_entries).where(acme(0)).values(sequence=6),
            ],
            "acme: entry 5 (event {e6}) is broken: its previous hash is not the hash of the entry"
            " before it",
        ),
    ],
    ids=["changed", "deleted", "reordered"],
)
def test_verify_names_the_first_broken_entry_and_fails(
    run: Invoke, database_url: str, change: Callable[[], Any], named: str
) -> None:
    ids = event_ids(database_url)
    tamper(database_url, change)

    verified = run("audit", "verify")

    assert verified.exit_code == 1
    acme_line, globex_line = verified.output.splitlines()
    assert acme_line.startswith(named.format_map(ids))
    assert globex_line.startswith("globex: 16 entries, intact")
    assert run("audit", "verify", "--tenant", "acme").exit_code == 1


def event_ids(database_url: str) -> dict[str, str]:
    async def read() -> dict[str, str]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    select(audit_entries.c.sequence, audit_entries.c.event_id).where(
                        audit_entries.c.tenant_id == "acme"
                    )
                )
                return {f"e{r.sequence}": str(r.event_id) for r in rows}
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_verify_refuses_an_unknown_or_malformed_tenant(run: Invoke) -> None:
    unknown = run("audit", "verify", "--tenant", "initech")
    malformed = run("audit", "verify", "--tenant", "ACME!")

    assert (unknown.exit_code, malformed.exit_code) == (1, 2)
    assert "initech" in unknown.output
    assert "not a tenant id" in malformed.output
