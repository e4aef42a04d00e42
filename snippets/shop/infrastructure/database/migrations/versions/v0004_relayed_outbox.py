"""Prepare the outbox for the relay, and add the embedded transport's queues.

Revision ID: 0004
Revises: 0003

The outbox gains its publishing order (``position``, now the primary key; the events
already stored are numbered in the order the database holds them), each event's schema
version and correlation, and when the broker confirmed it. Batch operations, so that
SQLite, which cannot alter a primary key, copies the table instead.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"


# --8<-- [start:migration]
def upgrade() -> None:
    """Number and version the outbox's events; create the ``messages`` table."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("pk_outbox", type_="primary")
        batch.add_column(
            sa.Column(
                "position",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                sa.Identity(),
                nullable=False,
            )
        )
        batch.create_primary_key("pk_outbox", ["position"])
        batch.create_unique_constraint("uq_outbox_event_id", ["event_id"])
        # The events stored before this revision were written at version 1.
        batch.add_column(
            sa.Column("schema_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("correlation_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_outbox_published_at_position", ["published_at", "position"])
    op.create_table(
        "messages",
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("queue", sa.String(200), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("visible_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("dead_reason", sa.Text(), nullable=True),
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name="pk_messages"),
    )
    op.create_index("ix_messages_queue_visible_at", "messages", ["queue", "visible_at"])


# --8<-- [end:migration]


def downgrade() -> None:
    """Drop the queues; give the outbox back its earlier shape, keyed by event id."""
    op.drop_table("messages")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_published_at_position")
        batch.drop_column("published_at")
        batch.drop_column("correlation_id")
        batch.drop_column("schema_version")
        batch.drop_constraint("uq_outbox_event_id", type_="unique")
        batch.drop_constraint("pk_outbox", type_="primary")
        batch.drop_column("position")
        batch.create_primary_key("pk_outbox", ["event_id"])
