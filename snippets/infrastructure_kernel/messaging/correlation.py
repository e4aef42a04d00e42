"""The correlation: which request (or which earlier event) caused the work in progress.

Whatever starts work (an HTTP edge, a consumer handling an event) sets it for the
duration; the outbox writer stamps it on every event the work records, and the
consumer runtime sets it again from each event it handles, so one id follows a chain
of events across processes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> str | None:
    """Return the id of the work in progress, or ``None`` where nothing set one."""
    return _current.get()


@contextmanager
def correlated(correlation_id: str | None) -> Iterator[None]:
    """Make ``correlation_id`` the current one for the block, and restore the old one after."""
    token = _current.set(correlation_id)
    try:
        yield
    finally:
        _current.reset(token)
