"""Console sessions on pages, executed by the page tests and compared with their output.

A page shows a command and what it prints in a ``console`` block::

    ```console
    $ app --help
    Usage: app [OPTIONS] COMMAND [ARGS]...
    ```

The Sybil parser here runs each ``$`` line's command in-process with Click's test runner
(so coverage credits the page for the code it runs) and fails the page's test when the
output differs from what the page says. Runnable commands are registered by name in
``[tool.handbook.console]`` of the root ``pyproject.toml``.

Each block runs in a fresh, empty working directory of its own, without the backing
services' URLs (``DATABASE_URL``, ``REDIS_URL``, ``AMQP_URL``), so an example's command works
on its embedded defaults, the SQLite file its settings default to created there:
a session that starts with ``db upgrade`` shows what an empty database gets, and the
commands after it see what the ones before them stored. Output that differs from run to
run (an id, a time) is written as ``…`` (one character, U+2026) on the page: it stands
for any text, and such a step is compared with runs of white space counted as one, so
that a column of ids may keep its width. A command may start with ``NAME=value`` words,
as in a shell: they are set in the environment of that command alone.
"""

from __future__ import annotations

import importlib
import re
import shlex
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import chdir
from dataclasses import dataclass

import click
from click.testing import CliRunner
from sybil import Document, Example, Region
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

from handbook.coverage_options import SERVICE_URLS

TERMINAL_WIDTH = 88
"""Click wraps help text at this width, so output does not depend on the reader's terminal."""
ANY_TEXT = "\u2026"
"""Written in a step's shown output, stands for any text (``…``)."""
_ASSIGNMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)", re.DOTALL)


@dataclass(frozen=True)
class Step:
    """One command of a session and the output the page shows for it.

    Attributes:
        argv: The command line, split like a POSIX shell would.
        expected: The lines shown after it, up to the next ``$`` line.
        environment: The ``NAME=value`` words before the command, set for it alone.
    """

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    environment: tuple[tuple[str, str], ...] = ()


def parse_session(source: str) -> list[Step]:
    """Split a console block into its commands and their shown output.

    Raises:
        ValueError: The block does not start with a ``$`` line.
    """
    steps: list[Step] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            words = shlex.split(line[2:])
            assignments = []
            while words and (assignment := _ASSIGNMENT.fullmatch(words[0])):
                assignments.append((assignment["name"], assignment["value"]))
                words.pop(0)
            steps.append(Step(tuple(words), (), tuple(assignments)))
        elif not steps:
            raise ValueError(f"a console session starts with '$ command', not {line!r}")
        else:
            last = steps[-1]
            steps[-1] = Step(last.argv, (*last.expected, line), last.environment)
    return steps


def load_command(target: str) -> click.Command:
    """Import ``module:attribute`` and check it is a Click command."""
    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a Click command")
    return command


def run_step(step: Step, commands: Mapping[str, str]) -> list[str]:
    """Run one step in-process and return the lines it printed."""
    name, *arguments = step.argv
    if name not in commands:
        raise LookupError(f"{name!r} is not registered under [tool.handbook.console]")
    result = CliRunner().invoke(
        load_command(commands[name]),
        arguments,
        prog_name=name,
        terminal_width=TERMINAL_WIDTH,
        catch_exceptions=False,
        # The embedded defaults: a SQLite file in the working directory, no broker, no Redis;
        # then what the step sets itself.
        env={**dict.fromkeys(SERVICE_URLS), **dict(step.environment)},
    )
    return [line.rstrip() for line in result.output.rstrip("\n").splitlines()]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Tell whether ``actual`` is what ``expected`` shows, ``…`` standing for any text."""
    if not any(ANY_TEXT in line for line in expected):
        return actual == expected
    shown, printed = " ".join(" ".join(expected).split()), " ".join(" ".join(actual).split())
    first, *rest = shown.split(ANY_TEXT)
    if not printed.startswith(first):
        return False
    position = len(first)
    *middle, last = rest
    for part in middle:
        found = printed.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return printed.endswith(last) and len(printed) - len(last) >= position


class ConsoleParser:
    """Sybil parser for ``console`` blocks."""

    def __init__(self, commands: Mapping[str, str]) -> None:
        """Remember which command names may run and where each lives."""
        self.commands = dict(commands)
        self.lexer = FencedCodeBlockLexer("console")

    def __call__(self, document: Document) -> Iterable[Region]:
        """Yield one region per console block, parsed into its steps."""
        for lexed in self.lexer(document):
            source = str(lexed.lexemes["source"])
            yield Region(lexed.start, lexed.end, parse_session(source), self.evaluate)

    def evaluate(self, example: Example) -> str | None:
        """Run every step in a fresh directory; describe the first difference from the page."""
        steps: list[Step] = example.parsed
        with tempfile.TemporaryDirectory(prefix="console-") as directory, chdir(directory):
            return self._first_difference(steps)

    def _first_difference(self, steps: list[Step]) -> str | None:
        for step in steps:
            actual = run_step(step, self.commands)
            expected = [line.rstrip() for line in step.expected]
            if not matches(expected, actual):
                shown = "\n".join(expected)
                printed = "\n".join(actual)
                return (
                    f"'$ {shlex.join(step.argv)}' printed:\n{printed}\n\n"
                    f"but the page shows:\n{shown}"
                )
        return None
