"""The rule that links a chain: checked one entry at a time, in the order of sequence."""

from dataclasses import dataclass
from uuid import UUID

from audit.domain.entities.audit_entry import AuditEntry


# --8<-- [start:verifier]
@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a chain that does not fit, and why.

    Attributes:
        sequence: The sequence the entry has in the log now.
        event_id: The event the entry holds.
        reason: What is wrong with it, in words for the person reading it.
    """

    sequence: int
    event_id: UUID
    reason: str


class ChainVerifier:
    """Recomputes one tenant's chain from its entries, fed in ascending sequence."""

    def __init__(self) -> None:
        self.checked = 0
        """How many entries were fed so far."""
        self.head = AuditEntry.GENESIS
        """The hash of the last entry that fitted: what an operator may record elsewhere."""

    def check(self, entry: AuditEntry) -> ChainBreak | None:
        """Check that ``entry`` follows the entries before it; return why not, if not."""
        expected = self.checked + 1
        self.checked += 1
        if entry.sequence != expected:
            reason = f"sequence {entry.sequence} where {expected} was expected:"
            return ChainBreak(entry.sequence, entry.event_id, f"{reason} an entry is missing")
        if entry.previous_hash != self.head:
            return ChainBreak(
                entry.sequence,
                entry.event_id,
                "its previous hash is not the hash of the entry before it:"
                " an entry was moved or replaced",
            )
        if entry.computed_hash() != entry.hash:
            return ChainBreak(
                entry.sequence,
                entry.event_id,
                "its hash does not match its contents: it was changed after it was written",
            )
        self.head = entry.hash
        return None


# --8<-- [end:verifier]
