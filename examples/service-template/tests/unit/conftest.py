"""In-memory fakes of the ports, so domain and use cases are tested without I/O.

The fakes keep the one promise of the real adapters that use cases rely on: changes
become visible to other units of work only on commit. They copy customers in and out
of the committed store, as a database would.
"""

import copy
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import pytest

from app.application.interfaces.unit_of_work import UnitOfWorkFactory
from app.domain.entities.customer import Customer
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.email_address import EmailAddress
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

    async def list_page(self, *, offset: int, limit: int) -> Sequence[Customer]:
        ordered = sorted(self._committed.values(), key=lambda customer: customer.email.value)
        return [self._load(customer) for customer in ordered[offset : offset + limit]]

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


@pytest.fixture
def outbox() -> list[DomainEvent]:
    """The events of every committed change, in order."""
    return []


@pytest.fixture
def new_uow(outbox: list[DomainEvent]) -> UnitOfWorkFactory:
    """Makes units of work that share one committed store, like connections to one database."""
    committed: dict[CustomerId, Customer] = {}
    return lambda: FakeUnitOfWork(committed, outbox)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 14, 9, 26, tzinfo=UTC))
