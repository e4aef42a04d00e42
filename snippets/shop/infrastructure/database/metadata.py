"""The one MetaData of the whole schema: the platform's tables and every context's.

Migrations are generated against it and the tests compare the migrated database with
it. Statements do not use it: each part keeps using its own ``Table`` objects, of which
the tables here are copies.
"""

from sqlalchemy import MetaData

from audit.infrastructure.database import tables as audit_tables
from catalog.infrastructure.database import tables as catalog_tables
from identity.infrastructure.database import tables as identity_tables
from notifications.infrastructure.database import tables as notifications_tables
from ordering.infrastructure.database import tables as ordering_tables
from payments.infrastructure.database import tables as payments_tables
from shop.infrastructure.database.tables import platform_metadata
from tenancy.infrastructure.database import tables as tenancy_tables

# --8<-- [start:shared-metadata]
# --8<-- [start:naming-convention]
# Named constraints let a migration refer to them by the same name on every database.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}
# --8<-- [end:naming-convention]


# --8<-- [start:combine]
def combine(*parts: MetaData) -> MetaData:
    """Copy the tables of every part into one MetaData named by the convention.

    Constraints the parts left unnamed are named as they join; a part's table may
    refer to another part's by name (``ForeignKey("tenants.tenant_id")``), which
    resolves here, where both are present.
    """
    schema = MetaData(naming_convention=NAMING_CONVENTION)
    for part in parts:
        # Insertion order, not sorted_tables: sorting would resolve foreign keys to
        # tables the part does not hold.
        for table in part.tables.values():
            table.to_metadata(schema)
    return schema


# --8<-- [end:combine]

# --8<-- [start:schema]
# A context's tables join by adding its infrastructure's MetaData here, together with
# a migration that creates them (tenancy and the platform: v0001, catalog: v0002,
# ordering: v0003, notifications: v0006, audit: v0007, identity: v0010 and v0012,
# payments: v0011).
metadata = combine(
    tenancy_tables.metadata,
    platform_metadata,
    catalog_tables.metadata,
    ordering_tables.metadata,
    notifications_tables.metadata,
    audit_tables.metadata,
    identity_tables.metadata,
    payments_tables.metadata,
)
# --8<-- [end:schema]
# --8<-- [end:shared-metadata]
