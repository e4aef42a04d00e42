"""``shop users roles``: the permission matrix, printed from the one permission table.

The same rows make the matrix on the authorization page (:func:`permission_matrix`), so
what an operator reads in a terminal, what the handbook shows and what the code checks
are one table.
"""

from collections.abc import Callable
from typing import Self

import click
from pydantic import BaseModel

from identity.domain.value_objects.permissions import ROLE_PERMISSIONS
from identity.domain.value_objects.role import Role
from infrastructure_kernel.cli.output import echo_table
from shared_kernel.authorization import Permission

ALLOWED, REFUSED = "yes", "-"


# --8<-- [start:matrix]
class PermissionRow(BaseModel):
    """One permission, and whether each role holds it."""

    permission: Permission
    held: dict[Role, bool]

    @classmethod
    def table(cls) -> list[Self]:
        """A row per permission, in the order the permissions are declared."""
        return [
            cls(permission=permission, held={r: permission in ROLE_PERMISSIONS[r] for r in Role})
            for permission in Permission
        ]


def matrix_columns() -> dict[str, Callable[[PermissionRow], str]]:
    """A column per role, after the permission: whether the role holds it."""
    columns: dict[str, Callable[[PermissionRow], str]] = {
        "permission": lambda row: row.permission.value
    }
    for role in Role:
        columns[role.value] = _holds(role)
    return columns


def _holds(role: Role) -> Callable[[PermissionRow], str]:
    return lambda row: ALLOWED if row.held[role] else REFUSED


def permission_matrix() -> list[str]:
    """The matrix as a Markdown table, for the authorization page."""
    columns = matrix_columns()
    lines = ["| " + " | ".join(f"`{name}`" for name in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in PermissionRow.table():
        cells = [f"`{row.permission.value}`", *(show(row) for show in list(columns.values())[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


# --8<-- [end:matrix]


@click.command()
def roles() -> None:
    """Print which role holds which permission, in every tenant."""
    echo_table(PermissionRow.table(), matrix_columns())
