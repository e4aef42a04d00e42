"""The repository port: how the application finds and stores aggregates.

The domain and the application depend on this protocol only; a database adapter in the
infrastructure layer implements it, and tests use an in-memory fake. A repository holds
whole aggregates, never parts of one, so every invariant is checked on every change.
"""

from typing import Any, Protocol, TypeVar

from shared_kernel.aggregate import AggregateRoot

AggregateT = TypeVar("AggregateT", bound=AggregateRoot[Any])
# Contravariant: a repository that accepts any id type also serves a narrower one.
IdT_contra = TypeVar("IdT_contra", contravariant=True)


# --8<-- [start:repository]
class Repository(Protocol[AggregateT, IdT_contra]):
    """A collection-like store of one aggregate type.

    There is no ``save`` or ``update``: the unit of work that loaded an aggregate stores
    its changes on commit, so callers cannot forget to, or save half a transaction.
    """

    async def get(self, aggregate_id: IdT_contra, /) -> AggregateT | None:
        """Load the aggregate with this id, or ``None`` when there is none."""
        ...

    async def add(self, aggregate: AggregateT, /) -> None:
        """Add a new aggregate; it is stored when the unit of work commits."""
        ...


# --8<-- [end:repository]


class ConcurrencyConflictError(Exception):
    """Someone else stored a newer version of the aggregate since it was loaded.

    Not a broken business rule but a lost race: retrying the whole command on fresh
    data usually succeeds.
    """
