"""Entities: objects defined by their identity, not by their attributes.

Example:
    Two objects with the same id are the same entity, whatever their other state:

    ```py
    from shared_kernel.entity import Entity


    class Ticket(Entity[int]):
        def __init__(self, ticket_id: int, title: str) -> None:
            super().__init__(ticket_id)
            self._title = title

        @property
        def title(self) -> str:
            return self._title

        def retitle(self, title: str) -> None:
            self._title = title


    reported = Ticket(42, "Printer jams")
    edited = Ticket(42, "Printer jams on A3 paper")
    print(reported == edited, reported == Ticket(43, "Printer jams"))
    #> True False
    edited.retitle("Printer fixed")
    print(edited.title)
    #> Printer fixed
    ```
"""

from collections.abc import Hashable
from typing import Generic, TypeVar

IdT = TypeVar("IdT", bound=Hashable)


# --8<-- [start:entity]
class Entity(Generic[IdT]):
    """An object with a lifecycle, told apart from others by its id alone.

    Subclasses keep their state in private attributes and change it only through
    methods named after what happens in the business ("rename", "deactivate"), so every
    change passes through the code that checks its rules.
    """

    def __init__(self, entity_id: IdT) -> None:
        self._id = entity_id

    @property
    def id(self) -> IdT:
        """The identity; read-only, because an entity never becomes another one."""
        return self._id

    # --8<-- [start:equality]
    def __eq__(self, other: object) -> bool:
        """Two entities are equal when they are of the same type and have the same id."""
        if not isinstance(other, Entity):
            return NotImplemented
        return type(self) is type(other) and self._id == other._id

    def __hash__(self) -> int:
        """Hash by type and id, consistent with equality, so state changes keep the hash."""
        return hash((type(self), self._id))

    # --8<-- [end:equality]

    def __repr__(self) -> str:
        """Show the type and the id, the two things that make an entity what it is."""
        return f"{type(self).__name__}(id={self._id!r})"


# --8<-- [end:entity]
