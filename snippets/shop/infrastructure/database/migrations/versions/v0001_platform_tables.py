"""Create the platform's tables: tenants, outbox and idempotency keys.

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
        "tenants",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_tenants"),
    )
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("event_name", sa.String(100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_outbox_tenant_id_tenants"
        ),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "key", name="pk_idempotency_keys"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_idempotency_keys_tenant_id_tenants"
        ),
    )


def downgrade() -> None:
    """Drop the tables, those that refer to tenants first."""
    op.drop_table("idempotency_keys")
    op.drop_table("outbox")
    op.drop_table("tenants")


# --8<-- [end:migration]
