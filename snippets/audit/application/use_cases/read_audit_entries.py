"""Read the tenant's audit trail: the queries, for an actor who may read it."""

from audit.application.interfaces.audit_entry_queries import AuditEntryQueries
from shared_kernel.authorization import Actor, Permission


async def read_audit_entries(queries: AuditEntryQueries, *, actor: Actor) -> AuditEntryQueries:
    """Hand out the tenant's audit trail queries to an actor allowed ``audit:read``.

    Raises:
        PermissionDeniedError: The actor may not read the audit trail.
    """
    actor.require(Permission.AUDIT_READ)
    return queries
