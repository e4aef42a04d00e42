"""Create the notifications context's table: whom to e-mail about each order.

Revision ID: 0006
Revises: 0005

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "order_recipients",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "order_id", name="pk_order_recipients"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_order_recipients_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("order_recipients")
