"""What the two variants' composition roots share: the shop's ``Services``, two factories swapped.

Each variant names its unit-of-work classes, whose constructors take the arguments the
shop's Core ones take; queries, the catalog adapter, the outbox writer and the
idempotency store stay the shop's own.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from catalog.application.unit_of_work import CatalogUnitOfWork
from ordering.application.unit_of_work import OrderingUnitOfWork
from shared_kernel.clock import SystemClock
from shared_kernel.tenancy import TenantId
from shop import bootstrap as core
from shop.database.engine import create_engine
from shop.database.idempotency import SqlAlchemyIdempotencyStore
from shop.database.outbox import write_events
from shop.settings import Settings


@dataclass(frozen=True)
class VariantServices(core.Services):
    """The shop's services, with the units of work of a variant."""

    catalog_unit_of_work_class: ClassVar[type[Any]]
    ordering_unit_of_work_class: ClassVar[type[Any]]

    def catalog_unit_of_work(self, tenant_id: TenantId) -> CatalogUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s catalog."""
        uow: CatalogUnitOfWork = self.catalog_unit_of_work_class(
            self.engine, tenant_id, write_events
        )
        return uow

    def ordering_unit_of_work(self, tenant_id: TenantId) -> OrderingUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s orders and idempotency keys."""
        uow: OrderingUnitOfWork = self.ordering_unit_of_work_class(
            self.engine,
            tenant_id,
            write_events=write_events,
            idempotency_store=lambda connection, tenant: SqlAlchemyIdempotencyStore(
                connection, tenant, self.clock
            ),
        )
        return uow

    @classmethod
    def bootstrap(cls, settings: Settings) -> core.Services:
        """Build the services that ``settings`` describe, as ``shop.bootstrap`` does."""
        return cls(settings=settings, engine=create_engine(settings), clock=SystemClock())
