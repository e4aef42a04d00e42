"""Verify a tenant's audit trail: recompute its chain and name the first broken entry."""

from dataclasses import dataclass

from audit.application.interfaces.audit_log import AuditLog
from audit.domain.services.hash_chain import ChainBreak, ChainVerifier
from shared_kernel.tenancy import TenantId


# --8<-- [start:verify-trail]
@dataclass(frozen=True)
class TrailReport:
    """What verifying one tenant's chain found.

    Attributes:
        tenant_id: Whose chain it is.
        entries: How many entries were read.
        head: The hash of the last entry that fitted; record it elsewhere to notice
            later if the entries after it were removed.
        first_break: The first entry that does not fit, or ``None`` if all do.
    """

    tenant_id: TenantId
    entries: int
    head: str
    first_break: ChainBreak | None


async def verify_trail(log: AuditLog, tenant_id: TenantId) -> TrailReport:
    """Recompute ``tenant_id``'s chain from its first entry, stopping at the first break."""
    verifier = ChainVerifier()
    broken = None
    async for entry in log.entries(tenant_id):
        broken = verifier.check(entry)
        if broken is not None:
            break
    return TrailReport(tenant_id, verifier.checked, verifier.head, broken)


# --8<-- [end:verify-trail]
