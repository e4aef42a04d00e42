"""Identity's tables: users, memberships, and the digests of the tokens it hands out.

No table holds a secret its holder could present: passwords are Argon2id hashes, and
of each token only its public selector and the SHA-256 digest of its secret half.
"""

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
)

from identity.application.interfaces.identity_links import ExternalIdentity
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.tenancy import TenantId

SELECTOR_LENGTH = 32  # ours have 22 characters
DIGEST_LENGTH = 64  # SHA-256, hex

# --8<-- [start:tables]
metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    # Normalised by EmailAddress, so a plain unique index is the one-account rule.
    Column("email", String(EmailAddress.MAX_LENGTH), nullable=False, unique=True),
    Column("display_name", String(DisplayName.MAX_LENGTH), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("email_verified_at", UtcDateTime, nullable=True),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.user_id"), nullable=False),
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("role", String(16), nullable=False),
    PrimaryKeyConstraint("user_id", "tenant_id"),  # one role per tenant
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("selector", String(SELECTOR_LENGTH), primary_key=True),
    Column("digest", String(DIGEST_LENGTH), nullable=False),
    Column("family_id", Uuid, nullable=False),
    Column("user_id", Uuid, ForeignKey("users.user_id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_refresh_tokens_family_id", "family_id"),
    Index("ix_refresh_tokens_user_id", "user_id"),
)

one_time_tokens = Table(
    "one_time_tokens",
    metadata,
    Column("selector", String(SELECTOR_LENGTH), primary_key=True),
    Column("digest", String(DIGEST_LENGTH), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.user_id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)
# --8<-- [end:tables]

# --8<-- [start:identity-links-table]
identity_links = Table(
    "identity_links",
    metadata,
    Column("issuer", String(ExternalIdentity.MAX_LENGTH), nullable=False),
    Column("subject", String(ExternalIdentity.MAX_LENGTH), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.user_id"), nullable=False),
    Column("linked_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("issuer", "subject"),  # one shop user per external identity
    Index("ix_identity_links_user_id", "user_id"),
)
# --8<-- [end:identity-links-table]
