"""Create the customers and outbox tables.

Revision ID: 0001
Revises: (none)

A migration is a snapshot: it spells out the columns as they were when it was written,
rather than importing today's tables, so it creates the same schema forever.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None


# --8<-- [start:migration]
def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "customers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.UniqueConstraint("email", name="uq_customers_email"),
    )
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_name", sa.String(100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_outbox"),
    )


def downgrade() -> None:
    """Drop the tables, newest first."""
    op.drop_table("outbox")
    op.drop_table("customers")


# --8<-- [end:migration]
