"""A feature flag as the code declares it: its key, what it switches, who owns it, its end.

A flag is a branch in the code that the configuration chooses. Left alone it outlives its
purpose and becomes a setting nobody dares to touch; so every flag says, where it is
declared, who decides about it and the date by which it is to be removed, and a test of
every deployable fails once that date has passed (:func:`expired`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

KEY_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
"""A flag's key: lower-case words joined by hyphens, a bare key in TOML and JSON alike."""


# --8<-- [start:flag-definition]
@dataclass(frozen=True)
class FlagDefinition:
    """One boolean feature flag.

    Attributes:
        key: How the configuration and OpenFeature name it, e.g. ``hide-discontinued``.
        description: What it switches on, for the person reading the configuration.
        owner: Who decides when it is turned on and when it goes: a team, not a person.
        expires: The day after which the flag is to be gone from the code.
        default: Its value where the configuration says nothing about it.
    """

    key: str
    description: str
    owner: str
    expires: date
    default: bool = False

    def __post_init__(self) -> None:
        """Refuse a key that a configuration file could not name plainly.

        Raises:
            ValueError: The key is not lower-case words joined by hyphens.
        """
        if not re.fullmatch(KEY_PATTERN, self.key):
            raise ValueError(f"flag key {self.key!r}: lower-case words joined by '-' only")


def expired(flags: Iterable[FlagDefinition], today: date) -> list[FlagDefinition]:
    """The flags whose removal date is before ``today``: remove them, or move the date."""
    return [flag for flag in flags if flag.expires < today]


# --8<-- [end:flag-definition]
