"""The shop's composition root with the ORM's units of work; importing it maps the classes."""

from dataclasses import dataclass

from orm_persistence.catalog_mapping import map_products
from orm_persistence.catalog_persistence import OrmCatalogUnitOfWork
from orm_persistence.ordering_mapping import map_orders
from orm_persistence.ordering_persistence import OrmOrderingUnitOfWork
from shop.database.metadata import metadata
from variants import VariantServices


def start_mappers() -> None:
    """Map the aggregates, once per process; the classes stay mapped until it ends."""
    tables = metadata.tables
    map_products(tables["products"])
    map_orders(tables["orders"], tables["order_lines"])


@dataclass(frozen=True)
class OrmServices(VariantServices):
    """The shop's services, with units of work on an ``AsyncSession``."""

    catalog_unit_of_work_class = OrmCatalogUnitOfWork
    ordering_unit_of_work_class = OrmOrderingUnitOfWork


bootstrap = OrmServices.bootstrap
start_mappers()
