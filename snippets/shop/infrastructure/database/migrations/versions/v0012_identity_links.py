"""Create the links of external identity providers' users to the shop's users.

Revision ID: 0012
Revises: 0011

A snapshot, like every migration: the columns as they were when it was written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0011"


def upgrade() -> None:
    """Create the table, keyed by issuer and subject, and the index of its users."""
    op.create_table(
        "identity_links",
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("issuer", "subject", name="pk_identity_links"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_identity_links_user_id_users"
        ),
    )
    op.create_index("ix_identity_links_user_id", "identity_links", ["user_id"])


def downgrade() -> None:
    """Drop the table and its index."""
    op.drop_index("ix_identity_links_user_id", "identity_links")
    op.drop_table("identity_links")
