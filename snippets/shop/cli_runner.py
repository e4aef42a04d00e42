"""How the ``shop`` command's groups run their work: validated, on fresh services, per tenant.

Apart from :mod:`shop.cli` so that the contexts' groups (:mod:`shop.cli_products`,
``shop.cli_orders``) can use it while :mod:`shop.cli` adds those groups to the command:
with the helpers in ``shop.cli`` itself, each would import the other.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError

from shared_kernel.errors import DomainError, InvalidValueError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.settings import Settings
from shop.tenants import TenantDirectory

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=BaseModel)


# --8<-- [start:run-with-services]
def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Run ``work`` on freshly built services and dispose of them afterwards.

    Raises:
        click.UsageError: ``work`` was given an invalid value; Click prints the message
            and exits with status 2.
        click.ClickException: ``work`` broke a business rule, or lost a race with a
            concurrent change; Click prints the message and exits with status 1
            instead of showing a traceback.
    """

    async def main() -> T:
        services = bootstrap(Settings())
        try:
            return await work(services)
        except InvalidValueError as error:
            raise click.UsageError(str(error)) from error
        except (DomainError, ConcurrencyConflictError) as error:
            raise click.ClickException(str(error)) from error
        finally:
            await services.engine.dispose()

    return asyncio.run(main())


# --8<-- [end:run-with-services]


def echo_json(view: BaseModel) -> None:
    """Print a view as indented JSON, amounts as strings like the API's."""
    click.echo(view.model_dump_json(indent=2))


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
        raise click.UsageError("; ".join(fields)) from error


# --8<-- [start:tenant-option]
def _tenant_id(_ctx: click.Context, _param: click.Parameter, value: str) -> TenantId:
    try:
        return TenantId(value)
    except InvalidValueError as error:
        raise click.BadParameter(str(error)) from error  # a usage error: status 2


tenant_option = click.option(
    "--tenant",
    "tenant_id",
    required=True,
    callback=_tenant_id,
    metavar="TENANT",
    help="The tenant to work for, e.g. acme.",
)
"""The ``--tenant`` option of every command that works on one tenant's data."""


def run_for_tenant(tenant_id: TenantId, work: Callable[[Services, TenantId], Awaitable[T]]) -> T:
    """Run ``work`` for ``tenant_id`` with :func:`run_with_services`, if the tenant exists.

    The API resolves the tenant before a context sees a request; the command line does
    the same here, so no command writes rows for a tenant nobody registered.

    Raises:
        click.ClickException: The tenant is unknown, or ``work`` broke a business rule.
    """

    async def checked(services: Services) -> T:
        await TenantDirectory(services.engine).require(tenant_id)
        return await work(services, tenant_id)

    return run_with_services(checked)


# --8<-- [end:tenant-option]
