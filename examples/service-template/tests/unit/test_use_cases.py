"""The use cases on in-memory fakes, read back through the fake query port: one
transaction per command, events on commit."""

from collections.abc import Awaitable, Callable
from uuid import UUID, uuid4

import pytest

from app.application.dto.customer_commands import RegisterCustomer, RenameCustomer
from app.application.dto.customer_views import CustomerView
from app.application.interfaces.customer_queries import CustomerQueries
from app.application.interfaces.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.application.use_cases.deactivate_customer import deactivate_customer
from app.application.use_cases.register_customer import register_customer
from app.application.use_cases.rename_customer import rename_customer
from app.domain.errors import (
    CustomerInactiveError,
    CustomerNotFoundError,
    EmailAlreadyRegisteredError,
)
from app.domain.events.customer_events import (
    CustomerDeactivated,
    CustomerRegistered,
    CustomerRenamed,
)
from shared_kernel.clock import FixedClock
from shared_kernel.events import DomainEvent

pytestmark = pytest.mark.anyio


async def register(
    new_uow: UnitOfWorkFactory, clock: FixedClock, email: str = "ada@example.com"
) -> CustomerView:
    return await register_customer(RegisterCustomer(email=email, name="Ada"), new_uow(), clock)


async def test_register_stores_the_customer_and_publishes_the_event(
    new_uow: UnitOfWorkFactory,
    clock: FixedClock,
    outbox: list[DomainEvent],
    queries: CustomerQueries,
) -> None:
    view = await register(new_uow, clock)

    assert (view.email, view.name, view.active) == ("ada@example.com", "Ada", True)
    assert view.registered_at == clock.now()
    assert await queries.get(view.id) == view
    assert [type(event) for event in outbox] == [CustomerRegistered]


async def test_register_refuses_a_taken_address_and_stores_nothing(
    new_uow: UnitOfWorkFactory,
    clock: FixedClock,
    outbox: list[DomainEvent],
    queries: CustomerQueries,
) -> None:
    await register(new_uow, clock)

    with pytest.raises(EmailAlreadyRegisteredError):
        await register(new_uow, clock, email="ADA@example.com")

    page = await queries.list_page(after=None, limit=10)
    assert len(page.items) == 1
    assert len(outbox) == 1


async def test_rename_stores_the_new_name(
    new_uow: UnitOfWorkFactory,
    clock: FixedClock,
    outbox: list[DomainEvent],
    queries: CustomerQueries,
) -> None:
    registered = await register(new_uow, clock)

    renamed = await rename_customer(registered.id, RenameCustomer(name="Ada L."), new_uow())

    assert renamed.name == "Ada L."
    assert (await queries.get(registered.id)).name == "Ada L."
    assert isinstance(outbox[-1], CustomerRenamed)


async def test_deactivate_stores_the_state_and_later_changes_are_refused(
    new_uow: UnitOfWorkFactory,
    clock: FixedClock,
    outbox: list[DomainEvent],
    queries: CustomerQueries,
) -> None:
    registered = await register(new_uow, clock)

    deactivated = await deactivate_customer(registered.id, new_uow())

    assert not deactivated.active
    assert not (await queries.get(registered.id)).active
    assert isinstance(outbox[-1], CustomerDeactivated)
    with pytest.raises(CustomerInactiveError):
        await rename_customer(registered.id, RenameCustomer(name="Ada L."), new_uow())


async def test_a_failed_command_changes_nothing(
    new_uow: UnitOfWorkFactory, clock: FixedClock, queries: CustomerQueries
) -> None:
    registered = await register(new_uow, clock)
    await deactivate_customer(registered.id, new_uow())

    with pytest.raises(CustomerInactiveError):
        await deactivate_customer(registered.id, new_uow())

    assert (await queries.get(registered.id)).active is False


@pytest.mark.parametrize(
    "use_case",
    [
        lambda customer_id, uow: rename_customer(customer_id, RenameCustomer(name="X"), uow),
        deactivate_customer,
    ],
    ids=["rename", "deactivate"],
)
async def test_acting_on_an_unknown_customer_raises_not_found(
    new_uow: UnitOfWorkFactory, use_case: Callable[[UUID, UnitOfWork], Awaitable[CustomerView]]
) -> None:
    unknown: UUID = uuid4()
    with pytest.raises(CustomerNotFoundError, match=str(unknown)):
        await use_case(unknown, new_uow())


async def test_the_queries_read_what_was_committed_in_pages_in_email_order(
    new_uow: UnitOfWorkFactory, clock: FixedClock, queries: CustomerQueries
) -> None:
    for email in ["carol@example.com", "alice@example.com", "bob@example.com"]:
        await register(new_uow, clock, email=email)

    first = await queries.list_page(after=None, limit=2)
    second = await queries.list_page(after=first.next_cursor, limit=2)

    assert [c.email for c in first.items] == ["alice@example.com", "bob@example.com"]
    assert ([c.email for c in second.items], second.next_cursor) == (["carol@example.com"], None)
    with pytest.raises(CustomerNotFoundError):
        await queries.get(uuid4())
