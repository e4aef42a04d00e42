"""The Product aggregate mapped onto the ``products`` table, imperatively.

The class stays as the domain wrote it; the mapper replaces its private attributes with
instrumented ones. Every value object becomes a ``composite`` of its column(s), so the
aggregate holds the same ``ProductId``, ``Sku`` and ``Money`` it holds under Core.
"""

from sqlalchemy import Table, event
from sqlalchemy.orm import composite

from catalog.domain.product import Product
from catalog.domain.value_objects import ProductId, ProductName, Sku
from orm_persistence.kernel import mapper_registry, money, no_events_yet
from shared_kernel.tenancy import TenantId


def map_products(products: Table) -> None:
    """Map :class:`Product` onto ``products``, the schema's copy of the catalog's table.

    The schema's copy, because the mapper resolves every foreign key when it sorts its
    tables, and the catalog's own table names ``tenants``, which only the schema holds.
    """
    columns = products.c
    mapper_registry.map_imperatively(
        Product,
        products,
        # Columns not named below get a prefix, so none hides a property of the class.
        column_prefix="_column_",
        properties={
            "_id": composite(ProductId, columns.product_id),
            "_tenant_id": composite(TenantId, columns.tenant_id),
            "_sku": composite(Sku, columns.sku),
            "_name": composite(ProductName, columns.name),
            "_price": money(columns.price_minor_units, columns.currency),
            "_active": columns.active,
            "_version": columns.version,
        },
        # UPDATE ... WHERE version = :loaded, SET version = :loaded + 1; no row: StaleDataError.
        version_id_col=columns.version,
    )
    event.listen(Product, "load", no_events_yet)
