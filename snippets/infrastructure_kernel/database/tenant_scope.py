"""The one way the adapters build statements on tenants' tables: limited to one tenant.

Every table of a multi-tenant context has a ``tenant_id`` column. Repositories, query
objects and stores are made for one tenant and build every statement through a
:class:`TenantScope`, which adds the filter; no adapter of such a table holds another
``select`` or ``update``, so a statement that forgets the tenant cannot be written
without standing out in review.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, Update, select, update

from shared_kernel.tenancy import TenantId


# --8<-- [start:tenant-scope]
@dataclass(frozen=True)
class TenantScope:
    """Statements on the rows of one tenant, in any of its tables.

    Example:
        ``TenantScope(TenantId("acme")).select(products).where(products.c.sku == "MUG-001")``
        reads ``WHERE products.tenant_id = 'acme' AND products.sku = 'MUG-001'``.

    Attributes:
        tenant_id: Whose rows every statement reads or changes.
    """

    tenant_id: TenantId

    def owns(self, table: Table) -> ColumnElement[bool]:
        """The condition that a row of ``table`` belongs to the tenant."""
        return table.c.tenant_id == self.tenant_id.value

    def select(self, table: Table, *columns: ColumnElement[Any]) -> Select[Any]:
        """``SELECT columns FROM table`` (all columns by default) of the tenant's rows."""
        return select(*(columns or [table])).where(self.owns(table))

    def update(self, table: Table) -> Update:
        """``UPDATE table`` of the tenant's rows; add the key with ``.where``."""
        return update(table).where(self.owns(table))

    def row(self, **values: Any) -> dict[str, Any]:
        """A row to insert, stamped with the tenant."""
        return {"tenant_id": self.tenant_id.value, **values}


# --8<-- [end:tenant-scope]
