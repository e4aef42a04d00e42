"""Create the catalog's table: products.

Revision ID: 0002
Revises: 0001

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"


# --8<-- [start:migration]
def upgrade() -> None:
    """Create the table, keyed by tenant and product, with SKUs unique per tenant."""
    op.create_table(
        "products",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price_minor_units", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", name="pk_products"),
        sa.UniqueConstraint("tenant_id", "sku", name="uq_products_tenant_id_sku"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_products_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("products")


# --8<-- [end:migration]
