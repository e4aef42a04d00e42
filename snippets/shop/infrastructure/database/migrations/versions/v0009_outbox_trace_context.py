"""Store each outbox event's trace context, for the relay to carry into its envelope.

Revision ID: 0009
Revises: 0005

A snapshot, like every migration: the columns as they were when it was written. The
events stored before it have none, and start a trace of their own when relayed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"


def upgrade() -> None:
    """Add the nullable ``traceparent`` column."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("traceparent", sa.String(55), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("traceparent")
