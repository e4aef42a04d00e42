"""The one shape every complaint of the handbook's tooling takes: ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong at a place in a file of the repository.

    Attributes:
        path: The file, relative to the repository root (``docs/index.md``).
        line: The 1-based line the problem is on, or 0 when it concerns the whole file.
        message: What is wrong and, where it helps, what to do about it.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """Render as ``path:line: message``, the format editors and CI logs link."""
        return f"{self.path}:{self.line}: {self.message}"


class ProblemError(Exception):
    """Raised when a step cannot go on; carries every problem it found."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems, sorted by place, as the exception's message."""
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
