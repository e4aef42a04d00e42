"""In-memory fakes of the ports, so domain and use cases are tested without I/O.

The fakes keep the one promise of the real adapters that use cases rely on: changes
become visible to other units of work, and to the queries, only on commit. They copy
customers in and out of the committed store, as a database would.
"""

import copy
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from uuid import UUID

import pytest

from app.application.dto.customer_views import CustomerCursor, CustomerPage, CustomerView
from app.application.interfaces.customer_queries import CustomerQueries
from app.application.interfaces.unit_of_work import UnitOfWorkFactory
from app.domain.entities.customer import Customer
from app.domain.errors import CustomerNotFoundError
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.email_address import EmailAddress
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from shared_kernel.clock import FixedClock
from shared_kernel.events import DomainEvent


class FakeCustomerRepository:
    def __init__(self, committed: dict[CustomerId, Customer]) -> None:
        self._committed = committed
        self.seen: dict[CustomerId, Customer] = {}

    async def get(self, customer_id: CustomerId) -> Customer | None:
        stored = self._committed.get(customer_id)
        return None if stored is None else self._load(stored)

    async def get_by_email(self, email: EmailAddress) -> Customer | None:
        matches = [c for c in self._committed.values() if c.email == email]
        return self._load(matches[0]) if matches else None

    async def add(self, customer: Customer) -> None:
        self.seen[customer.id] = customer

    def _load(self, stored: Customer) -> Customer:
        customer = copy.deepcopy(stored)
        self.seen[customer.id] = customer
        return customer


class FakeUnitOfWork:
    def __init__(self, committed: dict[CustomerId, Customer], outbox: list[DomainEvent]) -> None:
        self._committed = committed
        self._outbox = outbox
        self._customers = FakeCustomerRepository(committed)

    @property
    def customers(self) -> FakeCustomerRepository:
        return self._customers

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        for customer in self._customers.seen.values():
            events = customer.pull_events()
            if events:
                customer.increment_version()
                self._committed[customer.id] = copy.deepcopy(customer)
                self._outbox.extend(events)

    async def rollback(self) -> None:
        self._customers.seen.clear()


class FakeCustomerQueries:
    """Reads the committed store, as the adapter reads committed rows, with real cursors."""

    def __init__(self, committed: dict[CustomerId, Customer]) -> None:
        self._committed = committed

    async def get(self, customer_id: UUID) -> CustomerView:
        stored = self._committed.get(CustomerId(customer_id))
        if stored is None:
            raise CustomerNotFoundError(customer_id)
        return CustomerView.from_customer(stored)

    async def list_page(self, *, after: str | None, limit: int) -> CustomerPage:
        ordered = sorted(self._committed.values(), key=lambda customer: customer.email.value)
        if after is not None:
            start = decode_cursor(after, CustomerCursor).email
            ordered = [c for c in ordered if c.email.value > start]
        page, more = ordered[:limit], len(ordered) > limit
        return CustomerPage(
            items=[CustomerView.from_customer(customer) for customer in page],
            next_cursor=encode_cursor(CustomerCursor(email=page[-1].email.value)) if more else None,
        )


@pytest.fixture
def committed() -> dict[CustomerId, Customer]:
    """The store that every fake unit of work commits to, like one database."""
    return {}


@pytest.fixture
def queries(committed: dict[CustomerId, Customer]) -> CustomerQueries:
    return FakeCustomerQueries(committed)


@pytest.fixture
def outbox() -> list[DomainEvent]:
    """The events of every committed change, in order."""
    return []


@pytest.fixture
def new_uow(committed: dict[CustomerId, Customer], outbox: list[DomainEvent]) -> UnitOfWorkFactory:
    """Makes units of work that share one committed store, like connections to one database."""
    return lambda: FakeUnitOfWork(committed, outbox)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 14, 9, 26, tzinfo=UTC))
