"""Repository and unit of work on a real database: what commits, what rolls back,
and what a concurrent writer runs into."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.entities.customer import Customer
from app.domain.errors import EmailAlreadyRegisteredError
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from app.infrastructure.database.tables import customers, outbox
from app.infrastructure.database.unit_of_work import SqlAlchemyUnitOfWork
from shared_kernel.repository import ConcurrencyConflictError

pytestmark = pytest.mark.anyio

REGISTERED_AT = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)


def new_customer(email: str = "ada@example.com") -> Customer:
    return Customer.register(
        CustomerId.new(), EmailAddress(email), CustomerName("Ada"), REGISTERED_AT
    )


async def store(engine: AsyncEngine, *new_customers: Customer) -> None:
    async with SqlAlchemyUnitOfWork(engine) as uow:
        for customer in new_customers:
            await uow.customers.add(customer)
        await uow.commit()


async def test_a_committed_customer_reads_back_equal_in_every_field(engine: AsyncEngine) -> None:
    customer = new_customer()
    await store(engine, customer)

    async with SqlAlchemyUnitOfWork(engine) as uow:
        loaded = await uow.customers.get(customer.id)

    assert loaded is not None
    assert loaded == customer
    assert (loaded.email, loaded.name, loaded.active) == (customer.email, customer.name, True)
    assert loaded.registered_at == REGISTERED_AT
    assert loaded.registered_at.tzinfo is not None
    assert loaded.version == customer.version == 1


async def test_get_by_email_finds_the_customer_and_unknowns_are_none(engine: AsyncEngine) -> None:
    customer = new_customer()
    await store(engine, customer)

    async with SqlAlchemyUnitOfWork(engine) as uow:
        assert await uow.customers.get_by_email(EmailAddress("ada@example.com")) == customer
        assert await uow.customers.get_by_email(EmailAddress("bob@example.com")) is None
        assert await uow.customers.get(CustomerId.new()) is None


async def test_leaving_without_commit_discards_the_changes(engine: AsyncEngine) -> None:
    customer = new_customer()
    async with SqlAlchemyUnitOfWork(engine) as uow:
        await uow.customers.add(customer)

    async with SqlAlchemyUnitOfWork(engine) as uow:
        assert await uow.customers.get(customer.id) is None


async def test_an_exception_inside_the_block_rolls_back_what_was_written(
    engine: AsyncEngine,
) -> None:
    customer = new_customer()
    await store(engine, customer)

    async def rename_then_fail() -> None:
        async with SqlAlchemyUnitOfWork(engine) as uow:
            loaded = await uow.customers.get(customer.id)
            assert loaded is not None
            loaded.rename(CustomerName("Ada Lovelace"))
            await uow.customers.store_changes()  # written, but not committed
            raise RuntimeError("fails after the write")

    with pytest.raises(RuntimeError, match="after the write"):
        await rename_then_fail()

    async with SqlAlchemyUnitOfWork(engine) as uow:
        reloaded = await uow.customers.get(customer.id)
    assert reloaded is not None
    assert reloaded.name == CustomerName("Ada")


async def test_commit_stores_changes_and_bumps_the_version(engine: AsyncEngine) -> None:
    customer = new_customer()
    await store(engine, customer)

    async with SqlAlchemyUnitOfWork(engine) as uow:
        loaded = await uow.customers.get(customer.id)
        assert loaded is not None
        loaded.rename(CustomerName("Ada Lovelace"))
        await uow.commit()

    async with SqlAlchemyUnitOfWork(engine) as uow:
        reloaded = await uow.customers.get(customer.id)
    assert reloaded is not None
    assert (reloaded.name.value, reloaded.version) == ("Ada Lovelace", 2)


async def test_an_unchanged_customer_is_not_written(engine: AsyncEngine) -> None:
    customer = new_customer()
    await store(engine, customer)

    async with SqlAlchemyUnitOfWork(engine) as uow:
        loaded = await uow.customers.get(customer.id)
        assert loaded is not None
        loaded.rename(CustomerName("Ada"))  # the same name: no event, no change
        await uow.commit()

    async with engine.connect() as connection:
        version = await connection.scalar(select(customers.c.version))
    assert version == 1


async def test_events_are_stored_in_the_outbox_with_the_change(engine: AsyncEngine) -> None:
    customer = new_customer()
    [registered] = customer.pull_events()
    customer.record_event(registered)  # look at the event, then put it back
    await store(engine, customer)

    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox))).mappings().all()

    [row] = rows
    assert (row["event_id"], row["event_name"]) == (registered.event_id, "CustomerRegistered")
    assert row["occurred_at"] == registered.occurred_at
    payload = json.loads(row["payload"])
    assert payload["customer_id"] == str(customer.id)
    assert payload["email"] == "ada@example.com"


async def test_a_concurrent_change_is_refused_not_overwritten(engine: AsyncEngine) -> None:
    customer = new_customer()
    await store(engine, customer)

    async with SqlAlchemyUnitOfWork(engine) as first, SqlAlchemyUnitOfWork(engine) as second:
        mine = await first.customers.get(customer.id)
        theirs = await second.customers.get(customer.id)
        assert mine is not None
        assert theirs is not None
        theirs.rename(CustomerName("Their Ada"))
        await second.commit()
        mine.rename(CustomerName("My Ada"))
        with pytest.raises(ConcurrencyConflictError, match="changed by someone else"):
            await first.commit()

    async with SqlAlchemyUnitOfWork(engine) as uow:
        reloaded = await uow.customers.get(customer.id)
    assert reloaded is not None
    assert reloaded.name.value == "Their Ada"


async def test_the_database_keeps_emails_unique_when_the_check_was_skipped(
    engine: AsyncEngine,
) -> None:
    await store(engine, new_customer())

    with pytest.raises(EmailAlreadyRegisteredError, match="already registered"):
        await store(engine, new_customer())
