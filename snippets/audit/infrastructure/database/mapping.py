"""Rows of ``audit_entries`` as the domain's entries."""

from sqlalchemy import RowMapping

from audit.domain.entities.audit_entry import AuditEntry


def to_entry(row: RowMapping) -> AuditEntry:
    """The entry a row of ``audit_entries`` holds."""
    return AuditEntry(
        tenant_id=row["tenant_id"],
        sequence=row["sequence"],
        event_id=row["event_id"],
        event_name=row["event_name"],
        occurred_at=row["occurred_at"],
        payload=row["payload"],
        previous_hash=row["previous_hash"],
        hash=row["hash"],
    )
