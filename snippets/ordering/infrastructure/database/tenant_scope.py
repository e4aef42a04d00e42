"""The one way ordering's adapters build statements: limited to one tenant's rows.

Every table of the context has a ``tenant_id`` column. Repositories and query objects are
made for one tenant and build every statement through a :class:`TenantScope`, which adds
the filter; there is no other ``select`` or ``update`` in this package, so a statement
that forgets the tenant cannot be written without standing out in review.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, Update, select, update

from shared_kernel.tenancy import TenantId


# --8<-- [start:tenant-scope]
@dataclass(frozen=True)
class TenantScope:
    """Statements on the rows of one tenant.

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
