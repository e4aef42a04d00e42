"""Record who placed each order: a nullable column, added without waiting on traffic.

Revision ID: 0013
Revises: 0012

The expand step of expand and contract (ADR 97): the column is nullable and has no
default, so adding it changes the table's definition only, rewrites no row, and the
release before it, which names the columns it writes and reads, serves on the migrated
schema unchanged. What it needs is a moment of PostgreSQL's strongest lock on ``orders``;
a short lock timeout makes it give up, rather than hold every request to the table in
the queue behind it, while a long transaction has the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"

# --8<-- [start:lock-timeout]
# How long the statement below may wait for its lock. Traffic to ``orders`` queues behind
# a waiting ALTER TABLE, so this is the longest a request waits for the migration; after
# it the upgrade fails, changes nothing (it is one transaction), and is run again later.
LOCK_TIMEOUT = "2s"


def _wait_for_locks_at_most(timeout: str) -> None:
    """Bound the lock waits of the rest of this transaction, on PostgreSQL.

    SQLite has no lock queue to protect: a writer holds the whole file anyway.
    """
    if op.get_context().dialect.name == "postgresql":
        op.execute(sa.text(f"SET LOCAL lock_timeout = '{timeout}'"))


# --8<-- [end:lock-timeout]


# --8<-- [start:expand]
def upgrade() -> None:
    """Add the nullable ``placed_by`` column; no backfill: the earlier placers are unknown."""
    _wait_for_locks_at_most(LOCK_TIMEOUT)
    op.add_column("orders", sa.Column("placed_by", sa.String(255), nullable=True))


def downgrade() -> None:
    """Drop the column; the release before 0013 never read it."""
    _wait_for_locks_at_most(LOCK_TIMEOUT)
    with op.batch_alter_table("orders") as batch:  # SQLite rebuilds the table to drop one
        batch.drop_column("placed_by")


# --8<-- [end:expand]
