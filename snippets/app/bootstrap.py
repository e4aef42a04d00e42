"""The composition root: the one place that chooses the adapters behind the ports.

Everything else receives its collaborators; only this module (and tests, which build
:class:`Services` with their own engine and clock) decides which ones exist.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from app.application.interfaces.customer_queries import CustomerQueries
from app.application.interfaces.unit_of_work import UnitOfWork
from app.infrastructure.database.customer_queries import SqlAlchemyCustomerQueries
from app.infrastructure.database.engine import create_engine
from app.infrastructure.database.unit_of_work import SqlAlchemyUnitOfWork
from app.settings import Settings
from shared_kernel.clock import Clock, SystemClock


# --8<-- [start:bootstrap]
@dataclass(frozen=True)
class Services:
    """The long-lived objects of one running service.

    Attributes:
        settings: What they were built from; the app factory reads its body limit there.
        engine: The connection pool every unit of work and query draws from; the app and
            each command dispose of it when they end.
        clock: Where use cases get the time; tests hand in a fixed one.
    """

    settings: Settings
    engine: AsyncEngine
    clock: Clock

    def unit_of_work(self) -> UnitOfWork:
        """Make a fresh unit of work, one per request or command."""
        return SqlAlchemyUnitOfWork(self.engine)

    def customer_queries(self) -> CustomerQueries:
        """The reads of the directory, which need no unit of work."""
        return SqlAlchemyCustomerQueries(self.engine)


def bootstrap(settings: Settings) -> Services:
    """Build the services that ``settings`` describe; nothing connects yet."""
    return Services(settings=settings, engine=create_engine(settings), clock=SystemClock())


# --8<-- [end:bootstrap]
