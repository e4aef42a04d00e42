"""The shop's composition root with the ORM's units of work: the experiment's one switch.

:class:`OrmServices` is the shop's ``Services`` with the two unit-of-work factories
replaced; queries, the catalog adapter, the outbox writer and the idempotency store are
the shop's own. Importing this module maps the aggregates.
"""

from dataclasses import dataclass

from catalog.application.unit_of_work import CatalogUnitOfWork
from ordering.application.unit_of_work import OrderingUnitOfWork
from orm_persistence.catalog_mapping import map_products
from orm_persistence.catalog_persistence import OrmCatalogUnitOfWork
from orm_persistence.ordering_mapping import map_orders
from orm_persistence.ordering_persistence import OrmOrderingUnitOfWork
from shared_kernel.clock import SystemClock
from shared_kernel.tenancy import TenantId
from shop import bootstrap as core
from shop.database.engine import create_engine
from shop.database.idempotency import SqlAlchemyIdempotencyStore
from shop.database.metadata import metadata
from shop.database.outbox import write_events
from shop.settings import Settings


def start_mappers() -> None:
    """Map the aggregates, once per process; the classes stay mapped until it ends."""
    tables = metadata.tables
    map_products(tables["products"])
    map_orders(tables["orders"], tables["order_lines"])


@dataclass(frozen=True)
class OrmServices(core.Services):
    """The shop's services, with units of work on an ``AsyncSession``."""

    def catalog_unit_of_work(self, tenant_id: TenantId) -> CatalogUnitOfWork:
        """A fresh session-backed unit of work over ``tenant_id``'s catalog."""
        return OrmCatalogUnitOfWork(self.engine, tenant_id, write_events)

    def ordering_unit_of_work(self, tenant_id: TenantId) -> OrderingUnitOfWork:
        """A fresh session-backed unit of work over ``tenant_id``'s orders and keys."""
        return OrmOrderingUnitOfWork(
            self.engine,
            tenant_id,
            write_events=write_events,
            idempotency_store=lambda connection, tenant: SqlAlchemyIdempotencyStore(
                connection, tenant, self.clock
            ),
        )


def bootstrap(settings: Settings) -> core.Services:
    """Build the ORM services that ``settings`` describe, as ``shop.bootstrap`` does."""
    return OrmServices(settings=settings, engine=create_engine(settings), clock=SystemClock())


start_mappers()
