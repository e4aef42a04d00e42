"""Create ordering's tables: orders and their lines.

Revision ID: 0003
Revises: 0002

A migration is a snapshot: it spells out the columns as they were when it was written,
rather than importing today's tables, so it creates the same schema forever.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"


# --8<-- [start:migration]
def upgrade() -> None:
    """Create the tables and the indexes of the order list."""
    op.create_table(
        "orders",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "order_id", name="pk_orders"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_orders_tenant_id_tenants"
        ),
    )
    op.create_index(
        "ix_orders_tenant_id_placed_at_order_id", "orders", ["tenant_id", "placed_at", "order_id"]
    )
    op.create_index(
        "ix_orders_tenant_id_status_placed_at_order_id",
        "orders",
        ["tenant_id", "status", "placed_at", "order_id"],
    )
    op.create_table(
        "order_lines",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "order_id", "line_number", name="pk_order_lines"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["orders.tenant_id", "orders.order_id"],
            name="fk_order_lines_tenant_id_order_id_orders",
        ),
    )


def downgrade() -> None:
    """Drop the tables, the lines first; the indexes go with their table."""
    op.drop_table("order_lines")
    op.drop_table("orders")


# --8<-- [end:migration]
