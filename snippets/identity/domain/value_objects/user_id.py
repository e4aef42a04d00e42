"""The identity of a user."""

from dataclasses import dataclass
from typing import Self
from uuid import UUID, uuid4

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class UserId(ValueObject):
    """A user's id, a random UUID: the ``sub`` of the user's access tokens."""

    value: UUID

    @classmethod
    def new(cls) -> Self:
        """A new, random id."""
        return cls(uuid4())

    @classmethod
    def from_subject(cls, subject: str) -> Self:
        """The id an access token's ``sub`` names.

        Raises:
            InvalidValueError: The subject is not a user id.
        """
        try:
            return cls(UUID(subject))
        except ValueError as error:
            raise InvalidValueError("the subject is not a user id") from error
