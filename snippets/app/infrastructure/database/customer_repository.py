"""The customer repository on SQLAlchemy Core, for SQLite and PostgreSQL alike."""

from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Update, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.entities.customer import Customer
from app.domain.errors import EmailAlreadyRegisteredError
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from app.infrastructure.database.tables import customers
from infrastructure_kernel.database.tracked_repository import TrackedRepository


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
class SqlAlchemyCustomerRepository(TrackedRepository[Customer]):
    """Customers in the ``customers`` table, inside one connection's transaction.

    The infrastructure kernel's :class:`TrackedRepository` stores the changes; this
    class loads customers, and says how one is inserted and updated.
    """

    aggregate_name = "customer"

    async def get(self, customer_id: CustomerId) -> Customer | None:
        """Load a customer by id."""
        return await self._load_one(customers.c.id == customer_id.value)

    async def get_by_email(self, email: EmailAddress) -> Customer | None:
        """Load a customer by e-mail address."""
        return await self._load_one(customers.c.email == email.value)

    async def add(self, customer: Customer) -> None:
        """Remember a new customer; the commit inserts it."""
        self._track(customer)

    async def _load_one(self, condition: ColumnElement[bool]) -> Customer | None:
        result = await self._connection.execute(select(customers).where(condition))
        row = result.mappings().one_or_none()
        return None if row is None else self._track(_to_customer(row))

    # --8<-- [start:writes]
    async def _insert(self, aggregate: Customer) -> None:
        try:
            await self._connection.execute(insert(customers).values(_to_row(aggregate, version=1)))
        except IntegrityError as error:
            # The id is a fresh random UUID, so the unique e-mail is the constraint that
            # failed: another registration took the address after our check.
            raise EmailAlreadyRegisteredError(aggregate.email.value) from error

    def _update(self, aggregate: Customer) -> Update:
        row = _to_row(aggregate, version=aggregate.version)
        del row["version"]  # the kernel checks and moves it
        return update(customers).where(customers.c.id == aggregate.id.value).values(row)

    # --8<-- [end:writes]


# --8<-- [end:repository]
