"""``shop users roles``: the permission matrix, printed from the one permission table.

The same rows make the matrix on the authorization page (:func:`permission_matrix`), so
what an operator reads in a terminal, what the handbook shows and what the code checks
are one table.
"""

import click

from identity.domain.value_objects.permissions import ROLE_PERMISSIONS
from identity.domain.value_objects.role import Role
from infrastructure_kernel.cli.output import Columns, echo_table
from shared_kernel.authorization import Permission

ALLOWED, REFUSED = "yes", "-"


# --8<-- [start:matrix]
def matrix_columns() -> Columns[Permission]:
    """A column per role, a row per permission: whether the role holds it."""
    columns: Columns[Permission] = {"permission": lambda permission: permission.value}
    for role in Role:
        held = ROLE_PERMISSIONS[role]
        columns[role.value] = lambda permission, held=held: (
            ALLOWED if permission in held else REFUSED
        )
    return columns


def permission_matrix() -> list[str]:
    """The matrix as a Markdown table, for the authorization page."""
    columns = matrix_columns()
    lines = ["| " + " | ".join(f"`{name}`" for name in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for permission in Permission:
        held = [show(permission) for show in list(columns.values())[1:]]
        lines.append("| " + " | ".join([f"`{permission.value}`", *held]) + " |")
    return lines


# --8<-- [end:matrix]


@click.command()
def roles() -> None:
    """Print which role holds which permission, in every tenant."""
    echo_table(list(Permission), matrix_columns())
