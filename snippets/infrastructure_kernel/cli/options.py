"""What every context's commands take: the tenant, and input checked by the context's models."""

from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError

from infrastructure_kernel.remedies import Explained
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId

ModelT = TypeVar("ModelT", bound=BaseModel)


class BadTenantOption(Explained, click.BadParameter):
    """``--tenant`` is not a tenant id."""

    looks_like = "Error: Invalid value for '--tenant': not a tenant id: 'TEXT' (...)"
    cause = "Tenant ids are 2 to 63 lower-case letters, digits and hyphens."
    fix = "Give the tenant's id as `shop tenants list` shows it, e.g. --tenant acme."


class InvalidInput(Explained, click.UsageError):
    """An argument or option breaks the rule of its field."""

    looks_like = "Error: FIELD: REASON; FIELD: REASON"
    cause = "The command's input is checked by the same models as the API's requests."
    fix = "Correct each field named; `--help` shows the command's arguments."


# --8<-- [start:tenant-option]
def _tenant_id(_ctx: click.Context, _param: click.Parameter, value: str) -> TenantId:
    try:
        return TenantId(value)
    except InvalidValueError as error:
        raise BadTenantOption(str(error)) from error  # a usage error: status 2


tenant_option = click.option(
    "--tenant",
    "tenant_id",
    required=True,
    callback=_tenant_id,
    metavar="TENANT",
    help="The tenant to work for, e.g. acme.",
)
"""The ``--tenant`` option of every command that works on one tenant's data."""
# --8<-- [end:tenant-option]


def validated(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """Build the input model ``model`` from ``data``, as an endpoint would from a body.

    Raises:
        click.UsageError: A field is invalid; Click prints each one with its location
            and exits with status 2, before anything touched the database.
    """
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise InvalidInput("; ".join(fields)) from error
