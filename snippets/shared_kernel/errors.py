"""The errors a domain model raises when a business rule is broken.

They are ordinary exceptions with messages written for the person who broke the rule.
The presentation layer translates them into its own language (an HTTP status, a CLI
exit code); the domain never knows which.
"""


# --8<-- [start:errors]
class DomainError(Exception):
    """A business rule was broken. The base of every error the domain raises."""


class InvalidValueError(DomainError):
    """A value does not satisfy the rules of its type, e.g. a malformed e-mail address."""


class InvariantViolationError(DomainError):
    """An operation would leave an aggregate in a state its rules forbid."""


# --8<-- [end:errors]


# --8<-- [start:invalid-cursor]
class InvalidCursorError(InvalidValueError):
    """A page cursor that no list handed out: forged, truncated, or from another list.

    Here rather than beside the cursor codec, so that an application's query port can
    name what its ``list_page`` raises without knowing how cursors are encoded.
    """

    def __init__(self) -> None:
        """Name the parameter, ``after`` in every list, without echoing the input."""
        super().__init__("after is not a cursor of this list; start again without one")


# --8<-- [end:invalid-cursor]
