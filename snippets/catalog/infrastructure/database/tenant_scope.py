"""The tenant filter: every catalog statement is built here, limited to one tenant.

A repository or query object gets a :class:`TenantScope` for its tenant when it is made
and builds its statements through it, never with bare ``select(products)``. So the
filter is written once, and a statement that forgets it has no way to be written.
"""

from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, Table, Update, insert, select, update

from shared_kernel.tenancy import TenantId


# --8<-- [start:tenant-scope]
class TenantScope:
    """Statements on one table that see and touch only one tenant's rows.

    Example:
        ``TenantScope(products, TenantId("acme")).select(products.c.sku == "MUG-001")``
        reads ``WHERE products.tenant_id = 'acme' AND products.sku = 'MUG-001'``.
    """

    def __init__(self, table: Table, tenant_id: TenantId) -> None:
        """Scope ``table``, which has a ``tenant_id`` column, to ``tenant_id``."""
        self._table = table
        self._tenant_id = tenant_id
        self._owned = table.c.tenant_id == tenant_id.value

    def select(self, *conditions: ColumnElement[bool]) -> Select[Any]:
        """``SELECT`` the tenant's rows that meet every condition."""
        return select(self._table).where(self._owned, *conditions)

    def update(self, *conditions: ColumnElement[bool]) -> Update:
        """``UPDATE`` the tenant's rows that meet every condition; add ``.values(...)``."""
        return update(self._table).where(self._owned, *conditions)

    def insert(self, row: dict[str, Any]) -> Insert:
        """``INSERT`` one row for the tenant; the scope, not the row, sets ``tenant_id``."""
        return insert(self._table).values({**row, "tenant_id": self._tenant_id.value})


# --8<-- [end:tenant-scope]
