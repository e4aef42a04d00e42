"""What the audit trail's reads return: entries as callers see them, pages, the cursor key."""

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from audit.domain.entities.audit_entry import AuditEntry


# --8<-- [start:views]
class AuditEntryView(BaseModel):
    """One entry of the trail, with the hashes that link it to the one before."""

    model_config = ConfigDict(frozen=True)

    sequence: int
    event_id: UUID
    event_name: str
    occurred_at: datetime
    payload: dict[str, Any]
    previous_hash: str
    hash: str

    @classmethod
    def from_entry(cls, entry: AuditEntry) -> Self:
        """Copy what callers may see; the tenant is the caller's own."""
        return cls(
            sequence=entry.sequence,
            event_id=entry.event_id,
            event_name=entry.event_name,
            occurred_at=entry.occurred_at,
            payload=dict(entry.payload),
            previous_hash=entry.previous_hash,
            hash=entry.hash,
        )


class AuditEntryPage(BaseModel):
    """One page of the trail, oldest first, and where the next page starts.

    Attributes:
        items: Up to the requested number of entries.
        next_cursor: Pass it as ``after`` to get the next page; ``None`` on the last page.
    """

    model_config = ConfigDict(frozen=True)

    items: list[AuditEntryView]
    next_cursor: str | None


class AuditEntryCursor(BaseModel):
    """The key of the trail: a page starts after the entry with this sequence."""

    model_config = ConfigDict(frozen=True)

    sequence: int = Field(ge=0, le=2**63 - 1)  # a BIGINT: larger is no cursor of ours


# --8<-- [end:views]
