"""The table behind the embedded transport: every consumer's queue, in the database.

:mod:`infrastructure_kernel.messaging.embedded` reads and writes it; a deployable adds
it to its schema like any other table.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from infrastructure_kernel.database.column_types import UtcDateTime


def message_queue_table(metadata: MetaData) -> Table:
    """Define the ``messages`` table on ``metadata``: one row per message in a queue.

    A message is taken by moving its ``visible_at`` past the present (a lease), removed
    when it is acknowledged, and kept with a ``dead_reason`` when it is dead-lettered;
    a message whose lease ran out unacknowledged is taken again.
    """
    return Table(
        "messages",
        metadata,
        Column("message_id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
        Column("queue", String(200), nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("visible_at", UtcDateTime, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("dead_reason", Text),
        Column("dead_at", UtcDateTime),
        Index("ix_messages_queue_visible_at", "queue", "visible_at"),
    )
