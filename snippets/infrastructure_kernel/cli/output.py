"""How commands print: JSON for one thing, a table for a list, plain words for the rest.

One rule for every command of every example (the style guide's "Command-line output"):

- A command that makes, changes or shows **one thing** prints it as indented JSON, the
  same document the API answers with, so a script reads it as it reads the API.
- A command that **lists** prints a table for the person at the terminal, with the
  cursor of the next page under it; ``--json`` prints the page as the API answers it,
  for a script.
- A command that **does** something without a result (``db upgrade``, ``seed``) says in
  words what it did (:mod:`infrastructure_kernel.cli.schema`).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

import click
from pydantic import BaseModel
from pydantic_core import to_json
from tabulate import tabulate

ItemT = TypeVar("ItemT", bound=BaseModel)
ItemT_co = TypeVar("ItemT_co", bound=BaseModel, covariant=True)

Columns = Mapping[str, Callable[[ItemT], object]]
"""A table's columns: each heading, and what the column shows of an item."""


class Page(Protocol[ItemT_co]):
    """A page of a list, as the query ports return it."""

    @property
    def items(self) -> Sequence[ItemT_co]:
        """The page's items, in the list's order."""
        ...

    @property
    def next_cursor(self) -> str | None:
        """Where the next page starts, or ``None`` on the last page."""
        ...


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON, as the API answers, not a table."
)
"""The ``--json`` flag of every command that lists."""


# --8<-- [start:echo]
def echo_json(value: object) -> None:
    """Print a view, or a list of views, as indented JSON, exactly as the API serialises it."""
    click.echo(to_json(value, indent=2))


def echo_table(items: Sequence[ItemT], columns: Columns[ItemT]) -> None:
    """Print ``items`` as a table with a heading over each column, for a person to read."""
    rows = [[show(item) for show in columns.values()] for item in items]
    # No number parsing: an id or an amount is shown exactly as the API writes it.
    click.echo(tabulate(rows, headers=list(columns), disable_numparse=True))


def echo_page(page: Page[ItemT], columns: Columns[ItemT], *, as_json: bool) -> None:
    """Print one page of a list: a table and where the next page starts, or its JSON."""
    if as_json:
        echo_json(page)
        return
    echo_table(page.items, columns)
    if page.next_cursor is not None:
        click.echo(f"\nMore after this page: --after {page.next_cursor}")


# --8<-- [end:echo]
