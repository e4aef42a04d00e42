"""Create the consumers' inbox and the catalog's units-sold projection.

Revision ID: 0005
Revises: 0004

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
    op.create_table(
        "units_sold",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", name="pk_units_sold"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_units_sold_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("units_sold")
    op.drop_table("inbox")
