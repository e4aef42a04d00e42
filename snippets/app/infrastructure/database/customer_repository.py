"""The customer repository on SQLAlchemy Core, for SQLite and PostgreSQL alike."""

from typing import Any

from sqlalchemy import ColumnElement, RowMapping, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.entities.customer import Customer
from app.domain.errors import EmailAlreadyRegisteredError
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from app.infrastructure.database.tables import customers
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError


# --8<-- [start:mapping]
def _to_row(customer: Customer, *, version: int) -> dict[str, Any]:
    return {
        "id": customer.id.value,
        "email": customer.email.value,
        "name": customer.name.value,
        "active": customer.active,
        "registered_at": customer.registered_at,
        "version": version,
    }


def _to_customer(row: RowMapping) -> Customer:
    return Customer(
        CustomerId(row["id"]),
        email=EmailAddress(row["email"]),
        name=CustomerName(row["name"]),
        active=row["active"],
        registered_at=row["registered_at"],
        version=row["version"],
    )


# --8<-- [end:mapping]


# --8<-- [start:repository]
class SqlAlchemyCustomerRepository:
    """Customers in the ``customers`` table, inside one connection's transaction.

    It remembers every customer it loaded or was given, and
    :meth:`store_changes` writes those that recorded events: an aggregate records an
    event for every change, so one without events has nothing to store.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        """Work inside ``connection``'s transaction.

        Args:
            connection: The unit of work's connection, with its transaction begun.
        """
        self._connection = connection
        self._seen: dict[CustomerId, Customer] = {}

    async def get(self, customer_id: CustomerId) -> Customer | None:
        """Load a customer by id."""
        return await self._load_one(customers.c.id == customer_id.value)

    async def get_by_email(self, email: EmailAddress) -> Customer | None:
        """Load a customer by e-mail address."""
        return await self._load_one(customers.c.email == email.value)

    async def add(self, customer: Customer) -> None:
        """Remember a new customer; :meth:`store_changes` inserts it."""
        self._remember(customer)

    async def _load_one(self, condition: ColumnElement[bool]) -> Customer | None:
        result = await self._connection.execute(select(customers).where(condition))
        row = result.mappings().one_or_none()
        return None if row is None else self._remember(_to_customer(row))

    def _remember(self, customer: Customer) -> Customer:
        self._seen[customer.id] = customer
        return customer

    # --8<-- [start:store-changes]
    async def store_changes(self) -> list[DomainEvent]:
        """Write every new or changed customer; return the events that describe the changes.

        Raises:
            EmailAlreadyRegisteredError: A concurrent registration took the address first.
            ConcurrencyConflictError: A customer was changed by someone else since loading.
        """
        events: list[DomainEvent] = []
        for customer in self._seen.values():
            changes = customer.pull_events()
            if not changes:
                continue
            if customer.version == 0:
                await self._insert(customer)
            else:
                await self._update(customer)
            customer.increment_version()
            events.extend(changes)
        return events

    async def _insert(self, customer: Customer) -> None:
        try:
            await self._connection.execute(
                insert(customers).values(_to_row(customer, version=customer.version + 1))
            )
        except IntegrityError as error:
            # The id is a fresh random UUID, so the unique e-mail is the constraint that
            # failed: another registration took the address after our check.
            raise EmailAlreadyRegisteredError(customer.email.value) from error

    async def _update(self, customer: Customer) -> None:
        # Optimistic concurrency: the row changes only if nobody stored a newer version
        # since we loaded ours; otherwise no row matches and we refuse to overwrite.
        result = await self._connection.execute(
            update(customers)
            .where(customers.c.id == customer.id.value, customers.c.version == customer.version)
            .values(_to_row(customer, version=customer.version + 1))
        )
        if result.rowcount != 1:
            raise ConcurrencyConflictError(
                f"customer {customer.id} was changed by someone else; reload and try again"
            )

    # --8<-- [end:store-changes]


# --8<-- [end:repository]
