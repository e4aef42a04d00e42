"""What an error means: its cause and its fix, written beside the error.

Two shapes, for the two kinds of error the code emits. A problem type (an API's answer)
is a value, so its remedy is a :class:`Remedy` in a ``REMEDIES`` mapping beside the
``PROBLEM_TYPES`` that declare it, by the type's slug. An exception the command line
prints is a class, so it carries its remedy as class attributes (:class:`Explained`).
The troubleshooting guide is built from both (:mod:`infrastructure_kernel.troubleshooting`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar


# --8<-- [start:remedy]
@dataclass(frozen=True)
class Remedy:
    """Why an error happens, and what to do about it.

    Attributes:
        cause: What made it happen, in the words of the person who sees it.
        fix: What that person does next.
    """

    cause: str
    fix: str


Remedies = Mapping[str, Remedy]
"""Remedies by the slug of each problem type (by its status, for one without a type)."""


class Explained:
    """A mixin for an error class that says, beside its message, what it means.

    Attributes:
        looks_like: What the person sees, with the variable parts in capitals.
        cause: Why it happens.
        fix: What to do.
    """

    looks_like: ClassVar[str] = ""
    cause: ClassVar[str] = ""
    fix: ClassVar[str] = ""


# --8<-- [end:remedy]
