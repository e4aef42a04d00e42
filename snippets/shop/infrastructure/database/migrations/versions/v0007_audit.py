"""Create the audit context's table: every tenant's hash-chained log.

Revision ID: 0007
Revises: 0006

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"


# --8<-- [start:migration]
def upgrade() -> None:
    """Create the table; its primary key is the chain's order and its guard."""
    op.create_table(
        "audit_entries",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("sequence", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_name", sa.String(100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "sequence", name="pk_audit_entries"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_audit_entries_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("audit_entries")


# --8<-- [end:migration]
