"""The unit of work on one SQLAlchemy connection and its transaction."""

from sqlalchemy.ext.asyncio import AsyncConnection

from app.infrastructure.database.customer_repository import SqlAlchemyCustomerRepository
from app.infrastructure.database.tables import outbox
from infrastructure_kernel.database.connection_unit_of_work import ConnectionUnitOfWork
from infrastructure_kernel.database.outbox import append_events
from shared_kernel.events import DomainEvent


# --8<-- [start:sqlalchemy-unit-of-work]
class SqlAlchemyUnitOfWork(ConnectionUnitOfWork):
    """One database transaction, holding the repositories that work inside it.

    The connection, the transaction and the commit are the infrastructure kernel's
    :class:`ConnectionUnitOfWork`; this class makes the repository and names the outbox.
    """

    _customers: SqlAlchemyCustomerRepository

    @property
    def customers(self) -> SqlAlchemyCustomerRepository:
        """The customers, inside this transaction."""
        return self._customers

    def _open(self, connection: AsyncConnection) -> list[SqlAlchemyCustomerRepository]:
        self._customers = SqlAlchemyCustomerRepository(connection)
        return [self._customers]

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        await append_events(connection, outbox, events)


# --8<-- [end:sqlalchemy-unit-of-work]
