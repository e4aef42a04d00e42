"""The correlation: which request (or which earlier event) caused the work in progress.

Whatever starts work (an HTTP edge, a consumer handling an event) sets it for the
duration; the outbox writer stamps it on every event the work records, and the
consumer runtime sets it again from each event it handles, so one id follows a chain
of events across processes. The work's tenant joins it once it is known (an HTTP
request's only after its ``X-Tenant-ID`` was resolved), so that log lines can name it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class _Work:
    correlation_id: str | None
    # Mutable: a tenant bound deep inside the work (by a dependency) is seen by what
    # started it (the edge's middleware) when it logs after the work, in the same object.
    tenant_id: str | None = None


_current: ContextVar[_Work | None] = ContextVar("correlation", default=None)


def current_correlation_id() -> str | None:
    """Return the id of the work in progress, or ``None`` where nothing set one."""
    work = _current.get()
    return None if work is None else work.correlation_id


def current_tenant_id() -> str | None:
    """Return the tenant of the work in progress, or ``None`` before one is known."""
    work = _current.get()
    return None if work is None else work.tenant_id


# --8<-- [start:correlated]
@contextmanager
def correlated(correlation_id: str | None, *, tenant_id: str | None = None) -> Iterator[None]:
    """Make ``correlation_id`` (and the tenant, if known) current for the block, then restore."""
    token = _current.set(_Work(correlation_id, tenant_id))
    try:
        yield
    finally:
        _current.reset(token)


def bind_tenant(tenant_id: str) -> None:
    """Name the tenant of the work in progress, until the work ends.

    Outside of any work (no :func:`correlated` block), there is nothing to bind it to and
    nothing happens: the tenant of a unit of work is its own argument, never this.
    """
    work = _current.get()
    if work is not None:
        work.tenant_id = tenant_id


# --8<-- [end:correlated]
