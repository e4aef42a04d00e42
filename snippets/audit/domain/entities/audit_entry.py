"""One entry of a tenant's audit log: an event, its place in the chain, and its hash.

Each entry's hash covers its own fields and the hash of the entry before it, so an
entry cannot be changed, removed or moved without breaking the hash of its successor.
The hash is SHA-256 over a canonical JSON text of the entry: keys sorted, no
whitespace, UTF-8, no NaN or infinity; every value is a string, a whole number, a
boolean, null, or a list or object of those, as the events travel.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Self
from uuid import UUID


# --8<-- [start:canonical-hash]
def canonical_json(value: Mapping[str, Any]) -> bytes:
    """The one byte string a JSON object has here: what the hash is computed over.

    Raises:
        ValueError: ``value`` holds NaN or an infinity, which JSON cannot carry.
        TypeError: ``value`` holds something that is not JSON.
    """
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode()


# --8<-- [end:canonical-hash]


# --8<-- [start:audit-entry]
@dataclass(frozen=True)
class AuditEntry:
    """An event as the audit log keeps it; never changed once written.

    Attributes:
        tenant_id: Whose chain the entry belongs to.
        sequence: Its place in the chain: 1 for the first entry, then one more each.
        event_id: The event's id, as it travelled.
        event_name: The event's type, e.g. ``OrderPlaced``.
        occurred_at: When the event happened, in UTC.
        payload: The event's own fields.
        previous_hash: The hash of the entry before it; :attr:`GENESIS` for the first.
        hash: SHA-256 (hex) of the canonical JSON of all the fields above.
    """

    GENESIS: ClassVar[str] = "0" * 64

    tenant_id: str
    sequence: int
    event_id: UUID
    event_name: str
    occurred_at: datetime
    payload: Mapping[str, Any]
    previous_hash: str
    hash: str

    @classmethod
    def after(  # noqa: PLR0913 - the event's fields, each named
        cls,
        previous: Self | None,
        *,
        tenant_id: str,
        event_id: UUID,
        event_name: str,
        occurred_at: datetime,
        payload: Mapping[str, Any],
    ) -> Self:
        """The entry that follows ``previous`` (``None``: the chain's first) for an event."""
        unhashed = cls(
            tenant_id=tenant_id,
            sequence=1 if previous is None else previous.sequence + 1,
            event_id=event_id,
            event_name=event_name,
            occurred_at=occurred_at.astimezone(UTC),
            payload=payload,
            previous_hash=cls.GENESIS if previous is None else previous.hash,
            hash="",
        )
        return replace(unhashed, hash=unhashed.computed_hash())

    def computed_hash(self) -> str:
        """The hash the entry's fields have now; :attr:`hash` unless they were changed."""
        text = canonical_json(
            {
                "tenant_id": self.tenant_id,
                "sequence": self.sequence,
                "event_id": str(self.event_id),
                "event_name": self.event_name,
                # One spelling of the instant, whatever zone it was read in.
                "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
                "payload": self.payload,
                "previous_hash": self.previous_hash,
            }
        )
        return hashlib.sha256(text).hexdigest()


# --8<-- [end:audit-entry]
