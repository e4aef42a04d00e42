"""Create payments' tables: the payments, and the provider's events processed.

Revision ID: 0011
Revises: 0010

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision: str | None = "0010"


def upgrade() -> None:
    """Create the tables, the payments first: the events refer to them."""
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(63), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_payment_id", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", name="pk_payments"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name="fk_payments_tenant_id_tenants"
        ),
        sa.UniqueConstraint(
            "tenant_id", "order_id", "attempt", name="uq_payments_tenant_id_order_id_attempt"
        ),
        sa.UniqueConstraint("provider_payment_id", name="uq_payments_provider_payment_id"),
    )
    op.create_table(
        "processed_provider_events",
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_processed_provider_events"),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.payment_id"],
            name="fk_processed_provider_events_payment_id_payments",
        ),
    )


def downgrade() -> None:
    """Drop the tables, the referring one first."""
    op.drop_table("processed_provider_events")
    op.drop_table("payments")
