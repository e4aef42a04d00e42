"""Create the daily sales report that the background job compiles.

Revision ID: 0008
Revises: 0005

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "daily_sales",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("compiled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day", "currency", name="pk_daily_sales"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_daily_sales_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("daily_sales")
