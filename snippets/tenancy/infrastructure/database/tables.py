"""Tenancy's table: the registered tenants.

Defined on this context's own :data:`metadata`, like every context's tables; the
platform copies it into the one schema. Every other context's tables refer to it by
name (``ForeignKey("tenants.tenant_id")``), which resolves in that schema.
"""

from sqlalchemy import Column, MetaData, String, Table

from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant

# --8<-- [start:tables]
metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("tenant_id", String(TenantId.MAX_LENGTH), primary_key=True),
    Column("name", String(Tenant.MAX_NAME_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
# --8<-- [end:tables]
